"""Ingest: store inbound messages exactly once, triage them, find their customer and thread.

The caller gets its answer only after the commit, so an acknowledged message is never lost; the
unique (shop, channel, external_id) key makes a retried delivery return the first message's ids.
A batch (a webhook that delivers many messages) is read with a few set queries, placed in
memory and written with bulk statements in one transaction: all of it is stored, or none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import nh3
from sqlalchemy import Connection, Engine, bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from kefu.core.text import clean_text, html_to_text
from kefu.customers.bulk import identity_keys
from kefu.errors import NotFound, PayloadTooLarge
from kefu.inbox import ingest_snapshot, ingest_write
from kefu.inbox.ingest_place import Inbound, ShopFacts, Writes, place_message
from kefu.inbox.ingest_snapshot import Lookups
from kefu.inbox.schemas import InboundMessageIn, IngestResult
from kefu.inbox.threading import order_id_variants
from kefu.inbox.triage import Triager, TriageRequest, order_ids_in, tracking_numbers_in
from kefu.shops.models import Shop
from kefu.storage.engine import read_only

# Remote images would tell the sender when an agent opened the mail; links open safely.
_SAFE_TAGS = nh3.ALLOWED_TAGS - {"img"}
# Two concurrent batches may both create the same customer or store the same delivery; the
# loser's transaction fails on a unique key and is placed again on what the winner committed.
_ATTEMPTS = 3


_SHOPS = select(Shop.id, Shop.slug, Shop.platform, Shop.languages, Shop.timezone).where(
    or_(Shop.id.in_(bindparam("refs", expanding=True)), Shop.slug.in_(bindparam("refs")))
)


def sanitize_html(html: str) -> str:
    """Customer HTML made safe to render: no scripts, styles, handlers or remote images."""
    return nh3.clean(html, tags=_SAFE_TAGS, link_rel="noopener noreferrer nofollow")


@dataclass(frozen=True)
class IngestDeps:
    engine: Engine
    triager: Triager
    max_message_bytes: int


def ingest_message(
    *, deps: IngestDeps, message_in: InboundMessageIn, shop_ids: Collection[str], now: datetime
) -> IngestResult:
    """Store, triage and thread one inbound message; a repeat returns the first one's ids."""
    return ingest_batch(deps=deps, messages=[message_in], shop_ids=shop_ids, now=now)[0]


def ingest_batch(
    *,
    deps: IngestDeps,
    messages: Sequence[InboundMessageIn],
    shop_ids: Collection[str],
    now: datetime,
) -> list[IngestResult]:
    """Store many inbound messages in one transaction, in order; one result per message."""
    for index, message_in in enumerate(messages):
        where = "" if len(messages) == 1 else f"messages.{index}."
        _check_size(message_in, deps.max_message_bytes, where)
    items: dict[int, Inbound] = {}
    # One pooled connection for the look and the write: a checkout (and its liveness ping on
    # PostgreSQL) costs about as much as a query.
    with deps.engine.connect() as conn:
        for attempt in range(1, _ATTEMPTS + 1):
            with read_only(conn):
                shops = _shops(conn, {m.shop for m in messages}, shop_ids)
                keys = [_key(shops, m) for m in messages]
                stored = ingest_snapshot.stored_messages(conn, keys)
            fresh = [i for i, key in enumerate(keys) if key not in stored]
            if not fresh:
                return [_duplicate(stored[key]) for key in keys]
            # Triage is CPU work: done outside the write transaction, which on SQLite holds
            # the database lock for every other writer while it runs.
            missing = [i for i in fresh if i not in items]
            prepared = _prepare(
                [messages[i] for i in missing], [shops[messages[i].shop] for i in missing], deps
            )
            items.update(zip(missing, prepared, strict=True))
            try:
                with conn.begin():
                    batch = {i: items[i] for i in fresh}
                    return _store(conn, deps.triager, keys, stored, batch, now)
            except IntegrityError:
                # A concurrent writer stored one of these deliveries, or created one of
                # these customers, first: look again and place the batch on what it committed.
                if attempt == _ATTEMPTS:
                    raise
    raise AssertionError("unreachable")


