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


# Tokens with a digit (order ids, SKUs, tracking numbers), web addresses and email addresses:
# their letters are not the customer's language ("…/products/pink-summer-dress c'est encore
# dispo ?" read English, as did Spanish and Portuguese sentences around an email address).
_NOT_WORDS = re.compile(
    r"(?:https?://|www\.)[!-~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w#/.:-]*?\d[\w#/.:-]*", re.ASCII
)


# Characters whose form is Japanese only (shinjitai and kokuji; Chinese writes 发/發, 济/濟, 样/樣,
# ...): a message of kanji without kana ("発送済", "支払い確認") is still Japanese.
_JAPANESE_KANJI = re.compile(
    "[発済込払変様円売読続図帰駅鉄県楽薬戻対単転伝広応価気浜沢関検険験辺従悪圧択蔵雑営栄労働畑枠"
    "峠匂歳亜隠穏悩拡覚挙経軽恵権剣児実焼奨乗浄剰縄壌嬢譲醸粋酔穂斉摂銭繊捜挿巣総騒増帯滝弾遅"
    "鋳庁聴逓闘脳廃拝髪抜舗歩豊毎満黙訳揺謡頼覧両猟緑涙塁暦歴録値]"
)
# Marks of Chinese, Japanese or Korean grammar (particles, endings, pronouns), as against a
# Chinese place or product name inside an English sentence ("can you ship to 上海").
_ASIAN_GRAMMAR = {
    "han": re.compile("[吗呢吧啊么了的没還还是我你在有嗎麼沒這这哪]"),
    "kana": re.compile("[\u3040-\u309f]"),  # hiragana
    "hangul": re.compile("[요다까니는은을를이가에도죠]"),
}


def _asian_over_latin(sample: str, counts: dict[str, int]) -> str | None:
    """The CJK or Hangul script of a message with more Latin letters, when it carries the
    message: "my order 还没到", "AirPods 재고 있나요?", "Nike Air Max 90 size 42 有吗" (product
    names and a greeting outnumber the letters of the question)."""
    asian = [s for s in ("kana", "han", "hangul") if s in counts]
    if not asian:
        return None
    script = max(asian, key=lambda s: counts[s])
    # A Han or kana character (counted double) carries about a word, as does a Hangul syllable.
    units = counts.get("han", 0) // 2 + counts.get("kana", 0) // 2 + counts.get("hangul", 0)
    if units >= len(_LATIN_WORD.findall(sample)) or _ASIAN_GRAMMAR[script].search(sample):
        return script
    return None


# One- to three-word replies lingua cannot read ("merci" Italian, "ok merci" Turkish, "bedankt!"
# German, "ok grazie" Polish; "oui", "sim", "tak", "nee" English as too short): the words of
# short replies, greetings and thanks, each with its languages (the most likely first).
_SHORT_WORDS_MAX = 3
_SHORT_REPLIES = (
    (
        "en",
        "thx thanks thank ty tks yes yep yeah nope hi hello hey pls plz please you u no lol "
        "sure great cool bye cheers",
    ),
    (
        "es",
        "gracias hola sí si vale muchas mil buenas buenos días dias tardes noches perfecto "
        "claro porfa listo genial bueno saludos adiós adios no muy bien de nada",
    ),
    (
        "pt",
        "obrigado obrigada obg brigado vlw valeu sim não nao oi olá ola blz beleza tá muito "
        "bom boa dia dias tarde tudo certo claro mil de nada",
    ),
    (
        "fr",
        "merci oui ouais non bonjour bonsoir salut slt coucou svp stp beaucoup d'accord dac "
        "parfait très bien bonne journée journee je mille",
    ),
    (
        "de",
        "danke dankeschön ja nein hallo bitte moin servus vielen dank schön schoen tschüss "
        "tschuss genau alles gut klar guten tag morgen",
    ),
    (
        "it",
        "grazie grz sì si no non ciao mille perfetto buongiorno buonasera salve prego va "
        "bene certo tante benissimo d'accordo arrivederci",
    ),
    (
        "nl",
        "bedankt dankjewel dankuwel dank je u ja nee hoi doei graag prima alvast goed oké "
        "oke dag hartelijk groetjes wel goedemorgen goedemiddag hallo morgen",
    ),
    (
        "pl",
        "dziękuję dziekuje dzięki dzieki tak nie cześć czesc dobrze dobry dzień dzien "
        "proszę prosze witam pozdrawiam dobra okej",
    ),
    (
        "tr",
        "teşekkürler tesekkurler teşekkür tesekkur ederim sağol sagol sağolun sagolun evet "
        "hayır hayir tamam merhaba selam slm tşk tsk eyvallah iyi günler gunler",
    ),
)


def _reply_words() -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for code, listed in _SHORT_REPLIES:
        for word in listed.split():
            words[word] = (*words.get(word, ()), code)
    return words


_SHORT_REPLY_WORDS = _reply_words()
_NO_LANGUAGE_WORDS = frozenset({"ok", "okay", "okey", "okk", "k", "kk"})


def _short_reply_language(
    words: list[str], languages: tuple[str, ...], preferred: tuple[str, ...]
) -> str | None:
    """The language all of a short reply's words share ("" when they are only "ok"s), else
    ``None`` (a word unknown here, or words of different languages: lingua decides)."""
    shared: tuple[str, ...] | None = None
    for word in words:
        if word in _NO_LANGUAGE_WORDS:
            continue
        langs = _SHORT_REPLY_WORDS.get(word)
        if langs is None:
            return None
        shared = langs if shared is None else tuple(c for c in shared if c in langs)
    if shared is None:
        return "" if words else None
    shared = tuple(c for c in shared if c in languages)
    if not shared:
        return None
    return next((c for c in preferred if c in shared), shared[0])


