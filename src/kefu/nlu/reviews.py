"""Read a batch of product reviews: which way each one leans, for a seller's review export.

Polar mode of :func:`kefu.nlu.sentiment.score_sentiment`: a review holds an opinion, so each is
positive or negative, never neutral. Each reading says what read it: the lexicon alone (a
language without reviews of ours), our n-gram review model, or that model plus the encoder's
head where ``kefu[e5]`` is installed (:mod:`kefu.nlu.sentiment_dense`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kefu.nlu.language import DEFAULT_LANGUAGES, UNDETERMINED, detect_language
from kefu.nlu.sentiment import score_sentiment
from kefu.nlu.sentiment_dense import dense_reader
from kefu.nlu.sentiment_store import review_model


@dataclass(frozen=True)
class ReviewReading:
    """One review: its language, polarity and a score in [-1, 1] (most negative first)."""

    index: int
    text: str
    language: str
    label: str
    score: float
    reader: str  # "lexicon", "n-grams" or "n-grams+<encoder name>"


@dataclass(frozen=True)
class ReviewReport:
    readings: tuple[ReviewReading, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """Reviews per language and label."""
        out: dict[str, dict[str, int]] = {}
        for r in self.readings:
            per = out.setdefault(r.language, {"positive": 0, "negative": 0})
            per[r.label] += 1
        return out

    def most_negative(self, n: int) -> list[ReviewReading]:
        negative = [r for r in self.readings if r.label == "negative"]
        return sorted(negative, key=lambda r: (r.score, r.index))[:n]


def read_reviews(
    texts: Sequence[str], *, language: str | None = None, encoder: bool = True
) -> ReviewReport:
    """Polarity of each review; ``language`` None detects it per review."""
    readings = []
    for index, text in enumerate(texts):
        lang = language or detect_language(text, languages=DEFAULT_LANGUAGES)
        if lang == UNDETERMINED:
            lang = "en"  # emoji or digits only: the lexicon still reads "👍"
        sentiment = score_sentiment(text, language=lang, polar=True, encoder=encoder)
        reader = _reader_name(lang, encoder)
        readings.append(ReviewReading(index, text, lang, sentiment.label, sentiment.score, reader))
    return ReviewReport(readings=tuple(readings))


def _reader_name(language: str, encoder: bool) -> str:
    if review_model(language) is None:
        return "lexicon"
    dense = dense_reader() if encoder else None
    if dense is None or dense.heads.get(language) is None:
        return "n-grams"
    return f"n-grams+{dense.embedder.name}"
