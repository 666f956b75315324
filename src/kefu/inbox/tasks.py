"""Job handlers of the inbox: delivering queued replies through their channel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kefu.channels.base import ChannelAdapter, OutboundMessage, PermanentDeliveryError
from kefu.conversations.enums import DeliveryState
from kefu.conversations.models import Conversation, Message
from kefu.customers.models import Customer


def send_message(
    *,
    payload: dict[str, Any],
    session_factory: sessionmaker[Session],
    channels: Mapping[str, ChannelAdapter],
) -> None:
    """Deliver one outbound message; safe to run again after a crash (adapters dedupe)."""
    with session_factory() as db:
        message = db.get(Message, payload["message_id"])
        if message is None or message.delivery_state == DeliveryState.SENT:
            return
        conversation = db.get(Conversation, message.conversation_id)
        assert conversation is not None
        customer = db.get(Customer, conversation.customer_id)
        outbound = OutboundMessage(
            message_id=message.id,
            shop_id=message.shop_id,
            channel=message.channel,
            conversation_id=conversation.id,
            external_thread_id=conversation.external_thread_id,
            recipient=(customer.email or customer.external_id) if customer else None,
            text=message.text,
            language=message.language,
        )
    adapter = channels.get(outbound.channel)
    if adapter is None:
        raise PermanentDeliveryError(f"no adapter configured for channel {outbound.channel!r}")
    adapter.send(outbound)
    with session_factory() as db, db.begin():
        stored = db.get(Message, outbound.message_id)
        if stored is not None:
            stored.delivery_state = DeliveryState.SENT


def set_delivery_state(*, db: Session, payload: dict[str, Any], state: DeliveryState) -> None:
    """Record that a queued reply gave up (``FAILED``, its job dead-lettered) or is queued
    again (``QUEUED``, the job retried), unless it went out meanwhile."""
    message = db.get(Message, payload.get("message_id"))
    if message is not None and message.delivery_state != DeliveryState.SENT:
        message.delivery_state = state
