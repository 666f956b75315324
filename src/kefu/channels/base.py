"""The seam between Kefu and every channel it sends through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """What a channel needs to deliver one reply."""

    message_id: str
    shop_id: str
    channel: str
    conversation_id: str
    external_thread_id: str | None
    recipient: str | None
    text: str
    language: str | None


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """The channel's proof of delivery; ``duplicate`` when it had already been delivered."""

    message_id: str
    external_id: str
    delivered_at: datetime
    duplicate: bool = False


class ChannelAdapter(Protocol):
    """Delivers outbound messages. ``send`` must be idempotent on ``message_id``:
    the outbox retries after crashes, so a second call must not deliver twice."""

    name: str

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Deliver a message, or return the receipt of its earlier delivery."""
        ...


class PermanentDeliveryError(Exception):
    """The channel refused the message for good (e.g. thread closed); do not retry."""
