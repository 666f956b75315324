"""``kefu bench nlu``: intents (Bitext, HINT3), sentiment (zh, ar, de) and speed of kefu.nlu.

Nothing here tunes the shipped model: it is trained on our own corpus only; the sets below are
read to measure it. Datasets come from ``../shared/datasets`` (skipped cleanly when absent).

Bitext's 27 intents mapped onto Kefu's 20 (for the shipped-model score; fixed before measuring):

| Bitext intent | Kefu intent | why |
| --- | --- | --- |
| track_order | order_status | "where is my order" |
| cancel_order, check_cancellation_fee | cancel_order | about cancelling |
| change_order, change_shipping_address | change_order | edits to an open order |
| place_order | other | wanting to buy: no Kefu intent for it |
| delivery_options, delivery_period | shipping_question | pre-sale shipping questions |
| check_refund_policy, get_refund, track_refund | refund_request | about refunds |
| check_invoice, get_invoice | invoice_request | invoices |
| check_payment_methods, payment_issue | payment_issue | paying |
| create_account, delete_account, edit_account, recover_password | account_issue | account |
| registration_problems, switch_account, set_up_shipping_address | account_issue | account |
| newsletter_subscription | account_issue | our corpus puts unsubscribing here |
| complaint | complaint | |
| review | other | "I want to leave a review/feedback": neither praise nor complaint |
| contact_customer_service, contact_human_agent | other | asking for a person |

HINT3: each train file trains a model (``kefu.nlu.train``), tested on the test file; a message
is out of scope when the model's confidence is below its threshold (chosen by cross-validation
on the train file alone, see ``kefu.nlu.intents``). The baseline is scikit-learn
``TfidfVectorizer()`` + ``LogisticRegression()`` with default settings and the same
train-only threshold rule (10th percentile of cross-validated confidences of correct answers).
"""

from __future__ import annotations

import csv
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline

from bench._common import (
    DatasetMissing,
    Result,
    dataset_path,
    latency_results,
    machine_speed,
)
from kefu import nlu
from kefu.nlu.evaluation import calibration_error
from kefu.nlu.intents import KEEP_QUANTILE
from kefu.nlu.sentiment import score_sentiment
from kefu.nlu.sentiment_dense import dense_reader

BITEXT_MAP = {
    "track_order": "order_status", "cancel_order": "cancel_order",
    "check_cancellation_fee": "cancel_order", "change_order": "change_order",
    "change_shipping_address": "change_order", "place_order": "other",
    "delivery_options": "shipping_question", "delivery_period": "shipping_question",
    "check_refund_policy": "refund_request", "get_refund": "refund_request",
    "track_refund": "refund_request", "check_invoice": "invoice_request",
    "get_invoice": "invoice_request", "check_payment_methods": "payment_issue",
    "payment_issue": "payment_issue", "create_account": "account_issue",
    "delete_account": "account_issue", "edit_account": "account_issue",
    "recover_password": "account_issue", "registration_problems": "account_issue",
    "switch_account": "account_issue", "set_up_shipping_address": "account_issue",
    "newsletter_subscription": "account_issue", "complaint": "complaint", "review": "other",
    "contact_customer_service": "other", "contact_human_agent": "other",
}  # fmt: skip
OOS_LABEL = "NO_NODES_DETECTED"

