"""Threat words that are no threat (``kefu.nlu.threats``), through the public triage."""

from __future__ import annotations

import pytest

from kefu import nlu


@pytest.mark.parametrize(
    "text",
    [
        "Does the A-to-z guarantee window cover customs delays? Stuck for 9 days.",
        "售后期多久啊 过了七天还能申请平台介入吗 问问而已",
        "Qual o prazo pra abrir disputa se o pacote ficar retido na alfândega?",
        "Is that 1-star review on your listing about the old version?",
        "之前点了平台介入是手滑 已经撤销了 不好意思哈",
        "J'avais ouvert un litige mais vous avez réglé le souci, je viens de le fermer.",
        "ia abrir uma reclamação mas o pedido chegou hoje, obrigada!",
        "tranquilos que no os voy a poner mala reseña, solo quiero cambiar la talla",
        "Не переживайте, плохой отзыв оставлять не буду, просто поменяйте размер",
        "Keine Sorge, ich gebe keine schlechte Bewertung.",
        "12315是型号吗 详情页写着12315款",
        "saw a 1 star review on your listing saying the zipper breaks, is that fixed?",
        "can i edit my review? accidentally tapped 3 stars instead of 5 lol",
        "我之前那个差评是给别家的 不是你们 别误会哈",
        "una pregunta, si abro una disputa en aliexpress cuanto tarda? es solo por saber",
        "亲 请问平台介入一般要多久啊 我就问问 没别的意思",
        "le litige est clos, vous m'avez remboursé, merci beaucoup",
    ],
)
def test_asked_ruled_out_or_taken_back_is_no_threat(analyzer: nlu.Analyzer, text: str) -> None:
    assert analyzer.analyze(text).risks == []


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("No refund by Friday and I open an A-to-z claim, is that clear?", "dispute_threat"),
        ("I was going to leave a bad review and I still will.", "negative_review_threat"),
        ("J'ai signalé votre boutique à la DGCCRF.", "dispute_threat"),
        ("I already called my bank, they're reversing the charge.", "chargeback_threat"),
        ("Отменяю подписку, ухожу к конкурентам", "churn_threat"),
        ("guess i'll just show my 40k followers on tiktok how you treat customers", "negative_review_threat"),
        ("I'll bump my review back up to 5 if you refund the shipping. deal?", "negative_review_threat"),
        ("东西跟图片完全两码事 视频我已经录好了 准备发b站", "negative_review_threat"),
        ("C'EST UNE ARNAQUE. AVIS NÉGATIF GARANTI", "negative_review_threat"),
        ("Habe heute einen Fall beim PayPal-Käuferschutz eröffnet.", "dispute_threat"),
        ("unsubscribed, deleted the app, done. that order was the last straw", "churn_threat"),
        ("亲 这是我在你家买的最后一次了 质量一次不如一次", "churn_threat"),
    ],
)  # fmt: skip
def test_threats_said_are_heard(analyzer: nlu.Analyzer, text: str, risk: str) -> None:
    assert risk in analyzer.analyze(text).risks


def test_closing_an_account_is_churn_only_when_said_unhappily(analyzer: nlu.Analyzer) -> None:
    calm = "Bitte mein Abo kündigen, bin ab März für ein Jahr in Australien. War immer top, danke!"
    assert "churn_threat" not in analyzer.analyze(calm).risks
    assert "churn_threat" not in analyzer.analyze("how do I cancel my subscription?").risks
    angry = "Cancel my subscription. Third broken mug in a row, this is ridiculous."
    assert "churn_threat" in analyzer.analyze(angry).risks


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        # Italian "vi" is "you", not Spanish "I saw": the threat stands.
        ("Se non rispondete vi lascio una recensione negativa", True),
        ("vi una reseña mala en el anuncio, es verdad?", False),
        ("Non ho intenzione di lasciare una recensione negativa, voglio solo il rimborso", False),
        ("Ik ga geen negatieve review schrijven hoor", False),
        ("Nie zamierzam wystawiać negatywnej opinii", False),
        ("Olumsuz yorum yazmayacağım ama cevap verin", False),
        ("리뷰 테러할 생각은 없어요 그냥 교환해주세요", False),
        ("Als jullie niet reageren schrijf ik een negatieve review", True),
    ],
)
def test_review_threats_and_their_denials_in_the_later_languages(text: str, threat: bool) -> None:
    assert ("negative_review_threat" in nlu.default_analyzer().analyze(text).risks) is threat


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("Per curiosità, come funziona una controversia su AliExpress?", None),
        ("Z ciekawości: jak działa otwarcie sporu na AliExpress?", None),
        ("소비자원 신고는 어떻게 하나요? 궁금해서요", None),
        ("Mio fratello fa l'avvocato, fate sconti per 20 sedie?", None),
        ("Otwieram spór na AliExpress", "dispute_threat"),
    ],
)
def test_questions_about_the_rules_and_professions_in_the_later_languages(
    text: str, risk: str | None
) -> None:
    assert nlu.default_analyzer().analyze(text).risks == ([risk] if risk else [])


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("Left a 1 star review for the delivery company, nothing to do with you. Can you resend?",
         False),
        ("你们家比隔壁强多了 隔壁那家全是差评", False),
        ("别家都能退 就你们不行 差评", True),
        ("那家伙态度太差 给差评", True),
        ("不好意思 手滑打了差评 怎么改回来", False),
        ("posted a video of my unboxing on tiktok, love it, thank you!", False),
        ("Je ne laisserai pas de mauvais avis, promis.", False),
        ("Posting screenshots of this whole chat on Instagram tonight.", True),
        ("This is your last chance before I leave an honest review.", True),
        ("我已经给了差评 钱不退到账之前不会改的", True),
    ],
)  # fmt: skip
def test_reviews_of_others_by_mistake_or_in_praise_and_warnings_without_review_words(
    analyzer: nlu.Analyzer, text: str, threat: bool
) -> None:
    assert ("negative_review_threat" in analyzer.analyze(text).risks) is threat


