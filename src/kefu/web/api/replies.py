"""Drafts and the reply linter."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from kefu import replies
from kefu.accounts.schemas import Principal
from kefu.conversations import service as conversation_service
from kefu.core.schemas import InputModel
from kefu.inbox.draft import KnowledgeLookup, build_context
from kefu.inbox.review import lint_reply
from kefu.replies.language import detect_language
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

if TYPE_CHECKING:
    from kefu.replies.llm import LLMProvider

NO_LLM_NOTE = "rewrite requested, but no LLM is configured (KEFU_LLM_BASE_URL, KEFU_LLM_MODEL)"

router = APIRouter(tags=["replies"])


def draft_with_llm(
    *,
    db: Session,
    conversation_id: str,
    principal: Principal,
    now: datetime,
    knowledge: KnowledgeLookup | None,
    llm: LLMProvider | None,
    polish: bool,
) -> replies.Draft:
    """The template draft, translated when it fell back to English and rewritten on request.

    Either LLM step keeps the previous draft, with a note, when the model fails or strays.
    """
    from kefu.replies.llm import polish_draft, translate_draft

    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
    )
    ctx, _ = build_context(
        db=db, conversation=conversation, principal=principal, now=now, knowledge=knowledge
    )
    draft = replies.compose_draft(ctx)
    if llm is not None and draft.fell_back_to_english:
        draft = translate_draft(draft, ctx, llm)
    if polish:
        draft = (
            polish_draft(draft, ctx, llm)
            if llm is not None
            else replace(draft, notes=(*draft.notes, NO_LLM_NOTE))
        )
    return draft


@router.get("/conversations/{conversation_id}/draft")
def get_draft(
    conversation_id: str,
    db: DbDep,
    services: ServicesDep,
    principal: PrincipalDep,
    polish: Annotated[
        bool, Query(description="let the configured LLM rewrite it (grounded, checked)")
    ] = False,
) -> dict[str, Any]:
    """Kefu's draft reply, with the facts, remedies, articles and lint behind it."""
    draft = draft_with_llm(
        db=db,
        conversation_id=conversation_id,
        principal=principal,
        now=services.clock.now(),
        knowledge=services.extras.get("knowledge_lookup"),
        llm=services.llm,
        polish=polish,
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
