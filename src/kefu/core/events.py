"""Live-update fan-out: publish after commit, subscribers (SSE streams) receive.

In one process an in-memory bus; across processes Redis pub/sub (``KEFU_REDIS_URL``).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class EventBus(Protocol):
    def publish(self, topic: str, data: dict[str, Any]) -> None:
        """Send an event to every current subscriber of ``topic``."""
        ...

    def subscribe(self, topic: str) -> Any:
        """A context manager yielding a ``queue.Queue`` of events for ``topic``."""
        ...


class InProcessBus:
    """Fan-out to subscribers in this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[queue.Queue[dict[str, Any]]]] = {}

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        with self._lock:
            targets = list(self._subscribers.get(topic, []))
        for target in targets:
            target.put_nowait(data)

    @contextmanager
    def subscribe(self, topic: str) -> Iterator[queue.Queue[dict[str, Any]]]:
        inbox: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1000)
        with self._lock:
            self._subscribers.setdefault(topic, []).append(inbox)
        try:
            yield inbox
        finally:
            with self._lock:
                self._subscribers[topic].remove(inbox)


class RedisBus:
    """Fan-out through Redis pub/sub so every web process sees every event."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def publish(self, topic: str, data: dict[str, Any]) -> None:
        self._redis.publish(f"kefu:{topic}", json.dumps(data, default=str))

    @contextmanager
    def subscribe(self, topic: str) -> Iterator[queue.Queue[dict[str, Any]]]:
        inbox: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1000)
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]

        def on_message(message: dict[str, Any]) -> None:
            inbox.put_nowait(json.loads(message["data"]))

        pubsub.subscribe(**{f"kefu:{topic}": on_message})
        thread = pubsub.run_in_thread(sleep_time=0.2, daemon=True)
        try:
            yield inbox
        finally:
            thread.stop()
            pubsub.close()
