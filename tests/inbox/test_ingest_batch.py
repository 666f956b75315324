"""Batched ingest: POST /messages/inbound/batch, and concurrent single deliveries joined into one
transaction by the ingest queue; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from threading import Barrier
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import event, func, select

from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer, CustomerIdentity
from kefu.errors import NotFound, Unauthenticated
from kefu.inbox import ingest_queue
from kefu.inbox.ingest import ingest_batch
from kefu.inbox.ingest_queue import IngestQueue
from kefu.inbox.schemas import InboundMessageIn, IngestResult
from kefu.services import Services
from kefu.storage.audit import AuditEvent
from tests.conftest import Tenant
from tests.inbox.test_ingest_api import inbound


def counts(services: Services) -> tuple[int, ...]:
    with services.sessions() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(model)) or 0
            for model in (Message, Conversation, Customer, CustomerIdentity, AuditEvent)
        )


def message(n: int, **overrides: Any) -> dict[str, Any]:
    return inbound(external_id=f"m-{n}", **overrides)


def test_batch_threads_within_itself_and_answers_repeats_in_order(
    api: httpx.Client, services: Services
) -> None:
    batch = [
        message(1, thread_id="t-1"),
        message(2, thread_id="t-1", text="Hello? Any news on it?"),
        message(1, thread_id="t-1", text="a retried copy of m-1"),
        message(3, thread_id="t-9", customer={"email": "li@example.cn", "name": "Li Wei"}),
    ]
    response = api.post("/api/v1/messages/inbound/batch", json={"messages": batch})
    assert response.status_code == 200, response.text
    first, second, repeat, other = response.json()["results"]
    assert [first["duplicate"], second["duplicate"], repeat["duplicate"]] == [False, False, True]
    assert second["conversation_id"] == first["conversation_id"]
    assert repeat == {**first, "duplicate": True}
    assert other["conversation_id"] != first["conversation_id"]
    detail = api.get(f"/api/v1/conversations/{first['conversation_id']}").json()
    assert [m["external_id"] for m in detail["messages"]] == ["m-1", "m-2"]
    assert "written 2 times" in " | ".join(detail["messages"][1]["triage"]["priority"]["factors"])

    before = counts(services)
    again = api.post("/api/v1/messages/inbound/batch", json={"messages": batch}).json()
    assert [r["duplicate"] for r in again["results"]] == [True] * 4
    assert [r["message_id"] for r in again["results"]] == [
        r["message_id"] for r in (first, second, first, other)
    ]
    assert counts(services) == before


def test_a_bad_message_rejects_the_whole_batch_and_stores_nothing(
    api: httpx.Client, services: Services
) -> None:
    before = counts(services)
    unknown = api.post(
        "/api/v1/messages/inbound/batch",
        json={"messages": [message(1), message(2, shop="shop-b")]},
    )
    assert unknown.status_code == 404 and "shop-b" in unknown.json()["detail"]
    too_big = api.post(
        "/api/v1/messages/inbound/batch",
        json={"messages": [message(1), message(2, text="x" * (65 * 1024))]},
    )
    assert too_big.status_code == 413
    assert too_big.json()["field"] == "messages.1.text"
    invalid = api.post(
        "/api/v1/messages/inbound/batch", json={"messages": [message(1), {"shop": "shop-a"}]}
    )
    assert invalid.status_code == 422
    assert any(e["loc"][:3] == ["body", "messages", 1] for e in invalid.json()["detail"])
    assert api.post("/api/v1/messages/inbound/batch", json={"messages": []}).status_code == 422
    assert counts(services) == before


def test_a_message_to_a_resolved_conversation_reopens_it_inside_a_batch(
    api: httpx.Client, services: Services
) -> None:
    first = api.post("/api/v1/messages/inbound", json=message(1)).json()
    conversation = f"/api/v1/conversations/{first['conversation_id']}"
    assert api.patch(conversation, json={"status": "resolved"}).status_code == 200
    results = api.post(
        "/api/v1/messages/inbound/batch",
        json={"messages": [message(2, text="it broke again"), message(3, text="hello?")]},
    ).json()["results"]
    assert {r["conversation_id"] for r in results} == {first["conversation_id"]}
    assert api.get(conversation).json()["status"] == "open"
    with services.sessions() as db:
        reopened = db.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == first["conversation_id"], AuditEvent.action == "reopened"
            )
        ).all()
    assert len(reopened) == 1


def test_a_message_to_a_closed_conversation_starts_a_follow_up(
    api: httpx.Client, services: Services
) -> None:
    first = api.post("/api/v1/messages/inbound", json=message(1)).json()
    closed = f"/api/v1/conversations/{first['conversation_id']}"
    assert api.patch(closed, json={"status": "closed"}).status_code == 200
    before = api.get(closed).json()
    results = api.post(
        "/api/v1/messages/inbound/batch",
        json={"messages": [message(2, text="it broke again"), message(3, text="hello?")]},
    ).json()["results"]
    # Both land in one new conversation; the closed one keeps its status and its messages.
    [follow_up] = {r["conversation_id"] for r in results}
    assert follow_up != first["conversation_id"]
    after = api.get(closed).json()
    assert after["status"] == "closed" and after["messages"] == before["messages"]
    new = api.get(f"/api/v1/conversations/{follow_up}").json()
    assert new["status"] == "new" and len(new["messages"]) == 2
    with services.sessions() as db:
        created = db.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == follow_up, AuditEvent.action == "created"
            )
        ).one()
    assert f"follow-up to closed conversation {first['conversation_id']}" in created.reason
    # The next message on the thread continues the follow-up.
    again = api.post("/api/v1/messages/inbound", json=message(4, text="any news?")).json()
    assert again["conversation_id"] == follow_up


def test_concurrent_deliveries_through_the_queue_are_stored_exactly_once(
    services: Services, tenant: Tenant
) -> None:
    queue = IngestQueue(services.ingest_deps, max_batch=8)
    # 48 requests for 24 distinct deliveries from 6 customers, all released at once.
    bodies = [
        InboundMessageIn.model_validate(
            message(n % 24, thread_id=None, customer={"external_id": f"B{n % 6}"})
        )
        for n in range(48)
    ]
    start = Barrier(16)  # 48 requests = three waves of 16 released together

    def deliver(body: InboundMessageIn) -> tuple[str, str, str]:
        start.wait(timeout=10)
        result = queue.ingest(message_in=body, shop_ids={tenant.shop_a}, now=services.clock.now())
        return body.external_id, result.message_id, result.conversation_id

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(deliver, bodies))
    by_delivery: dict[str, set[tuple[str, str]]] = {}
    for external_id, message_id, conversation_id in answers:
        by_delivery.setdefault(external_id, set()).add((message_id, conversation_id))
    assert all(len(ids) == 1 for ids in by_delivery.values())
    messages, conversations, customers, *_ = counts(services)
    assert (messages, customers) == (24, 6)
    assert conversations == 6  # one open conversation per customer on the channel


def test_one_bad_request_in_a_joined_batch_fails_alone(services: Services, tenant: Tenant) -> None:
    queue = IngestQueue(services.ingest_deps)
    good = [InboundMessageIn.model_validate(message(n)) for n in range(12)]
    bad = InboundMessageIn.model_validate(message(99, shop="no-such-shop"))

    def deliver(body: InboundMessageIn) -> str:
        try:
            queue.ingest(message_in=body, shop_ids={tenant.shop_a}, now=services.clock.now())
        except NotFound:
            return "not found"
        return "stored"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(deliver, [*good[:6], bad, *good[6:]]))
    assert outcomes == ["stored"] * 6 + ["not found"] + ["stored"] * 6
    assert counts(services)[0] == 12


def test_deliveries_with_tokens_are_checked_together_and_each_stays_in_its_tenancy(
    services: Services, tenant: Tenant
) -> None:
    queue = services.ingest_queue
    now = services.clock.now()
    sent = [
        *((tenant.agent_a, message(n)) for n in range(6)),
        *((tenant.agent_b, message(n, shop="shop-b")) for n in range(6)),
        (tenant.agent_b, message(50)),  # shop A is not agent B's
        ("kefu_not-a-real-token", message(51)),
    ]

    async def deliver_all() -> list[object]:
        return await asyncio.gather(
            *(
                queue.ingest_with_token(
                    message_in=InboundMessageIn.model_validate(body), token=token, now=now
                )
                for token, body in sent
            ),
            return_exceptions=True,
        )

    outcomes = asyncio.run(deliver_all())
    assert all(isinstance(o, IngestResult) and not o.duplicate for o in outcomes[:12])
    assert isinstance(outcomes[12], NotFound)
    assert isinstance(outcomes[13], Unauthenticated)
    with services.sessions() as db:
        shops_of_messages = db.execute(
            select(Conversation.shop_id, func.count())
            .join(Message, Message.conversation_id == Conversation.id)
            .group_by(Conversation.shop_id)
        ).all()
    assert sorted(shops_of_messages) == sorted([(tenant.shop_a, 6), (tenant.shop_b, 6)])


def test_racing_batches_from_one_new_customer_make_one_customer(
    services: Services, tenant: Tenant
) -> None:
    start = Barrier(4)

    def deliver(n: int) -> str:
        body = InboundMessageIn.model_validate(
            message(n, thread_id=None, customer={"external_id": "NEW-1", "email": "n@x.org"})
        )
        start.wait(timeout=10)
        [result] = ingest_batch(
            deps=services.ingest_deps,
            messages=[body],
            shop_ids={tenant.shop_a},
            now=services.clock.now(),
        )
        return result.conversation_id

    with ThreadPoolExecutor(4) as pool:
        conversations = set(pool.map(deliver, range(4)))
    messages, stored_conversations, customers, identities, _ = counts(services)
    assert (messages, customers, identities) == (4, 1, 2)
    assert len(conversations) == stored_conversations == 1


@pytest.mark.parametrize("size", [1, 3])
def test_batch_results_match_one_by_one_ingest(
    services: Services, tenant: Tenant, size: int
) -> None:
    bodies = [
        InboundMessageIn.model_validate(message(n, thread_id=f"t-{n // 2}")) for n in range(6)
    ]
    for start in range(0, len(bodies), size):
        ingest_batch(
            deps=services.ingest_deps,
            messages=bodies[start : start + size],
            shop_ids={tenant.shop_a},
            now=services.clock.now(),
        )
    with services.sessions() as db:
        rows = db.execute(
            select(Conversation.external_thread_id, func.count(Message.id))
            .join(Message, Message.conversation_id == Conversation.id)
            .group_by(Conversation.external_thread_id)
            .order_by(Conversation.external_thread_id)
        ).all()
    assert [tuple(r) for r in rows] == [("t-0", 2), ("t-1", 2), ("t-2", 2)]


def test_ingest_writes_reuse_plans_only_until_commit(services: Services, tenant: Tenant) -> None:
    if services.engine.dialect.name != "postgresql":
        pytest.skip("plan caching is a PostgreSQL setting")
    seen: list[str] = []

    @event.listens_for(services.engine, "after_cursor_execute")
    def probe(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if sql.startswith("INSERT INTO messages"):
            seen.append(cursor.connection.execute("SHOW plan_cache_mode").fetchone()[0])

    ingest_batch(
        deps=services.ingest_deps,
        messages=[InboundMessageIn.model_validate(message(n)) for n in range(3)],
        shop_ids={tenant.shop_a},
        now=services.clock.now(),
    )
    event.remove(services.engine, "after_cursor_execute", probe)
    with services.engine.connect() as conn:
        after = conn.exec_driver_sql("SHOW plan_cache_mode").scalar()
    # Foreign-key checks of the inserts use cached plans; look-ups after commit plan afresh.
    assert (seen, after) == (["auto"], "force_custom_plan")


def _recording_store(sizes: list[int], hold_first: threading.Event) -> Any:
    """Stands in for the database write: records each batch's size and answers its callers;
    holds the first batch until ``hold_first`` is set."""

    def store(deps: Any, shop_ids: frozenset[str], batch: list[Any]) -> None:
        sizes.append(len(batch))
        if len(sizes) == 1:
            hold_first.wait(timeout=10)
        for job in batch:
            job.future.set_result(len(sizes))

    return store


def test_callers_answered_together_share_the_next_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three callers answered by one batch send again 0, 0.2 and 0.4 s later: the writer waits
    # for all three (up to its linger) instead of writing the first alone.
    sizes: list[int] = []
    release = threading.Event()
    monkeypatch.setattr(ingest_queue, "_store", _recording_store(sizes, release))
    queue = IngestQueue(cast(Any, None), linger=30.0)
    body = InboundMessageIn.model_validate(message(1))

    def send() -> None:
        queue.ingest(message_in=body, shop_ids={"shop"}, now=datetime.now(UTC))

    def send_twice(pause: float) -> None:
        send()
        time.sleep(pause)
        send()

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(send)
        while not sizes:  # the first batch is being written
            time.sleep(0.01)
        callers = [pool.submit(send_twice, pause) for pause in (0.0, 0.2, 0.4)]
        time.sleep(0.2)  # all three wait behind the first batch
        release.set()
        for done in (first, *callers):
            done.result(timeout=20)
    assert sizes == [1, 3, 3]


def test_a_lone_caller_never_waits_for_company(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    release = threading.Event()
    release.set()
    monkeypatch.setattr(ingest_queue, "_store", _recording_store(sizes, release))
    queue = IngestQueue(cast(Any, None), linger=30.0)
    body = InboundMessageIn.model_validate(message(1))
    started = time.monotonic()
    for _ in range(3):
        queue.ingest(message_in=body, shop_ids={"shop"}, now=datetime.now(UTC))
    assert sizes == [1, 1, 1]
    assert time.monotonic() - started < 5  # far below one 30 s linger
