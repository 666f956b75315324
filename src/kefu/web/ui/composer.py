"""The reply editor's data: Kefu's draft to start from, and lint findings for any text."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kefu.accounts.enums import Role
from kefu.accounts.schemas import Principal
from kefu.conversations.models import Conversation
from kefu.inbox.draft import KnowledgeLookup, draft_for_conversation
from kefu.inbox.review import lint_reply
from kefu.web.ui.detail import Segment, segments

log = logging.getLogger("kefu.web.ui")
_WAITING_ON_US = ("new", "open")


@dataclass(frozen=True)
class ComposerState:
    """What the editor opens with."""

    text: str = ""
    from_draft: bool = False
    findings: list[dict[str, Any]] = field(default_factory=list)
    remedies: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fell_back_to_english: bool = False
    can_override: bool = False

    @property
    def blocking(self) -> bool:
        """True when a finding would stop the send."""
        return any(f.get("severity") == "blocking" for f in self.findings)


def can_override(principal: Principal, conversation: Conversation) -> bool:
    """Supervisors and admins may send despite blocking findings (the send is audited)."""
    return principal.has_role(conversation.shop_id, Role.SUPERVISOR)


def draft_state(
    *,
    db: Session,
    conversation: Conversation,
    principal: Principal,
    now: datetime,
    knowledge: KnowledgeLookup | None,
) -> ComposerState:
    """Kefu's draft when the customer is waiting on us; an empty editor otherwise."""
    override = can_override(principal, conversation)
    if conversation.status not in _WAITING_ON_US:
        return ComposerState(can_override=override)
    try:
        draft = draft_for_conversation(
            db=db,
            conversation_id=conversation.id,
            principal=principal,
            now=now,
            knowledge=knowledge,
        )
    except Exception:  # a failed draft must not take the page down
        log.exception("draft failed for conversation %s", conversation.id)
        return ComposerState(can_override=override)
    data = draft.as_dict()
    return ComposerState(
        text=draft.text,
        from_draft=bool(draft.text),
        findings=list(data.get("lint") or []),
        remedies=list(data.get("remedies") or []),
        citations=list(data.get("citations") or []),
        notes=[str(n) for n in data.get("notes") or []],
        fell_back_to_english=draft.fell_back_to_english,
        can_override=override,
    )


def lint_segments(text: str, findings: list[dict[str, Any]]) -> list[Segment]:
    """The text split at findings' spans, each marked with its severity and message."""
    spans = [
        {
            "type": f.get("severity"),
            "value": f.get("message"),
            "start": f.get("start"),
            "end": f.get("end"),
        }
        for f in findings
    ]
    return segments(text, spans)


def findings_for(
    *, db: Session, conversation: Conversation, text: str, principal: Principal, now: datetime
) -> list[dict[str, Any]]:
    """Lint findings for ``text`` as a reply in this conversation."""
    if not text.strip():
        return []
    findings = lint_reply(db=db, conversation=conversation, text=text, principal=principal, now=now)
    return [asdict(f) for f in findings]
