"""One Alembic history: upgrade, downgrade to base and upgrade again, on each database."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from kefu.model_registry import metadata
from kefu.services import Services
from kefu.storage.migrate import downgrade, upgrade


def test_history_round_trips_and_matches_the_models(services: Services) -> None:
    url = services.settings.database_url
    services.engine.dispose()
    downgrade(url, "base")
    upgrade(url)
    engine = create_engine(url.replace("sqlite:///", "sqlite:///", 1))
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.name for t in metadata.sorted_tables} <= tables
