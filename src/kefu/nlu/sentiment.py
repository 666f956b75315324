"""Lexicon-and-rules sentiment, written by us per language (``resources/<lang>/sentiment.json``).

Each lexicon entry has a weight; the text is scanned once with a longest-first alternation, so
"不错" (positive) wins over its negator "不". A negator in the few characters between the previous
sentiment word and this one flips it (and softens it: "not bad" is only mildly good); an
intensifier right before it multiplies it; words after a contrast ("但是", "but") count more
than words before it.

With ``polar=True`` (for texts known to carry an opinion, such as product reviews) and Chinese,
when no lexicon word fires, a tiny naive-Bayes model over character 1-2-grams, trained at first
use on reviews we wrote (``resources/zh/reviews.jsonl``), breaks the tie if it is one-sided
(|log-odds| >= ``NB_TIE_MARGIN``). Triage leaves it off: "订单什么时候发货" is a neutral question,
not a negative review. None of the evaluation sets is used.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass

from kefu.nlu.resources_io import CORPUS_LANGUAGES, read_json, read_text
from kefu.nlu.schemas import Sentiment
from kefu.nlu.trie import trie_pattern

_CJK = frozenset({"zh", "ja"})
_STEMMED = frozenset({"ru"})
_CLAUSE = re.compile(r"[,.!?;:，。！？；：\n]")
NEGATION_WINDOW = {"cjk": 4, "other": 24}
NEUTRAL_BAND = 0.05
NB_TIE_MARGIN = 2.0
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled lexicon."""

    language: str
    weights: dict[str, float]  # signed: positive > 0 > negative
    intensifiers: frozenset[str]
    scanner: re.Pattern[str]
    negator: re.Pattern[str]
    contrast: re.Pattern[str]
    window: int


def _alternation(words: list[str], cjk: bool, stems: bool = False) -> str:
    body = trie_pattern(sorted(set(words)))
    if cjk:
        return body
    # Russian entries are stems: "сломан" must also match "сломанный", "сломанная".
    return rf"(?<!\w){body}" if stems else rf"(?<!\w){body}(?!\w)"


@functools.cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (English when we have none for it)."""
    lang = language if language in CORPUS_LANGUAGES else "en"
    data = read_json(lang, "sentiment.json")
    weights = {w.lower(): float(v) for w, v in data["positive"].items()}
    weights.update({w.lower(): -float(v) for w, v in data["negative"].items()})
    intens = [w.lower() for w in data["intensifiers"]]
    cjk = lang in _CJK
    return Lexicon(
        language=lang,
        weights=weights,
        intensifiers=frozenset(intens),
        scanner=re.compile(
            _alternation(list(weights) + intens, cjk, lang in _STEMMED), re.IGNORECASE
        ),
        negator=re.compile(_alternation([w.lower() for w in data["negators"]], cjk), re.IGNORECASE),
        contrast=re.compile(
            _alternation([w.lower() for w in data["contrast"]], cjk), re.IGNORECASE
        ),
        window=NEGATION_WINDOW["cjk" if cjk else "other"],
    )


def raw_score(text: str, lex: Lexicon) -> float:
    """Sum of signed, negated, intensified and contrast-weighted lexicon hits."""
    hits = [(m.start(), m.end(), m.group().lower()) for m in lex.scanner.finditer(text)]
    contrast_at = max((m.end() for m in lex.contrast.finditer(text)), default=-1)
    total, prev_end, boost = 0.0, 0, 1.0
    for i, (start, end, word) in enumerate(hits):
        next_start = hits[i + 1][0] if i + 1 < len(hits) else -1
        if word in lex.intensifiers and (word not in lex.weights or next_start == end):
            # "好慢": 好 is "very" here, not "good".
            boost = 1.5 if next_start - end <= 1 else 1.0
            continue
        gap = text[max(prev_end, start - lex.window) : start]
        gap = _CLAUSE.split(gap)[-1]
        value = lex.weights[word] * boost
        if lex.negator.search(gap):
            value = -0.7 * value
        if contrast_at >= 0:
            value *= 1.5 if start >= contrast_at else 0.7
        total += value
        prev_end, boost = end, 1.0
    return total


def _grams(text: str) -> list[str]:
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@functools.cache
def _zh_naive_bayes() -> dict[str, float]:
    """Per-gram log-odds (positive over negative), Laplace-smoothed, from our own reviews."""
    counts: dict[str, dict[str, int]] = {"positive": {}, "negative": {}}
    for line in read_text("zh", "reviews.jsonl").splitlines():
        if line.strip():
            row = json.loads(line)
            bucket = counts[row["label"]]
            for gram in _grams(row["text"]):
                bucket[gram] = bucket.get(gram, 0) + 1
    vocab = set(counts["positive"]) | set(counts["negative"])
    pos_total = sum(counts["positive"].values()) + len(vocab)
    neg_total = sum(counts["negative"].values()) + len(vocab)
    return {
        g: math.log((counts["positive"].get(g, 0) + 1) / pos_total)
        - math.log((counts["negative"].get(g, 0) + 1) / neg_total)
        for g in vocab
    }


def naive_bayes_log_odds(text: str) -> float:
    """Log-odds that a Chinese text is positive, from the naive-Bayes tie-breaker."""
    weights = _zh_naive_bayes()
    return sum(weights.get(g, 0.0) for g in _grams(text))


def score_sentiment(text: str, *, language: str, polar: bool = False) -> Sentiment:
    """Label and score in [-1, 1] for ``text`` read as ``language`` (see ``polar`` above)."""
    lex = lexicon(language)
    raw = raw_score(text, lex)
    if polar and raw == 0 and lex.language == "zh":
        odds = naive_bayes_log_odds(text)
        if abs(odds) >= NB_TIE_MARGIN:
            raw = math.copysign(0.5, odds)
    score = math.tanh(raw / 3.0)
    label = (
        "positive" if score > NEUTRAL_BAND else "negative" if score < -NEUTRAL_BAND else "neutral"
    )
    return Sentiment(label=label, score=round(score, 3))
