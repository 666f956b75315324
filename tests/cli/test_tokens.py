"""``kefu token create|list|revoke``: a revoked token is refused at once."""

from __future__ import annotations

from typer.testing import CliRunner

from kefu.cli.main import app
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
