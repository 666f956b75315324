"""The durable outbox: delivery, retries with backoff, dead letters, lease recovery."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from kefu.accounts.schemas import Principal
from kefu.channels.webchat import WebchatAdapter, WebchatDelivery
from kefu.conversations.models import Message
from kefu.conversations.schemas import ReplyIn
from kefu.core.clock import FrozenClock
from kefu.inbox.ingest import ingest_message
from kefu.inbox.reply import post_reply
from kefu.inbox.schemas import InboundMessageIn
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.storage import jobs
from kefu.storage.jobs import Job, JobStatus
from tests.conftest import Tenant


def queue_reply(services: Services, tenant: Tenant, text: str = "On its way") -> str:
    principal = Principal(user_id="", email="agent@a.test", shop_roles={})
    with services.sessions() as db:
        from kefu.accounts import service as accounts

        principal = accounts.authenticate_token(db=db, token=tenant.agent_a)
    result = ingest_message(
        deps=services.ingest_deps,
        shop_ids=principal.shop_ids,
        now=services.clock.now(),
        message_in=InboundMessageIn.model_validate(
            {
                "shop": "shop-a",
                "channel": "webchat",
                "external_id": "in-1",
                "customer": {"email": "ana@example.org"},
                "text": "where is my parcel",
            }
        ),
    )
    with services.sessions() as db, db.begin():
        message = post_reply(
            db=db,
            conversation_id=result.conversation_id,
            reply_in=ReplyIn(text=text),
            principal=principal,
            now=services.clock.now(),
        )
        return message.id


def deliveries(services: Services) -> list[WebchatDelivery]:
    with services.sessions() as db:
        return list(db.scalars(select(WebchatDelivery)))


def test_worker_delivers_queued_reply_once(services: Services, tenant: Tenant) -> None:
    message_id = queue_reply(services, tenant)
    worker = Worker(services)
    assert worker.run_once() == 1
    assert worker.run_once() == 0
    [delivery] = deliveries(services)
    assert delivery.message_id == message_id
    with services.sessions() as db:
        assert db.get(Message, message_id).delivery_state == "sent"  # type: ignore[union-attr]
        assert db.scalar(select(Job.status)) == JobStatus.DONE


class FlakyAdapter:
    name = "webchat"

    def __init__(self, inner: WebchatAdapter, failures: int) -> None:
        self.inner, self.failures, self.calls = inner, failures, 0

    def send(self, message: Any) -> Any:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("channel unreachable")
        return self.inner.send(message)


def test_failures_retry_with_growing_backoff_then_dead_letter(
    services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    queue_reply(services, tenant)
    flaky = FlakyAdapter(services.channels["webchat"], failures=100)  # type: ignore[arg-type]
    services.channels["webchat"] = flaky
    worker = Worker(services)
    delays = []
    for _ in range(services.settings.job_max_attempts):
        assert worker.run_once() == 1
        with services.sessions() as db:
            job = db.scalars(select(Job)).one()
        if job.status == JobStatus.DEAD:
            break
        delays.append((job.run_at - clock.now()).total_seconds())
        assert worker.run_once() == 0  # not due yet
        clock.current = job.run_at + timedelta(seconds=1)
    assert job.status == JobStatus.DEAD and "channel unreachable" in (job.last_error or "")
    assert delays == sorted(delays) and delays[-1] > delays[0] * 4
    assert deliveries(services) == []
    with services.sessions() as db, db.begin():
        assert (
            jobs.retry_dead(
                db=db, job_id=job.id, shop_ids=frozenset({tenant.shop_a}), now=clock.now()
            )
            is not None
        )
    flaky.failures = 0
    assert worker.run_once() == 1
    assert len(deliveries(services)) == 1


def test_expired_lease_is_reclaimed_and_delivery_is_not_repeated(
    services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    message_id = queue_reply(services, tenant)
    crashed = Worker(services)
    with services.sessions() as db, db.begin():
        [job] = jobs.claim(db=db, worker_id=crashed.worker_id, now=clock.now(), lease_seconds=5)
    # The crashed worker had delivered but died before marking the job done.
    services.channels["webchat"].send(_outbound(services, message_id))
    rescuer = Worker(services)
    assert rescuer.run_once() == 0  # lease still held
    clock.advance(seconds=6)
    assert rescuer.run_once() == 1
    assert len(deliveries(services)) == 1
    with services.sessions() as db, db.begin():
        assert not jobs.complete(db=db, job_id=job.id, worker_id=crashed.worker_id, now=clock.now())


def _outbound(services: Services, message_id: str) -> Any:
    from kefu.channels.base import OutboundMessage

    with services.sessions() as db:
        m = db.get(Message, message_id)
        assert m is not None
        return OutboundMessage(
            m.id, m.shop_id, m.channel, m.conversation_id, None, None, m.text, None
        )


@pytest.mark.parametrize("attempts", [1, 3])
def test_backoff_grows_exponentially(attempts: int) -> None:
    low = jobs.backoff_seconds(attempts)
    assert 2 ** (attempts - 1) <= low <= 2**attempts
