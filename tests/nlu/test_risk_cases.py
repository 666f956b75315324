"""Risks and urgency measured on ``risk_cases.jsonl``: customer messages in nine languages,
labelled by a writer who never saw the cue lists (``resources/cues.json``) nor the detector.
Half carry no risk, many of those on purpose: a threat ruled out ("我不会给差评的"), the words in
a harmless sense ("how do I leave a review? 5 stars!", "my card was charged twice").

Risks lift a conversation in the queue, so precision matters as much as recall. The floors sit a
few points under what the cues reach today. Don't add cues by reading this file: it then stops
telling the truth about messages nobody wrote the cues for.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kefu import nlu
from kefu.nlu.schemas import RISKS
from tests.nlu.scoring import Tally, read_cases

CASES = Path(__file__).with_name("risk_cases.jsonl")
RISK_PRECISION_FLOOR = 0.92
RISK_RECALL_FLOOR = 0.66
URGENCY_PRECISION_FLOOR = 0.92
URGENCY_RECALL_FLOOR = 0.65


def _cases() -> list[dict[str, Any]]:
    return read_cases(CASES)


@pytest.fixture(scope="module")
def tallies(analyzer: nlu.Analyzer) -> dict[str, Tally]:
    """Risks (every risk said or found counts once) and urgency (as a yes/no label)."""
    risks, urgency = Tally(), Tally()
    for case in _cases():
        result = analyzer.analyze(str(case["text"]))
        risks.add(set(case["risks"]), set(result.risks))  # type: ignore[call-overload]
        urgency.add({"urgent"} if case["urgent"] else set(),
                    {"urgent"} if result.urgency == "high" else set())  # fmt: skip
    return {"risks": risks, "urgency": urgency}


def test_the_cases_are_well_formed() -> None:
    cases = _cases()
    assert len(cases) >= 250
    assert all(set(c["risks"]) <= set(RISKS) for c in cases)  # type: ignore[call-overload]
    assert all(isinstance(c["urgent"], bool) for c in cases)
    assert sum(not c["risks"] for c in cases) >= len(cases) // 3  # harmless messages too
    assert len(Counter(str(c["language"]) for c in cases)) == 9


def test_threats_are_heard_and_rarely_invented(tallies: dict[str, Tally]) -> None:
    risks = tallies["risks"]
    assert risks.precision >= RISK_PRECISION_FLOOR, risks
    assert risks.recall >= RISK_RECALL_FLOOR, risks


def test_urgency_is_heard_and_rarely_invented(tallies: dict[str, Tally]) -> None:
    urgency = tallies["urgency"]
    assert urgency.precision >= URGENCY_PRECISION_FLOOR, urgency
    assert urgency.recall >= URGENCY_RECALL_FLOOR, urgency
