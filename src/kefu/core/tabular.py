"""Reading CSV and JSONL files row by row, with row numbers for error reports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kefu.core.text import clean_strings

# JSON can escape lone surrogates or NUL, which databases refuse; decoded bytes never hold them.
_RISKY_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F][0-9a-fA-F]{2}|0000)")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one input row was not imported."""

    row: int
    field: str
    reason: str


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    """Yield (row number, record) or (row number, problem); never raises on bad content.

    CSV rows are numbered as a spreadsheet shows them (header is row 1); JSONL by line.
    """
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        yield from _jsonl(text)
    else:
        yield from _csv(text)


def _jsonl(text: str) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    # Lines end at "\n" only: str.splitlines() also breaks at U+2028, U+0085 and others,
    # which JSON strings may hold as they are.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if "\ufffd" in line:
            yield number, RowProblem(number, "", "line is not valid UTF-8")
            continue
        try:
            record = json.loads(line)
            if _RISKY_ESCAPE.search(line):
                record = clean_strings(record)
        except json.JSONDecodeError as exc:
            yield number, RowProblem(number, "", f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield number, RowProblem(number, "", "each line must be a JSON object")
            continue
        yield number, record


def _csv(text: str) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    # csv.reader and one zip per row: DictReader plus a cleaning pass cost twice as much.
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    keys = [k.strip() for k in header]
    width = len(keys)
    replaced = "\ufffd" in text  # decoding replaced bytes somewhere: check each row
    for cells in reader:
        number = reader.line_num
        if not cells:
            continue  # a blank line, skipped as DictReader does
        if len(cells) > width:
            yield number, RowProblem(number, "", "more cells than header columns")
            continue
        if replaced and any("\ufffd" in cell for cell in cells):
            yield number, RowProblem(number, "", "row is not valid UTF-8")
            continue
        values: list[str | None] = [cell.strip() or None for cell in cells]
        values += [None] * (width - len(cells))
        yield number, dict(zip(keys, values, strict=True))


def problems_from(exc: ValidationError, row: int) -> list[RowProblem]:
    """One problem per invalid field of a pydantic validation error."""
    out = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        out.append(RowProblem(row, field, error["msg"]))
    return out


@dataclass
class ImportReport:
    """What an import did: counts and one problem per rejected row and field."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] | None = None

    def __post_init__(self) -> None:
        if self.problems is None:
            self.problems = []

    @property
    def rejected_rows(self) -> int:
        return len({p.row for p in self.problems or []})
