"""Store a policy ``OrderSnapshot`` and catalogue as rows, for ``DbOrderActions`` tests."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker

from kefu.customers.models import Customer
from kefu.inbox.order_actions import DbOrderActions
from kefu.orders.models import Order, OrderItem, Shipment
from kefu.policy import OrderSnapshot, VariantInfo
from kefu.policy.models import CatalogueVariant, CustomerPaymentMethod, OrderRemedyState
from kefu.shops.models import Shop


def seed_order(
    sessions: sessionmaker[Session],
    snapshot: OrderSnapshot,
    variants: Iterable[VariantInfo] = (),
) -> DbOrderActions:
    """Rows for the snapshot's shop, customer, order, wallet and catalogue; a store over them."""
    with sessions() as db, db.begin():
        shop_id = snapshot.shop_id
        if db.get(Shop, shop_id) is None:
            db.add(
                Shop(
                    id=shop_id,
                    slug=shop_id,
                    name=shop_id,
                    platform=snapshot.platform,
                    region=snapshot.region,
                    currency=snapshot.currency,
                )
            )
            db.flush()
        if snapshot.customer_id and db.get(Customer, snapshot.customer_id) is None:
            db.add(Customer(id=snapshot.customer_id, shop_id=shop_id, name="Test buyer"))
            db.flush()
        order = Order(
            id=snapshot.order_id,
            shop_id=shop_id,
            external_id=snapshot.order_id,
            customer_id=snapshot.customer_id or None,
            status=snapshot.status.value,
            currency=snapshot.currency,
            subtotal=sum((i.unit_price * i.quantity for i in snapshot.items), start=0),
            shipping_fee=snapshot.shipping_fee,
            discount=snapshot.discount,
            total=snapshot.total,
            amount_refunded=snapshot.amount_refunded,
            payment_method=snapshot.payment_method_id or None,
            placed_at=snapshot.placed_at,
            promised_delivery_at=snapshot.promised_delivery_at,
            delivered_at=snapshot.delivered_at,
            items=[
                OrderItem(
                    position=n,
                    sku=i.sku,
                    title=i.title,
                    category=i.category or None,
                    quantity=i.quantity,
                    unit_price=i.unit_price,
                    refunded_quantity=i.refunded_quantity,
                )
                for n, i in enumerate(snapshot.items)
            ],
            shipments=[
                Shipment(carrier="UPS", tracking_number="1Z999", shipped_at=snapshot.shipped_at)
            ]
            if snapshot.shipped_at
            else [],
        )
        db.add(order)
        catalogue = {
            i.sku: VariantInfo(i.sku, i.product_id, i.unit_price, True, i.title)
            for i in snapshot.items
        }
        catalogue.update({v.sku: v for v in variants})
        for v in catalogue.values():
            db.add(
                CatalogueVariant(
                    shop_id=shop_id,
                    sku=v.sku,
                    product_id=v.product_id,
                    title=v.title,
                    unit_price=v.unit_price,
                    available=v.available,
                )
            )
        for m in snapshot.customer_payment_methods:
            db.add(
                CustomerPaymentMethod(
                    shop_id=shop_id,
                    customer_id=snapshot.customer_id,
                    method_id=m.id,
                    kind=m.kind,
                    balance=m.balance,
                )
            )
        if snapshot.address or snapshot.modified or snapshot.return_requested_at:
            db.add(
                OrderRemedyState(
                    order_id=snapshot.order_id,
                    address=dict(snapshot.address),
                    modified=sorted(snapshot.modified),
                    return_requested_at=snapshot.return_requested_at,
                )
            )
    return DbOrderActions(sessions=sessions, shop_id=snapshot.shop_id)
