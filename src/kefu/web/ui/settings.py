"""Settings for admins: shops with their platforms and hours, the team and roles, own tokens.

Agents and supervisors get 403 on every settings page; each form calls the same service as the
REST API (accounts for members and tokens, remedies for policy, the macro service for macros).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from kefu.accounts.enums import Role
from kefu.accounts.models import ApiToken, Membership, User
from kefu.services import Services
from kefu.shops import service as shop_service
from kefu.web.deps import ServicesDep
from kefu.web.ui.auth import Viewer, ViewerDep
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


def admin_shop_ids(viewer: Viewer) -> list[str]:
    """The shops the viewer administers."""
    return [s for s, r in viewer.principal.shop_roles.items() if r is Role.ADMIN]


def forbidden(request: Request, viewer: Viewer) -> HTMLResponse:
    """The 403 page for a signed-in user who administers no shop (or not this one)."""
    return render_page(
        request,
        "forbidden.html",
        language=viewer.language,
        csrf=viewer.csrf,
        viewer=viewer,
        status_code=403,
    )


@router.get("/settings")
def settings(request: Request, viewer: ViewerDep, services: ServicesDep) -> HTMLResponse:
    """Shops and team of the shops the viewer administers; 403 for everyone else."""
    if not admin_shop_ids(viewer):
        return forbidden(request, viewer)
    return overview(request, viewer, services)


def overview(
    request: Request,
    viewer: Viewer,
    services: Services,
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    """The settings page, with a form's outcome (``extra``) when one was just sent."""
    admin_of = admin_shop_ids(viewer)
    with services.reading() as db:
        shops = shop_service.list_shops(db=db, shop_ids=admin_of)
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
        tokens = list(
            db.scalars(
                select(ApiToken)
                .where(ApiToken.user_id == viewer.user_id)
                .order_by(ApiToken.created_at.desc())
            )
        )
        context: dict[str, Any] = {
            "new_token": None,
            "member_error": None,
            "member_form": {},
            "flash": request.session.pop("flash", None),
        }
        context.update(extra)
        return render_page(
            request,
            "settings.html",
            language=viewer.language,
            csrf=viewer.csrf,
            viewer=viewer,
            shops=shops,
            team=list(team.values()),
            tokens=tokens,
            roles=[r.value for r in Role],
            hours=_hours,
            status_code=status_code,
            **context,
        )
