"""Batched customer upserts: one batch ends where the same rows one by one would, bad rows are
isolated, and the file import reports each row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from kefu.customers.bulk import Outcome, upsert_customers
from kefu.customers.flows import import_customers_file
from kefu.customers.models import Customer, CustomerIdentity
from kefu.customers.schemas import CustomerIn
from kefu.services import Services
from tests.conftest import Tenant

# Each row leans on the ones before it: matches by a later identity, identities another
# customer holds, other buyer ids that share an email or phone with a stored customer.
ROWS = [
    {"external_id": "B1", "name": "Ana", "email": "ana@example.org"},
    {"email": "ANA@example.org", "phone": "+15550001", "country": "es"},
    {"external_id": "B1", "name": "Ana"},
    {"external_id": "B2", "email": "ana@example.org", "name": "Ana Ruiz"},
    {"email": "zhang.wei@example.cn", "name": "张伟", "language": "zh"},
    {"email": "zhang.wei@example.cn", "phone": "+15550001"},
    {"external_id": "B3", "phone": "+15550001"},
    {"external_id": "B3", "name": "Bo"},
]


def _state(services: Services, shop_id: str) -> list[tuple[object, ...]]:
    """The shop's customers with their identities, without ids."""
    with services.sessions() as db:
        customers = db.scalars(select(Customer).where(Customer.shop_id == shop_id)).all()
        return sorted(
            (
                c.external_id or "",
                c.name,
                c.email or "",
                c.phone or "",
                c.country or "",
                c.language or "",
                tuple(sorted((i.kind, i.value) for i in c.identities)),
            )
            for c in customers
        )


def test_one_batch_ends_where_the_rows_one_by_one_end(services: Services, tenant: Tenant) -> None:
    rows = [CustomerIn.model_validate(r) for r in ROWS]
    with services.sessions() as db, db.begin():
        together = upsert_customers(db=db, shop_id=tenant.shop_a, customers=rows)
    alone = []
    for row in rows:
        with services.sessions() as db, db.begin():
            alone += upsert_customers(db=db, shop_id=tenant.shop_b, customers=[row])
    assert [o for _, o in together] == [o for _, o in alone]
    assert [o for _, o in together] == [
        Outcome.CREATED,
        Outcome.UPDATED,  # phone and country added
        Outcome.UNCHANGED,
        Outcome.CREATED,  # another buyer id with Ana's email: another account; email stays hers
        Outcome.CREATED,
        Outcome.UPDATED,  # matched by email, takes the phone number; its identity stays Ana's
        Outcome.CREATED,  # another buyer id with Ana's phone: another account again
        Outcome.UPDATED,  # B3's name
    ]
    assert _state(services, tenant.shop_a) == _state(services, tenant.shop_b)
    assert len({cid for cid, _ in together}) == 4
    state = {row[0]: row for row in _state(services, tenant.shop_a)}
    assert state["B1"] == (
        "B1",
        "Ana",
        "ana@example.org",
        "+15550001",
        "ES",
        "",
        (("email", "ana@example.org"), ("external_id", "B1"), ("phone", "+15550001")),
    )
    assert state["B3"] == ("B3", "Bo", "", "+15550001", "", "", (("external_id", "B3"),))


def test_identities_of_another_shop_do_not_match(services: Services, tenant: Tenant) -> None:
    row = CustomerIn(external_id="B1", email="ana@example.org")
    with services.sessions() as db, db.begin():
        [(in_b, _)] = upsert_customers(db=db, shop_id=tenant.shop_b, customers=[row])
        [(in_a, outcome)] = upsert_customers(db=db, shop_id=tenant.shop_a, customers=[row])
    assert in_a != in_b and outcome is Outcome.CREATED


def test_an_identity_cannot_sit_in_another_shop_than_its_customer(
    services: Services, tenant: Tenant
) -> None:
    # Identity look-ups are scoped by the identity's own shop; a mismatch would show shop A's
    # customer to shop B. The database refuses one, whatever code tries to write it.
    with services.sessions() as db, db.begin():
        [(customer, _)] = upsert_customers(
            db=db, shop_id=tenant.shop_a, customers=[CustomerIn(external_id="B1")]
        )
    stray = {"id": "f" * 32, "shop_id": tenant.shop_b, "customer_id": customer,
             "kind": "email", "value": "ana@example.org"}  # fmt: skip
    with pytest.raises(IntegrityError), services.sessions() as db, db.begin():
        db.execute(insert(CustomerIdentity), [stray])
    with services.sessions() as db:
        held = db.scalars(
            select(CustomerIdentity.shop_id).where(CustomerIdentity.customer_id == customer)
        )
        assert set(held) == {tenant.shop_a}


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("external_id,name,email,phone,country\n" + "".join(lines), encoding="utf-8")
    return path


