"""Drafts and the reply linter."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from kefu import replies
from kefu.conversations import service as conversation_service
from kefu.core.schemas import InputModel
from kefu.inbox.draft import draft_for_conversation
from kefu.inbox.review import lint_reply
from kefu.replies.language import detect_language
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["replies"])


@router.get("/conversations/{conversation_id}/draft")
def get_draft(
    conversation_id: str, db: DbDep, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Kefu's draft reply, with the facts, remedies, articles and lint behind it."""
    draft = draft_for_conversation(
        db=db,
        conversation_id=conversation_id,
        principal=principal,
        now=services.clock.now(),
        knowledge=services.extras.get("knowledge_lookup"),
    )
    body = draft.as_dict()
    body.pop("sentences", None)
    body["sources"] = [asdict(s) for s in draft.sentences]
    return body


class LintIn(InputModel):
    text: str = Field(max_length=20_000)
    language: str | None = Field(default=None, description="detected when omitted")
    platform: str = Field(
        default="webchat", pattern="^(amazon|aliexpress|pinduoduo|temu|shopify|webchat|email)$"
    )
    conversation_id: str | None = Field(
        default=None, description="lint against this conversation's order, decision and questions"
    )


@router.post("/lint")
def lint(body: LintIn, db: DbDep, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Findings for a reply: spans, severity and a suggestion for each."""
    if body.conversation_id:
        conversation = conversation_service.get(
            db=db, conversation_id=body.conversation_id, shop_ids=principal.shop_ids
        )
        findings = lint_reply(
            db=db,
            conversation=conversation,
            text=body.text,
            principal=principal,
            now=services.clock.now(),
        )
    else:
        language = body.language or detect_language(body.text)
        findings = replies.lint(body.text, language=language, platform=body.platform)
    return {
        "blocking": any(f.severity == "blocking" for f in findings),
        "findings": [asdict(f) for f in findings],
    }
