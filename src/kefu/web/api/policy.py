"""Policy decisions and order actions: evaluate, act, and a shop's own policy terms."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response, status
from pydantic import Field

from kefu.inbox import remedies
from kefu.inbox.snapshots import shop_policy
from kefu.policy import (
    ActionIn,
    ExecutionStatus,
    RemedyRequestIn,
    ShopPolicy,
    decision_to_dict,
    execution_to_dict,
)
from kefu.policy.schemas import plain
from kefu.shops import service as shop_service
from kefu.shops.models import Shop
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["policy"])


class EvaluateIn(RemedyRequestIn):
    """A remedy request for one order (Kefu id or marketplace order id)."""

    order_id: Annotated[str, Field(min_length=1, max_length=64)]


@router.post("/policy/evaluate")
def evaluate(body: EvaluateIn, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """What the policy allows for this order now, with reasons in English and Chinese."""
    decision = remedies.evaluate_for_order(
        sessions=services.sessions,
        principal=principal,
        order_ref=body.order_id,
        request=body.to_request(),
        now=services.clock.now(),
    )
    return decision_to_dict(decision)


@router.post(
    "/orders/{order_id}/actions",
    responses={
        200: {"description": "a retry of an executed request: the first outcome, unchanged"},
        201: {"description": "executed"},
        202: {"description": "above the caller's authority: an approval request was filed"},
        404: {"description": "unknown order, or another shop's"},
        409: {"description": "denied by policy, or the request key was used for another request"},
        422: {"description": "invalid request (amount, currency, item, key)"},
    },
)
def act(
    order_id: str,
    body: ActionIn,
    response: Response,
    services: ServicesDep,
    principal: PrincipalDep,
) -> dict[str, Any]:
    """Carry out a remedy, re-checked by the policy now; idempotent on ``request_key``."""
    result = remedies.act_on_order(
        sessions=services.sessions,
        principal=principal,
        order_ref=order_id,
        request=body.to_request(),
        request_key=body.request_key,
        now=services.clock.now(),
    )
    if result.status is ExecutionStatus.NEEDS_APPROVAL:
        response.status_code = status.HTTP_202_ACCEPTED
    elif not result.replayed:
        response.status_code = status.HTTP_201_CREATED
    return execution_to_dict(result)


def _policy_view(shop: Shop, terms: ShopPolicy) -> dict[str, Any]:
    effective: dict[str, Any] = plain(asdict(terms))
    return {"shop_id": shop.id, "overrides": shop.policy_overrides or {}, "effective": effective}


@router.get("/shops/{shop_ref}/policy")
def get_shop_policy(shop_ref: str, db: DbDep, principal: PrincipalDep) -> dict[str, Any]:
    """The shop's stored overrides and the terms in force."""
    shop = shop_service.get(db=db, ref=shop_ref, shop_ids=principal.shop_ids)
    return _policy_view(shop, shop_policy(shop))


@router.put(
    "/shops/{shop_ref}/policy",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/yaml": {"schema": {"type": "string"}},
            }
        }
    },
    responses={422: {"description": "problems, each with line, key and message"}},
)
async def put_shop_policy(
    shop_ref: str, request: Request, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Replace the shop's overrides (admins only); validated like ``kefu policy validate``."""
    raw = await request.body()
    shop, terms = remedies.set_shop_policy(
        sessions=services.sessions,
        principal=principal,
        shop_ref=shop_ref,
        body=raw,
        content_type=request.headers.get("content-type", "application/json"),
        now=services.clock.now(),
    )
    return _policy_view(shop, terms)
