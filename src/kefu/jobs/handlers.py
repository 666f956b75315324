"""Which function runs each kind of job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu.inbox import tasks as inbox_tasks
from kefu.inbox.reply import SEND_JOB
from kefu.services import Services

Handler = Callable[[dict[str, Any], Services], None]


def _send_message(payload: dict[str, Any], services: Services) -> None:
    inbox_tasks.send_message(
        payload=payload, session_factory=services.sessions, channels=services.channels
    )


def default_handlers() -> dict[str, Handler]:
    """The handler of every job kind Kefu enqueues."""
    return {SEND_JOB: _send_message}
