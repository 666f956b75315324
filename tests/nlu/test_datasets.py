"""Shipped model on real data (skipped when ../shared/datasets is absent). Floors, not targets."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from kefu import nlu

ROOT = Path(__file__).resolve().parents[2]


def _dataset(name: str) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench._common import DatasetMissing, dataset_path

    try:
        return dataset_path(name)
    except DatasetMissing as exc:
        pytest.skip(f"dataset absent: {exc}")


def test_shipped_model_on_bitext_sample(analyzer: nlu.Analyzer) -> None:
    folder = _dataset("bitext_customer_service_intents")
    from bench.bench_nlu import BITEXT_MAP

    with (folder / "bitext_eval_sample_540.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = [
            nlu.LabelledText(r["utterance"], BITEXT_MAP[r["intent"]])
            for r in csv.DictReader(handle)
        ]
    report = nlu.evaluate(analyzer.model, rows)
    assert report.n == 540
    assert report.accuracy >= 0.55  # measured 0.68 when written; never trained on Bitext


def test_chinese_sentiment_sample_is_well_above_chance() -> None:
    folder = _dataset("chinese_sentiment_sophonplus")
    with (folder / "waimai_eval_sample_1000.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[::5]
    hits = sum(
        nlu.score_sentiment(r["review"], language="zh").label
        == ("positive" if r["label"] == "1" else "negative")
        for r in rows
    )
    assert hits / len(rows) >= 0.6
