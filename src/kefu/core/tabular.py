"""Reading CSV and JSONL files row by row, with row numbers for error reports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kefu.core.text import clean_strings

# JSON can escape lone surrogates or NUL, which databases refuse; decoded bytes never hold them.
_RISKY_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F][0-9a-fA-F]{2}|0000)")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one input row was not imported."""

    row: int
    field: str
    reason: str


def read_rows(
    path: Path, *, expected: Sequence[str] = (), content: bytes | None = None
) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    """Yield (row number, record) or (row number, problem); never raises on bad content.

    CSV rows are numbered as a spreadsheet shows them (header is row 1); JSONL by line. NULs
    are dropped, as the API drops them. A CSV header holding none of ``expected`` yields one
    problem for row 1 and nothing else: no row of such a file could be read right.
    ``content``: the file's bytes when the caller already read them (see ``csv_key_counts``).
    """
    raw = _bytes(path, content)
    if raw.startswith(_WORKBOOK_MAGIC):
        yield 1, RowProblem(1, "", _WORKBOOK)
        return
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        yield from _jsonl(raw)
    else:
        yield from _csv(raw, expected)


# Sellers' order reports often come from Excel: a workbook (zip for .xlsx, OLE for .xls) is
# not a text file at all, and "Unicode text" is UTF-16 with a byte order mark.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_WORKBOOK = (
    "this is an Excel workbook or another zip file, not CSV or JSONL: "
    "in Excel, save it as 'CSV UTF-8 (comma delimited)'"
)
_NOT_UTF8 = "row is not valid UTF-8 (from Excel? save the file as 'CSV UTF-8')"


def _bytes(path: Path, content: bytes | None = None) -> bytes:
    raw = path.read_bytes() if content is None else content
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, which a BOM makes certain
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")
    # No delimiter, quote or line end: dropping NULs file-wide is per cell. In UTF-8 a zero
    # byte is never part of another character, so dropping the bytes drops just the NULs.
    return raw.replace(b"\x00", b"") if b"\x00" in raw else raw


def _decoded(raw: bytes) -> str:
    return raw.decode("utf-8-sig", errors="replace")


def _text_stream(raw: bytes) -> io.TextIOWrapper:
    """``raw`` decoded as it is read: the csv reader then holds a line at a time, not a copy
    of the text (``io.StringIO`` keeps one at four bytes a character), at the same speed."""
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", errors="replace", newline="")


def csv_key_counts(
    path: Path, columns: Sequence[str], *, content: bytes | None = None
) -> Counter[str] | None:
    """How many rows of a CSV file hold each key: a row's key is its first non-empty cell of
    ``columns``, stripped, as ``read_rows`` gives it. None when the file has none of
    ``columns`` or a row the csv reader refuses.

    A row counted here may still be refused by ``read_rows`` (invalid UTF-8), never the
    reverse: a reader that waits for a key's last row before using the key's rows never uses
    them too early, and holds only the keys whose rows are still coming instead of the file.
    Give both the same ``content`` (the file read once), so that a file written to meanwhile
    cannot make the counts and the rows disagree.
    """
    return _key_counts(csv.reader(_text_stream(_bytes(path, content)), strict=True), columns)


def _key_counts(reader: Iterator[list[str]], columns: Sequence[str]) -> Counter[str] | None:
    try:
        header = next(reader, None)
        if header is None:
            return None
        position = {key.strip(): i for i, key in enumerate(header)}  # the last of a name wins
        indexes = [position[c] for c in columns if c in position]
        if not indexes:
            return None
        width = len(header)
        # Blank rows and rows of the wrong width are no records.
        records = (cells for cells in reader if len(cells) == width)
        if len(indexes) == 1:  # the usual case, at half the cost of the general one
            counts = Counter(cells[indexes[0]].strip() for cells in records)
        else:
            counts = Counter(
                next((value for i in indexes if (value := cells[i].strip())), "")
                for cells in records
            )
    except csv.Error:
        return None
    del counts[""]  # rows without a key
    return counts


def _jsonl(raw: bytes) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    # Lines end at "\n" only: str.splitlines() also breaks at U+2028, U+0085 and others,
    # which JSON strings may hold as they are. Split as bytes and decoded line by line, so a
    # large file is not also held as text (a "\n" byte is never inside another character).
    for number, data in enumerate(io.BytesIO(raw), start=1):
        line = data.decode("utf-8", errors="replace")
        if number == 1:
            line = line.removeprefix("\ufeff")
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


