"""Lexicon-and-rules sentiment per language (``resources/<lang>/sentiment.json``, written by us).

Each lexicon entry has a weight; the text is scanned once with a longest-first alternation, so
"不错" (positive) wins over its negator "不". A negator in the few characters between the previous
sentiment word and this one flips it (and softens it: "not bad" is only mildly good); an
intensifier right before it multiplies it and a downtoner ("有点", "稍微") halves it; words after
a contrast ("但是", "but") count more than words before it, and words after a concession
("就是", "唯一", "只是": "好吃，就是有点咸" is a good review with a small reservation) count less.
The ``downtoners``, ``concession`` and ``neutral`` lists are optional in a language's file;
``neutral`` phrases ("would like", "すればいい") carry an opinion word but no opinion.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kefu.nlu.resources_io import CORPUS_LANGUAGES, read_json
from kefu.nlu.textnorm import lower_key, straight_apostrophes, without_dotless_i
from kefu.nlu.trie import trie_pattern

# Words matched inside runs of letters: Chinese and Japanese have no spaces, Korean glues its
# endings to the word ("좋아요", "최악이에요").
_CJK = frozenset({"zh", "ja", "ko"})
# Entries are stems, matched at a word's start: "сломан" -> сломанный, "zepsu" -> zepsuty,
# "gelmedi" -> gelmedi, gelmediği.
_STEMMED = frozenset({"ru", "pl", "tr"})
# Japanese negates after the word: 良く-ない, 満足-せず, 大満足-ではありません; Turkish too ("iyi
# değil"), where a verb's own negation is a suffix its lexicon lists ("çalışmıyor").
_NEGATION_FOLLOWS = frozenset({"ja", "tr"})
# Korean "안"/"못" negate only as words of their own ("안 좋아요"); inside a word they are other
# syllables ("불안", "안내").
_NEGATORS_AS_WORDS = frozenset({"ko"})
NEGATION_AFTER_WINDOW = 7
_CLAUSE = re.compile(r"[,.!?;:，。！？；：、\n]")
NEGATION_WINDOW = {"cjk": 4, "other": 24}
INTENSIFIER_FACTOR = 1.5
DOWNTONER_FACTOR = 0.5
CONTRAST_FACTORS = (0.7, 1.5)  # before, after the last contrast word
CONCESSION_AFTER_FACTOR = 0.6


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled lexicon."""

    language: str
    weights: dict[str, float]  # signed: positive > 0 > negative
    modifiers: dict[str, float]  # intensifiers and downtoners: factor for the next word
    scanner: re.Pattern[str]
    negator: re.Pattern[str]
    negator_words: frozenset[str]
    contrast: re.Pattern[str]
    concession: re.Pattern[str]
    window: int
    negation_follows: bool = False
    plain_negator: str = ""  # the first of the file's negators: "not", "nicht", "لا"
    dotless: dict[str, str] = field(default_factory=dict)  # "çalişmiyo" -> "çalışmıyo"


# Arabic writes "and" joined to the next word: "ومحدش رد", "وخامته رخيصة".
_JOINED_CONJUNCTION = {"ar": "و"}


def _alternation(words: list[str], cjk: bool, stems: bool = False, joined: str = "") -> str:
    body = trie_pattern(sorted(set(words)))
    if cjk:
        return body
    start = rf"(?:(?<!\w)|(?<=(?<!\w){joined}))" if joined else r"(?<!\w)"
    # Russian entries are stems: "сломан" must also match "сломанный", "сломанная".
    return rf"{start}{body}" if stems else rf"{start}{body}(?!\w)"


