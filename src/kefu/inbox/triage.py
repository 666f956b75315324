"""The seam between ingest and the NLU: whatever triages text returns a plain dict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class TriageRequest:
    text: str
    platform: str
    languages: tuple[str, ...]
    order_value: Decimal | None = None
    currency: str | None = None
    repeat_contacts: int = 0
    hours_to_platform_deadline: float | None = None
    promised_delivery_days_late: int | None = None


class Triager(Protocol):
    def triage(self, request: TriageRequest) -> dict[str, Any]:
        """Return the triage result in the shape of ``kefu.nlu.Triage.model_dump()``."""
        ...

    def triage_many(self, requests: Sequence[TriageRequest]) -> list[dict[str, Any]]:
        """The results of ``triage`` for each request, in order (a batch may be cheaper)."""
        ...

    def reprioritize(self, result: dict[str, Any], request: TriageRequest) -> dict[str, Any]:
        """The same result with its priority recomputed from what ingest learned since
        (the order's value and lateness, repeat contacts, the platform's reply deadline)."""
        ...


def order_ids_in(result: dict[str, Any]) -> list[str]:
    """Order ids the triage found in the text, most specific first."""
    return _ids(result, "order_id")


def tracking_numbers_in(result: dict[str, Any]) -> list[str]:
    """Tracking numbers the triage found in the text."""
    return _ids(result, "tracking_number")


def _ids(result: dict[str, Any], kind: str) -> list[str]:
    # An id typed in full width ("１１３－…") is looked up by its half-width form.
    entities = result.get("entities", [])
    return [e.get("normalized") or e["value"] for e in entities if e.get("type") == kind]
