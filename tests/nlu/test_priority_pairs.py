"""Queue order measured on ``priority_pairs.jsonl``: 110 pairs of messages (with what the shop
knows: platform, order value, repeat contacts, reply deadline, days late) and which of the two
an experienced support lead would answer first, written by someone who never saw how priority
is computed. 16 pairs are "either" and not scored.

Agreement (a tie counts half) was 0.809 on the 94 scored pairs. Most disagreements were
product hazards told calmly ("the blender caught fire", "the charger smelled of burning")
ranked under shouted complaints about colours, and anger, tone and insults adding up to
outrank a calm, serious case. After safety cues (+40) and a cap on feelings (together they
count as much as anger alone, 10): 0.894. The misses were read, so this is a development set
now. What is left: deadlines the lead weighs more than we do ("thanks, got it" with 1 h left
on Amazon's clock), intent misreadings, a customer's own hard date without deadline words.
The deadline pairs are left on purpose: priority is scored when a message arrives, when every
Amazon message has its full 24 h, so the clock is a tie-breaker there; the workbench's "SLA at
risk" queue is where the clock decides (nearest breach first, tests/web/test_ui_routes.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from kefu import nlu
from kefu.nlu.schemas import TriageContext
from tests.nlu.scoring import read_cases

CASES = Path(__file__).with_name("priority_pairs.jsonl")
AGREEMENT_FLOOR = 0.85


def _score(side: dict[str, Any], analyzer: nlu.Analyzer) -> int:
    context = dict(side.get("context") or {})
    if "order_value" in context:
        context["order_value"] = Decimal(str(context["order_value"]))
    result = analyzer.analyze(side["text"], context=TriageContext(**context) if context else None)
    return result.priority.score


def test_the_queue_agrees_with_a_support_lead(analyzer: nlu.Analyzer) -> None:
    scored = [c for c in read_cases(CASES) if c["first"] != "either"]
    assert len(scored) == 94
    points = 0.0
    for case in scored:
        a, b = _score(case["a"], analyzer), _score(case["b"], analyzer)
        points += 0.5 if a == b else float((a > b) == (case["first"] == "a"))
    assert points / len(scored) >= AGREEMENT_FLOOR, points / len(scored)
