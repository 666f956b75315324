"""Place one inbound message on the batch snapshot: its customer, its conversation, its row.

Pure decisions over in-memory rows; ``ingest_write`` turns the outcome into bulk statements.
Later messages of the same batch see what earlier ones created, exactly as if each had been
stored in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kefu.conversations import sla
from kefu.conversations.enums import Direction, Status
from kefu.core.ids import new_id
from kefu.core.money import quantize
from kefu.core.text import clean_text
from kefu.customers.bulk import identity_keys, matching_customer
from kefu.customers.schemas import CustomerIn
from kefu.inbox.ingest_snapshot import ACTIVE, ConversationRow, CustomerRow, Snapshot
from kefu.inbox.schemas import InboundMessageIn
from kefu.inbox.threading import find_thread, mentioned_order
from kefu.inbox.triage import Triager, TriageRequest


@dataclass(frozen=True)
class ShopFacts:
    id: str
    slug: str
    platform: str
    languages: tuple[str, ...]
    timezone: str


@dataclass
class Writes:
    """Rows to insert, collected while the batch is placed."""

    identities: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    conversations_created: int = 0

    def audit(self, *, at: datetime, shop_id: str, conversation_id: str, **event: Any) -> None:
        self.audits.append(
            {
                "id": new_id(),
                "shop_id": shop_id,
                "entity_type": "conversation",
                "entity_id": conversation_id,
                "actor": "system",
                "changes": event.pop("changes", {}),
                "at": at,
                **event,
            }
        )


@dataclass(frozen=True)
class Inbound:
    """One message ready to place: validated, cleaned and triaged."""

    message_in: InboundMessageIn
    shop: ShopFacts
    text: str
    html_raw: str | None
    html_safe: str | None
    triage: dict[str, Any]


def place_customer(
    snapshot: Snapshot, writes: Writes, shop_id: str, customer_in: CustomerIn
) -> CustomerRow:
    """The customer sharing an identity (buyer id, email, phone; see ``matching_customer``),
    updated; else a new one."""
    keys = [(shop_id, kind, value) for kind, value in identity_keys(customer_in)]
    known = matching_customer(
        customer_in,
        lambda key: snapshot.identities.get((shop_id, *key)),
        lambda cid: snapshot.customers[cid].external_id,
    )
    if known is None:
        customer = CustomerRow(id=new_id(), shop_id=shop_id, is_new=True)
        snapshot.customers[customer.id] = customer
    else:
        customer = snapshot.customers[known]
    if customer_in.external_id and not customer.external_id:
        customer.external_id, customer.dirty = customer_in.external_id, True
    for name in ("name", "email", "phone", "country", "language"):
        value = getattr(customer_in, name)
        if value and getattr(customer, name) != value:
            setattr(customer, name, value)
            customer.dirty = True
    for key in keys:
        if key not in snapshot.identities:  # taken by another customer: leave it with them
            snapshot.identities[key] = customer.id
            writes.identities.append(
                {"id": new_id(), "shop_id": shop_id, "customer_id": customer.id}
                | {"kind": key[1], "value": key[2]}
            )
    return customer


def place_message(
    snapshot: Snapshot, writes: Writes, triager: Triager, item: Inbound, now: datetime
) -> tuple[str, str]:
    """Thread, re-score and apply one new message; returns (message id, conversation id)."""
    message_in, shop = item.message_in, item.shop
    customer = place_customer(snapshot, writes, shop.id, message_in.customer)
    order = mentioned_order(snapshot, shop.id, item.triage)
    if order is not None and order.customer_id not in (None, customer.id):
        # Another customer's order: linking it would put that buyer's items, address and
        # tracking into this customer's drafts. The id stays visible in the message.
        order = None
    conversation = find_thread(
        snapshot=snapshot,
        shop_id=shop.id,
        customer_id=customer.id,
        channel=message_in.channel.value,
        thread_id=message_in.thread_id,
        order=order,
    )
    follow_up_of = None
    if conversation is not None and conversation.status == Status.CLOSED.value:
        # Closed is final (resolved is not): what the customer writes now is a new case, and
        # the closed one keeps the record of how it ended.
        follow_up_of, conversation = conversation, None
    if conversation is None:
        conversation = _open_conversation(snapshot, writes, item, customer.id, now, follow_up_of)
    if conversation.order_id is None and order is not None:
        conversation.order_id = order.id
    sent_at = message_in.sent_at or now
    result = _with_context(snapshot, triager, shop, conversation, item, sent_at)
    message_id = new_id()
    writes.messages.append(
        {
            "id": message_id,
            "shop_id": shop.id,
            "conversation_id": conversation.id,
            "channel": message_in.channel.value,
            "external_id": message_in.external_id,
            "direction": Direction.INBOUND.value,
            "author_id": None,
            "text": item.text,
            "html_raw": item.html_raw,
            "html_safe": item.html_safe,
            "language": result.get("language"),
            "triage": result,
            "delivery_state": "none",
            "sent_at": sent_at,
        }
    )
    _apply(writes, shop, conversation, result, sent_at, now)
    conversation.inbound_count += 1
    key = (shop.id, message_in.channel.value, message_in.external_id)
    snapshot.placed[key] = (message_id, conversation.id)
    return message_id, conversation.id


def _open_conversation(
    snapshot: Snapshot,
    writes: Writes,
    item: Inbound,
    customer_id: str,
    now: datetime,
    follow_up_of: ConversationRow | None = None,
) -> ConversationRow:
    message_in = item.message_in
    writes.conversations_created += 1
    conversation = ConversationRow(
        id=new_id(),
        shop_id=item.shop.id,
        customer_id=customer_id,
        channel=message_in.channel.value,
        external_thread_id=message_in.thread_id,
        subject=clean_text(message_in.subject or message_in.text.strip().split("\n")[0])[:120],
        created_seq=writes.conversations_created,
        is_new=True,
        order_id=follow_up_of.order_id if follow_up_of else None,
    )
    snapshot.conversations[conversation.id] = conversation
    reason = f"first message {message_in.external_id} on {message_in.channel}"
    if follow_up_of is not None:
        reason += f", a follow-up to closed conversation {follow_up_of.id}"
    writes.audit(
        at=now,
        shop_id=item.shop.id,
        conversation_id=conversation.id,
        action="created",
        reason=reason,
    )
    return conversation


def _with_context(
    snapshot: Snapshot,
    triager: Triager,
    shop: ShopFacts,
    conversation: ConversationRow,
    item: Inbound,
    sent_at: datetime,
) -> dict[str, Any]:
    """Re-score priority once the conversation, its order and its history are known; every
    message, since the platform's reply deadline runs for a first question with no order too
    (a Pinduoduo chat's 3 minutes counted only once an order was linked)."""
    order = snapshot.orders_by_id.get(conversation.order_id or "")
    earlier = conversation.inbound_count
    due = conversation.sla_due_at or sla.reply_due(
        platform=shop.platform, received_at=sent_at, timezone=shop.timezone
    )
    late = None
    if order and order.promised_delivery_at and not order.delivered_at:
        late = max(0, (sent_at - order.promised_delivery_at).days) or None
    request = TriageRequest(
        text=item.text,
        platform=shop.platform,
        languages=shop.languages,
        order_value=quantize(order.total, order.currency) if order else None,
        currency=order.currency if order else None,
        repeat_contacts=earlier,
        hours_to_platform_deadline=round((due - sent_at).total_seconds() / 3600, 1),
        promised_delivery_days_late=late,
    )
    return triager.reprioritize(item.triage, request)


def _reopen(
    writes: Writes,
    shop: ShopFacts,
    conversation: ConversationRow,
    now: datetime,
    action: str,
    reason: str,
) -> None:
    """Open the conversation again, with an audit entry saying why."""
    writes.audit(
        at=now,
        shop_id=shop.id,
        conversation_id=conversation.id,
        action=action,
        reason=reason,
        changes={"status": {"from": conversation.status, "to": Status.OPEN.value}},
    )
    conversation.status = Status.OPEN.value


def _apply(
    writes: Writes,
    shop: ShopFacts,
    conversation: ConversationRow,
    result: dict[str, Any],
    sent_at: datetime,
    now: datetime,
) -> None:
    # The customer still waits for our answer to what they wrote before: a calm follow-up
    # ("the order number is 113-...") must not sink a conversation that opened with a threat.
    awaiting_reply = (
        conversation.inbound_count > 0
        and conversation.sla_due_at is not None
        and conversation.status in ACTIVE
    )
    if conversation.status not in ACTIVE:
        reason = f"the customer wrote again after the conversation was {conversation.status}"
        _reopen(writes, shop, conversation, now, "reopened", reason)
        conversation.resolved_at = None
    elif conversation.status in (Status.PENDING, Status.SNOOZED):
        reason = f"the customer wrote while the conversation was {conversation.status}"
        _reopen(writes, shop, conversation, now, "updated", reason)
        conversation.snoozed_until = None
    if conversation.sla_due_at is None:
        conversation.sla_due_at = sla.reply_due(
            platform=shop.platform, received_at=sent_at, timezone=shop.timezone
        )
    conversation.last_message_at = max(sent_at, conversation.last_message_at or sent_at)
    priority = result.get("priority") or {}
    score = int(priority.get("score", conversation.priority))
    conversation.priority = max(score, conversation.priority) if awaiting_reply else score
    conversation.language = result.get("language") or conversation.language
    intent = result.get("intent")
    if intent and intent != "other":
        conversation.intent = intent
        conversation.tags = sorted({*conversation.tags, intent})
    conversation.dirty = True
