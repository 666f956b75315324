"""Bad input anywhere in the API gets a 4xx that says what is wrong, never a 500, and stores
nothing half-done (checked on SQLite and PostgreSQL, which refuses NUL characters)."""

from __future__ import annotations

import pytest

from kefu.core.text import clean_text
from tests.conftest import Tenant, client_for
from tests.web.conftest import inbound


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/conversations?language=%00",
        "/api/v1/conversations?shop=a%00b",
        "/api/v1/customers?q=%00",
        "/api/v1/orders?status=%00",
        "/api/v1/orders/%00x",
        "/api/v1/conversations/%00",
    ],
)
def test_a_nul_in_the_url_is_a_422(base_url: str, tenant: Tenant, path: str) -> None:
    with client_for(base_url, tenant.agent_a) as api:
        response = api.get(path)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"] == "NUL characters are not allowed"


def test_conversation_patch_cleans_strings_and_wants_a_time_zone(
    base_url: str, tenant: Tenant
) -> None:
    with client_for(base_url, tenant.agent_a) as api:
        conversation_id = api.post("/api/v1/messages/inbound", json=inbound()).json()[
            "conversation_id"
        ]
        url = f"/api/v1/conversations/{conversation_id}"
        naive = api.patch(url, json={"snoozed_until": "2026-12-01T00:00:00"})
        assert naive.status_code == 422
        assert naive.json()["detail"][0]["loc"] == ["body", "snoozed_until"]
        # JSON may escape a NUL and a lone surrogate; neither can be stored.
        tagged = api.patch(
            url,
            content=b'{"tags": ["a\\u0000b", "vip\\ud800"]}',
            headers={"content-type": "application/json"},
        )
        assert tagged.status_code == 200, tagged.text
        assert sorted(tagged.json()["tags"]) == ["ab", clean_text("vip\ud800")]
        assigned = api.patch(url, json={"assignee_id": "a\u0000"})
        assert assigned.status_code in (404, 422), assigned.text


def test_user_emails_with_control_characters_are_cleaned(base_url: str, tenant: Tenant) -> None:
    with client_for(base_url, tenant.admin_a) as admin:
        created = admin.post(
            "/api/v1/users",
            json={"email": "x\u0000@example.com", "memberships": [{"shop": "shop-a"}]},
        )
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "x@example.com"
