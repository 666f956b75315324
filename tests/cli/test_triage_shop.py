"""``kefu triage --shop`` takes the platform and languages of a stored shop."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.services import Services
from tests.conftest import Tenant


def test_triage_uses_the_shops_platform_and_languages(services: Services, tenant: Tenant) -> None:
    env = {"KEFU_DATABASE_URL": services.settings.database_url}
    text = "亲 订单 261121-578878384837261 怎么还没到"
    result = CliRunner().invoke(app, ["triage", text, "--shop", "shop-b", "--json"], env=env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["language"] == "zh"
    assert [e["platform"] for e in body["entities"] if e["type"] == "order_id"] == ["pinduoduo"]
    unknown = CliRunner().invoke(app, ["triage", text, "--shop", "nope"], env=env)
    assert unknown.exit_code == 2 and "not found" in unknown.output