# Mixed-language messages for the speed run, written by us.
SPEED_SET = [
    "Where is my order 113-4827716-2290143? It was supposed to arrive Monday.",
    "hi 我的订单呢",
    "亲，在吗？订单231123-482910384756102怎么还没发货，都一个星期了",
    "The blender arrived broken. I want a refund ASAP or I'm opening an A-to-z claim.",
    "快递显示已签收但是我根本没收到，单号SF1234567890123，麻烦查一下",
    "¿Dónde está mi pedido? Pagué 45,99 € hace dos semanas.",
    "Bonjour, j'ai reçu la mauvaise taille, je voudrais un échange svp",
    "Das Paket ist beschädigt angekommen, ich will mein Geld zurück!",
    "Olá, meu pedido ainda não chegou, código de rastreio LX123456789CN",
    "Здравствуйте, пришел не тот цвет, хочу вернуть товар",
    "مرحبا، طلبي متأخر جدا، متى سيصل؟",
    "注文した商品がまだ届きません。追跡番号を教えてください。",
    "thank you so much, arrived early and works perfectly!!",
    "can I change the shipping address on order #1047 to 12 Oak Street?",
    "Do you ship to Canada and how much is shipping?",
    "衣服质量太差了，洗一次就掉色，我要退货",
    "I was charged twice for order 3031265788145237, please fix this",
    "WORST SERVICE EVER. NOBODY ANSWERS. I WILL LEAVE A 1 STAR REVIEW",
    "能开发票吗？公司抬头，税号稍后发你",
    "tracking 1Z5R89390357567127 hasn't moved since Nov 10",
    "😡😡😡",
    "ok",
    "Is this waterproof? ASIN B07XJ8C8F5",
    "亲，优惠券用不了，能便宜点吗",
]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _speed(quick: bool) -> list[Result]:
    started = time.perf_counter()
    analyzer = nlu.Analyzer()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    nlu.train(nlu.LabelledText(r["text"], r["intent"]) for r in _corpus())
    train_s = time.perf_counter() - started
    n = 1_000 if quick else 10_000
    messages = [SPEED_SET[i % len(SPEED_SET)] for i in range(n)]
    for message in SPEED_SET:
        analyzer.analyze(message)
    latencies = []
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    cpu_latencies = []
    for message in messages:
        t0, c0 = time.perf_counter(), time.thread_time()
        analyzer.analyze(message)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu_latencies.append((time.thread_time() - c0) * 1000)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    batched = [
        Result("mixed_24_languages_set", "kefu", f"throughput_one_core_cpu_time_batch{size}",
               n / _batch_cpu(analyzer, messages, size), "msg/s")
        for size in (16, 128)
    ]  # fmt: skip
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        Result("mixed_24_languages_set", "kefu", "throughput_one_core_wall", n / total, "msg/s"),
        # CPU seconds of this process: what one core delivers when other work shares the machine.
        Result("mixed_24_languages_set", "kefu", "throughput_one_core_cpu_time", n / cpu, "msg/s"),
        *batched,
        Result("machine", "kefu", "load_average_1min_at_start", load_before, "procs"),
        *latency_results("mixed_24_languages_set", "kefu", latencies),
        *latency_results("mixed_24_languages_set", "kefu_cpu_time", cpu_latencies),
        Result("builtin_model", "kefu", "load_time_cached", load_s, "s"),
        Result("builtin_model", "kefu", "train_time_from_corpus", train_s, "s"),
        Result("process", "kefu", "peak_rss_after_speed_run", rss_mb, "MB"),
    ]


def _batch_cpu(analyzer: nlu.Analyzer, messages: list[str], size: int) -> float:
    """CPU seconds to triage ``messages`` with ``analyze_many`` in batches of ``size``."""
    cpu_started = time.process_time()
    for i in range(0, len(messages), size):
        analyzer.analyze_many(messages[i : i + size])
    return time.process_time() - cpu_started


def _corpus() -> list[dict[str, str]]:
    from kefu.nlu.resources_io import corpus_rows

    return corpus_rows()


def _bitext(quick: bool) -> list[Result]:
    folder = dataset_path("bitext_customer_service_intents")
    name = "bitext_eval_sample_540.csv" if quick else "bitext_customer_service_training_8k.csv"
    rows = [r for r in _read_csv(folder / name) if r.get("intent") in BITEXT_MAP]
    model = nlu.default_analyzer().model
    mapped = [nlu.LabelledText(r["utterance"], BITEXT_MAP[r["intent"]]) for r in rows]
    raw = nlu.evaluate(model, mapped)
    gated = nlu.evaluate(model, mapped, use_threshold=True)
    shipped = "kefu_shipped_mapped"
    return [
        Result(name, shipped, "accuracy_argmax", raw.accuracy, "ratio"),
        Result(name, shipped, "accuracy_with_low_confidence_other", gated.accuracy, "ratio"),
        Result(name, shipped, "macro_f1_argmax", raw.macro_f1, "ratio"),
        Result(name, shipped, "calibration_error", raw.calibration_error, "ratio"),
        *_bitext_trained(name, rows),
    ]


