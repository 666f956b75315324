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
from kefu.jobs.retry import retry_dead
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.storage import jobs
from kefu.storage.jobs import Job, JobStatus
from tests.conftest import Tenant


def queue_reply(
    services: Services, tenant: Tenant, text: str = "On its way", external_id: str = "in-1"
) -> str:
    principal = Principal(user_id="", email="agent@a.test", shop_roles={})
    with services.sessions() as db:
        from kefu.accounts import service as accounts

        principal = accounts.authenticate_token(
            db=db, token=tenant.agent_a, now=services.clock.now()
        )
    result = ingest_message(
        deps=services.ingest_deps,
        shop_ids=principal.shop_ids,
        now=services.clock.now(),
        message_in=InboundMessageIn.model_validate(
            {
                "shop": "shop-a",
                "channel": "webchat",
                "external_id": external_id,
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
            max_attempts=services.settings.job_max_attempts,
        )
        return message.id


def delivery_state(services: Services, message_id: str) -> str:
    with services.sessions() as db:
        message = db.get(Message, message_id)
        assert message is not None
        return message.delivery_state


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
    message_id = queue_reply(services, tenant)
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
    assert delivery_state(services, message_id) == "failed"
    with services.sessions() as db, db.begin():
        assert (
            retry_dead(db=db, job_id=job.id, shop_ids=frozenset({tenant.shop_a}), now=clock.now())
            is not None
        )
    assert delivery_state(services, message_id) == "queued"
    flaky.failures = 0
    assert worker.run_once() == 1
    assert len(deliveries(services)) == 1
    assert delivery_state(services, message_id) == "sent"


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


def test_the_attempt_budget_is_the_configured_one(
    services: Services, tenant: Tenant, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services.settings, "job_max_attempts", 2)
    message_id = queue_reply(services, tenant)
    services.channels["webchat"] = FlakyAdapter(services.channels["webchat"], failures=100)  # type: ignore[arg-type]
    worker = Worker(services)
    assert worker.run_once() == 1
    clock.advance(seconds=3600)
    assert worker.run_once() == 1
    with services.sessions() as db:
        job = db.scalars(select(Job)).one()
    assert (job.status, job.attempts, job.max_attempts) == (JobStatus.DEAD, 2, 2)
    assert delivery_state(services, message_id) == "failed"


def test_a_lost_last_attempt_is_run_once_more_instead_of_dead_lettered(
    services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    message_id = queue_reply(services, tenant)
    budget = services.settings.job_max_attempts
    for _ in range(budget):  # every attempt's worker dies while it holds the job
        with services.sessions() as db, db.begin():
            [job] = jobs.claim(db=db, worker_id="doomed", now=clock.now(), lease_seconds=5)
        clock.advance(seconds=6)
    # The last one may have delivered before dying: the idempotent handler decides.
    services.channels["webchat"].send(_outbound(services, message_id))
    assert Worker(services).run_once() == 1
    with services.sessions() as db:
        job = db.scalars(select(Job)).one()
    assert (job.status, job.attempts) == (JobStatus.DONE, budget + jobs.LOST_LAST_ATTEMPT_RERUNS)
    assert len(deliveries(services)) == 1
    assert delivery_state(services, message_id) == "sent"


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the worker catches it, the job keeps its lease."""


class PoisonAdapter:
    name = "webchat"

    def __init__(self) -> None:
        self.calls = 0

    def send(self, message: Any) -> Any:
        self.calls += 1
        raise WorkerKilled


@pytest.mark.parametrize("budget", [1, 3])
def test_a_job_that_kills_every_worker_is_dead_after_a_bounded_number_of_runs(
    services: Services,
    tenant: Tenant,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    budget: int,
) -> None:
    monkeypatch.setattr(services.settings, "job_max_attempts", budget)
    message_id = queue_reply(services, tenant)
    poison = PoisonAdapter()
    services.channels["webchat"] = poison
    bound = budget + jobs.LOST_LAST_ATTEMPT_RERUNS
    for _ in range(bound + 5):  # more than enough: the loop must end by itself
        try:
            taken = Worker(services).run_once()  # a fresh worker process each time
        except WorkerKilled:
            clock.advance(seconds=services.settings.job_lease_seconds + 1)
            continue
        if taken == 0:
            break
    with services.sessions() as db:
        job = db.scalars(select(Job)).one()
    assert poison.calls == bound
    assert (job.status, job.attempts) == (JobStatus.DEAD, bound)
    assert "stopped before finishing" in (job.last_error or "")
    assert deliveries(services) == []
    assert delivery_state(services, message_id) == "failed"


def test_a_permanent_failure_dead_letters_at_once(
    services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    message_id = queue_reply(services, tenant)
    services.channels.pop("webchat")  # no adapter: PermanentDeliveryError
    assert Worker(services).run_once() == 1
    with services.sessions() as db:
        job = db.scalars(select(Job)).one()
    assert (job.status, job.attempts) == (JobStatus.DEAD, 1)
    assert delivery_state(services, message_id) == "failed"


def test_a_slow_job_does_not_let_the_jobs_behind_it_be_taken_twice(
    services: Services, tenant: Tenant, clock: FrozenClock
) -> None:
    with services.sessions() as db, db.begin():
        for n in range(3):
            jobs.enqueue(db=db, kind="slow", payload={"n": n}, dedupe_key=f"slow-{n}",
                         now=clock.now())  # fmt: skip
    runs: list[tuple[str, int]] = []
    other = Worker(services, handlers={"slow": lambda p, s: runs.append(("other", p["n"]))})

    def slow(payload: dict[str, Any], _: Services) -> None:
        runs.append(("first", payload["n"]))
        if payload["n"] == 0:
            # Longer than a lease: meanwhile a second worker looks for work.
            clock.advance(seconds=services.settings.job_lease_seconds + 1)
            other.run_once()

    first = Worker(services, handlers={"slow": slow})
    first.run_once()
    ran = [n for _, n in runs]
    # Job 0 outlived its lease, so the other worker may take it again (handlers are
    # idempotent for this); the jobs waiting behind it were never leased, and run once.
    assert (ran.count(1), ran.count(2)) == (1, 1)
