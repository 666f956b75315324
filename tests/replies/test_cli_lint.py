"""kefu lint TEXT [--json]."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kefu.cli.main import app

runner = CliRunner()


def test_lint_json_reports_findings_and_blocks() -> None:
    result = runner.invoke(
        app,
        [
            "lint",
            "Hi u, see https://x.example {order.id}",
            "--json",
            "--platform",
            "amazon",
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["blocking"] is True
    found = {f["code"] for f in report["findings"]}
    assert {"slang", "platform-external-link", "unresolved-placeholder"} <= found


def test_clean_reply_exits_zero() -> None:
    result = runner.invoke(app, ["lint", "Your parcel ships today.", "--language", "en"])
    assert result.exit_code == 0
    assert "No findings" in result.stdout


def test_detects_language_and_reads_stdin() -> None:
    result = runner.invoke(
        app,
        ["lint", "-", "--json", "--no-qin", "-p", "pinduoduo"],
        input="亲亲，您的包裹已经发出啦",
    )
    report = json.loads(result.stdout)
    assert report["language"] == "zh"
    assert [f["code"] for f in report["findings"]] == ["brand-qin"]


def test_unknown_platform_is_a_usage_error() -> None:
    result = runner.invoke(app, ["lint", "hi", "--platform", "ebay"])
    assert result.exit_code == 2


def test_invalid_utf8_on_stdin_is_replaced_not_a_crash() -> None:
    result = runner.invoke(app, ["lint", "-", "--json", "-l", "en"], input=b"Hi \xff\xfe {x}")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"][0]["code"] == "unresolved-placeholder"
