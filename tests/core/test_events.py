"""Live-update buses: publishing never blocks or fails the caller; a subscriber that falls
behind gets one resync instead of its lost backlog."""

from __future__ import annotations

import queue
import socket
import threading
import time
import uuid
from typing import Any

import pytest
from redis.client import PubSubWorkerThread

from kefu.core.events import RESYNC, SUBSCRIBER_BACKLOG, InProcessBus, RedisBus

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _take(inbox: queue.Queue[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return [inbox.get(timeout=5) for _ in range(count)]


def test_a_stalled_subscriber_gets_a_resync_and_the_publisher_never_fails() -> None:
    bus = InProcessBus()
    with bus.subscribe("inbox") as stalled, bus.subscribe("inbox") as reading:
        for n in range(SUBSCRIBER_BACKLOG + 5):
            bus.publish("inbox", {"type": "message", "n": n})
            assert reading.get_nowait()["n"] == n
        backlog = [stalled.get_nowait() for _ in range(stalled.qsize())]
    assert backlog[0] == RESYNC
    # The event that found the queue full is covered by the resync.
    assert [e["n"] for e in backlog[1:]] == list(
        range(SUBSCRIBER_BACKLOG + 1, SUBSCRIBER_BACKLOG + 5)
    )


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_redis_bus_delivers_across_bus_instances() -> None:
    topic = f"test-{uuid.uuid4().hex[:8]}"
    publisher, subscriber = RedisBus(REDIS_URL), RedisBus(REDIS_URL)
    with subscriber.subscribe(topic) as inbox:
        time.sleep(0.5)  # the subscription is registered by the listener thread
        for n in range(3):
            publisher.publish(topic, {"type": "message", "n": n})
        assert [e["n"] for e in _take(inbox, 3)] == [0, 1, 2]
    # The listener stops on its own; wait for it before the clients are collected.
    for thread in threading.enumerate():
        if isinstance(thread, PubSubWorkerThread):
            thread.join(timeout=5)


def test_redis_bus_publish_returns_when_redis_is_down() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bus = RedisBus(f"redis://127.0.0.1:{port}/0")
    for n in range(RedisBus.OUTBOX_LIMIT + 10):  # more than the outbox holds: dropped, not raised
        bus.publish("inbox", {"type": "message", "n": n})
