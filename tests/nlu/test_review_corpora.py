"""Every ``resources/<lang>/reviews.jsonl`` is well-formed, labelled, large enough and duplicate-free."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[2] / "src" / "kefu" / "nlu" / "resources"
LABELS = frozenset({"positive", "negative", "neutral"})
# The per-language classifiers need enough rows to be worth training; zh predates them.
MIN_ROWS = {"ar": 1500, "de": 1500}
DEFAULT_MIN_ROWS = 200
CORPORA = sorted(RESOURCES.glob("*/reviews.jsonl"))


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def corpus_problems(lines: list[str]) -> list[str]:
    """Human-readable problems in the lines of one reviews file (empty when it is clean)."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            problems.append(f"line {number}: blank")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict) or set(row) != {"text", "label"}:
            problems.append(f"line {number}: keys must be exactly text and label")
            continue
        text, label = row["text"], row["label"]
        if not isinstance(text, str) or not text.strip():
            problems.append(f"line {number}: empty or non-string text")
            continue
        if label not in LABELS:
            problems.append(f"line {number}: unknown label {label!r}")
        key = _normalise(text)
        if key in seen:
            problems.append(f"line {number}: duplicate of line {seen[key]}")
        else:
            seen[key] = number
    return problems


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_there_are_review_corpora_for_arabic_and_german() -> None:
    langs = {path.parent.name for path in CORPORA}
    assert {"ar", "de", "zh"} <= langs


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.parent.name)
def test_corpus_is_clean(path: Path) -> None:
    assert corpus_problems(_lines(path)) == []


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.parent.name)
def test_corpus_is_large_enough(path: Path) -> None:
    labels = Counter(json.loads(line)["label"] for line in _lines(path) if line.strip())
    assert sum(labels.values()) >= MIN_ROWS.get(path.parent.name, DEFAULT_MIN_ROWS)
    # A class with a handful of rows would be noise to the classifier, not a class.
    assert all(count >= 50 for count in labels.values()), labels


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.parent.name)
def test_corpus_is_written_unescaped(path: Path) -> None:
    # ensure_ascii=False keeps the files reviewable by native speakers.
    assert "\\u" not in path.read_text(encoding="utf-8")


def test_checker_reports_each_kind_of_problem() -> None:
    lines = [
        '{"text": "gut", "label": "positive"}',
        "",
        "{not json",
        '{"text": "ok", "label": "positive", "stars": 5}',
        '{"text": "  ", "label": "neutral"}',
        '{"text": "mies", "label": "bad"}',
        '{"text": " GUT ", "label": "negative"}',
    ]
    problems = corpus_problems(lines)
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(2, 8)]
    assert "duplicate of line 1" in problems[-1]
