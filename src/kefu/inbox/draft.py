"""Drafting a reply for a conversation: gather triage, customer, order, decision, knowledge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from kefu import policy, replies
from kefu.accounts.schemas import Principal
from kefu.conversations import service as conversation_service
from kefu.conversations.enums import Direction
from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer
from kefu.inbox import draft_reason, snapshots
from kefu.inbox.turn import turn_feelings, unanswered
from kefu.orders.models import Order
from kefu.shops.models import Shop

# Finds knowledge for a query: (text, language, shop) -> references to cite.
KnowledgeLookup = Callable[[str, str, Shop], Sequence[replies.KnowledgeRef]]

_ASK_REFUND_OR_REPLACEMENT = frozenset(
    {"quality_issue", "wrong_item", "missing_item", "delivered_not_received"}
)
_CHOSEN = frozenset({"refund_request", "exchange_request", "return_request"})
# Casual shop voice ("亲") is the norm on Chinese marketplaces, never on Amazon.
_QIN_PLATFORMS = frozenset({"pinduoduo", "temu"})


def _triage(messages: Sequence[Message]) -> dict[str, Any]:
    inbound = [m for m in messages if m.direction == Direction.INBOUND and m.triage]
    return dict(inbound[-1].triage or {}) if inbound else {}


def _missing(triage: dict[str, Any]) -> tuple[str, ...]:
    intents = {i["name"] for i in triage.get("intents", []) if i.get("confidence", 0) >= 0.3}
    if triage.get("intent") in _ASK_REFUND_OR_REPLACEMENT and not intents & _CHOSEN:
        return ("refund_or_replacement",)
    return ()


def _requested(decision: policy.Decision | None, language: str) -> replies.RemedyOption | None:
    """The remedy the customer asked for when the policy denies it, with the reason to state."""
    if decision is None or decision.requested.verdict is not policy.Verdict.DENIED:
        return None
    asked = decision.requested
    # The innermost reason is the rule itself ("the return window ended on ..."), not the
    # engine's framing of it; only en and zh reasons exist, so other languages get none.
    why = asked.reasons[-1] if asked.reasons else None
    text = {"en": why.en, "zh": why.zh}.get(language[:2]) if why else None
    return replies.RemedyOption(
        name=asked.remedy.value, verdict="denied", rule_id=asked.rule_id, reason=text
    )


def build_context(
    *,
    db: Session,
    conversation: Conversation,
    principal: Principal,
    now: datetime,
    knowledge: KnowledgeLookup | None = None,
) -> tuple[replies.DraftContext, policy.Decision | None]:
    """Everything the composer may say for this conversation, and the decision behind it."""
    shop = db.get(Shop, conversation.shop_id)
    customer = db.get(Customer, conversation.customer_id)
    assert shop is not None and customer is not None
    messages = conversation_service.messages_of(db=db, conversation_id=conversation.id)
    triage = _triage(messages)
    pending = unanswered(messages)
    # The reply answers the whole turn: its feelings and threats, not the last message's alone.
    feelings = turn_feelings([m.triage for m in pending] or [triage])
    sentiment = str((triage.get("sentiment") or {}).get("label", "neutral"))
    text = "\n".join(m.text for m in pending) or (messages[-1].text if messages else "")
    intent = str(triage.get("intent") or conversation.intent or "other")
    language = str(triage.get("language") or conversation.language or customer.language or "en")
    order = db.get(Order, conversation.order_id) if conversation.order_id else None
    decision = None
    if order is not None:
        role = principal.role_in(shop.id)
        decision = policy.evaluate(
            snapshots.order_snapshot(order, shop),
            draft_reason.remedy_request(intent, triage, text),
            snapshots.shop_policy(shop),
            now,
            actor_role=role.value if role else "agent",
        )
    ctx = replies.DraftContext(
        language=language,
        platform=shop.platform,
        shop_name=shop.name,
        brand=replies.Brand(qin_allowed=shop.platform in _QIN_PLATFORMS),
        customer=replies.CustomerRef(name=customer.name or None),
        intent=intent,
        secondary_intents=[i["name"] for i in triage.get("intents", [])[1:3]],
        emotions=replies.Emotions.from_labels(feelings.emotions),
        sentiment="negative" if feelings.negative else sentiment,
        risks=feelings.risks,
        customer_text=text,
        order=snapshots.order_facts(order, shop, now) if order else None,
        # Options are offered only when the customer asks for a remedy, never for a question.
        remedies=snapshots.remedy_options(decision)
        if decision and intent in snapshots.REMEDY_INTENTS
        else [],
        requested=_requested(decision, language) if intent in snapshots.REMEDY_INTENTS else None,
        citations=list(knowledge(text, language, shop)) if knowledge else [],
        now=now,
        missing=_missing(triage),
    )
    return ctx, decision


def draft_for_conversation(
    *,
    db: Session,
    conversation_id: str,
    principal: Principal,
    now: datetime,
    knowledge: KnowledgeLookup | None = None,
) -> replies.Draft:
    """Kefu's proposed reply for a conversation the caller can see."""
    conversation = conversation_service.get(
        db=db, conversation_id=conversation_id, shop_ids=principal.shop_ids
    )
    ctx, _ = build_context(
        db=db, conversation=conversation, principal=principal, now=now, knowledge=knowledge
    )
    return replies.compose_draft(ctx)
