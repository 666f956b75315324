"""Queue, patch, replies and notes through the REST API."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from kefu.core.clock import FrozenClock
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.storage.audit import AuditEvent
from kefu.storage.jobs import Job
from tests.inbox.test_ingest_api import inbound


def _open(api: httpx.Client, n: int, text: str, **extra: object) -> str:
    body = inbound(
        external_id=f"m{n}",
        thread_id=f"t{n}",
        text=text,
        customer={"email": f"c{n}@example.org"},
        **extra,
    )
    response = api.post("/api/v1/messages/inbound", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["conversation_id"])


def test_queue_is_sorted_by_priority_and_filters_apply(api: httpx.Client) -> None:
    calm = _open(api, 1, "Hi, do you ship to Canada?")
    angry = _open(
        api, 2, "THIS IS THE THIRD TIME I ASK. Refund me today or I file an A-to-z claim!"
    )
    page = api.get("/api/v1/conversations").json()
    ids = [c["id"] for c in page["items"]]
    assert ids.index(angry) < ids.index(calm)
    assert page["total"] == 2
    api.patch(f"/api/v1/conversations/{calm}", json={"status": "pending", "tags": ["VIP", " vip "]})
    pending = api.get("/api/v1/conversations", params={"status": "pending"}).json()
    assert [c["id"] for c in pending["items"]] == [calm]
    assert pending["items"][0]["tags"] == ["vip"]
    assert api.get("/api/v1/conversations", params={"tag": "vip"}).json()["total"] == 1
    assert api.get("/api/v1/conversations", params={"channel": "email"}).json()["total"] == 0


def test_patch_rejects_unknown_fields_and_foreign_assignees(api: httpx.Client) -> None:
    cid = _open(api, 1, "hello")
    assert api.patch(f"/api/v1/conversations/{cid}", json={"colour": "red"}).status_code == 422
    assert api.patch(f"/api/v1/conversations/{cid}", json={"priority": 101}).status_code == 422
    response = api.patch(f"/api/v1/conversations/{cid}", json={"assignee_id": "nobody"})
    assert response.status_code == 422
    assert response.json()["field"] == "assignee_id"


def test_reply_is_stored_with_its_send_job_and_is_idempotent(
    api: httpx.Client, services: Services
) -> None:
    cid = _open(api, 1, "Where is my parcel?")
    body = {"text": "Your parcel left our warehouse today.", "request_key": "k-1"}
    first = api.post(f"/api/v1/conversations/{cid}/replies", json=body)
    again = api.post(f"/api/v1/conversations/{cid}/replies", json=body)
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert first.json()["delivery_state"] == "queued"
    with services.sessions() as db:
        jobs = db.scalars(select(Job)).all()
    assert [(j.kind, j.payload["message_id"]) for j in jobs] == [
        ("send_message", first.json()["id"])
    ]
    detail = api.get(f"/api/v1/conversations/{cid}").json()
    assert detail["status"] == "pending" and detail["sla_due_at"] is None
    assert detail["first_response_at"] is not None


def test_a_request_key_answers_only_for_its_own_conversation_and_text(
    api: httpx.Client, services: Services
) -> None:
    first, second = _open(api, 1, "Where is my parcel?"), _open(api, 2, "Is it in stock?")
    body = {"text": "It left our warehouse today.", "request_key": "rk1"}
    assert api.post(f"/api/v1/conversations/{first}/replies", json=body).status_code == 201
    # The same key on another conversation is another reply, stored and sent.
    other = api.post(
        f"/api/v1/conversations/{second}/replies",
        json={"text": "Yes, it is.", "request_key": "rk1"},
    )
    assert other.status_code == 201 and other.json()["conversation_id"] == second
    # The same key with a different text is refused, not answered with the old reply.
    changed = {"text": "Sorry, it has not left yet.", "request_key": "rk1"}
    refused = api.post(f"/api/v1/conversations/{first}/replies", json=changed)
    assert refused.status_code == 409
    with services.sessions() as db:
        assert len(db.scalars(select(Job)).all()) == 2


def test_note_is_never_queued_for_sending(api: httpx.Client, services: Services) -> None:
    cid = _open(api, 1, "Where is my parcel?")
    note = api.post(f"/api/v1/conversations/{cid}/notes", json={"text": "@sup customer is VIP"})
    assert note.status_code == 201 and note.json()["direction"] == "note"
    with services.sessions() as db:
        assert db.scalars(select(Job)).all() == []


def test_reply_to_unknown_conversation_is_404(api: httpx.Client) -> None:
    response = api.post("/api/v1/conversations/nope/replies", json={"text": "hi"})
    assert response.status_code == 404
    assert api.post("/api/v1/conversations/nope/replies", json={"text": ""}).status_code == 422


def test_patch_refuses_nulls_and_snoozes_that_contradict_the_status(api: httpx.Client) -> None:
    cid = _open(api, 1, "hello")
    url = f"/api/v1/conversations/{cid}"
    for field in ("status", "priority", "tags"):
        refused = api.patch(url, json={field: None})
        assert refused.status_code == 422, (field, refused.text)
    later, earlier = "2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"
    # A snooze time on an open conversation, a snooze without one, a snooze into the past.
    for body in ({"snoozed_until": later}, {"status": "snoozed"}, {"status": "snoozed", "snoozed_until": earlier}):  # fmt: skip
        refused = api.patch(url, json=body)
        assert refused.status_code == 422 and refused.json()["field"] == "snoozed_until", body
    assert api.get(url).json()["status"] == "new"
    snoozed = api.patch(url, json={"status": "snoozed", "snoozed_until": later}).json()
    assert (snoozed["status"], snoozed["snoozed_until"][:4]) == ("snoozed", "2030")
    reopened = api.patch(url, json={"status": "open"}).json()
    assert (reopened["status"], reopened["snoozed_until"]) == ("open", None)


def test_tags_filter_as_they_are_stored_and_resolving_stops_the_sla_clock(
    api: httpx.Client,
) -> None:
    cid = _open(api, 1, "Where is my parcel?")
    url = f"/api/v1/conversations/{cid}"
    api.patch(url, json={"tags": [" VIP "]})
    for asked in ("VIP", " vip", "vip"):
        found = api.get("/api/v1/conversations", params={"tag": asked}).json()
        assert found["total"] == 1, asked
    assert api.get(url).json()["sla_due_at"] is not None
    assert api.patch(url, json={"status": "resolved"}).json()["sla_due_at"] is None


def test_a_snooze_ends_on_its_own_when_its_time_comes(
    api: httpx.Client, services: Services, clock: FrozenClock
) -> None:
    cid = _open(api, 1, "hello")
    url = f"/api/v1/conversations/{cid}"
    until = (clock.now() + timedelta(hours=4)).isoformat()
    assert api.patch(url, json={"status": "snoozed", "snoozed_until": until}).status_code == 200
    worker = Worker(services)
    clock.advance(hours=3)
    worker.run_once()
    assert api.get(url).json()["status"] == "snoozed"
    clock.advance(hours=2)
    worker.run_once()
    woken = api.get(url).json()
    assert (woken["status"], woken["snoozed_until"]) == ("open", None)
    with services.sessions() as db:
        reasons = db.scalars(select(AuditEvent.reason).where(AuditEvent.entity_id == cid)).all()
    assert "the snooze ran out" in reasons


def test_an_earlier_snoozes_job_leaves_a_longer_snooze_alone(
    api: httpx.Client, services: Services, clock: FrozenClock
) -> None:
    cid = _open(api, 1, "hello")
    url = f"/api/v1/conversations/{cid}"
    for hours in (1, 48):
        until = (clock.now() + timedelta(hours=hours)).isoformat()
        assert api.patch(url, json={"status": "snoozed", "snoozed_until": until}).status_code == 200
    clock.advance(hours=2)
    Worker(services).run_once()
    assert api.get(url).json()["status"] == "snoozed"