@functools.cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (English when we have none for it)."""
    lang = language if language in CORPUS_LANGUAGES else "en"
    data = read_json(lang, "sentiment.json")
    weights = {w.lower(): float(v) for w, v in data["positive"].items()}
    weights.update({w.lower(): -float(v) for w, v in data["negative"].items()})
    # Set phrases that hold an opinion word but say none ("I'd like a refund", "どうすればいい"):
    # matched longest-first, they keep the word inside them from counting.
    weights.update({w.lower(): 0.0 for w in data.get("neutral", [])})
    modifiers = {w.lower(): DOWNTONER_FACTOR for w in data.get("downtoners", [])}
    modifiers.update({w.lower(): INTENSIFIER_FACTOR for w in data["intensifiers"]})
    cjk = lang in _CJK
    joined = _JOINED_CONJUNCTION.get(lang, "")

    def words(key: str) -> re.Pattern[str]:
        listed = [w.lower() for w in data.get(key, [])]
        return re.compile(_alternation(listed, cjk, joined=joined), re.IGNORECASE)

    negators = [w.lower() for w in data.get("negators", [])]
    negator = (
        re.compile(rf"(?<!\w){trie_pattern(negators)}(?=\s)")
        if lang in _NEGATORS_AS_WORDS
        else words("negators")
    )

    return Lexicon(
        language=lang,
        weights=weights,
        modifiers=modifiers,
        scanner=re.compile(
            _alternation(list(weights) + list(modifiers), cjk, lang in _STEMMED, joined),
            re.IGNORECASE,
        ),
        negator=negator,
        negator_words=frozenset(negators),
        contrast=words("contrast"),
        concession=words("concession"),
        window=NEGATION_WINDOW["cjk" if cjk else "other"],
        negation_follows=lang in _NEGATION_FOLLOWS,
        plain_negator=negators[0] if negators else "",
        dotless={without_dotless_i(w): w for w in [*modifiers, *weights] if "\u0131" in w},
    )


# Feature prefix of a word a negator rules over ("¬teuer" in "nicht zu teuer"), and the grams
# shared by every denied complaint word and every denied praise word.
DENIED = "\u00ac"
DENIED_COMPLAINT, DENIED_PRAISE = DENIED + "-", DENIED + "+"
# Words after a negator that it rules over. 5-fold CV on our reviews, 3-class: de 0.8245 ->
# 0.8256 (3 words: 0.8262), ar 0.7972 -> 0.8007 (3 words: the same).
DENIED_WORDS = 2


def denied_after(
    words: Sequence[str], negators: frozenset[str], *, skip: frozenset[str] = frozenset()
) -> list[str]:
    """The words each negator in ``words`` rules over: up to ``DENIED_WORDS`` after it, minus
    negators and ``skip`` tokens (which still use up a place)."""
    out: list[str] = []
    for i, word in enumerate(words):
        if word in negators:
            after = words[i + 1 : i + 1 + DENIED_WORDS]
            out += [w for w in after if w not in negators and w not in skip]
    return out


def raw_score(text: str, lex: Lexicon) -> float:
    """Sum of signed, negated, intensified and contrast-weighted lexicon hits."""
    return sum(value for _, value in hit_values(text, lex))


def complains(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` holds a complaint word that no negator denies ("trop petit", but not
    "rien ne manque" or "no damage at all")."""
    return any(value < 0 for _, value in hit_values(text, lex))


def denies_complaint(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` names a complaint word only to deny it ("No le falta nada")."""
    return any(weight < 0 < value for weight, value in hit_values(text, lex))


def hit_values(text: str, lex: Lexicon) -> list[tuple[float, float]]:
    """Each lexicon hit's weight, and its value after negation, intensifiers, contrast and
    concession."""
    text = straight_apostrophes(text)
    hits = [
        (m.start(), m.end(), word)
        for m in lex.scanner.finditer(text)
        if (word := _entry(lex, lower_key(m.group())))
    ]
    contrast_at = max((m.end() for m in lex.contrast.finditer(text)), default=-1)
    concession_at = max((m.end() for m in lex.concession.finditer(text)), default=-1)
    values: list[tuple[float, float]] = []
    prev_end, boost = 0, 1.0
    for i, (start, end, word) in enumerate(hits):
        next_start = hits[i + 1][0] if i + 1 < len(hits) else -1
        if word in lex.modifiers and (word not in lex.weights or next_start == end):
            # "好慢": 好 is "very" here, not "good".
            boost = lex.modifiers[word] if next_start - end <= 1 else 1.0
            continue
        value = lex.weights[word] * boost
        if lex.negator.search(_negation_gap(text, lex, prev_end, start, end, next_start)):
            value = -0.7 * value
        if contrast_at >= 0:
            value *= CONTRAST_FACTORS[start >= contrast_at]
        if 0 <= concession_at <= start:
            value *= CONCESSION_AFTER_FACTOR
        values.append((lex.weights[word], value))
        prev_end, boost = end, 1.0
    return values


def _entry(lex: Lexicon, word: str) -> str:
    """The lexicon entry a matched word stands for ("" if none: a capital Turkish "I" the
    scanner matched as "ı" lower-cases to "i")."""
    if word in lex.weights or word in lex.modifiers:
        return word
    return lex.dotless.get(without_dotless_i(word), "")


def _negation_gap(
    text: str, lex: Lexicon, prev_end: int, start: int, end: int, next_start: int
) -> str:
    """Where a negator of the word at ``start:end`` would stand: before it in its clause,
    after the word before; in Japanese after it, before the next word."""
    if lex.negation_follows:
        stop = min(end + NEGATION_AFTER_WINDOW, next_start if next_start >= 0 else len(text))
        return _CLAUSE.split(text[end:stop])[0]
    return _CLAUSE.split(text[max(prev_end, start - lex.window) : start])[-1]
