"""A signed-in browser may read the API with its cookie, but writes need the CSRF token."""

from __future__ import annotations

from tests.conftest import Tenant
from tests.web.conftest import csrf_of, inbound, sign_in


def test_cookie_writes_to_the_api_need_the_csrf_token(base_url: str, tenant: Tenant) -> None:
    with sign_in(base_url, "agent@a.test") as browser:
        assert browser.get("/api/v1/conversations").status_code == 200
        forged = browser.post("/api/v1/messages/inbound", json=inbound())
        assert forged.status_code == 401
        token = csrf_of(browser.get("/ui/inbox").text)
        sent = browser.post(
            "/api/v1/messages/inbound", json=inbound(), headers={"X-CSRF-Token": token}
        )
        assert sent.status_code == 201, sent.text
        wrong = browser.post(
            "/api/v1/messages/inbound",
            json=inbound(external_id="m-2"),
            headers={"X-CSRF-Token": token + "x"},
        )
        assert wrong.status_code == 401