@pytest.mark.parametrize(
    ("text", "risks"),
    [
        ("Şikayet etmeyi düşünmüştüm ama şikayetten vazgeçtim, ürün geldi", []),
        ("Trendyol'a bildirmek istemiyorum, sadece değişim istiyorum", []),
        ("공정위 신고할까 하다가 참았어요 그냥 교환해 주세요", []),
        ("Hakem heyeti nedir, nasıl başvurulur?", []),
        ("Harcama itirazı yapma gibi bir niyetim yok, sadece bilgi almak istiyorum", []),
        ("ho letto che altri clienti hanno lasciato recensioni negative, è vero che si rompe?", []),
        ("Mam znajomego prawnika, ale to nie o to chodzi, po prostu wymieńcie", []),
        ("Avukat bir arkadaşım var, o da böyle şeyler oluyor dedi", []),
        ("Trendyol'a şikayet edeceğim, param iade edilsin", ["dispute_threat"]),
        ("visto che non rispondete, vi lascio una recensione negativa", ["negative_review_threat"]),
    ],
)
def test_given_up_unwanted_asked_or_seen_threats_in_the_later_languages(
    analyzer: nlu.Analyzer, text: str, risks: list[str]
) -> None:
    assert analyzer.analyze(text).risks == risks


@pytest.mark.parametrize(
    ("text", "risks"),
    [
        ("Se entro venerdì non ho il rimborso, segnalerò tutto a eBay.", ["dispute_threat"]),
        ("Amazon.it verrà a sapere come trattate i clienti.", ["dispute_threat"]),
        ("Dit ga ik bij Marktplaats melden als het geld er morgen niet is.", ["dispute_threat"]),
        ("Jak nie oddacie pieniędzy, zgłoszę sprawę na Allegrze.", ["dispute_threat"]),
        ("Hepsiburada'ya bu satıcıyı bildireceğim, ürün sahte.", ["dispute_threat"]),
        ("계속 이러시면 11번가에 민원 넣을게요", ["dispute_threat"]),
        ("Ho comprato su Amazon, quando arriva il secondo pezzo?", []),
        ("Trendyol'dan sipariş verdim, kargo ne zaman gelir?", []),
        ("Per sbaglio ho aperto una contestazione su eBay, la chiudo subito.", []),
        ("Ik wilde het bij bol melden, maar het pakket kwam vandaag toch nog. Dank!", []),
        (
            "Mijn buurman heeft bij bol een klacht ingediend tegen een andere verkoper. "
            "Waar blijft mijn pakket?",
            [],
        ),
        ("쿠팡에 신고하고 싶진 않아요. 교환만 해주세요.", []),
        ("Bu son alışverişim, bundan sonra başka satıcıdan alacağım.", ["churn_threat"]),
    ],
)
def test_a_marketplace_near_a_verb_of_reporting(
    analyzer: nlu.Analyzer, text: str, risks: list[str]
) -> None:
    assert analyzer.analyze(text).risks == risks


def test_another_shop_rules_out_only_a_claim_against_it(analyzer: nlu.Analyzer) -> None:
    threat = "I will leave a 1 star review and buy from another shop next time"
    assert "negative_review_threat" in analyzer.analyze(threat).risks
    story = "My friend filed a PayPal dispute against another shop once. Where is my order?"
    assert analyzer.analyze(story).risks == []


