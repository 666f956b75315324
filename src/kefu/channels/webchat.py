"""The built-in web-chat channel: delivery means storing the reply for the chat widget."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from kefu.channels.base import DeliveryReceipt, OutboundMessage
from kefu.core.clock import Clock
from kefu.storage.base import Base, id_column


class WebchatDelivery(Base):
    __tablename__ = "webchat_deliveries"

    id: Mapped[str] = id_column()
    message_id: Mapped[str] = mapped_column(String(32), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    delivered_at: Mapped[datetime]


class WebchatAdapter:
    """Records each delivery once; the unique message id makes a resend a no-op."""

    name = "webchat"

    def __init__(self, *, session_factory: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = session_factory
        self._clock = clock

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        """Store the delivery, or return the stored one if this message went out already."""
        earlier = self._find(message.message_id)
        if earlier is not None:
            return earlier
        delivery = WebchatDelivery(
            message_id=message.message_id,
            conversation_id=message.conversation_id,
            text=message.text,
            delivered_at=self._clock.now(),
        )
        try:
            with self._sessions() as db, db.begin():
                db.add(delivery)
        except IntegrityError:
            # A crashed worker's twin got there first: its delivery stands.
            found = self._find(message.message_id)
            if found is None:
                raise
            return found
        return DeliveryReceipt(message.message_id, delivery.id, delivery.delivered_at)

    def _find(self, message_id: str) -> DeliveryReceipt | None:
        with self._sessions() as db:
            row = db.scalar(select(WebchatDelivery).where(WebchatDelivery.message_id == message_id))
            if row is None:
                return None
            return DeliveryReceipt(message_id, row.id, row.delivered_at, duplicate=True)

    def deliveries(self, conversation_id: str) -> list[WebchatDelivery]:
        """What the chat widget shows the customer, oldest first."""
        with self._sessions() as db:
            query = (
                select(WebchatDelivery)
                .where(WebchatDelivery.conversation_id == conversation_id)
                .order_by(WebchatDelivery.delivered_at)
            )
            return list(db.scalars(query))
