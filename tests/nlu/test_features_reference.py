"""The intent model's predictions are frozen: a fixed small model, trained here on fixed rows,
must rank fixed probe texts with the same intents and confidences as the featurizer of
2026-11-23 did (``features_reference.json``).

Speed work on ``kefu.nlu.features`` / ``IntentModel.predict`` must not change a single number;
this test fails if any feature, weight or the softmax changes. Regenerate the file only for an
intended change of the features: ``.venv/bin/python -m tests.nlu.test_features_reference``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kefu import nlu

REFERENCE = Path(__file__).with_name("features_reference.json")
TOP = 3
DECIMALS = 9


def _train(rows: list[list[str]]) -> nlu.IntentModel:
    # LinearSVC seeds liblinear from numpy's global generator: pin it so training is repeatable.
    state = np.random.get_state()
    try:
        np.random.seed(0)
        return nlu.train((nlu.LabelledText(t, i) for t, i in rows), folds=3)
    finally:
        np.random.set_state(state)


def _ranked(model: nlu.IntentModel, text: str) -> list[list[Any]]:
    return [[name, round(p, DECIMALS)] for name, p in model.predict(text, top=TOP)]


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def model(reference: dict[str, Any]) -> nlu.IntentModel:
    return _train(reference["train"])


def test_reference_is_big_enough(reference: dict[str, Any]) -> None:
    assert len(reference["probes"]) >= 200
    assert len({i for _, i in reference["train"]}) == len(nlu.INTENTS)


def test_single_text_predictions_match_frozen_reference(
    model: nlu.IntentModel, reference: dict[str, Any]
) -> None:
    for probe in reference["probes"]:
        got = model.predict(probe["text"], top=TOP)
        assert [n for n, _ in got] == [n for n, _ in probe["ranked"]], probe["text"]
        for (_, p), (_, want) in zip(got, probe["ranked"], strict=True):
            assert p == pytest.approx(want, abs=2 * 10**-DECIMALS), probe["text"]


def test_predict_many_matches_frozen_reference(
    model: nlu.IntentModel, reference: dict[str, Any]
) -> None:
    ranked = model.predict_many([p["text"] for p in reference["probes"]], top=TOP)
    for got, probe in zip(ranked, reference["probes"], strict=True):
        assert [n for n, _ in got] == [n for n, _ in probe["ranked"]], probe["text"]
        for (_, p), (_, want) in zip(got, probe["ranked"], strict=True):
            assert p == pytest.approx(want, abs=2 * 10**-DECIMALS), probe["text"]


def test_batch_probabilities_match_frozen_reference(
    model: nlu.IntentModel, reference: dict[str, Any]
) -> None:
    texts = [p["text"] for p in reference["probes"]]
    probs = model.probabilities(texts)
    for row, probe in zip(probs, reference["probes"], strict=True):
        for name, want in probe["ranked"]:
            assert row[model.labels.index(name)] == pytest.approx(want, abs=2 * 10**-DECIMALS)


def _probe_texts(rng: random.Random, rows: list[dict[str, str]]) -> list[str]:
    from bench.bench_ingest import PHRASES
    from bench.bench_nlu import SPEED_SET

    from tests.nlu.test_intents import HELD_OUT

    texts = list(SPEED_SET)
    texts += [p.format(order="113-4827716-2290143") for p in PHRASES]
    texts += [t for phrases in HELD_OUT.values() for t, _ in phrases]
    texts += [r["text"] for r in rng.sample(rows, 90)]
    texts += [
        "", " ", "😡😡😡", "!!!", "12345", "OK", "hi 我的订单呢", "qzxv plomb wrrt",
        "WHERE IS MY ORDER?????", "Refund\u00a0please\tnow\n\nthanks", "bad \ufffd bytes",
        "東京 注文 キャンセル ok", "заказ order 订单 pedido", "Ａｍａｚｏｎ　ｏｒｄｅｒ",
        "where is my order " * 120, "亲在吗" * 700, "a\u0301b e\u0301", "i'm   so   mad",
    ]  # fmt: skip
    return texts


def _regenerate() -> None:
    from kefu.nlu.resources_io import corpus_rows

    rng = random.Random(20261123)
    rows = corpus_rows()
    train: list[list[str]] = []
    for intent in nlu.INTENTS:
        mine = [r for r in rows if r["intent"] == intent]
        train += [[r["text"], intent] for r in rng.sample(mine, 10)]
    model = _train(train)
    probes = [{"text": t, "ranked": _ranked(model, t)} for t in _probe_texts(rng, rows)]
    payload = {"train": train, "probes": probes}
    REFERENCE.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {len(probes)} probes and {len(train)} training rows to {REFERENCE}")


if __name__ == "__main__":
    _regenerate()
