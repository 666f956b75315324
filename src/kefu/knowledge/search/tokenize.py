"""Language-aware tokenisation for BM25: one analyzer, per-script handling inside it.

Text is NFKC-normalised and case-folded, then split into runs by script:

* Han (Chinese) runs go to jieba's search mode (words plus the dictionary words inside them, so
  "充电器" also matches "充电"). ``rjieba`` (jieba-rs, same dictionary) is used when installed
  because it is about 15x faster; pure-Python jieba is the fallback.
* Kana, Hangul, and Han inside Japanese text become overlapping character bigrams: the standard
  dictionary-free fallback for languages we ship no segmenter for.
* Arabic is normalised (diacritics, tatweel, alef/ya/ta-marbuta variants) before stemming.
* Other letters and digits form words, stemmed with the Snowball stemmer of the text's language
  (PyStemmer) when it is known, after dropping a short list of function words.

Query terms can be expanded into every stem form the index knows (``query_groups``), so a query
whose language is unknown still matches stemmed documents.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kefu.knowledge.search.stopwords import STOPWORDS

# ISO 639-1 code -> Snowball algorithm name in PyStemmer.
SNOWBALL = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "pt": "portuguese",
    "it": "italian", "nl": "dutch", "ru": "russian", "ar": "arabic", "tr": "turkish",
    "pl": "polish", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
    "ro": "romanian", "hu": "hungarian", "cs": "czech", "el": "greek", "id": "indonesian",
}  # fmt: skip
CJK_BIGRAM_LANGUAGES = frozenset({"ja", "ko"})
MAX_TOKEN_CHARS = 64

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = r"\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = r"\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
_ARABIC = r"\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_RUN = re.compile(
    rf"(?P<han>[{_HAN}]+)|(?P<kana>[{_KANA}{_HAN}]*[{_KANA}][{_KANA}{_HAN}]*)"
    rf"|(?P<hangul>[{_HANGUL}]+)|(?P<arabic>[{_ARABIC}]+)|(?P<word>[^\W_]+)"
)
_HAS_KANA = re.compile(rf"[{_KANA}]")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Token:
    """One index term and its span in the normalised text (for snippets and query expansion)."""

    term: str
    start: int
    end: int
    word: bool = False  # a stemmable word (not a CJK segment): queries may expand it


def normalize(text: str) -> str:
    """NFKC + casefold with lone surrogates replaced; the text every offset refers to."""
    clean = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFKC", clean).casefold()


def normalize_arabic(word: str) -> str:
    """Strip Arabic diacritics and tatweel and unify letter variants."""
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)


@functools.cache
def _stemmer(language: str) -> Callable[[str], str] | None:
    algorithm = SNOWBALL.get(language)
    if algorithm is None:
        return None
    import Stemmer  # PyStemmer; imported lazily so the module loads fast

    stemmer = Stemmer.Stemmer(algorithm)
    stemmer.maxCacheSize = 50_000
    return stemmer.stemWord  # type: ignore[no-any-return]


Segmenter = Callable[[str], list[tuple[str, int, int]]]


@functools.cache
def _segmenter() -> Segmenter:
    """jieba search-mode words with offsets (rjieba when installed, else pure-Python jieba)."""
    try:
        import rjieba

        fast = rjieba.Jieba()
        return lambda run: fast.tokenize(run, "search", True)
    except ImportError:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        slow = jieba.Tokenizer()
        slow.initialize()
        return lambda run: list(slow.tokenize(run, mode="search"))


def segmenter_name() -> str:
    """Which Chinese segmenter is in use (recorded in index manifests)."""
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


def _bigrams(run: str, start: int) -> Iterator[Token]:
    if len(run) == 1:
        yield Token(run, start, start + 1)
        return
    for i in range(len(run) - 1):
        yield Token(run[i : i + 2], start + i, start + i + 2)


def _han_words(run: str, stop: frozenset[str]) -> list[tuple[str, int, int]]:
    """jieba search-mode words, plus the bigrams around every character jieba left alone.

    A lone character usually marks a segmentation the dictionary was unsure of ("退货运费"
    splits as 退 / 货运费); pairing it with its neighbours ("退货") lets documents and queries
    that were segmented differently still meet, at a fraction of the cost of indexing every
    bigram.
    """
    out: list[tuple[str, int, int]] = []
    for word, s, e in _segmenter()(run):
        if word in stop:
            continue
        out.append((word, s, e))
        if e - s == 1:
            if s > 0:
                out.append((run[s - 1 : e], s - 1, e))
            if e < len(run):
                out.append((run[s : e + 1], s, e + 1))
    return out


def word_term(word: str, language: str | None, *, arabic: bool = False) -> str | None:
    """The index term of one letters-and-digits word (None for stop words and overlong words)."""
    if len(word) > MAX_TOKEN_CHARS:
        return None
    if arabic:
        word = normalize_arabic(word)
        language = language or "ar"
    if language is not None and word in STOPWORDS.get(language, frozenset()):
        return None
    stem = _stemmer(language) if language else None
    return stem(word) if stem is not None and not word.isdigit() else word


def base_language(language: str | None) -> str | None:
    """The primary subtag, lower case: "zh-CN" -> "zh", "" -> None."""
    return language.replace("_", "-").split("-")[0].lower() or None if language else None


def tokenize(text: str, language: str | None = None) -> list[Token]:
    """Index terms of ``text`` with offsets (None language = no stemming, no stop words)."""
    language = base_language(language)
    norm = normalize(text)
    bigram_han = language in CJK_BIGRAM_LANGUAGES or bool(_HAS_KANA.search(norm))
    stop = STOPWORDS.get(language or "", frozenset())
    tokens: list[Token] = []
    for match in _RUN.finditer(norm):
        kind, run, start = match.lastgroup, match.group(), match.start()
        if kind == "han" and not bigram_han:
            tokens.extend(Token(w, start + s, start + e) for w, s, e in _han_words(run, stop))
        elif kind in ("han", "kana", "hangul"):
            tokens.extend(_bigrams(run, start))
        else:
            term = word_term(run, language, arabic=kind == "arabic")
            if term:
                tokens.append(Token(term, start, match.end(), word=True))
    return tokens


def terms(text: str, language: str | None = None) -> list[str]:
    """Just the index terms of ``text``, in order (the fast path used when indexing)."""
    language = base_language(language)
    norm = normalize(text)
    bigram_han = language in CJK_BIGRAM_LANGUAGES or bool(_HAS_KANA.search(norm))
    stop = STOPWORDS.get(language or "", frozenset())
    out: list[str] = []
    for match in _RUN.finditer(norm):
        kind, run = match.lastgroup, match.group()
        if kind == "han" and not bigram_han:
            out.extend([w for w, _, _ in _han_words(run, stop)])
        elif kind in ("han", "kana", "hangul"):
            out.extend([run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run])
        else:
            term = word_term(run, language, arabic=kind == "arabic")
            if term:
                out.append(term)
    return out


def word_runs(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, run, start, end) of each script run in already-normalised text."""
    for match in _RUN.finditer(text):
        yield match.lastgroup or "word", match.group(), match.start(), match.end()


