"""A lean HTTP/1.1 load generator: N keep-alive connections on one asyncio loop.

The bench measures the server, so the client must cost far less than the server per request.
httpx in 16 threads spent about 1 ms of CPU per request on the same two cores as the server
(its connection pool, header models and the GIL hand-offs between threads), which the server then
lacked. Here each request is encoded once up front and each response is read by its
Content-Length, so the client's share stays a few tens of microseconds.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class LoadError(RuntimeError):
    """The server answered with a non-2xx status or a response this client cannot read."""


@dataclass(frozen=True)
class LoadRun:
    latencies_ms: list[float]
    elapsed_s: float

    @property
    def requests_per_s(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s


def encode_post(host: str, path: str, token: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding":
            raise LoadError("chunked responses are not read by this client")
    if length is None:
        raise LoadError("response without Content-Length")
    return status, await reader.readexactly(length)


async def _connection(port: int, requests: Sequence[bytes], out: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            t0 = time.perf_counter()
            writer.write(request)
            status, body = await _read_response(reader)
            out.append((time.perf_counter() - t0) * 1000)
            if not 200 <= status < 300:
                raise LoadError(f"HTTP {status}: {body[:300]!r}")
    finally:
        writer.close()


async def _run(port: int, per_connection: list[list[bytes]]) -> LoadRun:
    latencies: list[float] = []
    start = time.perf_counter()
    await asyncio.gather(*(_connection(port, chunk, latencies) for chunk in per_connection))
    return LoadRun(latencies, time.perf_counter() - start)


def get_all(port: int, path: str, count: int, connections: int) -> LoadRun:
    """GET ``path`` ``count`` times, spread over ``connections`` closed-loop clients."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    chunks = [[request] * len(range(i, count, connections)) for i in range(connections)]
    return asyncio.run(_run(port, chunks))


def post_all(
    port: int, path: str, token: str, bodies: Sequence[dict[str, Any]], connections: int
) -> LoadRun:
    """POST every body, spread round-robin over ``connections`` closed-loop clients."""
    encoded = [encode_post(f"127.0.0.1:{port}", path, token, b) for b in bodies]
    chunks = [encoded[i::connections] for i in range(connections)]
    return asyncio.run(_run(port, chunks))
