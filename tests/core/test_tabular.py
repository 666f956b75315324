"""Reading CSV and JSONL rows: numbering, cleaning and the problems reported instead of raising."""

from __future__ import annotations

from pathlib import Path

from kefu.core.tabular import RowProblem, read_rows


def rows(tmp_path: Path, name: str, content: bytes) -> list[tuple[int, object]]:
    path = tmp_path / name
    path.write_bytes(content)
    return list(read_rows(path))


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    content = b'\xef\xbb\xbf a ,b\r\n1, 2 \r\n\r\n"multi\nline",\r\n'
    assert rows(tmp_path, "x.csv", content) == [
        (2, {"a": "1", "b": "2"}),
        (5, {"a": "multi\nline", "b": None}),
    ]


def test_short_csv_rows_are_padded_and_long_ones_reported(tmp_path: Path) -> None:
    content = b"a,b,c\n1\n1,2,3,4\n"
    assert rows(tmp_path, "x.csv", content) == [
        (2, {"a": "1", "b": None, "c": None}),
        (3, RowProblem(3, "", "more cells than header columns")),
    ]


def test_csv_row_with_invalid_utf8_is_reported_alone(tmp_path: Path) -> None:
    content = b"a,b\n\xff,1\n2,3\n"
    assert rows(tmp_path, "x.csv", content) == [
        (2, RowProblem(2, "", "row is not valid UTF-8")),
        (3, {"a": "2", "b": "3"}),
    ]


def test_empty_csv_has_no_rows(tmp_path: Path) -> None:
    assert rows(tmp_path, "x.csv", b"") == []
    assert rows(tmp_path, "y.csv", b"a,b\n") == []


def test_jsonl_problems_name_their_line(tmp_path: Path) -> None:
    content = b'{"a": 1}\n\n{broken\n[1]\n{"a": "\xff"}\n{"a": "x\\u0000"}\n'
    got = rows(tmp_path, "x.jsonl", content)
    assert got[0] == (1, {"a": 1})
    assert got[1] == (
        3,
        RowProblem(
            3, "", "invalid JSON: Expecting property name enclosed in double quotes at column 2"
        ),
    )
    assert got[2] == (4, RowProblem(4, "", "each line must be a JSON object"))
    assert got[3] == (5, RowProblem(5, "", "line is not valid UTF-8"))
    assert got[4][0] == 6 and "\x00" not in str(got[4][1])


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path: Path) -> None:
    content = '{"name": "Ana\u2028Ruiz"}\r\n{"name": "Bo\x85"}\n'.encode()
    assert rows(tmp_path, "x.jsonl", content) == [
        (1, {"name": "Ana\u2028Ruiz"}),
        (2, {"name": "Bo\x85"}),
    ]
