"""``kefu policy check``: a stored order's decision from the console, on both databases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.orders import service as orders
from kefu.orders.schemas import OrderIn
from kefu.services import Services
from tests.conftest import Tenant
from tests.policy.test_actions_api import ORDER

runner = CliRunner()


@pytest.fixture
def stored(services: Services, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KEFU_DATABASE_URL", services.settings.database_url)
    with services.sessions() as db, db.begin():
        body = OrderIn.model_validate({k: v for k, v in ORDER.items() if k != "shop"})
        order = orders.upsert(db=db, shop_id=tenant.shop_a, order_in=body)
        return order.id


def test_check_shows_the_decision_and_changes_nothing(stored: str, services: Services) -> None:
    result = runner.invoke(
        app, ["policy", "check", "--order", "113-5550001-0000001", "--remedy", "cancel", "--json"]
    )
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["requested"]["verdict"] == "denied"
    assert decision["requested"]["rule_id"] == "amazon.before_shipment"
    partial = runner.invoke(
        app,
        ["policy", "check", "--order", stored, "--remedy", "partial_refund", "--amount", "51"],
    )
    assert partial.exit_code == 0 and "kefu.input.over_total" in partial.output
    zh = runner.invoke(
        app, ["policy", "check", "--order", stored, "--remedy", "full_refund", "--lang", "zh"]
    )
    assert zh.exit_code == 0 and "full_refund" in zh.output
    missing = runner.invoke(app, ["policy", "check", "--order", "nope", "--remedy", "cancel"])
    assert missing.exit_code == 1 and "not found" in missing.output
    bad = runner.invoke(app, ["policy", "check", "--order", stored, "--remedy", "teleport"])
    assert bad.exit_code == 2
