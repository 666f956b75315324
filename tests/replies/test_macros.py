"""Macros: unknown variables fail at save time; rendering fills known ones from the context."""

from __future__ import annotations

from kefu.replies import CustomerRef, lint
from kefu.replies.macros import macro_variables, render_macro, validate_macro
from tests.replies.factories import context, shipped_order


def test_known_variables_validate() -> None:
    body = (
        "Hi {customer.first_name}, order {order.id} is with {shipment.carrier} "
        "({shipment.tracking_number}, {shipment.tracking_url}). {shop.name}"
    )
    assert validate_macro(body) == []


def test_unknown_variable_is_an_error_with_a_suggestion() -> None:
    body = "Order {order.idd} for {customer.nickname}"
    problems = validate_macro(body)
    assert [p.code for p in problems] == ["unknown-variable", "unknown-variable"]
    assert body[problems[0].start : problems[0].end] == "{order.idd}"
    assert "{order.id}" in problems[0].message


def test_stray_braces_and_empty_bodies_are_errors() -> None:
    assert [p.code for p in validate_macro("Price } or {")] == ["stray-brace", "stray-brace"]
    assert [p.code for p in validate_macro("   ")] == ["empty"]
    assert [p.code for p in validate_macro("x" * 20_000)] == ["too-long"]
    assert validate_macro("Use {{braces}} literally") == []


def test_render_fills_values_in_the_customer_language() -> None:
    ctx = context(language="de", customer=CustomerRef(name="Jan Berg"))
    out = render_macro(
        "Hallo {customer.first_name}, Bestellung {order.id} kommt am "
        "{order.promised_date} ({order.total}). {{ok}}",
        ctx,
    )
    assert out == (
        "Hallo Jan, Bestellung 113-1234567-1234567 kommt am 18. November 2026 (39,98\u00a0$). {ok}"
    )


def test_known_variable_without_value_stays_and_blocks_the_send() -> None:
    ctx = context(order=shipped_order(tracking_number=None))
    out = render_macro("Tracking: {shipment.tracking_number}", ctx)
    assert out == "Tracking: {shipment.tracking_number}"
    assert any(
        f.code == "unresolved-placeholder" and f.severity == "blocking"
        for f in lint(out, language="en", platform="amazon")
    )


def test_values_cannot_inject_placeholders() -> None:
    ctx = context(customer=CustomerRef(name="{order.id}"))
    assert render_macro("Hi {customer.name}", ctx) == "Hi (order.id)"


def test_variable_list_is_public() -> None:
    assert {"customer.first_name", "order.id", "shipment.tracking_url"} <= set(macro_variables())
