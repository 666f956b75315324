"""τ²-bench retail conformance: gold write actions pass, generated violations are refused."""

from __future__ import annotations

import json

import pytest
from bench._common import DatasetMissing, dataset_path

bench_policy = pytest.importorskip("bench.bench_policy")


@pytest.fixture(scope="module")
def store():  # type: ignore[no-untyped-def]
    try:
        path = dataset_path(bench_policy.DATASET)
    except DatasetMissing:
        pytest.skip("tau2_bench_retail dataset not present in ../shared/datasets")
    return bench_policy.load_store(path), json.loads((path / "tasks.json").read_text("utf-8"))


def test_gold_actions_are_allowed(store) -> None:  # type: ignore[no-untyped-def]
    db, tasks = store
    allowed, total, _not_orders, failures = bench_policy.replay_gold(db, tasks)
    assert total > 150
    # Two gold calls break policy.md itself (an exchange on a pending order, and a gift card
    # that cannot cover the price difference); the engine must refuse exactly those.
    assert allowed == total - 2, failures
    refused = sorted(f.split(": ", 1)[1].split(" ", 1)[0] for f in failures)
    assert refused == ["tau2.exchange.delivered_only", "tau2.gift_card.balance"]


def test_violations_are_refused_by_the_right_rule(store) -> None:  # type: ignore[no-untyped-def]
    db, _tasks = store
    violations = bench_policy.generate_violations(db, per_kind=3)
    assert len({v.kind for v in violations}) == 15
    for violation in violations:
        result = bench_policy.run_violation(db, violation)
        assert result is not None, violation.kind
        assert result.rule_id == violation.expected_rule, (violation.kind, result.reasons)
