"""A worker process killed in the middle of a send: the reply still reaches the customer once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import select

from kefu.channels.webchat import WebchatDelivery
from kefu.conversations.models import Message
from kefu.services import Services
from kefu.storage.jobs import Job, JobStatus
from tests.conftest import Tenant
from tests.jobs.test_worker import queue_reply

# Delivers, then dies with SIGKILL before it can mark the job done: the worst moment.
CRASHING_WORKER = textwrap.dedent("""
    import os, signal
    from kefu.config import Settings
    from kefu.jobs.worker import Worker
    from kefu.services import build_services

    services = build_services(Settings())
    inner = services.channels["webchat"]

    class DieAfterSend:
        name = "webchat"
        def send(self, message):
            receipt = inner.send(message)
            os.kill(os.getpid(), signal.SIGKILL)
            return receipt

    services.channels["webchat"] = DieAfterSend()
    Worker(services).run_once()
""")


def _env(services: Services) -> dict[str, str]:
    return {
        **os.environ,
        "KEFU_DATABASE_URL": services.settings.database_url,
        "KEFU_JOB_LEASE_SECONDS": "1",
        "KEFU_JOB_MAX_ATTEMPTS": str(services.settings.job_max_attempts),
    }


@pytest.mark.parametrize("budget", [6, 1])
def test_killed_worker_reply_is_delivered_exactly_once(
    services: Services, tenant: Tenant, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    # With a budget of 1 the killed worker ran the last allowed attempt: the reply went out,
    # so the job must not be dead-lettered and the reply must not show as failed.
    monkeypatch.setattr(services.settings, "job_max_attempts", budget)
    message_id = queue_reply(services, tenant)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_WORKER],
        env=_env(services),
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    with services.sessions() as db:
        assert db.scalar(select(Job.status)) == JobStatus.RUNNING  # orphaned mid-send
        assert len(db.scalars(select(WebchatDelivery)).all()) == 1
    time.sleep(1.5)  # let the dead worker's lease run out
    rescued = subprocess.run(
        [sys.executable, "-m", "kefu.cli.main", "worker", "--once"],
        env=_env(services),
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert rescued.returncode == 0, rescued.stderr
    with services.sessions() as db:
        assert db.scalar(select(Job.status)) == JobStatus.DONE
        [delivery] = db.scalars(select(WebchatDelivery)).all()
        assert delivery.message_id == message_id
        assert db.get(Message, message_id).delivery_state == "sent"  # type: ignore[union-attr]
