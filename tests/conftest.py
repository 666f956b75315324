"""Shared fixtures: every database test runs on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kefu.accounts import service as accounts
from kefu.accounts.enums import Role
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.config import DEFAULT_LANGUAGES, Settings
from kefu.core.clock import FrozenClock
from kefu.inbox.triage import Triager
from kefu.services import Services, build_services
from kefu.shops import service as shops
from kefu.shops.schemas import ShopCreate
from kefu.web.app import create_app
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    fresh_sqlite,
    postgres_url,
    sqlite_template,
    truncate_all,
)
from tests.support.live import live_server

NO_POSTGRES = (
    "PostgreSQL run skipped: set KEFU_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1/test)"
)


@pytest.fixture(autouse=True)
def _not_the_developers_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # `make run` leaves the demo shop in ./var/kefu.db: a command a test runs without naming a
    # database must find none, as on a clean clone, not the demo's articles and orders.
    absent = tmp_path_factory.getbasetemp() / "no-database" / "kefu.db"
    monkeypatch.setenv("KEFU_DATABASE_URL", f"sqlite:///{absent}")
    # With kefu[e5] installed (dev installs it), the first polar review would train the encoder
    # head: 90 s. Its own tests turn it back on (tests/nlu/test_sentiment_dense.py).
    monkeypatch.setenv("KEFU_REVIEW_ENCODER", "off")


@pytest.fixture(scope="session")
def sqlite_template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("db-template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str | None]:
    base = postgres_url()
    if base is None:
        yield None
        return
    url = create_postgres_database(base)
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, sqlite_template_path: Path, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return fresh_sqlite(sqlite_template_path, tmp_path)
    url: str | None = request.getfixturevalue("postgres_database")
    if url is None:
        pytest.skip(NO_POSTGRES)
    return url


@pytest.fixture(scope="session")
def triager() -> Triager:
    from kefu.inbox.nlu_triager import NluTriager

    return NluTriager(languages=DEFAULT_LANGUAGES)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data", job_lease_seconds=5)


@pytest.fixture
def services(settings: Settings, clock: FrozenClock, triager: Triager) -> Iterator[Services]:
    built = build_services(settings, clock=clock, triager=triager)
    if built.engine.dialect.name == "postgresql":
        truncate_all(built.engine)
    yield built
    built.engine.dispose()


@dataclass
class Tenant:
    shop_a: str
    shop_b: str
    admin_a: str
    supervisor_a: str
    agent_a: str
    agent_b: str


@pytest.fixture
def tenant(services: Services) -> Tenant:
    """Two shops; an admin, a supervisor and an agent in A; an agent in B. Values are tokens."""
    with services.sessions() as db, db.begin():
        a = shops.create(
            db=db,
            shop_in=ShopCreate(
                slug="shop-a",
                name="Shop A",
                platform="amazon",
                currency="USD",
                timezone="America/New_York",
                languages=["en", "es"],
            ),
        )
        b = shops.create(
            db=db,
            shop_in=ShopCreate(
                slug="shop-b",
                name="店铺B",
                platform="pinduoduo",
                currency="CNY",
                timezone="Asia/Shanghai",
                languages=["zh"],
            ),
        )
        tokens = {}
        for email, shop, role in [
            ("admin@a.test", a, Role.ADMIN),
            ("sup@a.test", a, Role.SUPERVISOR),
            ("agent@a.test", a, Role.AGENT),
            ("agent@b.test", b, Role.AGENT),
        ]:
            user = accounts.create(
                db=db,
                user_in=UserCreate(
                    email=email,
                    password="correct horse battery",
                    memberships=[MembershipIn(shop=shop.slug, role=role)],
                ),
            )
            tokens[email] = accounts.create_token(db=db, user=user)
    return Tenant(
        a.id,
        b.id,
        tokens["admin@a.test"],
        tokens["sup@a.test"],
        tokens["agent@a.test"],
        tokens["agent@b.test"],
    )


@pytest.fixture
def base_url(services: Services) -> Iterator[str]:
    with live_server(create_app(services)) as url:
        yield url


def client_for(base_url: str, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=30)


@pytest.fixture
def api(base_url: str, tenant: Tenant) -> Iterator[httpx.Client]:
    """A client on a live loopback server, signed in as shop A's agent."""
    with client_for(base_url, tenant.agent_a) as client:
        yield client
