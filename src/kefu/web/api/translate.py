"""Translation through the optional LLM: a customer's message for the agent, a reply for them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field

from kefu.accounts.models import User
from kefu.conversations import service as conversation_service
from kefu.core.schemas import InputModel
from kefu.errors import InvalidInput
from kefu.inbox.draft import build_context
from kefu.inbox.review import lint_reply
from kefu.replies.language import detect_language
from kefu.replies.template_set import normalize_language
from kefu.replies.types import finding_dict
from kefu.web.deps import DbDep, PrincipalDep, ServicesDep

router = APIRouter(tags=["replies"])

NO_LLM = "translation needs an LLM: set KEFU_LLM_BASE_URL and KEFU_LLM_MODEL"


class TranslateIn(InputModel):
    text: str = Field(min_length=1, max_length=16_000)
    direction: Literal["to_agent", "to_customer"] = Field(
        default="to_agent",
        description="to_agent: a customer's message into the agent's language; "
        "to_customer: an agent's reply into the customer's language",
    )
    conversation_id: str | None = Field(
        default=None, description="the customer's language, and lint for a reply, come from it"
    )
    target_language: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$",
        description="overrides the language taken from the agent or the conversation",
    )


@router.post(
    "/translate",
    responses={
        422: {"description": "no LLM configured, or no target language can be found"},
        502: {"description": "the LLM failed, timed out, or changed numbers or links"},
    },
)
def translate(
    body: TranslateIn, db: DbDep, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """The text in the agent's or the customer's language; numbers and links kept as written."""
    from kefu.replies.llm import translate as llm_translate

    if services.llm is None:
        raise InvalidInput(NO_LLM)
    now = services.clock.now()
    conversation = (
        conversation_service.get(
            db=db, conversation_id=body.conversation_id, shop_ids=principal.shop_ids
        )
        if body.conversation_id
        else None
    )
    target = body.target_language
    if target is None and body.direction == "to_agent":
        user = db.get(User, principal.user_id)
        target = user.ui_language if user is not None else "en"
    if target is None and conversation is not None:
        ctx, _ = build_context(db=db, conversation=conversation, principal=principal, now=now)
        target = ctx.language
    if target is None:
        raise InvalidInput(
            "give conversation_id or target_language to translate a reply for the customer",
            field="target_language",
        )
    target = normalize_language(target)
    text = llm_translate(body.text, target, services.llm)
    result: dict[str, Any] = {
        "text": text,
        # Informative only: the detector knows the template languages, not every language.
        "source_language": detect_language(body.text),
        "target_language": target,
        "provider": services.llm.name,
    }
    if body.direction == "to_customer" and conversation is not None:
        findings = lint_reply(
            db=db, conversation=conversation, text=text, principal=principal, now=now
        )
        result["blocking"] = any(f.severity == "blocking" for f in findings)
        result["findings"] = [finding_dict(f) for f in findings]
    return result
