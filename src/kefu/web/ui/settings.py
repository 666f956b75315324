"""Settings overview for admins: shops with their platforms and hours, the team and roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from kefu.accounts.enums import Role
from kefu.accounts.models import Membership, User
from kefu.shops import service as shop_service
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import ViewerDep
from kefu.web.ui.render import render_page

router = APIRouter(prefix="/ui", include_in_schema=False)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class TeamMember:
    name: str
    email: str
    active: bool
    roles: list[tuple[str, str]]  # (shop name, role)


def _hours(raw: dict[str, Any] | None) -> list[tuple[str, str]]:
    table = raw or {}
    out = []
    for day in DAYS:
        span = table.get(day)
        if isinstance(span, list | tuple) and len(span) == 2:
            out.append((day, f"{span[0]}–{span[1]}"))
        else:
            out.append((day, ""))
    return out


@router.get("/settings")
def settings(request: Request, viewer: ViewerDep, services: ServicesDep) -> HTMLResponse:
    """Shops and team of the shops the viewer administers; others see a notice."""
    admin_of = [s for s, r in viewer.principal.shop_roles.items() if r is Role.ADMIN]
    with services.sessions() as db:
        shops = shop_service.list_shops(db=db, shop_ids=admin_of) if admin_of else []
        names = {s.id: s.name for s in shops}
        rows = db.execute(
            select(User, Membership.shop_id, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.shop_id.in_(admin_of))
            .order_by(User.name, User.email)
        ).all()
        team: dict[str, TeamMember] = {}
        for user, shop_id, role in rows:
            member = team.setdefault(
                user.id, TeamMember(user.name or user.email, user.email, user.is_active, [])
            )
            member.roles.append((names.get(shop_id, shop_id), role))
        return render_page(
            request,
            "settings.html",
            language=viewer.language,
            csrf=viewer.csrf,
            viewer=viewer,
            shops=shops,
            team=list(team.values()),
            hours=_hours,
        )
