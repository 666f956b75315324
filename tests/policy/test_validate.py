"""Pack and shop-policy validation: every problem with its line number; bad files never crash."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kefu.errors import InvalidInput
from kefu.policy import available_packs, shop_policy_from_file, validate_policy_file
from kefu.policy.pack import _packs_dir

GOOD_SHOP = """\
kind: shop_policy
currency: usd
return_window_days: 45
free_return_shipping: true
restocking_fee_pct: 15
non_returnable_categories: [underwear]
returnless_refund_under: 12.5
goodwill_limits: {agent: 10, supervisor: 50}
"""

BAD_PACK = """\
id: my_shop
version: 1
kind: shop
platform: shopify
title: {en: Mine, zh: 我的}
summary: {en: Mine, zh: 我的}
timezone: Asia/Shanghai
values:
  window: {value: 30, unit: days, source: me, as_of: 2026-01-01, confidence: high}
remedies:
  cancel:
    summary: {en: c, zh: 取消}
    checks:
      - rule: mine.status
        check: status_in
        statuses: [pending]
        verdict: maybe
        reason: {en: no, zh: 不行}
      - rule: mine.window
        check: within_days
        from: delivered_at
        days: $windw
        reason: {en: late, zh: 超时}
    allow: {rule: mine.ok, reason: {en: ok, zh: 可以}}
    refund: full_order
    refnd_shipping: always
"""


def write(tmp_path: Path, text: str | bytes, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("pack_id", available_packs())
def test_every_shipped_pack_is_valid(pack_id: str) -> None:
    assert validate_policy_file(_packs_dir() / f"{pack_id}.yaml") == []


def test_problems_come_with_line_numbers_and_keys(tmp_path: Path) -> None:
    problems = validate_policy_file(write(tmp_path, BAD_PACK))
    found = {(p.line, p.key) for p in problems}
    assert (17, "remedies.cancel.checks.0.verdict") in found  # wrong value
    assert (22, "remedies.cancel.checks.1.days") in found  # unknown $reference
    assert (26, "remedies.cancel.refnd_shipping") in found  # unknown key (a typo)
    typo = next(p for p in problems if p.key.endswith("refnd_shipping"))
    assert "unknown key" in typo.message


def test_wrong_type_is_reported_where_it_is(tmp_path: Path) -> None:
    text = GOOD_SHOP.replace("return_window_days: 45", "return_window_days: forty")
    problems = validate_policy_file(write(tmp_path, text))
    assert [(p.line, p.key) for p in problems] == [(3, "return_window_days")]
    assert "integer" in problems[0].message and "forty" in problems[0].message


def test_shop_policy_file_round_trip(tmp_path: Path) -> None:
    policy = shop_policy_from_file(write(tmp_path, GOOD_SHOP))
    assert policy.currency == "USD" and policy.return_window_days == 45
    assert policy.restocking_fee_pct == Decimal(15) and policy.returnless_refund_under == Decimal(
        "12.5"
    )
    assert policy.limit("goodwill", "agent") == Decimal(10)
    assert policy.limit("goodwill", "admin") is None  # the default: no limit
    with pytest.raises(InvalidInput, match="line 2"):
        shop_policy_from_file(write(tmp_path, "kind: shop_policy\nwindow: 3\n", "bad.yaml"))


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        (b"", 1, "mapping"),
        (b"- just\n- a list\n", 1, "mapping"),
        (b"kind: shop_policy\nkey: [unclosed\n", 3, "not valid YAML"),
        (b"kind: shop_policy\ncurrency: \xff\xfe\n", 2, "UTF-8"),
        (b"kind: shop_policy\ncurrency: USD\ncurrency: EUR\n", 3, "twice"),
        ("kind: shop_policy\nnote: \U0001f600\U0001f600\n".encode(), 2, "unknown key"),
        (b"kind: shop_policy\ncurrency: " + b"X" * 65536 + b"\n", 2, "currency"),
        (b"kind: shop_policy\n" + b"# filler\n" * 120_000, 0, "limit"),
    ],
)
def test_malformed_files_give_a_clear_problem(
    tmp_path: Path, content: bytes, line: int, fragment: str
) -> None:
    problems = validate_policy_file(write(tmp_path, content))
    assert problems, "expected at least one problem"
    assert any(p.line == line and fragment in str(p) for p in problems), problems


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["kind: shop_policy", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    problems = validate_policy_file(write(tmp_path, "\n".join(lines) + "\n"))
    assert [p.line for p in problems] == [0] and "expands" in problems[0].message


def test_missing_file(tmp_path: Path) -> None:
    problems = validate_policy_file(tmp_path / "absent.yaml")
    assert problems[0].line == 0 and "cannot read" in problems[0].message


def test_unknown_timezone_and_floor(tmp_path: Path) -> None:
    text = (_packs_dir() / "temu.yaml").read_text(encoding="utf-8")
    text = text.replace("timezone: America/New_York", "timezone: Moon/Base")
    text = text.replace("floors_by_region:", "floors: [mars_law]\nfloors_by_region:")
    problems = validate_policy_file(write(tmp_path, text))
    keys = {p.key for p in problems}
    assert {"timezone", "floors"} <= keys