def _bitext_trained(name: str, rows: list[dict[str, str]]) -> list[Result]:
    """Kefu's trainer and the baseline on a fixed, seeded 80/20 split with Bitext's labels."""
    shuffled = rows[:]
    random.Random(20261123).shuffle(shuffled)
    cut = int(len(shuffled) * 0.8)
    train_rows = [nlu.LabelledText(r["utterance"], r["intent"]) for r in shuffled[:cut]]
    test_rows = [nlu.LabelledText(r["utterance"], r["intent"]) for r in shuffled[cut:]]
    started = time.perf_counter()
    report = nlu.evaluate(nlu.train(train_rows), test_rows)
    train_s = time.perf_counter() - started
    base = _baseline_fit([r.text for r in train_rows], [r.intent for r in train_rows])
    base_probs = base.predict_proba([r.text for r in test_rows])
    predicted = base.classes_[base_probs.argmax(axis=1)]
    base_right = predicted == np.array([r.intent for r in test_rows])
    base_acc = float(np.mean(base_right))
    # 10,000 distinct rows: the Bitext 80% part, then our own corpus, cut at 10,000.
    own = [nlu.LabelledText(r["text"], r["intent"]) for r in _corpus()]
    started = time.perf_counter()
    nlu.train((train_rows + own)[:10_000])
    ten_k_s = time.perf_counter() - started
    split = f"{name} 80/20 split (27 intents)"
    return [
        Result(split, "kefu_trained", "accuracy", report.accuracy, "ratio"),
        Result(split, "kefu_trained", "macro_f1", report.macro_f1, "ratio"),
        Result(split, "kefu_trained", "calibration_error", report.calibration_error, "ratio"),
        Result(split, "kefu_trained", "train_and_eval_time", train_s, "s"),
        Result(split, "baseline_tfidf_lr", "accuracy", base_acc, "ratio"),
        Result(
            split,
            "baseline_tfidf_lr",
            "calibration_error",
            calibration_error(base_probs.max(axis=1).tolist(), base_right.tolist()),
            "ratio",
        ),
        Result(
            f"{name} 80% + kefu corpus, first 10,000", "kefu_trained", "train_time", ten_k_s, "s"
        ),
    ]


def _baseline_fit(texts: list[str], labels: list[str]) -> Pipeline:
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000)).fit(texts, labels)


def _baseline_threshold(texts: list[str], labels: list[str]) -> float:
    y = np.array(labels)
    folds = min(5, min(Counter(labels).values()))
    confident: list[float] = []
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(texts, y):
        pipe = _baseline_fit([texts[i] for i in tr], list(y[tr]))
        probs = pipe.predict_proba([texts[i] for i in te])
        pred = pipe.classes_[probs.argmax(axis=1)]
        confident += [
            float(p) for p, ok in zip(probs.max(axis=1), pred == y[te], strict=True) if ok
        ]
    return float(np.quantile(confident, KEEP_QUANTILE))


def _oos_scores(
    pred: list[str], conf: list[float], threshold: float, gold: list[str]
) -> tuple[float, float, float]:
    final = [p if c >= threshold else OOS_LABEL for p, c in zip(pred, conf, strict=True)]
    ins = [(f, g) for f, g in zip(final, gold, strict=True) if g != OOS_LABEL]
    oos = [f for f, g in zip(final, gold, strict=True) if g == OOS_LABEL]
    in_acc = sum(f == g for f, g in ins) / max(1, len(ins))
    oos_recall = sum(f == OOS_LABEL for f in oos) / max(1, len(oos))
    overall = sum(f == g for f, g in zip(final, gold, strict=True)) / len(gold)
    return in_acc, oos_recall, overall