def detect_language(
    text: str, *, languages: tuple[str, ...] = DEFAULT_LANGUAGES, preferred: tuple[str, ...] = ()
) -> str:
    """ISO 639-1 code of the dominant language among ``languages``, or ``und`` without letters.

    ``preferred`` (a shop's languages) settles only a text too short to tell ("ok", "hi",
    "ok. we'll see"): the language is a fact about the message, and a Chinese message to an
    English-speaking shop is still Chinese.
    """
    # Order ids like "D01-1234567-1234567" tipped a plain English sentence to German.
    sample = _NOT_WORDS.sub(" ", safe_text(text[:LANGUAGE_CHAR_CAP]))
    counts = script_counts(sample)
    if not counts:
        return UNDETERMINED
    script = max(counts, key=lambda s: counts[s])
    if script == "latin" and len(counts) > 1:
        script = _asian_over_latin(sample, counts) or script
    mapped = _SCRIPT_LANGUAGE.get(script)
    if mapped == "zh" and "ja" in languages and _JAPANESE_KANJI.search(sample):
        return "ja"  # kanji only, but Japanese forms: "発送済", "支払い" without the kana
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
    words = [w.lower() for w in _LATIN_WORD.findall(sample)]
    if len(words) <= _SHORT_WORDS_MAX:
        by_words = _short_reply_language(words, languages, preferred)
        if by_words is not None:
            # "ok" alone says nothing: the shop's language, whatever its script (a Chinese shop
            # answers "ok" in Chinese).
            return by_words or next((c for c in preferred if c in languages), fallback)
    if counts.get("latin", 0) <= 3:
        # "hmm", "asap": too short to tell Latin languages apart: the shop's own language,
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
    for pair in _CLOSE_PAIRS:
        if code in pair.codes and set(latin) >= pair.codes:
            by_words = pair.by_words(words, sample)
            if by_words is not None:
                code = by_words
                break
    if (
        preferred
        and code not in preferred
        and counts["latin"] <= _SHORT_LATIN
        and len(words) <= _SHORT_WORDS_MAX
    ):
        return _preferred_if_close(detector, sample, code, preferred) or code
    return code


class _ClosePair:
    """Two languages lingua confuses on short text, with words (and letters) only one of them
    writes: a message with marks of one and none of the other is that one."""

    def __init__(
        self, first: str, second: str, words: tuple[str, str], letters: tuple[str, str]
    ) -> None:
        self.codes = frozenset({first, second})
        self._langs = (first, second)
        self._words = (frozenset(words[0].split()), frozenset(words[1].split()))
        self._letters = tuple(re.compile(p, re.IGNORECASE) if p else None for p in letters)

    def by_words(self, words: list[str], sample: str) -> str | None:
        marks = [
            sum(w in only for w in words) + (len(letters.findall(sample)) if letters else 0)
            for only, letters in zip(self._words, self._letters, strict=True)
        ]
        if marks[0] and not marks[1]:
            return self._langs[0]
        if marks[1] and not marks[0]:
            return self._langs[1]
        return None


_CLOSE_PAIRS = (
    # Lingua read the short "Quero cancelar a compra, por favor" as Spanish (0.46 against 0.36).
    # Not "dos" ("of the" in Portuguese, but "two" in Spanish: "me cobraron dos veces").
    _ClosePair(
        "pt",
        "es",
        (
            "quero queria você vocês voce voces não nao meu minha meus minhas obrigado obrigada "
            "cadê cade ainda também tambem um uma em ao do das na nas ou isso esse essa foi tá "
            "pra recebi chegou agora já é até",
            "quiero quisiera usted ustedes vosotros el los del mi mis gracias pero muy hola con "
            "y ya todavía todavia un una hay yo eso ese esa fue recibí llegó llego ahora día es "
            "hasta aún qué cómo cuándo dónde",
        ),
        (r"[ãõç]|ão\b|ões\b", r"[ñ¿¡]"),
    ),
    # "der Karton war leer" read Dutch, "de jas is te klein" German.
    _ClosePair(
        "de",
        "nl",
        (
            "der die das ist nicht ich und ein eine einen mein meine meinen bitte noch auch wann "
            "warum kein keine wurde habe hat sind schon mit für fuer danke paket leider nur war "
            "es sie",
            "het een niet ik mijn ook nog wat waar wanneer hoe geen dit deze van voor naar maar "
            "zijn bij te de is en graag bedankt kapot alstublieft jullie heb heeft wordt",
        ),
        (r"[äöüß]", r"ij"),
    ),
    # "cambien el color por favor" read Italian.
    _ClosePair(
        "es",
        "it",
        (
            "el los las y por favor mis muy gracias hola pedido talla está qué cómo cuándo "
            "dónde cuando donde tengo tienen quiero llegó llego es hay ya que envío envio yo",
            "il gli per che non sono ho della dello grazie ordine anche ancora quando dove "
            "perché mio mia sta ci ciao vorrei spedizione taglia questo questa molto niente",
        ),
        (r"[ñ¿¡]", r"[èìòù]"),
    ),
)


# A reply of a few words ("ok. we'll see", "ok danke") gives lingua little to go on: it read
# "ok. we'll see" as Dutch (0.38 against English 0.28) on an English shop, and the conversation
# switched to Dutch. Below this many Latin letters, a shop language lingua rates at least half
# as likely as its winner is taken instead; a clear reading ("vale gracias") still stands.
# Only for a few words: "je n'ai pas recu mon colis" (20 letters, six words) is French, though
# lingua gave English more than half of French's confidence, and an English shop made it English.
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
