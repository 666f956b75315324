"""Accuracy, macro-F1, a confusion table and the calibration error of an intent model on
labelled rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from kefu.nlu.intents import IntentModel, LabelledText


@dataclass(frozen=True)
class EvalReport:
    """Scores of one run; ``confusion[i][j]``: gold ``labels[i]`` predicted as ``labels[j]``."""

    n: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    confusion: list[list[int]]
    per_label_f1: dict[str, float]
    # How far the top answer's probability is from how often it is right (argmax answers).
    calibration_error: float


CALIBRATION_BINS = 10


def calibration_error(confidences: Sequence[float], correct: Sequence[bool]) -> float:
    """Expected calibration error: over ten equal-width confidence bins, the gap between mean
    confidence and accuracy, weighted by the bin's share of answers. 0 is perfectly calibrated;
    a model that says 0.9 and is right half the time scores 0.4."""
    if len(confidences) != len(correct):
        raise ValueError("one correctness flag per confidence")
    if not confidences:
        raise ValueError("no answers to score")
    conf = np.clip(np.asarray(confidences, dtype=np.float64), 0.0, 1.0)
    right = np.asarray(correct, dtype=np.float64)
    # The top bin is closed, so a confidence of exactly 1.0 counts in it.
    bins = np.minimum((conf * CALIBRATION_BINS).astype(np.int64), CALIBRATION_BINS - 1)
    total = 0.0
    for b in range(CALIBRATION_BINS):
        members = bins == b
        if members.any():
            total += members.sum() * abs(conf[members].mean() - right[members].mean())
    return float(total / len(conf))


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def evaluate(
    model: IntentModel, rows: Iterable[LabelledText], *, use_threshold: bool = False
) -> EvalReport:
    """Score ``model`` on ``rows``; with ``use_threshold`` unsure answers become the fallback."""
    data = [r for r in rows if r.text.strip()]
    if not data:
        raise ValueError("no rows to evaluate")
    probs = model.probabilities([r.text for r in data])
    predicted = [model.labels[i] for i in probs.argmax(axis=1)]
    gold = [r.intent for r in data]
    ece = calibration_error(
        probs.max(axis=1).tolist(), [p == g for p, g in zip(predicted, gold, strict=True)]
    )
    if use_threshold and model.fallback is not None:
        low = probs.max(axis=1) < model.threshold
        predicted = [model.fallback if flag else p for p, flag in zip(predicted, low, strict=True)]
    labels = sorted(set(gold) | set(predicted))
    index = {name: i for i, name in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g], index[p]] += 1
    per_label = {}
    for name, i in index.items():
        tp = int(matrix[i, i])
        per_label[name] = _f1(tp, int(matrix[:, i].sum()) - tp, int(matrix[i, :].sum()) - tp)
    gold_labels = sorted(set(gold))
    return EvalReport(
        n=len(data),
        accuracy=float(np.trace(matrix) / len(data)),
        macro_f1=float(np.mean([per_label[name] for name in gold_labels])),
        labels=labels,
        confusion=matrix.tolist(),
        per_label_f1=per_label,
        calibration_error=ece,
    )
