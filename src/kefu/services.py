"""Composition root: builds every long-lived collaborator from settings, once per entry point."""

from __future__ import annotations

import functools
from collections.abc import Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kefu.accounts import service as account_service
from kefu.accounts.schemas import Principal
from kefu.channels.base import ChannelAdapter
from kefu.channels.webchat import WebchatAdapter
from kefu.config import Settings
from kefu.core.clock import Clock, SystemClock
from kefu.core.events import EventBus, InProcessBus, RedisBus
from kefu.inbox.ingest import IngestDeps
from kefu.inbox.ingest_queue import IngestQueue
from kefu.inbox.triage import Triager
from kefu.shops.enums import Platform
from kefu.storage.engine import make_engine, make_session_factory, read_only, read_session

if TYPE_CHECKING:
    from kefu.replies.llm import LLMProvider


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
    # The optional LLM (polish, translation); None unless KEFU_LLM_BASE_URL is set.
    llm: LLMProvider | None = None
    # Joins concurrent single-message deliveries into one transaction (see ingest_queue).
    ingest_queue: IngestQueue = field(init=False)

    def __post_init__(self) -> None:
        self.ingest_queue = IngestQueue(self.ingest_deps, authenticate=self.authenticate_tokens)

    def authenticate_tokens(self, tokens: Collection[str]) -> dict[str, Principal]:
        """Principals of the valid tokens among ``tokens``, read without waiting for writers."""
        with self.engine.connect() as conn, read_only(conn):
            return account_service.authenticate_tokens(db=conn, tokens=tokens, now=self.clock.now())

    def reading(self) -> AbstractContextManager[Session]:
        """A session for a request that only reads: on SQLite it does not queue for the write
        lock behind ingest and imports (a plain session's transaction takes it)."""
        return read_session(self.sessions)

    @property
    def ingest_deps(self) -> IngestDeps:
        return IngestDeps(
            engine=self.engine,
            triager=self.triager,
            max_message_bytes=self.settings.max_message_bytes,
        )


def default_triager(settings: Settings) -> Triager:
    """The offline NLU, limited to the configured languages; a model the seller trained with
    ``kefu nlu train`` replaces the built-in intents when it exists."""
    from kefu.inbox.nlu_triager import NluTriager

    custom = settings.data_dir / "models" / "intents-custom.pkl"
    return NluTriager(languages=settings.languages, model_path=custom if custom.is_file() else None)


def default_llm(settings: Settings) -> LLMProvider | None:
    """The OpenAI-compatible endpoint from settings, or None when none is configured."""
    if not settings.llm_base_url:
        return None
    if not settings.llm_model:
        raise ValueError("KEFU_LLM_MODEL must name a model when KEFU_LLM_BASE_URL is set")
    # Imported here so that Kefu without an LLM never loads the openai client.
    from kefu.replies.llm import OpenAICompatibleProvider

    return OpenAICompatibleProvider(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_seconds,
    )


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    triager: Triager | None = None,
    engine: Engine | None = None,
) -> Services:
    """Wire database, clock, NLU, channels, the event bus and the optional LLM."""
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
    triager = triager or default_triager(settings)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        triager=triager,
        channels=channels,
        events=events,
        extras=knowledge_extras(settings, sessions=sessions, clock=clock, triager=triager),
        llm=default_llm(settings),
    )


def knowledge_extras(
    settings: Settings, *, sessions: sessionmaker[Session], clock: Clock, triager: Triager
) -> dict[str, Any]:
    """The knowledge indexes (opened on first use) and the drafts' knowledge lookup."""
    from kefu.inbox.kb import knowledge_lookup
    from kefu.knowledge.hub import build_hub
    from kefu.knowledge.search.dense import Embedder, load_embedder

    @functools.cache
    def embedder() -> Embedder | None:
        return load_embedder(settings.embedding_model) if settings.embedding_model else None

    hub = build_hub(
        data_dir=settings.data_dir,
        database_url=settings.database_url,
        sessions=sessions,
        embedder=embedder,
    )
    lookup = knowledge_lookup(
        sessions=sessions, hub=hub, triager=triager, clock=clock, languages=settings.languages
    )
    return {"knowledge_hub": hub, "knowledge_lookup": lookup}
