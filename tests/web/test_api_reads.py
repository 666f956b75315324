"""API and workbench reads do not queue behind a writer: on SQLite they run beside a held
write lock."""

from __future__ import annotations

import pytest

from kefu.services import Services
from tests.conftest import Tenant, client_for
from tests.web.conftest import inbound, sign_in


def test_listing_answers_while_another_connection_holds_the_write_lock(
    base_url: str, services: Services, tenant: Tenant
) -> None:
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the write lock that readers must not wait for is SQLite's")
    with client_for(base_url, tenant.agent_a) as a:
        # Writers begin with BEGIN IMMEDIATE: the lock is held from here to the block's end.
        with services.engine.connect() as writer, writer.begin():
            # The busy timeout is 30 s: a reader that took the write lock would time out here.
            listing = a.get("/api/v1/conversations", timeout=5)
        assert listing.status_code == 200, listing.text


def test_workbench_pages_answer_while_another_connection_holds_the_write_lock(
    base_url: str, services: Services, tenant: Tenant
) -> None:
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the write lock that readers must not wait for is SQLite's")
    with client_for(base_url, tenant.agent_a) as api:
        created = api.post("/api/v1/messages/inbound", json=inbound())
        assert created.status_code in (200, 201), created.text
        conversation_id = created.json()["conversation_id"]
    with sign_in(base_url, "agent@a.test") as browser:
        with services.engine.connect() as writer, writer.begin():
            pages = [
                browser.get("/ui/inbox", timeout=5),
                browser.get(f"/ui/c/{conversation_id}", timeout=5),
                browser.get("/ui/kb", timeout=5),
            ]
        assert [p.status_code for p in pages] == [200, 200, 200]
        assert "Where is my order" in pages[1].text
