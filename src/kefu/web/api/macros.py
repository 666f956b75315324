"""Macros: saved replies per shop, intent and language, and filling one in for a conversation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from kefu.macros import service
from kefu.macros.schemas import MacroIn, MacroPatch, MacroPublic, MacroRendered
from kefu.replies import macro_variables
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep, write

router = APIRouter(tags=["macros"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "unknown macro or shop, or another shop's"},
    409: {"description": "the shop already has a macro of that name in that language"},
    422: {"description": "unknown variable or stray brace in the body, each named"},
}


@router.get("/macros", response_model=list[MacroPublic])
def list_macros(
    db: DbDep,
    principal: PrincipalDep,
    shop: Annotated[str | None, Query(max_length=64, description="id or slug")] = None,
    intent: Annotated[str | None, Query(max_length=40)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
) -> list[MacroPublic]:
    """The caller's shops' macros, by name."""
    rows = service.list_macros(
        db=db, shop_ids=principal.shop_ids, shop=shop, intent=intent, language=language
    )
    return [MacroPublic.model_validate(m) for m in rows]


@router.get("/macros/variables")
def variables() -> dict[str, list[str]]:
    """The variables a macro body may use, as ``{name}``."""
    return {"variables": macro_variables()}


@router.post(
    "/macros", status_code=status.HTTP_201_CREATED, response_model=MacroPublic, responses=_ERRORS
)
def create_macro(body: MacroIn, services: ServicesDep, principal: PrincipalDep) -> MacroPublic:
    """Save a macro; the body's variables are checked now, not when it is sent."""
    with write(services) as db:
        macro = service.create(db=db, macro_in=body, principal=principal, now=services.clock.now())
        return MacroPublic.model_validate(macro)


@router.get("/macros/{macro_id}", response_model=MacroPublic, responses=_ERRORS)
def get_macro(macro_id: str, db: DbDep, principal: PrincipalDep) -> MacroPublic:
    """One macro."""
    return MacroPublic.model_validate(
        service.get(db=db, macro_id=macro_id, shop_ids=principal.shop_ids)
    )


@router.patch("/macros/{macro_id}", response_model=MacroPublic, responses=_ERRORS)
def update_macro(
    macro_id: str, body: MacroPatch, services: ServicesDep, principal: PrincipalDep
) -> MacroPublic:
    """Change a macro (its author or a supervisor); a new body is checked again."""
    with write(services) as db:
        macro = service.update(
            db=db, macro_id=macro_id, patch=body, principal=principal, now=services.clock.now()
        )
        return MacroPublic.model_validate(macro)


@router.delete("/macros/{macro_id}", status_code=status.HTTP_204_NO_CONTENT, responses=_ERRORS)
def delete_macro(macro_id: str, services: ServicesDep, principal: PrincipalDep) -> Response:
    """Delete a macro (its author or a supervisor); audited with its last text."""
    with write(services) as db:
        service.delete(db=db, macro_id=macro_id, principal=principal, now=services.clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/conversations/{conversation_id}/macros/{macro_id}/render",
    response_model=MacroRendered,
    responses={404: {"description": "unknown conversation or macro, or another shop's"}},
)
def render_macro(
    conversation_id: str, macro_id: str, db: DbDep, services: ServicesDep, principal: PrincipalDep
) -> MacroRendered:
    """The macro filled with this conversation's customer, order and shipment, and its lint."""
    return service.render_for_conversation(
        db=db,
        conversation_id=conversation_id,
        macro_id=macro_id,
        principal=principal,
        now=services.clock.now(),
    )