@pytest.mark.parametrize(
    ("text", "risks"),
    [
        ("no answer in a week so I'm reporting your store to Etsy", ["dispute_threat"]),
        ("Si mañana no tengo respuesta, pongo una queja en Mercado Libre.", ["dispute_threat"]),
        ("Je vais signaler votre boutique à Cdiscount dès ce soir.", ["dispute_threat"]),
        ("Ich habe Sie bei Kaufland gemeldet, die Ware ist gefälscht.", ["dispute_threat"]),
        ("Já abri uma reclamação na Magalu contra vocês.", ["dispute_threat"]),
        ("三天了还不发货，我去抖音投诉你们", ["dispute_threat"]),
        # The platform speaks, it is not told.
        ("Amazon says it was delivered, can you report it to the carrier?", []),
        ("平台说有个投诉单 是你们发起的吗", []),
        # A claim the shop is asked to make with the courier.
        (
            "¿Pueden abrir una reclamación con Correos? Me llegó la caja rota. "
            "Lo compré en Mercado Libre.",
            [],
        ),
        # Taken back, by mistake, against another shop.
        ("I withdrew the PayPal claim, the parcel turned up this morning.", []),
        ("Habe versehentlich einen PayPal-Fall eröffnet, bitte ignorieren.", []),
        ("Mi hermana reclamó en la OCU contra otra tienda, ¿ustedes dan factura?", []),
        ("朋友在别家买到假货投诉到平台了，你们家是正品吧", []),
        # Asked about, and said to be only a question.
        ("What is the process to open a case on eBay?", []),
        ("京东投诉一般多久有结果？我就问问", []),
        # Claimed, then a request: "退款" is no model name like "12315款".
        ("我已经开了纠纷，请尽快退款。", ["dispute_threat"]),
        ("Cdiscount sera informé de vos pratiques, je fais remonter.", ["dispute_threat"]),
        ("Thanks, I've closed the PayPal dispute on my end.", []),
        ("Ich habe den Fall bei eBay zurückgezogen, danke!", []),
        # A consumer body as a source.
        ("No site do Procon diz que tenho 7 dias pra desistir, vale pra promoção?", []),
        ("Votre robot a été bien noté par UFC-Que Choisir, je l'ai pris.", []),
    ],
)
def test_a_marketplace_near_a_verb_of_reporting_in_the_first_languages(
    analyzer: nlu.Analyzer, text: str, risks: list[str]
) -> None:
    assert analyzer.analyze(text).risks == risks


@pytest.mark.parametrize(
    ("text", "risks"),
    [
        ("Called Amex this morning, they are reversing the charge.", ["chargeback_threat"]),
        (
            "Wenn bis Freitag nichts kommt, holt die Sparkasse das Geld zurück.",
            ["chargeback_threat"],
        ),
        ("再不退款我就让招商银行信用卡中心追回这笔钱", ["chargeback_threat"]),
        ("Se não estornarem hoje, peço o estorno ao Nubank.", ["chargeback_threat"]),
        # The bank did it to the buyer, or is only quoted.
        ("銀行に決済を止められました。もう一度払えますか？", []),
        ("El banco dice que la devolución tarda cinco días, ¿me confirman?", []),
        # A friend's chargeback at another shop; one made by mistake.
        (
            "My cousin had to reverse a charge with her bank at another store once. Is mine shipped?",
            [],
        ),
        ("Я по ошибке написал в банк, уже отозвал заявление.", []),
        ("チャージバックまではしたくないので、返金をお願いします。", []),
    ],
)
def test_a_bank_near_a_verb_of_taking_the_money_back(
    analyzer: nlu.Analyzer, text: str, risks: list[str]
) -> None:
    assert analyzer.analyze(text).risks == risks


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("Zwei Wochen ohne Antwort. Meine Rezension wird das widerspiegeln.", True),
        ("Vou alertar todo mundo no grupo do condomínio pra não comprar aqui.", True),
        ("Le livreur était odieux, j'ai mis une étoile au transporteur, pas à vous.", False),
        (
            "Once I left a bad review for another shop that never shipped. Is mine on its way?",
            False,
        ),
        ("悪いレビューは書きたくないので、交換だけお願いします。", False),
        ("Le livreur DHL était odieux, je lui ai mis 1 étoile, vous n'y êtes pour rien.", False),
        ("Vou postar as fotos no Facebook se não trocarem hoje.", True),
    ],
)
def test_review_warnings_said_around_the_words(
    analyzer: nlu.Analyzer, text: str, threat: bool
) -> None:
    assert ("negative_review_threat" in analyzer.analyze(text).risks) is threat


@pytest.mark.parametrize(
    ("text", "churn"),
    [
        ("Sono passata a Zalando, almeno lì i resi funzionano.", True),
        ("Hele familie bestelde hier al jaren, maar nu niet meer.", True),
        ("Third broken kettle. I won't be ordering from you again.", True),
        ("対応が最悪です。今後一切利用しません。", True),
        ("The second parcel never arrived, can you check?", False),
        ("一直在你家买 别家再也找不到这么好吃的了 还有货吗", False),
        ("I'll switch to the grey one if the blue is sold out.", False),
    ],
)
def test_leaving_said_around_the_words(analyzer: nlu.Analyzer, text: str, churn: bool) -> None:
    assert ("churn_threat" in analyzer.analyze(text).risks) is churn
