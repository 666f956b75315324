"""A deterministic triager for UI tests: the real NLU's shape, keyword rules instead of models.

The UI tests check rendering and flows, so they must not depend on model output; the NLU has
its own tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kefu.inbox.triage import TriageRequest
from kefu.nlu.checksums import ups_1z_valid

_ORDER = re.compile(r"\b\d{3}-\d{7}-\d{7}\b|\b\d{6}-\d{12,15}\b|\b[0-9]{15,20}\b")
_UPS = re.compile(r"\b1Z[0-9A-Z]{16}\b")
_RULES: list[tuple[str, str]] = [
    (r"退款|refund|money back", "refund_request"),
    (r"到哪|发货|物流|where is|tracking|shipped", "order_status"),
    (r"没到|还没到|late|delay", "shipping_delay"),
    (r"坏|破|broken|damaged", "quality_issue"),
]


class FakeTriager:
    """Keyword triage with exact entity spans; anger and threats raise the priority."""

    def triage(self, request: TriageRequest) -> dict[str, Any]:
        text = request.text
        zh = bool(re.search(r"[\u4e00-\u9fff]", text))
        intent = next((name for pattern, name in _RULES if re.search(pattern, text, re.I)), "other")
        angry = bool(re.search(r"！！|!!|差评|投诉|垃圾|angry|ridiculous|[A-Z]{5,}", text))
        risks = ["negative_review_threat"] if re.search(r"差评|review", text, re.I) else []
        score = min(
            100,
            30
            + (40 if angry else 0)
            + (15 if risks else 0)
            + (10 if intent == "refund_request" else 0),
        )
        factors = [
            f
            for f, on in (
                ("anger in the message", angry),
                ("threatens a bad review", bool(risks)),
                ("asks for money back", intent == "refund_request"),
            )
            if on
        ]
        return {
            "language": "zh" if zh else "en",
            "intent": intent,
            "intents": [
                {"name": intent, "confidence": 0.87},
                {"name": "other", "confidence": 0.08},
            ],
            "entities": [
                {"type": "order_id", "value": m.group(0), "start": m.start(), "end": m.end()}
                for m in _ORDER.finditer(text)
            ]
            + [
                {
                    "type": "tracking_number",
                    "value": m.group(0),
                    "start": m.start(),
                    "end": m.end(),
                    "platform": "ups",
                    "check_digit": "valid" if ups_1z_valid(m.group(0)) else "invalid",
                }
                for m in _UPS.finditer(text)
            ],
            "sentiment": {
                "label": "negative" if angry else "neutral",
                "score": -0.7 if angry else 0.0,
            },
            "emotions": ["anger"] if angry else [],
            "urgency": "high" if angry else "normal",
            "abusive": False,
            "risks": risks,
            "priority": {"score": score, "factors": factors},
        }

    def triage_many(self, requests: Sequence[TriageRequest]) -> list[dict[str, Any]]:
        return [self.triage(r) for r in requests]

    def reprioritize(self, result: dict[str, Any], request: TriageRequest) -> dict[str, Any]:
        """Keyword priority does not depend on the order or deadline: the result as it was."""
        return dict(result)
