"""The review step: every outbound reply is linted; blocking findings stop the send."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from kefu import replies
from kefu.accounts.enums import Role
from kefu.accounts.schemas import Principal
from kefu.conversations.models import Conversation
from kefu.errors import InvalidInput
from kefu.inbox.draft import build_context
from kefu.storage import audit


def lint_reply(
    *, db: Session, conversation: Conversation, text: str, principal: Principal, now: datetime
) -> list[replies.Finding]:
    """Lint a reply against this conversation's triage, order and policy decision."""
    ctx, _ = build_context(db=db, conversation=conversation, principal=principal, now=now)
    return replies.lint(text, language=ctx.language, platform=ctx.platform, ctx=ctx)


def check_before_send(
    *,
    db: Session,
    conversation: Conversation,
    text: str,
    principal: Principal,
    now: datetime,
    override: bool,
) -> None:
    """Refuse a reply with blocking findings, unless a supervisor overrides (audited)."""
    findings = lint_reply(db=db, conversation=conversation, text=text, principal=principal, now=now)
    blocking = [f for f in findings if f.severity == "blocking"]
    if not blocking:
        return
    found = [asdict(f) for f in blocking]
    if not override:
        raise InvalidInput(
            "the reply has blocking lint findings; fix them or ask a supervisor to override",
            field="text",
            extra={"findings": found},
        )
    if not principal.has_role(conversation.shop_id, Role.SUPERVISOR):
        raise InvalidInput(
            "only a supervisor can send a reply with blocking lint findings",
            field="override_lint",
            extra={"findings": found},
        )
    audit.record(
        db=db,
        at=now,
        entity_type="conversation",
        entity_id=conversation.id,
        action="lint_overridden",
        actor=principal.email,
        shop_id=conversation.shop_id,
        reason="; ".join(f.code for f in blocking),
        changes={"findings": found},
    )
