"""Approval requests: remedies above an agent's authority, decided by a supervisor or admin."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from kefu.accounts.schemas import Principal
from kefu.inbox import remedies
from kefu.policy import ApprovalRequest, execution_to_dict
from kefu.policy.schemas import plain
from kefu.services import Services
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["approvals"])


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=2000)] = ""


def _approval(approval: ApprovalRequest) -> dict[str, Any]:
    out: dict[str, Any] = plain(asdict(approval))
    return out


@router.get("/approvals")
def list_approvals(
    db: DbDep,
    principal: PrincipalDep,
    status: Literal["pending", "approved", "rejected"] | None = "pending",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Approval requests of the caller's shops, newest first (pending by default)."""
    rows = remedies.list_approvals(db=db, shop_ids=principal.shop_ids, status=status, limit=limit)
    return [_approval(a) for a in rows]


def _decide(
    approval_id: str,
    approve: bool,
    body: DecisionIn | None,
    services: Services,
    principal: Principal,
) -> dict[str, Any]:
    result, approval = remedies.decide_approval(
        sessions=services.sessions,
        principal=principal,
        approval_id=approval_id,
        approve=approve,
        note=body.note if body else "",
        now=services.clock.now(),
    )
    return {"approval": _approval(approval), "execution": execution_to_dict(result)}


@router.post("/approvals/{approval_id}/approve")
def approve(
    approval_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    body: DecisionIn | None = None,
) -> dict[str, Any]:
    """Approve: the remedy runs now, re-checked against the order as it is."""
    return _decide(approval_id, True, body, services, principal)


@router.post("/approvals/{approval_id}/reject")
def reject(
    approval_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    body: DecisionIn | None = None,
) -> dict[str, Any]:
    """Reject: nothing is done to the order; the note tells the agent why."""
    return _decide(approval_id, False, body, services, principal)
