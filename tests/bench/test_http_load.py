"""The bench's HTTP load generator reads real server answers and stops at the first error."""

from __future__ import annotations

import pytest
from bench.http_load import LoadError, get_all, post_all
from sqlalchemy import func, select

from kefu.conversations.models import Message
from kefu.services import Services
from tests.conftest import Tenant
from tests.inbox.test_ingest_api import inbound


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1].rstrip("/"))


def test_every_post_is_answered_and_stored(
    base_url: str, services: Services, tenant: Tenant
) -> None:
    bodies = [inbound(external_id=f"load-{n}", thread_id=f"t-{n % 3}") for n in range(20)]
    run = post_all(port_of(base_url), "/api/v1/messages/inbound", tenant.agent_a, bodies, 4)
    assert len(run.latencies_ms) == 20 and run.requests_per_s > 0
    with services.sessions() as db:
        assert db.scalar(select(func.count()).select_from(Message)) == 20


def test_an_error_answer_stops_the_run(base_url: str, tenant: Tenant) -> None:
    with pytest.raises(LoadError, match="HTTP 401"):
        post_all(port_of(base_url), "/api/v1/messages/inbound", "kefu_bad", [inbound()], 1)


def test_gets_are_counted_per_request(base_url: str) -> None:
    run = get_all(port_of(base_url), "/api/v1/health", 10, 3)
    assert len(run.latencies_ms) == 10
    with pytest.raises(LoadError, match="HTTP 404"):
        get_all(port_of(base_url), "/api/v1/nowhere", 1, 1)
