"""The calibration error reported by ``kefu nlu eval`` and ``kefu bench nlu``."""

from __future__ import annotations

import pytest

from kefu import nlu
from kefu.nlu.evaluation import calibration_error


def test_a_model_right_as_often_as_it_says_has_no_calibration_error() -> None:
    # 0.75 sure four times, right three times; 0.25 sure four times, right once.
    confidences = [0.75] * 4 + [0.25] * 4
    correct = [True, True, True, False, True, False, False, False]
    assert calibration_error(confidences, correct) == pytest.approx(0.0)


def test_overconfidence_is_the_gap_weighted_by_share_of_answers() -> None:
    # Bin 0.9: says 0.95, right half the time (gap 0.45) on 2 of 4 answers; bin 0.6: says
    # 0.6, right every time (gap 0.4) on the other 2.
    error = calibration_error([0.95, 0.95, 0.6, 0.6], [True, False, True, True])
    assert error == pytest.approx(0.5 * 0.45 + 0.5 * 0.4)


def test_full_confidence_falls_in_the_top_bin() -> None:
    assert calibration_error([1.0, 0.91], [True, True]) == pytest.approx(0.045)


def test_mismatched_or_empty_input_is_refused() -> None:
    with pytest.raises(ValueError):
        calibration_error([0.5], [True, False])
    with pytest.raises(ValueError):
        calibration_error([], [])


def test_evaluate_reports_the_models_calibration_error() -> None:
    rows = [nlu.LabelledText(t, "wholesale") for t in (
        "do you sell in bulk", "price for 500 units", "wholesale price please",
        "can I buy 1000 pieces", "bulk order discount for my shop", "MOQ for wholesale?")]  # fmt: skip
    rows += [nlu.LabelledText(t, "gift_wrap") for t in (
        "can you gift wrap it", "add gift wrapping", "is gift wrap available", "wrap it as a present",
        "please include a gift note", "gift box option?")]  # fmt: skip
    model = nlu.train(rows, folds=3)
    held = [nlu.LabelledText("bulk price for 300 pieces", "wholesale"),
            nlu.LabelledText("gift wrap please", "gift_wrap")]  # fmt: skip
    report = nlu.evaluate(model, held)
    confidences = model.probabilities([r.text for r in held]).max(axis=1)
    assert report.accuracy == 1.0
    # Every answer right, so the error is how far below 1.0 the confidences sit.
    assert report.calibration_error == pytest.approx(1.0 - confidences.mean())