def _in_scope_calibration(pred: list[str], conf: list[float], gold: list[str]) -> float:
    """Calibration error of the argmax answers on in-scope messages (an out-of-scope message
    has no right intent to be sure of)."""
    kept = [(c, p == g) for p, c, g in zip(pred, conf, gold, strict=True) if g != OOS_LABEL]
    return calibration_error([c for c, _ in kept], [ok for _, ok in kept])


def _hint3(quick: bool) -> list[Result]:
    folder = dataset_path("hint3_ecommerce_intents")
    out: list[Result] = []
    for name in ("sofmattress", "curekart"):
        train_rows = _read_csv(folder / "train" / f"{name}_train.csv")
        test_rows = _read_csv(folder / "test" / f"{name}_test.csv")
        texts, labels = [r["sentence"] for r in train_rows], [r["label"] for r in train_rows]
        gold, test_texts = [r["label"] for r in test_rows], [r["sentence"] for r in test_rows]
        model = nlu.train(nlu.LabelledText(t, lab) for t, lab in zip(texts, labels, strict=True))
        probs = model.probabilities(test_texts)
        pred = [model.labels[i] for i in probs.argmax(axis=1)]
        ours = _oos_scores(pred, list(probs.max(axis=1)), model.threshold, gold)
        base = _baseline_fit(texts, labels)
        bprobs = base.predict_proba(test_texts)
        bpred = list(base.classes_[bprobs.argmax(axis=1)])
        theirs = _oos_scores(
            bpred, list(bprobs.max(axis=1)), _baseline_threshold(texts, labels), gold
        )
        calibration = (
            _in_scope_calibration(pred, list(probs.max(axis=1)), gold),
            _in_scope_calibration(bpred, list(bprobs.max(axis=1)), gold),
        )
        for system, scores, ece in zip(
            ("kefu", "baseline_tfidf_lr"), (ours, theirs), calibration, strict=True
        ):
            for metric, value in zip(
                ("in_scope_accuracy", "oos_recall", "overall_accuracy"), scores, strict=True
            ):
                out.append(Result(f"hint3_{name}", system, metric, value, "ratio"))
            out.append(Result(f"hint3_{name}", system, "in_scope_calibration_error", ece, "ratio"))
    return out


def _zh_sentiment(quick: bool) -> list[Result]:
    folder = dataset_path("chinese_sentiment_sophonplus")
    out: list[Result] = []
    reader = dense_reader()
    if reader is not None:
        started = time.perf_counter()
        reader.log_odds("好", "zh")  # trains the head on our reviews, or loads it from the cache
        seconds = time.perf_counter() - started
        out.append(Result("zh_head", "kefu_review_polar_with_e5_encoder", "load_s", seconds, "s"))
    for name in ("online_shopping_eval_sample.csv", "waimai_eval_sample_1000.csv"):
        rows = _read_csv(folder / name)
        if quick:
            rows = rows[::4]
        gold = ["positive" if r["label"] == "1" else "negative" for r in rows]
        for system, polar, encoder in _review_systems():
            started = time.perf_counter()
            labels = [
                score_sentiment(r["review"], language="zh", polar=polar, encoder=encoder).label
                for r in rows
            ]
            per_second = len(rows) / (time.perf_counter() - started)
            acc = sum(p == g for p, g in zip(labels, gold, strict=True)) / len(rows)
            coverage = sum(p != "neutral" for p in labels) / len(rows)
            out += [
                Result(name, system, "accuracy_neutral_counts_wrong", acc, "ratio"),
                Result(name, system, "coverage_non_neutral", coverage, "ratio"),
                Result(name, system, "reviews_per_second", per_second, "1/s"),
            ]
    return out


