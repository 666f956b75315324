"""Schemathesis fuzzes every API operation over a live server: bad input never gives a 500."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from kefu.accounts import service as accounts
from kefu.accounts.enums import Role
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.config import Settings
from kefu.core.clock import FrozenClock
from kefu.inbox.triage import Triager
from kefu.services import build_services
from kefu.shops import service as shops
from kefu.shops.schemas import ShopCreate
from kefu.web.app import create_app
from tests.conftest import NO_POSTGRES
from tests.support.databases import fresh_sqlite, truncate_all
from tests.support.live import live_server


@dataclass
class FuzzTarget:
    base_url: str
    token: str
    schema: schemathesis.BaseSchema


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzz_target(
    request: pytest.FixtureRequest,
    sqlite_template_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    triager: Triager,
) -> Iterator[FuzzTarget]:
    # PostgreSQL too: it refuses what SQLite stores (NUL characters, out-of-range numbers).
    url: str | None = fresh_sqlite(sqlite_template_path, tmp_path_factory.mktemp("fuzz"))
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
        if url is None:
            pytest.skip(NO_POSTGRES)
    assert url is not None
    services = build_services(Settings(database_url=url), clock=FrozenClock(), triager=triager)
    if request.param == "postgres":
        truncate_all(services.engine)
    with services.sessions() as db, db.begin():
        shops.create(db=db, shop_in=ShopCreate(slug="fuzz-shop", name="Fuzz", platform="amazon"))
        user = accounts.create(
            db=db,
            user_in=UserCreate(
                email="fuzz@example.com",
                memberships=[MembershipIn(shop="fuzz-shop", role=Role.ADMIN)],
            ),
        )
        token = accounts.create_token(db=db, user=user)
    app = create_app(services)
    with live_server(app) as base_url:
        yield FuzzTarget(base_url, token, schemathesis.openapi.from_dict(app.openapi()))
    services.engine.dispose()


def test_no_operation_answers_500(fuzz_target: FuzzTarget) -> None:
    headers = {"Authorization": f"Bearer {fuzz_target.token}"}
    failures: list[str] = []
    operations = [result.ok() for result in fuzz_target.schema.get_all_operations()]
    assert len(operations) > 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def probe(case: schemathesis.Case) -> None:
            response = case.call(base_url=fuzz_target.base_url, headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.text[:200]}")

        probe()
    assert failures == []
