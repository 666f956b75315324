"""Language of a message: script counts first (CJK, Hangul, Arabic, Cyrillic are unambiguous
enough), lingua for the Latin-script languages of the allowed set.

A lingua detector is built once per allowed set and kept (``functools.cache``): building it with
its models preloaded takes seconds, detecting takes well under a millisecond.
"""

from __future__ import annotations

import functools
import re

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from kefu.nlu.textnorm import safe_text

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "zh", "es", "fr", "de", "pt", "it", "ru", "ar", "ja", "ko", "tr", "pl", "nl",
)  # fmt: skip
LANGUAGE_CHAR_CAP = 400
UNDETERMINED = "und"
# Scripts whose letters name the language on their own (given it is allowed)...
_SCRIPT_LANGUAGE = {"hangul": "ko", "kana": "ja", "han": "zh", "arabic": "ar", "cyrillic": "ru"}
# ...unless the allowed set also holds one of these languages written in the same script: then
# lingua chooses among them.
_SCRIPT_RIVALS = {
    "cyrillic": frozenset({"uk", "be", "bg", "mk", "sr", "kk", "mn"}),
    "arabic": frozenset({"fa", "ur"}),
}


_SCRIPTS = (
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("kana", re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")),
    ("hangul", re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")),
    ("arabic", re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
    ("cyrillic", re.compile(r"[\u0400-\u04ff]")),
    ("latin", re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")),
)


def script_counts(text: str) -> dict[str, int]:
    """Letters per script; a Han or kana character counts double (it carries a word's worth)."""
    counts: dict[str, int] = {}
    for name, pattern in _SCRIPTS:
        found = len(pattern.findall(text))
        if found:
            counts[name] = found * (2 if name in ("han", "kana") else 1)
    if "kana" in counts and "han" in counts:
        # Japanese mixes kanji with kana; any kana at all means the Han letters are Japanese.
        counts["kana"] += counts.pop("han")
    return counts


# Frequent English words that are not words of the other Latin-script languages we detect; a
# message made mostly of them is English without asking lingua (the slowest step of triage).
_ENGLISH_ONLY = frozenset(
    {
        "about",
        "address",
        "again",
        "already",
        "and",
        "any",
        "are",
        "arrived",
        "because",
        "been",
        "best",
        "broken",
        "but",
        "can",
        "can't",
        "cancel",
        "change",
        "could",
        "damaged",
        "days",
        "delivered",
        "delivery",
        "did",
        "didn't",
        "do",
        "does",
        "don't",
        "early",
        "ever",
        "for",
        "from",
        "get",
        "good",
        "got",
        "great",
        "had",
        "has",
        "have",
        "hello",
        "help",
        "here",
        "hi",
        "how",
        "i",
        "i'll",
        "i'm",
        "i've",
        "if",
        "is",
        "it",
        "it'll",
        "it's",
        "item",
        "items",
        "its",
        "just",
        "leave",
        "me",
        "money",
        "much",
        "my",
        "need",
        "never",
        "nobody",
        "not",
        "of",
        "order",
        "our",
        "package",
        "parcel",
        "please",
        "really",
        "received",
        "refund",
        "return",
        "review",
        "see",
        "service",
        "ship",
        "shipping",
        "should",
        "since",
        "some",
        "star",
        "stars",
        "still",
        "than",
        "thank",
        "thanks",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "today",
        "tomorrow",
        "too",
        "very",
        "was",
        "we",
        "we'll",
        "weeks",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "won't",
        "work",
        "works",
        "worst",
        "would",
        "wrong",
        "yet",
        "you",
        "you'll",
        "your",
    }
)
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")


def _looks_english(sample: str) -> bool:
    words = [w.lower() for w in _LATIN_WORD.findall(sample)]
    if not words or not all(ord(c) < 128 for c in "".join(words)):
        return False
    hits = sum(w in _ENGLISH_ONLY for w in words)
    if len(words) <= 2:
        # Lingua cannot tell one or two words apart ("order status" read as Dutch, "Hello"
        # as Italian, each at under 0.4 confidence); one of our English words settles it.
        return hits >= 1
    return hits >= 2 and hits * 3 >= len(words)


@functools.cache
def _detector(languages: tuple[str, ...]) -> LanguageDetector | None:
    """A lingua detector over ``languages``, models preloaded (built once per set)."""
    chosen = []
    for code in languages:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            chosen.append(Language.from_iso_code_639_1(iso))
    if len(chosen) < 2:
        return None  # zero or one language: nothing to choose between
    return LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()


def latin_detector(languages: tuple[str, ...]) -> LanguageDetector | None:
    """A lingua detector over the allowed languages, models preloaded (built once per set)."""
    # Non-Latin scripts are settled by script_counts; fewer models make lingua faster.
    return _detector(tuple(c for c in languages if c not in _SCRIPT_LANGUAGE.values()))


def _among_rivals(sample: str, script: str, languages: tuple[str, ...]) -> str | None:
    """The allowed language of ``script`` when the script alone cannot tell (else ``None``)."""
    rivals = _SCRIPT_RIVALS.get(script, frozenset())
    mapped = _SCRIPT_LANGUAGE[script]
    candidates = tuple(sorted(c for c in languages if c in rivals or c == mapped))
    if not rivals.intersection(candidates):
        return mapped if mapped in candidates else None
    detector = _detector(candidates)
    found = detector.detect_language_of(sample) if detector is not None else None
    return found.iso_code_639_1.name.lower() if found is not None else candidates[0]


def warm_up(languages: tuple[str, ...]) -> None:
    """Build (and cache) the detector for ``languages`` now rather than on the first message."""
    latin_detector(tuple(c for c in sorted(languages) if c not in _SCRIPT_LANGUAGE.values()))
    for script in _SCRIPT_RIVALS:
        _among_rivals("", script, languages)


_WITH_DIGIT = re.compile(r"[\w#/.:-]*?\d[\w#/.:-]*", re.ASCII)


def detect_language(
    text: str, *, languages: tuple[str, ...] = DEFAULT_LANGUAGES, preferred: tuple[str, ...] = ()
) -> str:
    """ISO 639-1 code of the dominant language among ``languages``, or ``und`` without letters.

    ``preferred`` (a shop's languages) settles only a text too short to tell ("ok", "hi",
    "ok. we'll see"): the language is a fact about the message, and a Chinese message to an
    English-speaking shop is still Chinese.
    """
    # Tokens with a digit (order ids like "D01-1234567-1234567", SKUs, tracking numbers) say
    # nothing of the language, and their letters tipped a plain English sentence to German.
    sample = _WITH_DIGIT.sub(" ", safe_text(text[:LANGUAGE_CHAR_CAP]))
    counts = script_counts(sample)
    if not counts:
        return UNDETERMINED
    script = max(counts, key=lambda s: counts[s])
    mapped = _SCRIPT_LANGUAGE.get(script)
    decided = _among_rivals(sample, script, languages) if mapped is not None else None
    if decided is not None:
        return decided
    if mapped == "zh" and "ja" in languages:
        return "ja"
    allowed = tuple(sorted(languages))
    latin = tuple(c for c in allowed if c not in _SCRIPT_LANGUAGE.values())
    fallback = next((c for c in preferred if c in latin), None) or (
        "en" if "en" in languages else (allowed[0] if allowed else UNDETERMINED)
    )
    if counts.get("latin", 0) <= 3:
        # "ok", "hi", "thx": too short to tell Latin languages apart: the shop's own language,
        # else English, the lingua franca.
        return fallback
    if "en" in languages and _looks_english(sample):
        return "en"
    detector = latin_detector(latin)  # keyed by the Latin subset: shops share detectors
    if detector is None:
        return latin[0] if latin else fallback
    found = detector.detect_language_of(sample)
    if found is None:
        return fallback
    code = found.iso_code_639_1.name.lower()
    if code in _IBERIAN and set(latin) >= _IBERIAN:
        code = _iberian_by_words(sample) or code
    if preferred and code not in preferred and counts["latin"] <= _SHORT_LATIN:
        return _preferred_if_close(detector, sample, code, preferred) or code
    return code


_IBERIAN = frozenset({"es", "pt"})
# Words (and letters) only one of Spanish and Portuguese writes. Lingua read the short
# "Quero cancelar a compra, por favor" as Spanish (0.46 against 0.36); a message with marks of
# one language and none of the other is that language.
_PT_ONLY = frozenset(
    {"quero", "queria", "você", "vocês", "voce", "voces", "não", "nao", "meu", "minha", "meus",
     "minhas", "obrigado", "obrigada", "cadê", "cade", "ainda", "também", "tambem", "um", "uma",
     "em", "ao", "do", "dos", "das", "na", "nas", "ou", "isso", "esse", "essa", "foi", "tá",
     "pra", "recebi", "chegou", "agora", "já", "é", "até"}
)  # fmt: skip
_ES_ONLY = frozenset(
    {"quiero", "quisiera", "usted", "ustedes", "vosotros", "el", "los", "del", "mi", "mis",
     "gracias", "pero", "muy", "hola", "con", "y", "ya", "todavía", "todavia", "un", "una",
     "hay", "yo", "eso", "ese", "esa", "fue", "recibí", "llegó", "llego", "ahora", "día", "es",
     "hasta", "aún", "qué", "cómo", "cuándo", "dónde"}
)  # fmt: skip
_PT_LETTERS = re.compile(r"[ãõç]|ão\b|ões\b", re.IGNORECASE)
_ES_LETTERS = re.compile(r"[ñ¿¡]", re.IGNORECASE)


def _iberian_by_words(sample: str) -> str | None:
    """Spanish or Portuguese ("es", "pt") when the sample holds marks of only one of them."""
    words = [w.lower() for w in _LATIN_WORD.findall(sample)]
    pt = sum(w in _PT_ONLY for w in words) + len(_PT_LETTERS.findall(sample))
    es = sum(w in _ES_ONLY for w in words) + len(_ES_LETTERS.findall(sample))
    if pt and not es:
        return "pt"
    if es and not pt:
        return "es"
    return None


# A reply of a few words ("ok. we'll see", "ok danke") gives lingua little to go on: it read
# "ok. we'll see" as Dutch (0.38 against English 0.28) on an English shop, and the conversation
# switched to Dutch. Below this many Latin letters, a shop language lingua rates at least half
# as likely as its winner is taken instead; a clear reading ("vale gracias") still stands.
_SHORT_LATIN = 24


def _preferred_if_close(
    detector: LanguageDetector, sample: str, found: str, preferred: tuple[str, ...]
) -> str | None:
    values = {
        c.language.iso_code_639_1.name.lower(): c.value
        for c in detector.compute_language_confidence_values(sample)
    }
    best = max((c for c in preferred if c in values), key=lambda c: values[c], default=None)
    if best is not None and values[best] * 2 >= values.get(found, 0.0):
        return best
    return None
