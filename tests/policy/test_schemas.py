"""The API edge: request bodies in, decisions and execution results out as JSON."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from kefu.errors import InvalidInput, NotFound
from kefu.policy import (
    ActionIn,
    InMemoryOrderActions,
    Remedy,
    RemedyRequest,
    RemedyRequestIn,
    ShopPolicy,
    Verdict,
    decision_to_dict,
    evaluate_order,
    execute_remedy,
    execution_to_dict,
)
from tests.policy.factories import MUG_RED, order, utc

NOW = utc(2026, 11, 10)


def fake() -> InMemoryOrderActions:
    return InMemoryOrderActions(orders=[order(platform="shopify")], variants=[MUG_RED])


def test_request_body_to_engine_request_and_decision_json() -> None:
    body = RemedyRequestIn.model_validate(
        {
            "remedy": "exchange",
            "exchanges": [{"from_sku": "MUG-1", "to_sku": "MUG-2"}],
            "reason_category": "wrong_item",
        }
    )
    decision = evaluate_order(
        actions=fake(),
        shop_id="shop-1",
        order_id="113-0000001-0000001",
        request=body.to_request(),
        shop_policy=ShopPolicy(),
        now=NOW,
    )
    assert decision.requested.verdict is Verdict.ALLOWED  # the real variant was looked up
    data = json.loads(json.dumps(decision_to_dict(decision), ensure_ascii=False))
    assert data["requested"]["verdict"] == "allowed"
    assert data["requested"]["price_difference"] == {"amount": "2.00", "currency": "USD"}
    assert data["evaluated_at"] == "2026-11-10T00:00:00+00:00"


def test_action_json_includes_receipt() -> None:
    body = ActionIn.model_validate(
        {
            "remedy": "partial_refund",
            "amount": {"amount": "5", "currency": "usd"},
            "request_key": "a1",
        }
    )
    result = execute_remedy(
        actions=fake(),
        shop_id="shop-1",
        order_id="113-0000001-0000001",
        request=body.to_request(),
        request_key=body.request_key,
        shop_policy=ShopPolicy(),
        now=NOW,
    )
    data = execution_to_dict(result)
    assert data["status"] == "executed" and data["receipt"]["refund"]["amount"] == "5.00"


@pytest.mark.parametrize(
    "body",
    [
        {"remedy": "teleport"},
        {"remedy": "cancel", "colour": "red"},
        {"remedy": "partial_refund", "amount": {"amount": "NaN", "currency": "USD"}},
        {"remedy": "partial_refund", "amount": {"amount": "1", "currency": "dollars"}},
        {"remedy": "return_and_refund", "lines": [{"sku": "A", "quantity": 0}]},
        {"remedy": "cancel", "reason": "x" * 65536},
    ],
)
def test_bad_bodies_are_rejected(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        RemedyRequestIn.model_validate(body)


def test_evaluate_order_refuses_unknown_order_other_shop_and_unknown_variant() -> None:
    body = RemedyRequestIn(remedy="cancel")  # type: ignore[arg-type]
    args = {
        "actions": fake(),
        "request": body.to_request(),
        "shop_policy": ShopPolicy(),
        "now": NOW,
    }
    with pytest.raises(NotFound):
        evaluate_order(shop_id="shop-1", order_id="nope", **args)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        evaluate_order(shop_id="shop-9", order_id="113-0000001-0000001", **args)  # type: ignore[arg-type]
    ghost = RemedyRequestIn.model_validate(
        {"remedy": "exchange", "exchanges": [{"from_sku": "MUG-1", "to_sku": "GHOST"}]}
    )
    with pytest.raises(InvalidInput, match="GHOST"):
        evaluate_order(
            actions=fake(),
            shop_id="shop-1",
            order_id="113-0000001-0000001",
            request=ghost.to_request(),
            shop_policy=ShopPolicy(),
            now=NOW,
        )


def test_lone_surrogates_and_emoji_do_not_crash() -> None:
    text = "\ud800 broken \U0001f621"
    with pytest.raises(ValidationError):  # the edge refuses text that is not valid Unicode
        RemedyRequestIn(remedy="escalate", reason=text)  # type: ignore[arg-type]
    request = RemedyRequest(Remedy.ESCALATE, reason=text, requester_customer_id="\U0001f621")
    result = execute_remedy(
        actions=fake(),
        shop_id="shop-1",
        order_id="113-0000001-0000001",
        request=request,
        request_key="e1",
        shop_policy=ShopPolicy(),
        now=NOW,
    )
    assert result.status.value == "executed" and result.receipt is not None
