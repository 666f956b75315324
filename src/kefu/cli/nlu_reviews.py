"""``kefu nlu reviews --data FILE``: which way each review in a seller's export leans, and the
most negative ones to follow up first."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kefu.cli.nlu import read_records
from kefu.nlu.reviews import ReviewReport, read_reviews
from kefu.nlu.sentiment_dense import dense_reader, head_path
from kefu.nlu.sentiment_store import review_languages

# Column names of review exports: Amazon's, Shopify apps', Taobao/Pinduoduo back offices'.
REVIEW_KEYS = ("review", "review text", "review_text", "text", "content", "comment", "body",
               "评价内容", "评论内容", "评价", "评论", "内容")  # fmt: skip
SHOWN_CHARS = 80


def _review_text(record: dict[str, Any]) -> str | None:
    by_key = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    for key in REVIEW_KEYS:
        value = by_key.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def reviews_command(
    data: Annotated[Path, typer.Option("--data", help="CSV or JSONL with a review column")],
    language: Annotated[
        str | None, typer.Option(help="language of every review (default: detect each)")
    ] = None,
    worst: Annotated[int, typer.Option(help="how many of the most negative to list")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print every reading as JSON")] = False,
) -> None:
    """Positive or negative for each review, counts per language, the most negative first."""
    records = read_records(data)
    texts = [_review_text(r) for r in records]
    kept = [(number, text) for number, text in enumerate(texts, 1) if text is not None]
    if not kept:
        raise typer.BadParameter(
            f"{data}: no rows with a review column ({'/'.join(REVIEW_KEYS)})", param_hint="--data"
        )
    _warn_of_head_training()
    report = read_reviews([t for _, t in kept], language=language)
    numbers = [number for number, _ in kept]
    if as_json:
        typer.echo(json.dumps(_payload(report, numbers, len(records)), ensure_ascii=False))
        return
    _print(report, numbers, len(records), worst)


def _warn_of_head_training() -> None:
    reader = dense_reader()
    if reader is None:
        return
    missing = [lang for lang in review_languages()
               if not head_path(lang, reader.embedder.name).is_file()]  # fmt: skip
    if missing:
        note = (f"{reader.embedder.name}: the first review in {', '.join(missing)} trains the "
                "encoder's head on our reviews (1-2 minutes each, once)")  # fmt: skip
        typer.echo(note, err=True)


def _payload(report: ReviewReport, numbers: list[int], total: int) -> dict[str, Any]:
    return {
        "rows": total,
        "skipped_without_text": total - len(report.readings),
        "counts": report.counts(),
        "reviews": [
            {"row": numbers[r.index], "language": r.language, "label": r.label,
             "score": r.score, "reader": r.reader, "text": r.text}
            for r in report.readings
        ],
    }  # fmt: skip


def _print(report: ReviewReport, numbers: list[int], total: int, worst: int) -> None:
    console = Console()
    skipped = total - len(report.readings)
    console.print(f"{len(report.readings)} reviews read" + (f", {skipped} rows without text"
                                                            if skipped else ""))  # fmt: skip
    counts = Table(title="reviews per language")
    for column in ("language", "positive", "negative", "negative share"):
        counts.add_column(column, justify="left" if column == "language" else "right")
    for lang, per in sorted(report.counts().items()):
        share = per["negative"] / max(1, per["positive"] + per["negative"])
        counts.add_row(lang, str(per["positive"]), str(per["negative"]), f"{share:.0%}")
    console.print(counts)
    readers = Counter(r.reader for r in report.readings)
    console.print("read by " + ", ".join(f"{name} ({n})" for name, n in readers.most_common()))
    negative = report.most_negative(worst)
    if negative:
        table = Table(title=f"most negative {len(negative)}")
        for column in ("row", "score", "review"):
            table.add_column(column, justify="left" if column == "review" else "right")
        for r in negative:
            shown = r.text if len(r.text) <= SHOWN_CHARS else r.text[:SHOWN_CHARS] + "…"
            table.add_row(str(numbers[r.index]), f"{r.score:+.2f}", shown)
        console.print(table)
