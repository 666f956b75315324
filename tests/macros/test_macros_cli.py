"""``kefu macro list|add|render`` on both databases."""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.services import Services
from tests.inbox.test_draft_api import _conversation

runner = CliRunner()
AS_AGENT = ["--as", "agent@a.test"]


@pytest.fixture
def cli_db(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_DATABASE_URL", services.settings.database_url)


def test_add_list_and_render_from_the_console(api: httpx.Client, cli_db: None) -> None:
    cid = _conversation(api, "Where is my blender? Order 113-7654321-7654321")
    body = "Hi {customer.first_name}, order {order.id} is with {shipment.carrier}."
    added = runner.invoke(
        app,
        [
            "macro",
            "add",
            body,
            "--shop",
            "shop-a",
            "--name",
            "WISMO",
            "--language",
            "en",
            "--intent",
            "order_status",
            "--json",
            *AS_AGENT,
        ],
    )
    assert added.exit_code == 0, added.output
    macro_id = json.loads(added.output)["id"]
    listed = runner.invoke(app, ["macro", "list", "--language", "en", "--json", *AS_AGENT])
    assert [m["id"] for m in json.loads(listed.output)] == [macro_id]
    table = runner.invoke(app, ["macro", "list", "--shop", "shop-a", *AS_AGENT])
    assert table.exit_code == 0 and "WISMO" in table.output
    rendered = runner.invoke(
        app, ["macro", "render", macro_id, "--conversation", cid, "--json", *AS_AGENT]
    )
    assert rendered.exit_code == 0, rendered.output
    result = json.loads(rendered.output)
    assert result["text"] == "Hi Dana, order 113-7654321-7654321 is with UPS."
    plain = runner.invoke(app, ["macro", "render", macro_id, "-c", cid, *AS_AGENT])
    assert plain.exit_code == 0 and "113-7654321-7654321" in plain.output


def test_console_refuses_an_unknown_variable_and_another_shop(
    api: httpx.Client, cli_db: None
) -> None:
    bad = runner.invoke(
        app,
        [
            "macro",
            "add",
            "Hi {order.idd}",
            "--shop",
            "shop-a",
            "--name",
            "x",
            "--language",
            "en",
            *AS_AGENT,
        ],
    )
    assert bad.exit_code == 1 and "{order.idd}" in bad.output and "{order.id}" in bad.output
    other = runner.invoke(
        app,
        [
            "macro",
            "add",
            "亲，在的~",
            "--shop",
            "shop-b",
            "--name",
            "在的",
            "--language",
            "zh",
            *AS_AGENT,
        ],
    )
    assert other.exit_code == 1 and "not found" in other.output
    invalid = runner.invoke(
        app, ["macro", "add", "Hi", "--shop", "shop-a", "--name", "x", "--language", "??"]
    )
    assert invalid.exit_code == 1 and "language" in invalid.output
    missing = runner.invoke(app, ["macro", "render", "nope", "-c", "nope", *AS_AGENT])
    assert missing.exit_code == 1 and "not found" in missing.output