def _variants(surface: str, term: str, languages: tuple[str, ...]) -> frozenset[str]:
    """A query word's possible index forms: as analysed, unstemmed, and each language's stem."""
    forms = {term, surface}
    if not surface.isdigit():
        for language in languages:
            stem = _stemmer(language)
            if stem is not None:
                forms.add(stem(normalize_arabic(surface) if language == "ar" else surface))
    return frozenset(forms)


@dataclass(frozen=True)
class QueryTerm:
    """One query word as typed (normalised) and the index forms that count as a match."""

    text: str
    forms: frozenset[str]


def query_terms(
    text: str, language: str | None, index_languages: tuple[str, ...]
) -> list[QueryTerm]:
    """Query terms as groups of alternative index forms, in query order, deduplicated.

    With a known language a word is stemmed that way (plus its raw form, which is how words
    inside Chinese or Japanese documents are stored); with an unknown one it is stemmed in every
    language the index holds, and the search scores the best-matching form.
    """
    language = base_language(language)
    norm = normalize(text)
    languages = (language,) if language else index_languages
    seen: set[frozenset[str]] = set()
    out: list[QueryTerm] = []
    for token in tokenize(text, language):
        surface = norm[token.start : token.end]
        if token.word:
            surface = normalize_arabic(surface)  # a no-op outside Arabic script
        forms = _variants(surface, token.term, languages) if token.word else frozenset([token.term])
        if forms not in seen:
            seen.add(forms)
            out.append(QueryTerm(surface, forms))
    return out
