"""The workbench over a live loopback server: sign-in, CSRF, tenancy, escaping, queues, SSE."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from kefu.accounts.models import User
from kefu.conversations.models import Conversation, Message
from kefu.core.events import RESYNC
from kefu.customers.models import Customer
from kefu.services import Services
from tests.conftest import Tenant, client_for
from tests.web.conftest import PASSWORD, csrf_of, inbound, sign_in


def ingest(base_url: str, token: str, **overrides: Any) -> str:
    with client_for(base_url, token) as api:
        response = api.post("/api/v1/messages/inbound", json=inbound(**overrides))
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def seed_calm_conversations(services: Services, shop_id: str, count: int) -> list[str]:
    """Many low-priority conversations in one transaction (ingesting each would be slow)."""
    ids = []
    with services.sessions() as db, db.begin():
        for n in range(count):
            customer = Customer(shop_id=shop_id, name=f"Calm Customer {n:02d}", external_id=f"C{n}")
            db.add(customer)
            db.flush()
            conversation = Conversation(
                shop_id=shop_id,
                customer_id=customer.id,
                channel="amazon",
                status="open",
                subject=f"Question {n} about sizes",
                priority=20,
                language="en",
                tags=[],
                sla_due_at=services.clock.now() + timedelta(hours=20),
            )
            db.add(conversation)
            db.flush()
            ids.append(conversation.id)
    return ids


def test_pages_need_a_signed_in_user(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as anonymous:
        for path in ("/ui/inbox", "/ui/inbox?queue=urgent", "/ui/c/abc", "/ui/events"):
            response = anonymous.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/ui/login?next=%2Fui%2F")
        assert anonymous.get("/").headers["location"] == "/ui/inbox"


def test_sign_in_refuses_wrong_passwords_redirects_home_and_signs_out(
    base_url: str, tenant: Tenant
) -> None:
    with httpx.Client(base_url=base_url) as client:
        token = csrf_of(client.get("/ui/login").text)
        for email in ("agent@a.test", "nobody@a.test"):  # the same answer either way
            response = client.post(
                "/ui/login",
                data={"email": email, "password": "wrong password", "csrf_token": token},
            )
            assert response.status_code == 401
            assert "Wrong email or password." in response.text
        assert client.get("/ui/inbox").status_code == 303
        response = client.post(
            "/ui/login",
            data={
                "email": "agent@a.test",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/ui/",
            },
        )
        assert response.headers["location"] == "/ui/inbox"  # only our own pages
        inbox = client.get("/ui/inbox")
        assert inbox.status_code == 200
        assert "Your inbox is empty" in inbox.text  # the newcomer's empty state
        assert "kefu demo" in inbox.text
        assert "default-src 'self'" in inbox.headers["content-security-policy"]
        out = client.post("/ui/logout", data={"csrf_token": csrf_of(inbox.text)})
        assert out.status_code == 303
        assert client.get("/ui/inbox").status_code == 303


def test_forms_without_the_session_csrf_token_are_rejected(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    conversation_id = ingest(base_url, tenant.agent_a)
    with httpx.Client(base_url=base_url) as client:
        client.get("/ui/login")
        refused = client.post(
            "/ui/login", data={"email": "agent@a.test", "password": "correct horse battery"}
        )
        assert refused.status_code == 403
    with sign_in(base_url, "agent@a.test") as client:
        page = client.get(f"/ui/c/{conversation_id}")
        for token in ("", "forged-token-forged-token-forged"):
            response = client.post(
                f"/ui/c/{conversation_id}/reply", data={"text": "Hello", "csrf_token": token}
            )
            assert response.status_code == 403
        with services.sessions() as db:
            assert db.scalars(select(Message).where(Message.direction == "outbound")).all() == []
        sent = client.post(
            f"/ui/c/{conversation_id}/reply",
            data={"text": "Hello Ana, it ships today.", "csrf_token": csrf_of(page.text)},
        )
        assert sent.status_code == 303
        assert "Hello Ana, it ships today." in client.get(f"/ui/c/{conversation_id}").text


def test_another_shops_conversation_is_not_found(base_url: str, tenant: Tenant) -> None:
    conversation_id = ingest(base_url, tenant.agent_a)
    with sign_in(base_url, "agent@b.test") as client:
        page = client.get(f"/ui/c/{conversation_id}")
        assert page.status_code == 404
        assert "Ana Ruiz" not in page.text
        token = csrf_of(client.get("/ui/inbox").text)
        posted = client.post(
            f"/ui/c/{conversation_id}/reply", data={"text": "hi", "csrf_token": token}
        )
        assert posted.status_code == 404
        changed = client.post(
            f"/ui/c/{conversation_id}/update", data={"status": "resolved", "csrf_token": token}
        )
        assert changed.status_code == 404
        remedy = client.post(
            f"/ui/c/{conversation_id}/remedy",
            data={"remedy": "full_refund", "csrf_token": token},
        )
        assert remedy.status_code == 404
        assert "Nothing is waiting for approval" not in client.get("/ui/approvals").text
        assert "Only shop admins see the settings." in client.get("/ui/settings").text
        assert "Ana Ruiz" not in client.get("/ui/inbox").text
    with sign_in(base_url, "admin@a.test") as admin:
        settings = admin.get("/ui/settings").text
    assert "Shop A" in settings and "agent@a.test" in settings
    assert "店铺B" not in settings and "agent@b.test" not in settings


def test_customer_text_and_html_are_escaped(base_url: str, tenant: Tenant) -> None:
    conversation_id = ingest(
        base_url,
        tenant.agent_a,
        text="<script>alert('x')</script><img src=x onerror=alert(1)> order 113-1234567-1234567",
        html="<p>Hi <a href='https://shop.example/'>link</a><script>alert(2)</script>"
        "<img src='https://tracker.example/p.gif'></p>",
        customer={"name": "<b onmouseover=alert(3)>Eve</b>", "external_id": "EVE1"},
    )
    with sign_in(base_url, "agent@a.test") as client:
        body = client.get(f"/ui/c/{conversation_id}").text
        inbox = client.get("/ui/inbox").text
    for page in (body, inbox):
        assert "<script>alert" not in page
        assert "<b onmouseover" not in page
        assert "&lt;b onmouseover=alert(3)&gt;Eve&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "tracker.example" not in body
    assert 'rel="noopener noreferrer nofollow"' in body  # links in customer HTML are marked
    # the order id is highlighted by its span, inside escaped text
    assert '<mark class="ent ent-order_id" title="order id">113-1234567-1234567</mark>' in body


def test_a_mistyped_tracking_number_is_flagged_for_the_agent(base_url: str, tenant: Tenant) -> None:
    conversation_id = ingest(
        base_url, tenant.agent_a, text="UPS tracking 1Z5R89390357567128 has not moved for a week"
    )
    with sign_in(base_url, "agent@a.test") as client:
        body = client.get(f"/ui/c/{conversation_id}").text
    assert body.count('data-testid="bad-check-digit"') == 1
    good = ingest(
        base_url,
        tenant.agent_a,
        external_id="m-2",
        customer={"name": "Bo Li", "external_id": "BOLI"},
        text="UPS tracking 1Z5R89390357567127, where is it?",
    )
    with sign_in(base_url, "agent@a.test") as client:
        assert 'data-testid="bad-check-digit"' not in client.get(f"/ui/c/{good}").text


def test_queues_filter_sort_and_paginate(base_url: str, tenant: Tenant, services: Services) -> None:
    angry = "This is RIDICULOUS, refund me now or I leave a bad review"
    ingest(
        base_url,
        tenant.agent_a,
        external_id="u1",
        text=angry,
        customer={"name": "Urgent Ursula", "external_id": "U1"},
    )
    seed_calm_conversations(services, tenant.shop_a, 52)
    with sign_in(base_url, "agent@a.test") as client:
        urgent = client.get("/ui/inbox?queue=urgent").text
        assert "Urgent Ursula" in urgent and "Calm Customer" not in urgent
        first = client.get("/ui/inbox").text
        assert first.count('class="row"') == 50
        assert first.index("Urgent Ursula") < first.index("Calm Customer")  # priority first
        assert "Page 1 of 2" in first
        second = client.get("/ui/inbox?page=2").text
        assert second.count('class="row"') == 3
        found = client.get("/ui/inbox", params={"q": "customer 07"}).text
        assert found.count('class="row"') == 1 and "Calm Customer 07" in found
        none = client.get("/ui/inbox", params={"language": "zh"}).text
        assert "Nothing matches these filters" in none


def test_the_sla_queue_puts_the_nearest_breach_first(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    calm = seed_calm_conversations(services, tenant.shop_a, 4)
    now = services.clock.now()
    due = {  # (priority, minutes left): overdue first, then by the clock, whatever the priority
        calm[0]: (60, 100),
        calm[1]: (5, 20),
        calm[2]: (30, -10),
        calm[3]: (90, 60 * 20),  # not at risk: not in this queue
    }
    with services.sessions() as db, db.begin():
        for conversation_id, (priority, minutes) in due.items():
            conversation = db.get(Conversation, conversation_id)
            assert conversation is not None
            conversation.priority = priority
            conversation.sla_due_at = now + timedelta(minutes=minutes)
    with sign_in(base_url, "agent@a.test") as client:
        page = client.get("/ui/inbox?queue=sla").text
        assert "Calm Customer 03" not in page
        order = [page.index(f"Calm Customer 0{n}") for n in (2, 1, 0)]
        assert order == sorted(order)
        everything = client.get("/ui/inbox").text  # the other queues stay priority first
        shown = [everything.index(f"Calm Customer 0{n}") for n in (3, 0, 2, 1)]
        assert shown == sorted(shown)


def test_reply_resolve_assign_and_note(base_url: str, tenant: Tenant, services: Services) -> None:
    conversation_id = ingest(base_url, tenant.agent_a)
    with sign_in(base_url, "agent@a.test") as client:
        token = csrf_of(client.get(f"/ui/c/{conversation_id}").text)
        client.post(
            f"/ui/c/{conversation_id}/update", data={"assignee_id": "me", "csrf_token": token}
        )
        client.post(
            f"/ui/c/{conversation_id}/reply",
            data={"text": "Checked: it left our warehouse.", "action": "note", "csrf_token": token},
        )
        client.post(
            f"/ui/c/{conversation_id}/reply",
            data={"text": "It is on its way.", "action": "resolve", "csrf_token": token},
        )
        page = client.get(f"/ui/c/{conversation_id}").text
    assert 'class="msg msg-note"' in page and "Checked: it left our warehouse." in page
    later = ingest(
        base_url,
        tenant.agent_a,
        external_id="m-2",
        customer={"name": "Bo Chen", "external_id": "BO1"},
    )
    with sign_in(base_url, "agent@a.test") as client:
        similar = client.get(f"/ui/c/{later}").text
    assert "Similar solved cases" in similar and "It is on its way." in similar
    with client_for(base_url, tenant.agent_a) as api:
        detail = api.get(f"/api/v1/conversations/{conversation_id}").json()
    assert detail["status"] == "resolved"
    assert [m["direction"] for m in detail["messages"]] == ["inbound", "note", "outbound"]
    with services.sessions() as db:
        agent = db.scalar(select(User).where(User.email == "agent@a.test"))
        assert agent is not None and detail["assignee_id"] == agent.id


def test_language_is_saved_per_user(base_url: str, tenant: Tenant) -> None:
    with sign_in(base_url, "agent@a.test") as client:
        token = csrf_of(client.get("/ui/inbox").text)
        client.post(
            "/ui/language", data={"language": "zh", "csrf_token": token, "next": "/ui/inbox"}
        )
        assert "收件箱" in client.get("/ui/inbox").text
    with sign_in(base_url, "agent@a.test") as again:  # a new session keeps the choice
        assert "收件箱" in again.get("/ui/inbox").text


def listen_for_events(base_url: str, count: int) -> tuple[threading.Thread, list[dict[str, Any]]]:
    """Agent A's event stream, read on a thread until ``count`` events came; started and
    connected when this returns."""
    received: list[dict[str, Any]] = []
    ready = threading.Event()

    def listen() -> None:
        with (
            sign_in(base_url, "agent@a.test") as client,
            client.stream("GET", "/ui/events") as stream,
        ):
            for line in stream.iter_lines():
                ready.set()
                if line.startswith("data: "):
                    received.append(json.loads(line[6:]))
                    if len(received) == count:
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert ready.wait(10)
    return listener, received


def test_event_stream_carries_only_the_viewers_shops(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    listener, received = listen_for_events(base_url, 1)
    ingest(
        base_url,
        tenant.agent_b,
        shop="shop-b",
        channel="pinduoduo",
        external_id="b1",
        text="亲 在吗",
        customer={"name": "王芳", "external_id": "WF"},
    )
    mine = ingest(base_url, tenant.agent_a, external_id="a1")
    listener.join(timeout=10)
    assert received == [{"type": "message", "conversation_id": mine}]
    # The client hung up: the stream ends and its subscription is released.
    subscribers = services.events._subscribers  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while subscribers.get("inbox") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert subscribers.get("inbox") == []


def test_event_stream_sends_a_burst_once_per_conversation_and_passes_resyncs_on(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    conversation_id = ingest(base_url, tenant.agent_a)
    listener, received = listen_for_events(base_url, 2)
    deadline = time.monotonic() + 5
    while not services.events._subscribers.get("inbox") and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.05)
    burst = {"type": "message", "conversation_id": conversation_id}
    for _ in range(50):  # inside one poll of the stream
        services.events.publish("inbox", burst)
    services.events.publish("inbox", RESYNC)
    listener.join(timeout=10)
    assert received == [burst, {"type": "resync", "conversation_id": ""}]


def test_editor_opens_with_the_draft_and_a_blocked_reply_keeps_the_text(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    conversation_id = ingest(base_url, tenant.agent_a)
    with sign_in(base_url, "agent@a.test") as client:
        page = client.get(f"/ui/c/{conversation_id}").text
        assert "Kefu drafted this reply" in page
        token = csrf_of(page)
        linted = client.post(
            f"/ui/c/{conversation_id}/lint",
            data={"text": "Your order {order} ships today."},
            headers={"X-CSRF-Token": token},
        ).json()
        assert linted["blocking"] is True
        assert {f["code"] for f in linted["findings"]} >= {"unresolved-placeholder"}
        blocked = client.post(
            f"/ui/c/{conversation_id}/reply",
            data={"text": "Your order {order} ships <b>today</b>.", "csrf_token": token},
        )
        assert blocked.status_code == 422
        assert "This reply has blocking problems" in blocked.text
        assert "Your order {order} ships &lt;b&gt;today&lt;/b&gt;.</textarea>" in blocked.text
        assert 'name="override_lint"' not in blocked.text  # agents cannot override
    with services.sessions() as db:
        assert db.scalars(select(Message).where(Message.direction == "outbound")).all() == []


def test_bulk_assign_resolve_tag_and_filter_by_tag(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    first, second, third = seed_calm_conversations(services, tenant.shop_a, 3)
    foreign = ingest(
        base_url,
        tenant.agent_b,
        shop="shop-b",
        channel="pinduoduo",
        external_id="b1",
        text="亲 在吗",
        customer={"name": "王芳", "external_id": "WF"},
    )
    with sign_in(base_url, "agent@a.test") as client:
        page = client.get("/ui/inbox")
        token = csrf_of(page.text)
        done = client.post(
            "/ui/bulk",
            data={
                "ids": [first, second],
                "action": "tag",
                "tag": "VIP",
                "csrf_token": token,
                "next": "/ui/inbox",
            },
        )
        assert done.status_code == 303
        tagged = client.get("/ui/inbox", params={"tag": "vip"}).text
        assert tagged.count('class="row"') == 2 and "Calm Customer 02" not in tagged
        client.post("/ui/bulk", data={"ids": [first], "action": "assign", "csrf_token": token})
        assert "Calm Customer 00" in client.get("/ui/inbox?queue=mine").text
        client.post(
            "/ui/bulk", data={"ids": [second, third], "action": "resolve", "csrf_token": token}
        )
        resolved = client.get("/ui/inbox?queue=resolved").text
        assert resolved.count('class="row"') == 2
        refused = client.post(
            "/ui/bulk", data={"ids": [first, foreign], "action": "resolve", "csrf_token": token}
        )
        assert refused.status_code == 303  # one foreign id voids the whole batch
        assert "could not be saved" in client.get("/ui/inbox").text
        client.post(f"/ui/c/{first}/update", data={"snooze_hours": "4", "csrf_token": token})
    with client_for(base_url, tenant.agent_a) as api:
        snoozed = api.get(f"/api/v1/conversations/{first}").json()
    assert snoozed["status"] == "snoozed" and snoozed["snoozed_until"]
    with client_for(base_url, tenant.agent_b) as api:
        assert api.get(f"/api/v1/conversations/{foreign}").json()["status"] != "resolved"


def test_the_inbox_shows_the_feeling_of_the_customers_unanswered_turn(
    base_url: str, tenant: Tenant
) -> None:
    # An angry message, then one naming no feeling: the customer is still angry until we reply.
    conversation_id = ingest(base_url, tenant.agent_a, text="This is ridiculous!! Where is it")
    again = ingest(
        base_url,
        tenant.agent_a,
        external_id="m-2",
        text="Order 113-1234567-1234567, please check",
        sent_at="2026-11-23T09:05:00Z",
    )
    assert again == conversation_id
    with sign_in(base_url, "agent@a.test") as client:
        assert 'class="emo emo-anger"' in client.get("/ui/inbox").text
        page = client.get(f"/ui/c/{conversation_id}").text
        assert 'class="emo emo-anger"' in page  # the triage panel reads the turn too
        # The calm message scores lower; the panel says why the conversation did not drop.
        assert 'data-testid="priority-kept"' in page
        token = csrf_of(page)
        client.post(
            f"/ui/c/{conversation_id}/reply",
            data={"text": "Sorry, checking now.", "action": "send", "csrf_token": token},
        )
        # Answered: nobody waits any more, whatever the stored priority still says.
        assert 'data-testid="priority-kept"' not in client.get(f"/ui/c/{conversation_id}").text
        ingest(
            base_url,
            tenant.agent_a,
            external_id="m-3",
            text="ok, thank you",
            sent_at="2099-01-01T09:10:00Z",
        )
        assert 'class="emo emo-anger"' not in client.get("/ui/inbox").text
