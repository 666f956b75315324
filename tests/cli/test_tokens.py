"""``kefu token create|list|revoke``: a revoked token is refused at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from kefu.accounts import service as accounts
from kefu.cli.main import app
from kefu.core.clock import FrozenClock
from kefu.services import Services
from tests.conftest import Tenant, client_for


def _kefu(services: Services, *args: str) -> tuple[int, str]:
    env = {"KEFU_DATABASE_URL": services.settings.database_url}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output.strip()


def test_a_revoked_token_is_refused_and_listed_as_revoked(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    code, token = _kefu(services, "token", "create", "agent@a.test", "--name", "zapier")
    assert code == 0
    with client_for(base_url, token) as api:
        assert api.get("/api/v1/conversations").status_code == 200
    code, listing = _kefu(services, "token", "list", "agent@a.test")
    assert code == 0 and f"{token[:12]}…  zapier" in listing and "active" in listing
    code, said = _kefu(services, "token", "revoke", "agent@a.test", token[:12])
    assert (code, said) == (0, f"revoked {token[:12]}… of agent@a.test")
    with client_for(base_url, token) as api:
        assert api.get("/api/v1/conversations").status_code == 401
    # The fixture's own token of the same user still works.
    with client_for(base_url, tenant.agent_a) as api:
        assert api.get("/api/v1/conversations").status_code == 200
    assert "revoked" in _kefu(services, "token", "list", "agent@a.test")[1]
    code, said = _kefu(services, "token", "revoke", "agent@a.test", token)
    assert code == 1 and "no active token" in said


def test_a_token_of_another_user_cannot_be_revoked_by_naming_it(
    base_url: str, tenant: Tenant, services: Services
) -> None:
    code, _ = _kefu(services, "token", "revoke", "agent@b.test", tenant.agent_a)
    assert code == 1
    with client_for(base_url, tenant.agent_a) as api:
        assert api.get("/api/v1/conversations").status_code == 200


def test_a_token_stops_working_when_it_expires(
    base_url: str, tenant: Tenant, services: Services, clock: FrozenClock
) -> None:
    with services.sessions() as db, db.begin():
        user = accounts.get_by_email(db=db, email="agent@a.test")
        token = accounts.create_token(
            db=db, user=user, name="temp", expires_at=clock.now() + timedelta(days=1)
        )
    message = {"shop": "shop-a", "channel": "email", "external_id": "exp-1", "text": "hello",
               "customer": {"email": "x@example.org"}}  # fmt: skip
    with client_for(base_url, token) as api:
        assert api.get("/api/v1/conversations").status_code == 200
        clock.advance(days=1)  # expiry is exclusive: at the stated instant it no longer works
        refused = api.get("/api/v1/conversations")
        assert refused.status_code == 401 and "expired" in refused.text
        # The ingest path checks tokens in its own batched look-up.
        assert api.post("/api/v1/messages/inbound", json=message).status_code == 401
    with client_for(base_url, tenant.agent_a) as api:  # a token without expiry still works
        assert api.get("/api/v1/conversations").status_code == 200
    # The CLI reads the wall clock: a token that ran out an hour ago is listed as expired.
    with services.sessions() as db, db.begin():
        user = accounts.get_by_email(db=db, email="agent@a.test")
        past = datetime.now(UTC) - timedelta(hours=1)
        old = accounts.create_token(db=db, user=user, name="old", expires_at=past)
    listing = _kefu(services, "token", "list", "agent@a.test")[1]
    assert f"{old[:12]}…  old" in listing and f"expired {past:%Y-%m-%d %H:%M}" in listing


def test_token_create_takes_a_lifetime_in_days(services: Services, tenant: Tenant) -> None:
    code, token = _kefu(services, "token", "create", "agent@a.test", "--expires-in", "30")
    assert code == 0
    code, listing = _kefu(services, "token", "list", "agent@a.test")
    line = next(x for x in listing.splitlines() if x.startswith(token[:12]))
    expected = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
    assert f"active until {expected}" in line
    code, said = _kefu(services, "token", "create", "agent@a.test", "--expires-in", "0")
    assert code != 0 and "expires-in" in said