def test_import_reports_rows_and_a_second_run_changes_nothing(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [f"B{n},Buyer {n},b{n}@example.org,+1555{n:07d},US\n" for n in range(2500)]
    lines[7] = "B7,Buyer 7,not-an-email,,US\n"
    lines[2000] = "B2000,Buyer,b2000@example.org,,USA\n"
    path = _csv(tmp_path / "customers.csv", lines)
    progress: list[int] = []
    report = import_customers_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=path,
        on_progress=progress.append,
    )
    assert [(p.row, p.field) for p in report.problems or []] == [(9, "email"), (2002, "country")]
    assert (report.created, report.updated, report.unchanged, sum(progress)) == (2498, 0, 0, 2500)
    again = import_customers_file(
        session_factory=services.sessions, shop_id=tenant.shop_a, path=path
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2498)
    renamed = _csv(tmp_path / "renamed.csv", ["B5,Buyer Five,,,\n"])
    changed = import_customers_file(
        session_factory=services.sessions, shop_id=tenant.shop_a, path=renamed
    )
    assert (changed.created, changed.updated) == (0, 1)
    with services.sessions() as db:
        five = db.scalars(select(Customer).where(Customer.external_id == "B5")).one()
        assert (five.name, five.email) == ("Buyer Five", "b5@example.org")


def test_a_row_the_database_refuses_does_not_sink_its_batch(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    # A stored customer whose buyer id has no identity row: the import does not match it, and
    # creating a second customer with that buyer id breaks the (shop, external id) key.
    with services.sessions() as db, db.begin():
        db.execute(insert(Customer).values(id="c" * 32, shop_id=tenant.shop_a, external_id="B3"))
    lines = [f"B{n},Buyer {n},b{n}@example.org,,\n" for n in range(6)]
    report = import_customers_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=_csv(tmp_path / "customers.csv", lines),
    )
    assert [(p.row, p.reason) for p in report.problems or []] == [
        (5, "the database refused this customer")
    ]
    assert report.created == 5
    with services.sessions() as db:
        values = db.scalars(select(CustomerIdentity.value).where(CustomerIdentity.kind == "email"))
        assert sorted(values) == [f"b{n}@example.org" for n in (0, 1, 2, 4, 5)]


def test_a_customer_row_without_a_name_is_imported(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    report = import_customers_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=_csv(tmp_path / "customers.csv", ["K5,,k5@example.org,,\n"]),
    )
    assert (report.created, report.problems) == (1, [])


def test_accounts_sharing_an_email_or_phone_stay_apart_and_a_second_import_changes_nothing(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        "k-1,Kim,kim@example.org,+15550009,US\n",
        "k-5,Kim's son,kim@example.org,,US\n",  # the family's email
        "k-7,Kim's daughter,,+15550009,US\n",  # the family's phone
        ",Nobody,,,US\n",  # nothing to recognise this customer by
    ]
    path = _csv(tmp_path / "customers.csv", lines)
    first = import_customers_file(
        session_factory=services.sessions, shop_id=tenant.shop_a, path=path
    )
    assert [(p.row, p.reason) for p in first.problems or []] == [
        (5, "a customer needs an external_id, email or phone to be recognised")
    ]
    assert first.created == 3
    again = import_customers_file(
        session_factory=services.sessions, shop_id=tenant.shop_a, path=path
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with services.sessions() as db:
        names = {c.external_id: c.name for c in db.scalars(select(Customer))}
    assert names == {"k-1": "Kim", "k-5": "Kim's son", "k-7": "Kim's daughter"}


def test_an_over_long_cell_is_reported_and_the_rows_around_it_land(
    services: Services, tenant: Tenant, tmp_path: Path
) -> None:
    lines = [
        "K1,Kay,k1@example.org,,\n",
        f"K2,{'x' * 200_000},,,\n",
        "K3,Kim,k\x003@example.org,,\n",
    ]
    report = import_customers_file(
        session_factory=services.sessions,
        shop_id=tenant.shop_a,
        path=_csv(tmp_path / "customers.csv", lines),
    )
    assert [(p.row, p.field, p.reason) for p in report.problems or []] == [
        (3, "name", "too long (over 131072 characters)")
    ]
    with services.sessions() as db:
        emails = db.scalars(select(Customer.email).order_by(Customer.external_id))
        assert list(emails) == ["k1@example.org", "k3@example.org"]