def _check_size(message_in: InboundMessageIn, limit: int, prefix: str) -> None:
    if len(message_in.text.encode("utf-8", "surrogatepass")) > limit:
        raise PayloadTooLarge(f"text is over {limit // 1024} KB", field=f"{prefix}text")
    if message_in.html and len(message_in.html.encode("utf-8", "surrogatepass")) > 4 * limit:
        raise PayloadTooLarge(f"html is over {4 * limit // 1024} KB", field=f"{prefix}html")


def _shops(conn: Connection, refs: set[str], shop_ids: Collection[str]) -> dict[str, ShopFacts]:
    """Each referenced shop (by slug or id) the caller may write to; NotFound otherwise."""
    rows = conn.execute(_SHOPS, {"refs": sorted(refs)})
    facts = [ShopFacts(r[0], r[1], r[2], tuple(r[3] or ()), r[4]) for r in rows]
    by_ref = {f.id: f for f in facts} | {f.slug: f for f in facts}
    for ref in sorted(refs):
        if ref not in by_ref or by_ref[ref].id not in shop_ids:
            raise NotFound(f"shop {ref!r} not found", field="shop")
    return {ref: by_ref[ref] for ref in refs}


def _key(shops: dict[str, ShopFacts], message_in: InboundMessageIn) -> tuple[str, str, str]:
    return (shops[message_in.shop].id, message_in.channel.value, message_in.external_id)


def _duplicate(ids: tuple[str, str]) -> IngestResult:
    return IngestResult(message_id=ids[0], conversation_id=ids[1], duplicate=True)


def _prepare(
    messages: Sequence[InboundMessageIn], shops: Sequence[ShopFacts], deps: IngestDeps
) -> list[Inbound]:
    """Clean, sanitise and triage messages (in one batch: the intent model scores them
    together)."""
    texts = [clean_text(m.text if m.text.strip() else html_to_text(m.html or "")) for m in messages]
    requests = [
        TriageRequest(text=text, platform=shop.platform, languages=shop.languages)
        for text, shop in zip(texts, shops, strict=True)
    ]
    results = deps.triager.triage_many(requests) if requests else []
    return [
        Inbound(
            message_in=m,
            shop=shop,
            text=text,
            html_raw=clean_text(m.html) if m.html else None,
            html_safe=sanitize_html(m.html) if m.html else None,
            triage=result,
        )
        for m, shop, text, result in zip(messages, shops, texts, results, strict=True)
    ]


def _store(
    conn: Connection,
    triager: Triager,
    keys: list[tuple[str, str, str]],
    stored: dict[tuple[str, str, str], tuple[str, str]],
    fresh: dict[int, Inbound],
    now: datetime,
) -> list[IngestResult]:
    """Place the batch's new messages, in order, on one snapshot and write them."""
    snapshot = ingest_snapshot.load(conn, _lookups(fresh.values()))
    writes = Writes()
    results = []
    for i, key in enumerate(keys):
        earlier = stored.get(key) or snapshot.placed.get(key)
        if earlier is not None:
            results.append(_duplicate(earlier))
            continue
        message_id, conversation_id = place_message(snapshot, writes, triager, fresh[i], now)
        results.append(
            IngestResult(message_id=message_id, conversation_id=conversation_id, duplicate=False)
        )
    ingest_write.write(conn, snapshot, writes)
    return results


def _lookups(items: Iterable[Inbound]) -> Lookups:
    lookups = Lookups(set(), set(), set(), set())
    for item in items:
        message_in, shop_id = item.message_in, item.shop.id
        channel = message_in.channel.value
        for kind, value in identity_keys(message_in.customer):
            lookups.identity_keys.add((shop_id, kind, value))
        if message_in.thread_id:
            lookups.thread_keys.add((shop_id, channel, message_in.thread_id))
        triage = item.triage
        lookups.order_refs.update((shop_id, r) for r in order_id_variants(order_ids_in(triage)))
        lookups.tracking_refs.update((shop_id, t) for t in tracking_numbers_in(triage))
    return lookups
