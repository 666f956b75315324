"""The batch path gives the single-message results: ``analyze_many`` and ``triage_many`` return
exactly what ``analyze`` and ``triage`` return one by one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu import nlu
from kefu.inbox.nlu_triager import NluTriager
from kefu.inbox.triage import TriageRequest
from kefu.nlu.resources_io import corpus_rows
from tests.nlu.test_features_reference import _probe_texts


def _texts() -> list[str]:
    import random

    rng = random.Random(3)
    return [*_probe_texts(rng, corpus_rows()), "bad \udcff bytes", "x" * 70_000]


def test_predict_many_matches_predict(analyzer: nlu.Analyzer) -> None:
    texts = _texts()
    many = analyzer.model.predict_many(texts, top=5)
    for text, ranked in zip(texts, many, strict=True):
        single = analyzer.model.predict(text, top=5)
        assert [n for n, _ in ranked] == [n for n, _ in single]
        assert [p for _, p in ranked] == pytest.approx([p for _, p in single], abs=1e-12)
    assert analyzer.model.predict_many([]) == []


def test_analyze_many_matches_analyze(analyzer: nlu.Analyzer) -> None:
    texts = _texts()
    contexts = [
        None,
        nlu.TriageContext(platform="amazon", languages=("en", "es")),
        nlu.TriageContext(hours_to_platform_deadline=3, order_value=Decimal("620")),
    ]
    paired = [contexts[i % len(contexts)] for i in range(len(texts))]
    assert analyzer.analyze_many(texts, contexts=paired) == [
        analyzer.analyze(t, context=c) for t, c in zip(texts, paired, strict=True)
    ]
    assert analyzer.analyze_many(texts[:5]) == [analyzer.analyze(t) for t in texts[:5]]
    assert analyzer.analyze_many([]) == []


def test_analyze_many_checks_its_arguments(analyzer: nlu.Analyzer) -> None:
    with pytest.raises(ValueError, match="contexts"):
        analyzer.analyze_many(["a", "b"], contexts=[None])
    with pytest.raises(TypeError):
        analyzer.analyze_many(["fine", b"bytes"])  # type: ignore[list-item]


def test_triage_many_matches_triage(analyzer: nlu.Analyzer) -> None:
    triager = NluTriager(languages=("en", "zh", "es", "ru"), analyzer=analyzer)
    requests = [
        TriageRequest(text=t, platform=p, languages=langs, repeat_contacts=i % 3)
        for i, (t, p, langs) in enumerate(
            (t, ("amazon", "temu", "email")[i % 3], (("en",), (), ("zh", "ko"))[i % 3])
            for i, t in enumerate(_texts()[:80])
        )
    ]
    assert triager.triage_many(requests) == [triager.triage(r) for r in requests]
    assert triager.triage_many([]) == []