def _csv(raw: bytes, expected: Sequence[str]) -> Iterator[tuple[int, dict[str, Any] | RowProblem]]:
    # csv.reader and one zip per row: DictReader plus a cleaning pass cost twice as much.
    # strict: a stray quote is an error instead of text glued into the next field, and a quote
    # never closed is an error at the end of the file instead of a last field holding the rest.
    reader = csv.reader(_text_stream(raw), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield 1, RowProblem(1, "", f"the header row is not valid CSV ({exc})")
        return
    if header is None:
        return
    keys = [k.strip() for k in header]
    if expected and not set(expected).intersection(keys):
        yield 1, RowProblem(1, "", _unrecognised(keys, expected))
        return
    width = len(keys)
    # Decoding replaced bytes somewhere (or the file holds U+FFFD): check each row.
    replaced = not raw.isascii() and "\ufffd" in _decoded(raw)
    lines: _Lines | None = None  # the text by physical line, once a row is refused
    base = 0  # physical line number minus the reader's; moves when reading resumes after an error
    number = 1
    while True:
        try:
            for cells in reader:
                number = base + reader.line_num
                if not cells:
                    continue  # a blank line, skipped as DictReader does
                if len(cells) != width:
                    yield number, RowProblem(number, "", _cell_count(len(cells), width))
                    continue
                if replaced and any("\ufffd" in cell for cell in cells):
                    yield number, RowProblem(number, "", _NOT_UTF8)
                    continue
                values = [cell.strip() or None for cell in cells]
                yield number, dict(zip(keys, values, strict=True))
            return
        except csv.Error as exc:
            # The record began on the row after the last one read; it is reported there, and
            # reading resumes on the row after that: an unclosed quote ate the rows behind it.
            start, end = number + 1, base + reader.line_num
            lines = lines or _Lines(_decoded(raw))
            yield start, _malformed(str(exc), start, end, lines.row(start), keys)
            reader = csv.reader(lines.after(start), strict=True)
            base, number = start, start


def _cell_count(cells: int, width: int) -> str:
    more_or_fewer = "more" if cells > width else "fewer"
    return f"{more_or_fewer} cells than header columns: {cells}, not {width}"


def _unrecognised(keys: list[str], expected: Sequence[str]) -> str:
    seen = ",".join(keys)
    if not seen.replace("\t", "").isprintable():
        return "the file is not text: expected a CSV or JSONL file"
    if "\ufffd" in seen:
        return "the header is not valid UTF-8 (from Excel? save the file as 'CSV UTF-8')"
    counts = {d: seen.count(d) for d in _OTHER_DELIMITERS}
    delimiter = max(counts, key=counts.__getitem__)
    if counts[delimiter]:
        found = f"is separated by {_OTHER_DELIMITERS[delimiter]} (save the file comma-separated)"
    else:
        found = f"has {', '.join(keys[:8])}" + (", ..." if len(keys) > 8 else "")
    return f"header not recognised: expected columns {', '.join(expected)}, but the header {found}"


_OTHER_DELIMITERS = {";": "';'", "\t": "tabs", "|": "'|'"}


def _malformed(error: str, start: int, end: int, line: str, keys: list[str]) -> RowProblem:
    """The problem of a record the csv reader gave up on, on the row where it began."""
    cells = _cells(line)
    if error.startswith("field larger than field limit"):
        limit = csv.field_size_limit()
        if end == start:
            index = next((i for i, (cell, _) in enumerate(cells) if len(cell) > limit), -1)
            return RowProblem(start, _name(keys, index), f"too long (over {limit} characters)")
        reason = f"a field starting on this row runs to row {end}, over {limit} characters"
        reason += ": is a quote left open?"
    elif error == "unexpected end of data":
        reason = "unterminated quote: the quoted field opened on this row is never closed"
    elif end == start:
        reason = 'malformed quoting: text after a closing quote (write a quote inside as "")'
    else:
        reason = f"unterminated quote: the quoted field opened on this row runs to row {end}"
    index = next((i for i, (_, closed) in enumerate(cells) if not closed), -1)
    return RowProblem(start, _name(keys, index), reason)


def _name(keys: list[str], index: int) -> str:
    return keys[index] if 0 <= index < len(keys) else ""


_QUOTED = re.compile(r'"(?:[^"]+|"")*(")?')


def _cells(line: str) -> list[tuple[str, bool]]:
    """A row's cells, each with whether its quoting is sound; only for rows csv refused."""
    cells, pos = [], 0
    while True:
        if line.startswith('"', pos):
            match = _QUOTED.match(line, pos)
            assert match is not None  # the pattern matches any text starting with a quote
            comma = line.find(",", match.end())
            end = len(line) if comma < 0 else comma
            sound = match.group(1) is not None and match.end() == end
            if match.group(1) is None:
                end = len(line)  # an open quote runs to the end of the line
            cells.append((line[pos:end], sound))
        else:
            comma = line.find(",", pos)
            end = len(line) if comma < 0 else comma
            cells.append((line[pos:end], True))
        if end >= len(line):
            return cells
        pos = end + 1


_LINE_END = re.compile(r"\r\n?|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


class _Lines:
    """Physical lines of a text by number, found on demand from front to back."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._number = 1
        self._offset = 0

    def offset(self, number: int) -> int:
        """Where line ``number`` begins (the text's end if it has fewer lines)."""
        while self._number < number:
            match = _LINE_END.search(self._text, self._offset)
            if match is None:
                return len(self._text)
            self._number += 1
            self._offset = match.end()
        return self._offset

    def after(self, number: int) -> Iterator[str]:
        """The lines after line ``number``, with their ends, as the csv reader reads them."""
        return (m.group() for m in _LINE.finditer(self._text, self.offset(number + 1)))

    def row(self, number: int) -> str:
        """The text of line ``number`` without its line end."""
        start = self.offset(number)
        match = _LINE_END.search(self._text, start)
        return self._text[start : match.start() if match else len(self._text)]


def problems_from(exc: ValidationError, row: int) -> list[RowProblem]:
    """One problem per invalid field of a pydantic validation error."""
    out = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        out.append(RowProblem(row, field, reason_of(error)))
    return out


def reason_of(error: ErrorDetails) -> str:
    """A validation error's message as a person reads it: our own rules' messages without
    pydantic's "Value error, " in front."""
    message = error["msg"]
    return message.removeprefix("Value error, ") if error["type"] == "value_error" else message


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
