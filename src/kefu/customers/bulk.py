"""Batched customer upserts: matched by identity, merged, and written a few statements per
batch. The API's single upsert and the file import both go through here, so a customer ends up
the same whichever way it arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.storage.bulk import among, id_stream, insert_rows, rows_by_key, table_of
from kefu.storage.engine import cache_write_plans

# Filled in from a row when the row has a value; ``external_id`` only when none is stored.
_MERGED = ("name", "email", "phone", "country", "language")
_COLUMNS = ("id", "shop_id", "external_id", *_MERGED)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def identity_keys(customer_in: CustomerIn) -> list[tuple[str, str]]:
    """(kind, value) pairs a customer is recognised by, most specific first."""
    keys = []
    if customer_in.external_id:
        keys.append(("external_id", customer_in.external_id))
    if customer_in.email:
        keys.append(("email", customer_in.email))
    if customer_in.phone:
        keys.append(("phone", customer_in.phone))
    return keys


def matching_customer(
    customer_in: CustomerIn,
    owner: Callable[[tuple[str, str]], str | None],
    buyer_id_of: Callable[[str], str | None],
    keys: list[tuple[str, str]] | None = None,
) -> str | None:
    """The known customer ``customer_in`` is: the owner of its first known identity (buyer id,
    email, phone), or None for a new customer.

    A buyer id we do not know, arriving with the email or phone of a customer who has another
    buyer id, is a second account sharing an address (a family's email), so a new customer:
    merging them made the first customer take each account's name in turn, on every import.
    ``keys``: ``identity_keys(customer_in)``, when the caller has them already.
    """
    for key in identity_keys(customer_in) if keys is None else keys:
        if (found := owner(key)) is not None:
            held = buyer_id_of(found)
            if customer_in.external_id and held and held != customer_in.external_id:
                return None
            return found
    return None


@dataclass
class _Draft:
    """A customer's columns as the batch leaves them."""

    row: dict[str, Any]
    new: bool
    changed: bool = False


@dataclass
class _Batch:
    shop_id: str
    ids: Iterator[str]
    owners: dict[tuple[str, str], str]  # identity -> customer id
    drafts: dict[str, _Draft]
    new_identities: list[dict[str, Any]]

    def apply(self, customer_in: CustomerIn, keys: list[tuple[str, str]]) -> tuple[str, Outcome]:
        """Merge one customer (known by ``keys``, its ``identity_keys``) into the batch, as if
        the rows before it were already stored."""
        found = matching_customer(
            customer_in, self.owners.get, lambda cid: self.drafts[cid].row["external_id"], keys
        )
        if found is None:
            return self._create(customer_in, keys), Outcome.CREATED
        draft = self.drafts[found]
        before = dict(draft.row)
        if customer_in.external_id and not draft.row["external_id"]:
            draft.row["external_id"] = customer_in.external_id
        for name in _MERGED:
            if value := getattr(customer_in, name):
                draft.row[name] = value
        added = self._claim(found, keys)
        if added or draft.row != before:
            draft.changed = not draft.new  # a customer new in this batch is inserted as it ends
            return found, Outcome.UPDATED
        return found, Outcome.UNCHANGED

    def _create(self, customer_in: CustomerIn, keys: list[tuple[str, str]]) -> str:
        # The row a stored customer with no values would become once merged with customer_in
        # (most of an import is new customers, so this path is worth its few lines).
        c = customer_in
        found = next(self.ids)
        row = {"id": found, "shop_id": self.shop_id, "external_id": c.external_id or None,
               "name": c.name or "", "email": c.email or None, "phone": c.phone or None,
               "country": c.country or None, "language": c.language or None}  # fmt: skip
        self.drafts[found] = _Draft(row, new=True)
        self._claim(found, keys)
        return found

    def _claim(self, customer_id: str, keys: list[tuple[str, str]]) -> bool:
        """Give the customer those of ``keys`` nobody holds (an identity another customer
        already holds stays with that customer); whether any was new."""
        added = False
        for key in keys:
            if key not in self.owners:
                self.owners[key] = customer_id
                kind, value = key
                self.new_identities.append(
                    {
                        "id": next(self.ids),
                        "shop_id": self.shop_id,
                        "customer_id": customer_id,
                        "kind": kind,
                        "value": value,
                    }
                )
                added = True
        return added


def _start(db: Session, shop_id: str, keys: list[list[tuple[str, str]]]) -> _Batch:
    """The batch's known identities (``keys``: each customer's) and the stored customers that
    hold them."""
    wanted = {key for customer_keys in keys for key in customer_keys}
    owners: dict[tuple[str, str], str] = {}
    if wanted:
        kinds, values = zip(*sorted(wanted), strict=True)
        rows = rows_by_key(
            db,
            [CustomerIdentity.kind, CustomerIdentity.value, CustomerIdentity.customer_id],
            {CustomerIdentity.kind: kinds, CustomerIdentity.value: values},
            CustomerIdentity.shop_id == shop_id,
        )
        owners = {(kind, value): cid for kind, value, cid in rows}
    drafts: dict[str, _Draft] = {}
    if owners:
        columns = [getattr(Customer, name) for name in _COLUMNS]
        stored = db.execute(
            select(*columns).where(among(db, Customer.id, sorted(set(owners.values()))))
        )
        drafts = {row.id: _Draft(dict(row._mapping), new=False) for row in stored}
    return _Batch(shop_id, id_stream(), owners, drafts, [])


@dataclass
class CustomerWrites:
    """What upserting a batch of customers writes, planned from reads alone."""

    outcomes: list[tuple[str, Outcome]]
    new: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    new_identities: list[dict[str, Any]]
    # Every identity the batch matched or added: what a batch planned before this one is
    # committed must not touch (see ``kefu.customers.flows``).
    identities: set[tuple[str, str]]


def plan_customers(*, db: Session, shop_id: str, customers: Sequence[CustomerIn]) -> CustomerWrites:
    """Match each customer by identity (buyer id, email, phone: the first one known wins) and
    fill in what is new, or create it; in order, so a later row sees an earlier one. Reads only.
    """
    keys = [identity_keys(c) for c in customers]
    batch = _start(db, shop_id, keys)
    outcomes = [batch.apply(c, k) for c, k in zip(customers, keys, strict=True)]
    return CustomerWrites(
        outcomes,
        new=[d.row for d in batch.drafts.values() if d.new],
        changed=[d.row for d in batch.drafts.values() if d.changed],
        new_identities=batch.new_identities,
        identities=set(batch.owners),
    )


def write_customers(db: Session, writes: CustomerWrites) -> None:
    """Write what ``plan_customers`` planned, in the caller's transaction."""
    if writes.new or writes.changed or writes.new_identities:
        cache_write_plans(db.connection())
    insert_rows(db, table_of(Customer), writes.new)
    insert_rows(db, table_of(CustomerIdentity), writes.new_identities)
    if writes.changed:
        table = table_of(Customer)
        db.execute(
            update(table).where(table.c.id == bindparam("_id")).values(updated_at=func.now()),
            [
                {"_id": row["id"], **{name: row[name] for name in _COLUMNS[2:]}}
                for row in writes.changed
            ],
        )


def upsert_customers(
    *, db: Session, shop_id: str, customers: Sequence[CustomerIn]
) -> list[tuple[str, Outcome]]:
    """``plan_customers`` then ``write_customers``. Returns each row's customer id and what
    happened to that customer."""
    writes = plan_customers(db=db, shop_id=shop_id, customers=customers)
    write_customers(db, writes)
    return writes.outcomes
