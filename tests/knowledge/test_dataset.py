"""Retrieval sanity on real product questions (skips without ../shared/datasets)."""

from __future__ import annotations

import csv
import sys

import pytest

from kefu.knowledge.search import Document, SearchIndex


def _epqa_rows() -> list[dict[str, str]]:
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from bench._common import DatasetMissing, dataset_path

    try:
        path = dataset_path("amazon_pqa_epqa") / "epqa_dev.csv"
    except DatasetMissing:
        pytest.skip("../shared/datasets/amazon_pqa_epqa is absent")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_bm25_puts_a_relevant_candidate_in_the_top_five_for_most_questions() -> None:
    rows = _epqa_rows()
    qids = list(dict.fromkeys(r["qid"] for r in rows))[:150]
    chosen = [r for r in rows if r["qid"] in set(qids)]
    texts = list(dict.fromkeys(r["candidate"] for r in chosen))
    doc_of = {t: f"c{i}" for i, t in enumerate(texts)}
    index = SearchIndex.build(Document(doc_of[t], "", t, "en") for t in texts)
    answered = hit = 0
    for qid in qids:
        group = [r for r in chosen if r["qid"] == qid]
        relevant = {doc_of[r["candidate"]] for r in group if int(r["label"]) >= 1}
        if not relevant:
            continue
        answered += 1
        top = {h.doc_id for h in index.search(group[0]["question"], language="en", limit=5)}
        hit += bool(top & relevant)
    # A loose floor: far above chance (~5 relevant of ~1,400 candidates), well below what we measure.
    assert answered > 100 and hit / answered > 0.6
