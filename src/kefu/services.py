"""Composition root: builds every long-lived collaborator from settings, once per entry point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kefu.channels.base import ChannelAdapter
from kefu.channels.webchat import WebchatAdapter
from kefu.config import Settings
from kefu.core.clock import Clock, SystemClock
from kefu.core.events import EventBus, InProcessBus, RedisBus
from kefu.inbox.ingest import IngestDeps
from kefu.inbox.triage import Triager
from kefu.shops.enums import Platform
from kefu.storage.engine import make_engine, make_session_factory


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    triager: Triager
    channels: dict[str, ChannelAdapter]
    events: EventBus
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ingest_deps(self) -> IngestDeps:
        return IngestDeps(
            session_factory=self.sessions, triager=self.triager,
            max_message_bytes=self.settings.max_message_bytes,
        )


def default_triager(settings: Settings) -> Triager:
    """The built-in offline NLU, limited to the configured languages."""
    from kefu.inbox.nlu_triager import NluTriager

    return NluTriager(languages=settings.languages)


def build_services(
    settings: Settings, *, clock: Clock | None = None, triager: Triager | None = None,
    engine: Engine | None = None,
) -> Services:
    """Wire database, clock, NLU, channels and the event bus."""
    engine = engine or make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    # Until marketplace connectors are configured, every channel delivers into Kefu's own
    # outbox table, which the web chat widget and the conversation view read.
    channels: dict[str, ChannelAdapter] = {
        platform.value: WebchatAdapter(session_factory=sessions, clock=clock)
        for platform in Platform
    }
    events: EventBus = RedisBus(settings.redis_url) if settings.redis_url else InProcessBus()
    return Services(
        settings=settings, engine=engine, sessions=sessions, clock=clock,
        triager=triager or default_triager(settings), channels=channels, events=events,
    )
