"""What runs for each kind of job, and what a job's giving up or retry means for its data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kefu.conversations import snooze
from kefu.conversations.enums import DeliveryState
from kefu.inbox import tasks as inbox_tasks
from kefu.inbox.reply import SEND_JOB
from kefu.services import Services

Handler = Callable[[dict[str, Any], Services], None]
# Runs in the transaction that dead-letters (or re-queues) the job, with its payload.
StateHook = Callable[[Session, dict[str, Any]], None]


@dataclass(frozen=True)
class JobHooks:
    on_dead: StateHook
    on_retry: StateHook


def _send_message(payload: dict[str, Any], services: Services) -> None:
    inbox_tasks.send_message(
        payload=payload, session_factory=services.sessions, channels=services.channels
    )


def _delivery(state: DeliveryState) -> StateHook:
    def hook(db: Session, payload: dict[str, Any]) -> None:
        inbox_tasks.set_delivery_state(db=db, payload=payload, state=state)

    return hook


def _wake_conversation(payload: dict[str, Any], services: Services) -> None:
    with services.sessions() as db, db.begin():
        snooze.wake_if_due(db=db, payload=payload, now=services.clock.now())


def default_handlers() -> dict[str, Handler]:
    """The handler of every job kind Kefu enqueues."""
    return {SEND_JOB: _send_message, snooze.WAKE_JOB: _wake_conversation}


def default_hooks() -> dict[str, JobHooks]:
    """A reply whose send job gives up shows as failed, and as queued again on a retry."""
    return {
        SEND_JOB: JobHooks(
            on_dead=_delivery(DeliveryState.FAILED), on_retry=_delivery(DeliveryState.QUEUED)
        )
    }
