"""Macro queries and writes, scoped by shop; every change leaves an audit row.

A body is checked with ``replies.validate_macro`` on every save, so an unknown variable is an
error when the agent writes it, never when a customer would read it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu import replies
from kefu.accounts.enums import Role
from kefu.accounts.schemas import Principal
from kefu.conversations import service as conversation_service
from kefu.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kefu.inbox.draft import build_context
from kefu.macros.models import Macro
from kefu.macros.schemas import MacroIn, MacroPatch, MacroRendered
from kefu.replies.types import finding_dict
from kefu.shops import service as shop_service
from kefu.storage import audit


def check_body(body: str) -> None:
    """Raise InvalidInput naming each unknown variable or stray brace in a macro body."""
    problems = replies.validate_macro(body)
    if problems:
        raise InvalidInput(
            " ".join(p.message for p in problems[:5]),
            field="body",
            extra={"problems": [asdict(p) for p in problems]},
        )


def check_intent(intent: str | None) -> None:
    """Raise InvalidInput unless ``intent`` is None (any intent) or one triage can detect."""
    if intent is None:
        return
    # Imported here: kefu.nlu loads its models' libraries, which listing macros does not need.
    from kefu.nlu.schemas import INTENTS

    if intent not in INTENTS:
        close = difflib.get_close_matches(intent, INTENTS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InvalidInput(
            f"unknown intent {intent!r}.{hint}", field="intent", extra={"intents": list(INTENTS)}
        )


def get(*, db: Session, macro_id: str, shop_ids: Collection[str]) -> Macro:
    """A macro of one of the caller's shops; NotFound for another shop's."""
    macro = db.get(Macro, macro_id)
    if macro is None or macro.shop_id not in shop_ids:
        raise NotFound(f"macro {macro_id!r} not found")
    return macro


def list_macros(
    *,
    db: Session,
    shop_ids: Collection[str],
    shop: str | None = None,
    intent: str | None = None,
    language: str | None = None,
) -> list[Macro]:
    """The caller's macros, filtered by shop, intent and language, by name."""
    query = select(Macro).where(Macro.shop_id.in_(list(shop_ids)))
    if shop:
        shop_id = shop_service.get(db=db, ref=shop, shop_ids=shop_ids).id
        query = query.where(Macro.shop_id == shop_id)
    if intent:
        query = query.where(Macro.intent == intent)
    if language:
        query = query.where(Macro.language == language.replace("_", "-").split("-")[0].lower())
    return list(db.scalars(query.order_by(Macro.name, Macro.language, Macro.id)))


def _check_unique(db: Session, shop_id: str, language: str, name: str, own_id: str = "") -> None:
    clash = db.scalar(
        select(Macro.id).where(
            Macro.shop_id == shop_id, Macro.language == language, Macro.name == name
        )
    )
    if clash is not None and clash != own_id:
        raise Conflict(f"this shop already has a macro {name!r} in {language!r}", field="name")


def create(*, db: Session, macro_in: MacroIn, principal: Principal, now: datetime) -> Macro:
    """Save a new macro in a shop the caller belongs to (any agent may)."""
    shop = shop_service.get(db=db, ref=macro_in.shop, shop_ids=principal.shop_ids)
    check_body(macro_in.body)
    check_intent(macro_in.intent)
    _check_unique(db, shop.id, macro_in.language, macro_in.name)
    macro = Macro(
        shop_id=shop.id,
        name=macro_in.name,
        intent=macro_in.intent,
        language=macro_in.language,
        body=macro_in.body,
        created_by=principal.email,
        updated_by=principal.email,
        created_at=now,
        updated_at=now,
    )
    db.add(macro)
    db.flush()
    _audit(db, macro, "created", principal, now, {"name": macro.name, "body": macro.body})
    return macro


def _may_change(macro: Macro, principal: Principal) -> None:
    # A shared reply is the team's voice: its author or a supervisor changes it, not any agent.
    if macro.created_by != principal.email and not principal.has_role(
        macro.shop_id, Role.SUPERVISOR
    ):
        raise PermissionDenied("only the macro's author or a supervisor can change or delete it")


def update(
    *, db: Session, macro_id: str, patch: MacroPatch, principal: Principal, now: datetime
) -> Macro:
    """Change a macro's name, intent, language or body (re-checked like a new one)."""
    macro = get(db=db, macro_id=macro_id, shop_ids=principal.shop_ids)
    _may_change(macro, principal)
    given = patch.model_dump(exclude_unset=True)
    for required in ("name", "language", "body"):
        if required in given and given[required] is None:
            raise InvalidInput(f"{required} cannot be empty", field=required)
    if "body" in given:
        check_body(given["body"])
    if "intent" in given:
        check_intent(given["intent"])
    _check_unique(
        db,
        macro.shop_id,
        given.get("language", macro.language),
        given.get("name", macro.name),
        own_id=macro.id,
    )
    changes: dict[str, Any] = {}
    for field, value in given.items():
        if getattr(macro, field) != value:
            changes[field] = {"from": getattr(macro, field), "to": value}
            setattr(macro, field, value)
    if changes:
        macro.updated_by = principal.email
        macro.updated_at = now
        _audit(db, macro, "updated", principal, now, changes)
    db.flush()
    return macro


def delete(*, db: Session, macro_id: str, principal: Principal, now: datetime) -> None:
    """Remove a macro; the audit row keeps its last text."""
    macro = get(db=db, macro_id=macro_id, shop_ids=principal.shop_ids)
    _may_change(macro, principal)
    _audit(db, macro, "deleted", principal, now, {"name": macro.name, "body": macro.body})
    db.delete(macro)
    db.flush()


def _audit(
    db: Session, macro: Macro, action: str, principal: Principal, now: datetime, changes: Any
) -> None:
    audit.record(
        db=db,
        at=now,
        entity_type="macro",
        entity_id=macro.id,
        action=action,
        actor=principal.email,
        shop_id=macro.shop_id,
        changes=changes,
    )


def render_for_conversation(
    *, db: Session, conversation_id: str, macro_id: str, principal: Principal, now: datetime
) -> MacroRendered:
    """A macro filled with this conversation's customer, order and shipment, and its lint."""
    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
    )
    # Another shop's macro is invisible here even when the caller belongs to both shops.
    macro = get(db=db, macro_id=macro_id, shop_ids={conversation.shop_id})
    ctx, _ = build_context(db=db, conversation=conversation, principal=principal, now=now)
    text = replies.render_macro(macro.body, ctx)
    findings = replies.lint(text, language=macro.language, platform=ctx.platform, ctx=ctx)
    notes = []
    if ctx.language.replace("_", "-").split("-")[0].lower() != macro.language:
        notes.append(f"the macro is in {macro.language!r}; the customer writes in {ctx.language!r}")
    if macro.intent and macro.intent != ctx.intent:
        notes.append(f"the macro is for {macro.intent!r}; this conversation is {ctx.intent!r}")
    return MacroRendered(
        macro_id=macro.id,
        conversation_id=conversation.id,
        language=macro.language,
        text=text,
        blocking=any(f.severity == "blocking" for f in findings),
        findings=[finding_dict(f) for f in findings],
        notes=notes,
    )
