"""``kefu policy ...`` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kefu.cli.main import app

runner = CliRunner()


def test_validate_reports_lines_and_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "shop.yaml"
    bad.write_text("kind: shop_policy\nreturn_window_days: lots\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: return_window_days:" in result.output
    as_json = runner.invoke(app, ["policy", "validate", str(bad), "--json"])
    report = json.loads(as_json.output)
    assert report["valid"] is False and report["problems"][0]["line"] == 2


def test_validate_accepts_a_good_file(tmp_path: Path) -> None:
    good = tmp_path / "shop.yaml"
    good.write_text("kind: shop_policy\nreturn_window_days: 60\n", encoding="utf-8")
    result = runner.invoke(app, ["policy", "validate", str(good)])
    assert result.exit_code == 0 and "valid" in result.output


def test_show_renders_articles() -> None:
    en = runner.invoke(app, ["policy", "show", "amazon", "--region", "DE", "--raw"])
    assert en.exit_code == 0 and "# Amazon EU returns" in en.output
    zh = runner.invoke(app, ["policy", "show", "pinduoduo", "--lang", "zh", "--raw"])
    assert zh.exit_code == 0 and "七日无理由" in zh.output
    missing = runner.invoke(app, ["policy", "show", "ebay"])
    assert missing.exit_code == 1


def test_packs_lists_shipped_packs() -> None:
    result = runner.invoke(app, ["policy", "packs"])
    assert result.exit_code == 0 and "tau2_retail" in result.output