def _review_systems() -> list[tuple[str, bool, bool]]:
    """(system, polar, encoder): the default install's review reading (polar=True, the n-gram
    model over the lexicon); with ``kefu[e5]`` installed, the same plus the encoder's head;
    triage mode, which keeps texts
    without an opinion word neutral (a neutral answer counts as wrong here)."""
    systems = [("kefu_shipped_review_polar", True, False)]
    if dense_reader() is not None:
        systems.append(("kefu_review_polar_with_e5_encoder", True, True))
    return [*systems, ("kefu_triage_mode", False, False)]


def _ar_de_sentiment(quick: bool) -> list[Result]:
    return _ar_sentiment(quick) + _de_sentiment(quick)


def _ar_sentiment(quick: bool) -> list[Result]:
    out: list[Result] = []
    rows = _read_csv(dataset_path("arabic_product_reviews_souq") / "PROD.csv")
    rows = rows[::4] if quick else rows
    names = {"1": "positive", "0": "neutral", "-1": "negative"}
    pred = [score_sentiment(r["text"], language="ar").label for r in rows]
    gold = [names.get(r["polarity"].strip(), "neutral") for r in rows]
    polar = [(p, g) for p, g in zip(pred, gold, strict=True) if g != "neutral"]
    out.append(
        Result(
            "souq_PROD.csv", "kefu_shipped_sentiment", "accuracy_3class", _acc(pred, gold), "ratio"
        )
    )
    out.append(
        Result(
            "souq_PROD.csv",
            "kefu_shipped_sentiment",
            "accuracy_polar_rows",
            _polar_acc(polar),
            "ratio",
        )
    )
    out.append(
        Result(
            "souq_PROD.csv",
            "majority_class",
            "accuracy_3class",
            Counter(gold).most_common(1)[0][1] / len(gold),
            "ratio",
        )
    )
    return out


def _de_sentiment(quick: bool) -> list[Result]:
    out: list[Result] = []
    path = dataset_path("germeval2017_db_customer_feedback_de") / "test.tsv"
    lines = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [p for p in lines if len(p) >= 4 and p[3] in ("negative", "neutral", "positive")]
    lines = lines[::4] if quick else lines
    pred = [score_sentiment(p[1], language="de").label for p in lines]
    gold = [p[3] for p in lines]
    out.append(
        Result(
            "germeval2017_test.tsv",
            "kefu_shipped_sentiment",
            "accuracy_3class",
            _acc(pred, gold),
            "ratio",
        )
    )
    out.append(
        Result(
            "germeval2017_test.tsv",
            "kefu_shipped_sentiment",
            "macro_f1_3class",
            _macro_f1(pred, gold),
            "ratio",
        )
    )
    out.append(
        Result(
            "germeval2017_test.tsv",
            "majority_class",
            "accuracy_3class",
            Counter(gold).most_common(1)[0][1] / len(gold),
            "ratio",
        )
    )
    return out


def _polar_acc(pairs: list[tuple[str, str]]) -> float:
    return sum(p == g for p, g in pairs) / max(1, len(pairs))


def _acc(pred: tuple[str, ...] | list[str], gold: tuple[str, ...] | list[str]) -> float:
    return sum(p == g for p, g in zip(pred, gold, strict=True)) / max(1, len(gold))


def _macro_f1(pred: list[str], gold: list[str]) -> float:
    scores = []
    for label in sorted(set(gold)):
        tp = sum(p == g == label for p, g in zip(pred, gold, strict=True))
        fp = sum(p == label != g for p, g in zip(pred, gold, strict=True))
        fn = sum(g == label != p for p, g in zip(pred, gold, strict=True))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def run(*, quick: bool = False) -> list[Result]:
    """Every NLU number in one run; a missing dataset skips only its own section."""
    results = [machine_speed(), *_speed(quick)]
    sections = (_bitext, _hint3, _zh_sentiment, _ar_de_sentiment)
    missing = []
    for section in sections:
        try:
            results += section(quick)
        except DatasetMissing as exc:
            missing.append(str(exc))
            print(f"skipped {section.__name__}: {exc}", file=sys.stderr)
    if len(missing) == len(sections) and not results:
        raise DatasetMissing("; ".join(missing))
    return results
