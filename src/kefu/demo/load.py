"""Loading the demo shop through the same services a real shop uses. Safe to run again."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.accounts import service as accounts
from kefu.accounts.enums import Role
from kefu.accounts.models import User
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.conversations.enums import DeliveryState, Direction
from kefu.conversations.models import Conversation, Message
from kefu.customers import service as customers
from kefu.customers.schemas import CustomerIn
from kefu.inbox.ingest import ingest_message
from kefu.inbox.schemas import InboundMessageIn
from kefu.orders.bulk import upsert_orders
from kefu.orders.models import Order
from kefu.orders.schemas import OrderIn
from kefu.services import Services
from kefu.shops import service as shops
from kefu.shops.models import Shop
from kefu.shops.schemas import ShopCreate

ADMIN_EMAIL = "admin@example.com"


@dataclass(frozen=True)
class DemoSummary:
    admin_email: str
    admin_password: str
    api_token: str
    shops: int
    customers: int
    orders: int
    conversations: int


def load_demo(*, services: Services, now: datetime) -> DemoSummary:
    """Create (or refresh) the demo shops, people, orders and conversations."""
    from kefu.demo.generate import build_demo

    data = build_demo(now=now)
    with services.sessions() as db, db.begin():
        loaded_before = _all_shops_exist(db, data.shops)
        shop_ids = _shops(db, data.shops)
        password, token = _people(db, data.agents, list(shop_ids.values()))
    _starter_knowledge(services, now)
    if loaded_before:
        # Ids depend on the day (Pinduoduo's carry the order date): reloading on another day
        # would add a second copy of the shop, so a loaded demo only gets fresh credentials.
        return DemoSummary(ADMIN_EMAIL, password, token, len(data.shops), 0, 0, 0)
    with services.sessions() as db, db.begin():
        customer_ids = _customers(db, data.customers, shop_ids)
        for shop_slug in shop_ids:
            orders = [
                OrderIn.model_validate(_order_in(o, data.customers))
                for o in data.orders
                if o["shop"] == shop_slug
            ]
            upsert_orders(db=db, shop_id=shop_ids[shop_slug], orders=orders)
    for conversation in data.conversations:
        _conversation(services, conversation, shop_ids, customer_ids, data.customers)
    return DemoSummary(
        admin_email=ADMIN_EMAIL,
        admin_password=password,
        api_token=token,
        shops=len(data.shops),
        customers=len(data.customers),
        orders=len(data.orders),
        conversations=len(data.conversations),
    )


def _starter_knowledge(services: Services, now: datetime) -> None:
    """The starter articles (en + zh) as global articles every demo shop sees; idempotent."""
    from kefu.knowledge.flows import import_folder
    from kefu.knowledge.library import starter_dir

    hub = services.extras.get("knowledge_hub")
    import_folder(
        sessions=services.sessions,
        keeper=hub.articles if hub is not None else None,
        directory=starter_dir(),
        shop_id=None,
        actor="kefu demo",
        now=now,
    )


def _all_shops_exist(db: Session, rows: list[dict[str, Any]]) -> bool:
    slugs = [row["slug"] for row in rows]
    found = db.scalars(select(Shop.slug).where(Shop.slug.in_(slugs))).all()
    return len(found) == len(slugs)


def _shops(db: Session, rows: list[dict[str, Any]]) -> dict[str, str]:
    ids = {}
    for row in rows:
        existing = db.scalar(select(Shop).where(Shop.slug == row["slug"]))
        shop = existing or shops.create(db=db, shop_in=ShopCreate.model_validate(row))
        ids[row["slug"]] = shop.id
    return ids


def _people(db: Session, agents: list[dict[str, Any]], shop_ids: list[str]) -> tuple[str, str]:
    password = secrets.token_urlsafe(9)
    admin = db.scalar(select(User).where(User.email == ADMIN_EMAIL))
    if admin is None:
        admin = accounts.create(
            db=db, user_in=UserCreate(email=ADMIN_EMAIL, name="Admin", password=password)
        )
    accounts.set_password(user=admin, password=password)
    for shop_id in shop_ids:
        accounts.set_membership(db=db, user=admin, shop_id=shop_id, role=Role.ADMIN)
    for agent in agents:
        if agent["email"] == ADMIN_EMAIL:
            continue
        user = db.scalar(select(User).where(User.email == agent["email"]))
        if user is None:
            user = accounts.create(
                db=db,
                user_in=UserCreate(
                    email=agent["email"],
                    name=agent["name"],
                    password=password,
                    languages=agent.get("languages", []),
                    memberships=[MembershipIn(shop=s, role=agent["role"]) for s in shop_ids],
                ),
            )
        else:
            accounts.set_password(user=user, password=password)
    token = accounts.create_token(db=db, user=admin, name="demo")
    return password, token


def _customers(
    db: Session, rows: list[dict[str, Any]], shop_ids: dict[str, str]
) -> dict[tuple[str, str], str]:
    """(customer key, shop slug) -> customer id, one profile per shop the person buys in."""
    ids = {}
    for row in rows:
        for identity in row["identities"]:
            customer_in = CustomerIn(
                external_id=identity["external_id"],
                name=row["name"],
                email=row.get("email"),
                phone=row.get("phone"),
                country=row.get("country"),
                language=row.get("language"),
            )
            customer, _ = customers.upsert(
                db=db, shop_id=shop_ids[identity["shop"]], customer_in=customer_in
            )
            ids[(row["key"], identity["shop"])] = customer.id
    return ids


def _identity(customer_rows: list[dict[str, Any]], key: str, shop: str) -> dict[str, Any]:
    row = next(r for r in customer_rows if r["key"] == key)
    ident = next((i for i in row["identities"] if i["shop"] == shop), row["identities"][0])
    return {"row": row, "external_id": ident["external_id"]}


def _order_in(order: dict[str, Any], customer_rows: list[dict[str, Any]]) -> dict[str, Any]:
    who = _identity(customer_rows, order["customer_key"], order["shop"])
    plain = {k: v for k, v in order.items() if k not in {"shop", "customer_key"}}
    return {
        **plain,
        "customer_external_id": who["external_id"],
        "customer_name": who["row"]["name"],
        "customer_email": who["row"].get("email"),
    }


def _conversation(
    services: Services,
    conv: dict[str, Any],
    shop_ids: dict[str, str],
    customer_ids: dict[tuple[str, str], str],
    customer_rows: list[dict[str, Any]],
) -> None:
    who = _identity(customer_rows, conv["customer_key"], conv["shop"])
    conversation_id = None
    for message in conv["messages"]:
        if message["direction"] == Direction.INBOUND:
            result = ingest_message(
                deps=services.ingest_deps,
                shop_ids=set(shop_ids.values()),
                now=message["at"],
                message_in=InboundMessageIn(
                    shop=conv["shop"],
                    channel=conv["channel"],
                    external_id=message["external_id"],
                    thread_id=conv.get("external_thread_id"),
                    text=message["text"],
                    sent_at=message["at"],
                    customer=CustomerIn(
                        external_id=who["external_id"],
                        name=who["row"]["name"],
                        email=who["row"].get("email"),
                    ),
                ),
            )
            conversation_id = result.conversation_id
        elif conversation_id is not None:
            _team_message(services, conversation_id, message)
    if conversation_id is not None:
        _finish(services, conversation_id, conv, shop_ids)


def _team_message(services: Services, conversation_id: str, message: dict[str, Any]) -> None:
    with services.sessions() as db, db.begin():
        conversation = db.get(Conversation, conversation_id)
        assert conversation is not None
        seen = db.scalar(
            select(Message.id).where(
                Message.shop_id == conversation.shop_id,
                Message.channel == conversation.channel,
                Message.external_id == message["external_id"],
            )
        )
        if seen:
            return
        author = db.scalar(
            select(User.id).where(User.email == (message.get("author") or ADMIN_EMAIL))
        )
        outbound = message["direction"] == Direction.OUTBOUND
        db.add(
            Message(
                shop_id=conversation.shop_id,
                conversation_id=conversation.id,
                channel=conversation.channel,
                external_id=message["external_id"],
                direction=message["direction"],
                author_id=author,
                text=message["text"],
                language=conversation.language,
                sent_at=message["at"],
                delivery_state=DeliveryState.SENT if outbound else DeliveryState.NONE,
            )
        )
        if outbound:
            conversation.first_response_at = conversation.first_response_at or message["at"]
            conversation.sla_due_at = None


def _finish(
    services: Services, conversation_id: str, conv: dict[str, Any], shop_ids: dict[str, str]
) -> None:
    with services.sessions() as db, db.begin():
        conversation = db.get(Conversation, conversation_id)
        assert conversation is not None
        if conv.get("order_external_id") and conversation.order_id is None:
            conversation.order_id = db.scalar(
                select(Order.id).where(
                    Order.shop_id == shop_ids[conv["shop"]],
                    Order.external_id == conv["order_external_id"],
                )
            )
        conversation.status = conv.get("status", conversation.status)
        if conversation.status in ("resolved", "closed"):
            conversation.sla_due_at = None
            conversation.resolved_at = conversation.resolved_at or conversation.last_message_at
