"""Triage audit of es, fr, de, pt, ru, ar and ja customer messages: the behaviours it fixed.

Sentences here are new: neither audit messages nor rows of the intent corpus.
"""

from __future__ import annotations

import pytest

from kefu import nlu
from kefu.nlu.entities import extract_entities


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Lingua read short Portuguese requests as Spanish ("quero" 0.46 es against 0.36 pt).
        ("Quero trocar o tamanho do tênis", "pt"),
        ("Queria saber se já foi enviado", "pt"),
        ("Quiero saber si ya lo enviaron", "es"),
        ("Hola, quiero devolver esto", "es"),
    ],
)
def test_short_spanish_and_portuguese_are_told_apart(
    analyzer: nlu.Analyzer, text: str, language: str
) -> None:
    assert analyzer.analyze(text).language == language


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Pagué el 7 de octubre", "date", "7 de octubre"),
        ("Enviei no dia 2 de setembro de 2024", "date", "2 de setembro de 2024"),
        ("Commandé le 1er juin", "date", "1er juin"),
        ("livré le 14 juillet", "date", "14 juillet"),
        ("Оплатила 12 апреля", "date", "12 апреля"),
        ("وصلني 9 أكتوبر", "date", "9 أكتوبر"),
        ("Estou esperando há uma semana", "duration", "uma semana"),
        ("faz dois meses que paguei", "duration", "dois meses"),
    ],
)
def test_dates_and_durations_in_more_languages(text: str, kind: str, value: str) -> None:
    found = [(e.type, e.value) for e in extract_entities(text)]
    assert (kind, value) in found


def test_portuguese_word_numbers_have_an_iso_duration() -> None:
    (entity,) = extract_entities("chegou depois de uma semana")
    assert entity.normalized == "P1W"


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("Si no me devuelven el dinero voy a denunciarles", "legal_threat"),
        ("Ich werde Sie anzeigen", "legal_threat"),
        ("Dejaré 1 estrella", "negative_review_threat"),
        ("je mets 1 étoile à ce vendeur", "negative_review_threat"),
        ("vou dar 1 estrela", "negative_review_threat"),
        ("Das gibt eine 1-Sterne-Rezension", "negative_review_threat"),
        ("поставлю низкую оценку продавцу", "negative_review_threat"),
        ("سأعطيكم 1 نجمة", "negative_review_threat"),
        ("رح اتصل بالبنك", "chargeback_threat"),
    ],
)
def test_threat_wordings_found_in_the_audit(analyzer: nlu.Analyzer, text: str, risk: str) -> None:
    result = analyzer.analyze(text)
    assert risk in result.risks
    assert result.sentiment.label == "negative"


@pytest.mark.parametrize(
    "text", ["Bande d'escrocs", "seus golpistas", "жулики!", "يا لصوص", "詐欺師め"]
)
def test_calling_the_seller_a_crook_is_abuse_in_every_language(
    analyzer: nlu.Analyzer, text: str
) -> None:
    # As English "scammers", "thieves" and Spanish "estafadores", "ladrones" already were.
    result = analyzer.analyze(text)
    assert result.abusive
    assert "anger" in result.emotions


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("Jetzt reicht's mir aber", "anger"),
        ("Langsam reicht es mir mit euch", "anger"),
        ("Разочаровал этот продавец", "disappointment"),
        ("وصل الطلب ناقص ومحبط جدا", "disappointment"),  # "and" joined to the cue
        ("وقلقان إنه ما يوصل قبل العيد", "anxiety"),
    ],
)
def test_emotion_wordings_found_in_the_audit(
    analyzer: nlu.Analyzer, text: str, emotion: str
) -> None:
    assert emotion in analyzer.analyze(text).emotions


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Estou preocupada com a entrega", "negative"),
        ("Estoy preocupada, no llega", "negative"),
        ("Je suis inquiète pour mon colis", "negative"),
        ("Das Glas ist gerissen", "negative"),
        ("Качество ткани разочаровало", "negative"),
        # "melhor", "mejor" (better) in a question, "بسرعة" (quickly) in a request are no praise.
        ("É melhor comprar o azul ou o preto?", "neutral"),
        ("¿Es mejor la versión de 64 GB?", "neutral"),
        ("هل ممكن ترسلوه بسرعة؟", "neutral"),
        # A polite German request for a cancellation is no complaint.
        ("Bitte um Stornierung meiner Bestellung", "neutral"),
        ("Ich bitte um Stornierung", "neutral"),
    ],
)
def test_sentiment_wordings_found_in_the_audit(
    analyzer: nlu.Analyzer, text: str, label: str
) -> None:
    assert analyzer.analyze(text).sentiment.label == label


def test_praise_words_still_count_where_they_are_praise(analyzer: nlu.Analyzer) -> None:
    assert analyzer.analyze("O melhor vendedor, chegou tudo certo").sentiment.label == "positive"
    assert analyzer.analyze("El mejor vendedor, todo perfecto").sentiment.label == "positive"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Качество ткани разочаровало, всё в катышках", "quality_issue"),
        ("هل السماعة تدعم البلوتوث؟", "product_question"),
        ("Escrocs ! Je vais déposer plainte contre vous", "complaint"),
        ("Bitte um Stornierung meiner Bestellung", "cancel_order"),
        ("Bitte um Info zum Versandstatus", "order_status"),
        ("поставлю низкую оценку продавцу", "complaint"),
    ],
)
def test_intents_found_wrong_in_the_audit(analyzer: nlu.Analyzer, text: str, intent: str) -> None:
    assert analyzer.analyze(text).intent == intent
