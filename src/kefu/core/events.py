"""Live-update fan-out: publish after commit, subscribers (SSE streams) receive.

In one process an in-memory bus; across processes Redis pub/sub (``KEFU_REDIS_URL``).
Publishing never blocks nor fails the caller: it runs after a message or a reply has been
committed, often on the web server's event loop, and live updates are a courtesy on top of
what is stored. A subscriber that falls behind loses its backlog and receives one ``RESYNC``
event instead, on which a page re-reads what it shows.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

log = logging.getLogger("kefu.events")

RESYNC: dict[str, Any] = {"type": "resync"}
SUBSCRIBER_BACKLOG = 1000


class EventBus(Protocol):
    def publish(self, topic: str, data: dict[str, Any]) -> None:
        """Send an event to every current subscriber of ``topic``."""
        ...

    def subscribe(self, topic: str) -> Any:
        """A context manager yielding a ``queue.Queue`` of events for ``topic``."""
        ...


def _deliver(inbox: queue.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    """Queue ``event`` for one subscriber; one that is full (a stalled browser tab) has its
    backlog replaced by a single resync."""
    try:
        inbox.put_nowait(event)
    except queue.Full:
        with contextlib.suppress(queue.Empty):
            while True:
                inbox.get_nowait()
        with contextlib.suppress(queue.Full):
            inbox.put_nowait(RESYNC)


class InProcessBus:
    """Fan-out to subscribers in this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[queue.Queue[dict[str, Any]]]] = {}

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(topic, []))
        for target in targets:
            _deliver(target, data)

    @contextmanager
    def subscribe(self, topic: str) -> Iterator[queue.Queue[dict[str, Any]]]:
        inbox: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=SUBSCRIBER_BACKLOG)
        with self._lock:
            self._subscribers.setdefault(topic, []).append(inbox)
        try:
            yield inbox
        finally:
            with self._lock:
                self._subscribers[topic].remove(inbox)


class RedisBus:
    """Fan-out through Redis pub/sub so every web process sees every event.

    ``publish`` only queues the event; a sender thread hands queued events to Redis in one
    pipeline, so a slow or unreachable Redis costs a request nothing. Events that cannot be
    sent are dropped with a warning: the data they announce is already stored.
    """

    OUTBOX_LIMIT = 10_000
    SEND_AT_MOST = 500

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._outbox: queue.Queue[tuple[str, str]] = queue.Queue(maxsize=self.OUTBOX_LIMIT)
        self._sender: threading.Thread | None = None
        self._lock = threading.Lock()

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        self._start_sender()
        try:
            self._outbox.put_nowait((f"kefu:{topic}", json.dumps(data, default=str)))
        except queue.Full:
            log.warning("live-update outbox full (is Redis reachable?): event dropped")

    def _start_sender(self) -> None:
        if self._sender is not None:
            return
        with self._lock:
            if self._sender is None:
                self._sender = threading.Thread(
                    target=self._send_forever, name="kefu-events", daemon=True
                )
                self._sender.start()

    def _send_forever(self) -> None:
        import redis

        while True:
            batch = [self._outbox.get()]
            with contextlib.suppress(queue.Empty):
                while len(batch) < self.SEND_AT_MOST:
                    batch.append(self._outbox.get_nowait())
            try:
                pipe = self._redis.pipeline(transaction=False)
                for channel, payload in batch:
                    pipe.publish(channel, payload)
                pipe.execute()
            except redis.RedisError as exc:
                log.warning("live updates not sent to Redis (%s): %d dropped", exc, len(batch))

    @contextmanager
    def subscribe(self, topic: str) -> Iterator[queue.Queue[dict[str, Any]]]:
        inbox: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=SUBSCRIBER_BACKLOG)
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]

        def on_message(message: dict[str, Any]) -> None:
            _deliver(inbox, json.loads(message["data"]))

        pubsub.subscribe(**{f"kefu:{topic}": on_message})
        thread = pubsub.run_in_thread(sleep_time=0.2, daemon=True)
        try:
            yield inbox
        finally:
            # The listener closes its connection itself once it sees the stop; closing it here
            # pulled the socket from under a read in progress (and joining would block the
            # event loop the stream runs on).
            thread.stop()
