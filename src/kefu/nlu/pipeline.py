"""The triage pipeline: one :class:`Analyzer` holds the loaded models; :func:`analyze` uses a
lazily built default one.

Length caps (so a 64 KB message costs about what a short one does): language detection reads
the first 400 characters, the intent model, sentiment and cue lists the first 2,000
(``CLASSIFIER_CHAR_CAP``; ``Triage.truncated`` says when that happened), and the entity
extractor the first 65,536, with exact spans over the original text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Sequence
from pathlib import Path

from kefu.nlu import features, store
from kefu.nlu.declined import declined_requests
from kefu.nlu.entities import extract_entities
from kefu.nlu.features import CLASSIFIER_CHAR_CAP
from kefu.nlu.intents import IntentModel, LabelledText, train
from kefu.nlu.language import DEFAULT_LANGUAGES, detect_language, warm_up
from kefu.nlu.message_tone import Heard, settle, stated_sentiment
from kefu.nlu.priority import score_priority
from kefu.nlu.resources_io import corpus_digest, corpus_rows
from kefu.nlu.schemas import (
    EMOTIONS,
    RISKS,
    IntentScore,
    Sentiment,
    Triage,
    TriageContext,
    Urgency,
)
from kefu.nlu.sentiment import lexicon, score_sentiment
from kefu.nlu.signals import find_signals
from kefu.nlu.textnorm import has_words, safe_text

MAX_LISTED_INTENTS = 5
PRAISE = "praise"
# Praise in a message without a positive word or thanks needs this much from the model.
PRAISE_WITHOUT_WARMTH_MIN = 0.5
MIN_LISTED_CONFIDENCE = 0.05
LOW_URGENCY_INTENTS = frozenset({"praise", "other", "product_question", "shipping_question",
                                 "price_promotion", "invoice_request"})  # fmt: skip
_MARKETPLACES = frozenset({"amazon", "aliexpress", "pinduoduo", "temu", "shopify"})
# Where one request ends and another may begin: sentence and clause punctuation, and the
# conjunctions customers chain requests with.
_CLAUSE = re.compile(
    r"[.!?;,。！？；，、\n]+|\s+(?:and|but|also|plus|y|pero|et|mais|und|aber|e|mas)\s+"
    r"|而且|还有|并且|但是|另外|同时",
    re.IGNORECASE,
)
MAX_CLAUSES = 8
MIN_CLAUSE_CHARS = 3
# A fragment is read without its context, and the model is sure of itself even when wrong
# ("装了热水放包里 书全湿了", the water got the books wet: missing_item 0.79); a second intent
# is listed only when its clause leaves no doubt.
CLAUSE_MIN_CONFIDENCE = 0.95
MAX_CLAUSE_TEXT = 1_000
Ranked = list[tuple[str, float]]


def builtin_model(*, cache_dir: Path | None = None) -> IntentModel:
    """The model trained on the built-in corpus: from the disk cache, else trained and cached."""
    directory = cache_dir if cache_dir is not None else store.default_cache_dir()
    path = directory / store.cache_key(corpus_digest())
    if path.is_file():
        try:
            return store.load_model(path)
        except (OSError, ValueError, EOFError, AttributeError, ImportError):
            pass  # a stale or broken cache file: retrain below and overwrite it
    model = train(LabelledText(r["text"], r["intent"]) for r in corpus_rows())
    with contextlib.suppress(OSError):  # read-only disk: keep the model in memory only
        store.save_model(model, path)
    return model


class Analyzer:
    """Loaded models plus the default language set; ``analyze`` triages one message."""

    def __init__(
        self,
        *,
        model: IntentModel | None = None,
        cache_dir: Path | None = None,
        languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    ) -> None:
        self.model = model if model is not None else builtin_model(cache_dir=cache_dir)
        self.languages = tuple(languages)
        # Build the slow parts now, not on the first customer message.
        warm_up(self.languages)
        features.words("预热")
        for lang in ("en", "zh"):
            lexicon(lang)
        find_signals("")

    def _intents(
        self, head: str, ranked: Ranked, clause_tops: Ranked
    ) -> tuple[str, list[IntentScore], bool]:
        best_name, best_p = ranked[0]
        low = best_p < self.model.threshold or not has_words(head)
        rounded = [(n, round(p, 3)) for n, p in ranked[:MAX_LISTED_INTENTS]]
        listed = [
            IntentScore(name=n, confidence=p)
            for i, (n, p) in enumerate(rounded)
            if i == 0 or p >= MIN_LISTED_CONFIDENCE
        ]
        listed = _with_clause_intents(listed, self._clause_intents(clause_tops, best_name))
        fallback = self.model.fallback
        primary = fallback if low and fallback is not None else best_name
        return primary, listed, low

    def _clause_intents(self, clause_tops: Ranked, best_name: str) -> dict[str, float]:
        """Intents that single clauses express clearly on their own ("东西坏了，我要退款": a
        quality issue and a refund request), from each clause's best intent. The
        whole-message probabilities, trained on one label per message, give the second
        intent almost nothing."""
        found: dict[str, float] = {}
        for name, p in clause_tops:
            if name not in (best_name, self.model.fallback) and p >= CLAUSE_MIN_CONFIDENCE:
                found[name] = max(p, found.get(name, 0.0))
        return found

    def _declining(
        self, ranked: Ranked, clause_tops: Ranked, declined: frozenset[str], wanted: str
    ) -> tuple[Ranked, Ranked]:
        """The readings without the requests the customer turns down ("I don't want a refund,
        send a new one"), with the reading of the rest of the message (``wanted``: the text
        without the refusals; "不想退款 能不能补发一个" asks for a resend)."""
        rest = self.model.predict(wanted, top=MAX_LISTED_INTENTS) if has_words(wanted) else []
        tops = [(n, p) for n, p in clause_tops if n not in declined]
        best: dict[str, float] = {}
        for name, p in [*ranked, *rest, *tops]:
            if name not in declined:
                best[name] = max(p, best.get(name, 0.0))
        kept = sorted(best.items(), key=lambda item: -item[1])
        return kept or [(self.model.fallback or "other", 0.0)], tops

    def _instead_of_praise(self, ranked: Ranked, clause_tops: Ranked) -> tuple[str, bool]:
        """The primary intent when the model said praise but the tone says otherwise ("not
        happy at all", "I'll leave a 1-star review"): the likeliest other intent of the message
        or of one of its clauses if the model is sure enough of it, else the fallback, flagged
        as low confidence. A clause counts because the message's "很失望" read as praise while
        its clause "东西坏了" alone is a quality issue at 0.999."""
        others = [(n, p) for n, p in [*ranked, *clause_tops] if n != PRAISE]
        name, p = max(others, key=lambda item: item[1], default=(PRAISE, 0.0))
        fallback = self.model.fallback
        if p >= self.model.threshold or fallback is None:
            return name, False
        return fallback, True

    def analyze(self, text: str, *, context: TriageContext | None = None) -> Triage:
        """Triage one message; never raises on odd text (empty, 64 KB, emoji, lone surrogates)."""
        clean = _clean(text)
        core = _without_courtesy(clean[:CLASSIFIER_CHAR_CAP])
        declined = declined_requests(core)
        clauses = _clauses(core, refusing=bool(declined[0]))
        if not clauses:
            ranked = self.model.predict(core, top=MAX_LISTED_INTENTS)
            return self._triage(text, clean, core, declined, ranked, [], context)
        # The message and its clauses in one model call.
        ranked, *tops = self.model.predict_many([core, *clauses], top=MAX_LISTED_INTENTS)
        return self._triage(text, clean, core, declined, ranked, [t[0] for t in tops], context)

    def analyze_many(
        self, texts: Sequence[str], *, contexts: Sequence[TriageContext | None] | None = None
    ) -> list[Triage]:
        """Triage many messages: the results of :meth:`analyze` one by one, with the intent
        model run once over all of them (``contexts``, when given, pairs with ``texts``)."""
        if contexts is not None and len(contexts) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(contexts)} contexts")
        cleaned = [_clean(text) for text in texts]
        cores = [_without_courtesy(clean[:CLASSIFIER_CHAR_CAP]) for clean in cleaned]
        refusals = [declined_requests(core) for core in cores]
        clauses = [
            _clauses(core, refusing=bool(refused[0]))
            for core, refused in zip(cores, refusals, strict=True)
        ]
        flat = [clause for found in clauses for clause in found]
        rows = self.model.predict_many(cores + flat, top=MAX_LISTED_INTENTS)
        ranked, tops = rows[: len(cores)], iter(row[0] for row in rows[len(cores) :])
        per_message = [[next(tops) for _ in found] for found in clauses]
        paired = contexts if contexts is not None else [None] * len(texts)
        return [
            self._triage(text, clean, core, refused, ranks, clause_tops, context)
            for text, clean, core, refused, ranks, clause_tops, context in zip(
                texts, cleaned, cores, refusals, ranked, per_message, paired, strict=True
            )
        ]

    def _triage(
        self,
        text: str,
        clean: str,
        core: str,
        refused: tuple[frozenset[str], str],
        ranked: Ranked,
        clause_tops: Ranked,
        context: TriageContext | None,
    ) -> Triage:
        """``core``: the classified head of ``clean`` without a sign-off of thanks;
        ``refused``: what :func:`declined_requests` found in it."""
        head = clean[:CLASSIFIER_CHAR_CAP]
        allowed = context.languages if context and context.languages else self.languages
        preferred = context.preferred_languages if context else None
        language = detect_language(head, languages=tuple(allowed), preferred=preferred or ())
        platform = context.platform if context and context.platform in _MARKETPLACES else None
        declined, wanted = refused
        if declined:
            ranked, clause_tops = self._declining(ranked, clause_tops, declined, wanted)
        intent, intents, low = self._intents(head, ranked, clause_tops)
        signals = find_signals(head)
        sentiment = stated_sentiment(
            core, language, lambda said: score_sentiment(said, language=language)
        )
        heard = Heard(
            intent=intent, intent_confidence=intents[0].confidence, low_confidence=low,
            emotions=signals.emotions, risks=signals.risks,
            abusive=bool(signals.abusive_spans),
        )  # fmt: skip
        sentiment = settle(sentiment, core, language, heard)
        risks = signals.risks
        if signals.leaving and sentiment.label == "negative":
            # "pls close my account, I don't want to shop here after how the refund was
            # handled" leaves; "please cancel my subscription, I'm moving abroad" asks.
            risks = _with_risk(risks, "churn_threat")
        if signals.review_warning and not (intent == PRAISE and sentiment.label == "positive"):
            risks = _with_risk(risks, "negative_review_threat")
        emotions = signals.emotions
        if sentiment.label == "negative" and "anger" not in emotions and _shouting(head):
            # A complaint typed in capitals or with "!!" is shouted: "ITS BEEN OVER A WEEK AND
            # STILL NOTHING", "保温杯漏水！！".
            emotions = sorted([*emotions, "anger"], key=EMOTIONS.index)
        if intent == PRAISE and _praise_doubtful(ranked, sentiment, risks, emotions):
            intent, low = self._instead_of_praise(ranked, clause_tops)
        deadline_soon = bool(
            context
            and context.hours_to_platform_deadline is not None
            and context.hours_to_platform_deadline <= 6
        )
        urgency: Urgency = "normal"
        if signals.urgent or deadline_soon:
            urgency = "high"
        elif (
            intent in LOW_URGENCY_INTENTS
            and not low  # an unsure reading is no reason to let a message wait
            and sentiment.label != "negative"
            and not risks
        ):
            urgency = "low"
        abusive = bool(signals.abusive_spans)
        priority = score_priority(
            intent=intent, sentiment=sentiment, emotions=emotions,
            urgent=signals.urgent, risks=risks, abusive=abusive, context=context,
            safety=signals.safety, needed_soon=signals.needed_soon, privacy=signals.privacy,
        )  # fmt: skip
        return Triage(
            language=language, intent=intent, intents=intents,
            entities=extract_entities(text, platform=platform), sentiment=sentiment,
            emotions=emotions, urgency=urgency, abusive=abusive, risks=risks,
            priority=priority, low_confidence=low, abusive_spans=signals.abusive_spans,
            truncated=len(clean) > CLASSIFIER_CHAR_CAP, safety=signals.safety,
            privacy=signals.privacy, needed_soon=signals.needed_soon,
        )  # fmt: skip


_CASED_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]{2,}")
_SHOUTING_MIN_WORDS = 4


def _with_risk(risks: list[str], risk: str) -> list[str]:
    """``risks`` with ``risk`` added, in the order of ``RISKS``."""
    return [r for r in RISKS if r in {*risks, risk}]


def _praise_doubtful(
    ranked: Ranked, sentiment: Sentiment, risks: list[str], emotions: list[str]
) -> bool:
    """Praise said in a negative tone, with a threat or anger; or praise the model is unsure of
    in a message with no warm word at all ("I run a small gift shop and would like to order
    200 pieces": praise 0.43). Indirect praise without a warm word ("will definitely order
    again") is read with confidence, so it stays."""
    if sentiment.label == "negative" or risks or "anger" in emotions:
        return True
    lukewarm = sentiment.label != "positive" and "gratitude" not in emotions
    return lukewarm and dict(ranked).get(PRAISE, 0.0) < PRAISE_WITHOUT_WARMTH_MIN


def _shouting(text: str) -> bool:
    """Repeated exclamation marks, or written mostly in capitals: at least four words of two or
    more letters, and four in five of them all upper case ("I", "OK" and order ids alone do not
    make a shout)."""
    if _EXCLAIMED.search(text):
        return True
    words = _CASED_WORD.findall(text)
    if len(words) < _SHOUTING_MIN_WORDS:
        return False
    upper = sum(1 for w in words if w.isupper())
    return upper * 5 >= len(words) * 4


_EXCLAIMED = re.compile(r"[!！]{2,}")


# A sign-off of thanks is courtesy, not praise: "Where is my order? Thank you" listed praise
# at 0.99 beside the question.
_COURTESY = re.compile(
    r"(?:(?:many |thanks? |thank you )?(?:thanks?|thank you|thank u|thx|ty|cheers)"
    r"(?: (?:so|very) much| a lot| again)?(?: in advance)?"
    r"|(?:muchas )?gracias(?: de antemano)?|merci(?: beaucoup| d'avance)?"
    r"|(?:vielen )?dank(?:e)?(?: schön| sehr| im voraus)?|obrigad[oa]|grazie(?: mille)?"
    r"|спасибо(?: заранее| большое)?|شكرا(?: لك| جزيلا)?"
    r"|ありがとうございます|よろしくお願いします|谢谢(?:亲|啦|了)?|多谢|感谢)"
    r"[\s~～]*",
    re.IGNORECASE,
)


_SIGN_OFF = re.compile(
    rf"(?:^|[.!?;,。！？；，、\s]+)(?:{_COURTESY.pattern})[.!?;,。！？；，、\s~～]*$", re.IGNORECASE
)


def _without_courtesy(text: str) -> str:
    """``text`` without a closing "thanks" ("The mug arrived cracked. Thanks" read as praise,
    its sentiment neutral), unless the thanks is all there is."""
    kept = _SIGN_OFF.sub("", text)
    return kept if has_words(kept) else text


def _clauses(head: str, *, refusing: bool = False) -> list[str]:
    """The clauses of a message that may carry a request of their own; none for a message of
    one clause ("亲", "hi", "在吗" say nothing to act on and do not count), no sign-off of
    thanks, and, when the message is ``refusing`` a request, no clause that only turns it down
    ("不想换了" read alone is no request, and the model took it for an account issue)."""
    parts = (c.strip() for c in _CLAUSE.split(head[:MAX_CLAUSE_TEXT]))
    found = [
        c
        for c in parts
        if len(c) >= MIN_CLAUSE_CHARS
        and has_words(c)
        and not _COURTESY.fullmatch(c)
        and (not refusing or has_words(declined_requests(c)[1]))
    ]
    return found[:MAX_CLAUSES] if len(found) >= 2 else []


def _with_clause_intents(
    listed: list[IntentScore], clause_intents: dict[str, float]
) -> list[IntentScore]:
    """The message's ranked intents, with each clause intent at its clause's confidence when
    that is higher; the primary stays first.

    A clause's confidence is about the clause alone ("Жду уже 3 недели" is a delay for sure),
    so it is capped at the primary's: a ranked list whose second entry claimed 1.0 after a
    first at 0.5 misled whoever read the numbers."""
    if not clause_intents:
        return listed
    cap = listed[0].confidence
    best = {s.name: s.confidence for s in listed[1:]}
    for name, p in clause_intents.items():
        best[name] = max(best.get(name, 0.0), min(round(p, 3), cap))
    rest = sorted(best.items(), key=lambda item: -item[1])[: MAX_LISTED_INTENTS - 1]
    return [listed[0], *(IntentScore(name=n, confidence=p) for n, p in rest)]


@functools.cache
def default_analyzer() -> Analyzer:
    """The process-wide analyzer, built on first use (model from the disk cache when present)."""
    return Analyzer()


def analyze(text: str, *, context: TriageContext | None = None) -> Triage:
    """Triage one message with the default analyzer."""
    return default_analyzer().analyze(text, context=context)


def analyze_many(
    texts: Sequence[str], *, contexts: Sequence[TriageContext | None] | None = None
) -> list[Triage]:
    """Triage many messages with the default analyzer (see :meth:`Analyzer.analyze_many`)."""
    return default_analyzer().analyze_many(texts, contexts=contexts)


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}; decode bytes first")
    return safe_text(text)
