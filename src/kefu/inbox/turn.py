"""The customer's unanswered turn: every inbound message since the team last replied, read as
one. Customers write in bursts ("客服半天不回消息 什么态度", then "我要打12315投诉你们"); the
feeling of the first message still stands when the second names none, and one reply answers
them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.conversations.enums import Direction
from kefu.conversations.models import Message
from kefu.nlu.schemas import EMOTIONS, RISKS


def unanswered(messages: Sequence[Message]) -> list[Message]:
    """Inbound messages since the team last replied, oldest first."""
    tail: list[Message] = []
    for message in reversed(messages):
        if message.direction == Direction.OUTBOUND:
            break
        if message.direction == Direction.INBOUND:
            tail.append(message)
    return list(reversed(tail))


@dataclass(frozen=True)
class TurnFeelings:
    """Emotions and risks heard anywhere in the turn (strongest first), and whether any of its
    messages read negative."""

    emotions: list[str]
    risks: list[str]
    negative: bool


def turn_feelings(triages: Iterable[Mapping[str, Any] | None]) -> TurnFeelings:
    """What the turn's triage results say together."""
    emotions: set[str] = set()
    risks: set[str] = set()
    negative = False
    for triage in triages:
        if not triage:
            continue
        emotions.update(e for e in triage.get("emotions") or [] if isinstance(e, str))
        risks.update(r for r in triage.get("risks") or [] if isinstance(r, str))
        negative |= (triage.get("sentiment") or {}).get("label") == "negative"
    return TurnFeelings(
        emotions=[e for e in EMOTIONS if e in emotions],
        risks=[r for r in RISKS if r in risks],
        negative=negative,
    )
