"""Reading CSV and JSONL rows: numbering, cleaning and the problems reported instead of raising."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.core.tabular import RowProblem, csv_key_counts, read_rows

UNCLOSED = "unterminated quote: the quoted field opened on this row is never closed"


def rows(
    tmp_path: Path, name: str, content: bytes, expected: tuple[str, ...] = ()
) -> list[tuple[int, object]]:
    path = tmp_path / name
    path.write_bytes(content)
    return list(read_rows(path, expected=expected))


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    content = b'\xef\xbb\xbf a ,b\r\n1, 2 \r\n\r\n"multi\nline",\r\n'
    assert rows(tmp_path, "x.csv", content) == [
        (2, {"a": "1", "b": "2"}),
        (5, {"a": "multi\nline", "b": None}),
    ]


def test_csv_rows_with_too_few_or_too_many_cells_are_reported(tmp_path: Path) -> None:
    content = b"a,b,c\n1\n1,2,3,4\n1,,\n"
    assert rows(tmp_path, "x.csv", content) == [
        (2, RowProblem(2, "", "fewer cells than header columns: 1, not 3")),
        (3, RowProblem(3, "", "more cells than header columns: 4, not 3")),
        (4, {"a": "1", "b": None, "c": None}),
    ]


def test_csv_row_with_invalid_utf8_is_reported_alone(tmp_path: Path) -> None:
    content = b"a,b\n\xff,1\n2,3\n"
    assert rows(tmp_path, "x.csv", content) == [
        (2, RowProblem(2, "", "row is not valid UTF-8 (from Excel? save the file as 'CSV UTF-8')")),
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


def test_an_unclosed_quote_is_reported_on_its_row_and_the_rows_behind_it_are_read(
    tmp_path: Path,
) -> None:
    content = b'a,b\n1,2\n3,"open\n4,5\n'
    assert rows(tmp_path, "x.csv", content) == [
        (2, {"a": "1", "b": "2"}),
        (3, RowProblem(3, "b", UNCLOSED)),
        (4, {"a": "4", "b": "5"}),
    ]


def test_a_quote_left_open_runs_into_the_next_quote_and_is_still_caught(tmp_path: Path) -> None:
    # The open quote closes at the next row's opening quote; quoted multi-line fields still work.
    content = b'a,b\n1,"open\n2,3\n4,"multi\nline"\n"x ""y""",z\n'
    assert rows(tmp_path, "x.csv", content) == [
        (
            2,
            RowProblem(
                2, "b", "unterminated quote: the quoted field opened on this row runs to row 4"
            ),
        ),
        (3, {"a": "2", "b": "3"}),
        (5, {"a": "4", "b": "multi\nline"}),
        (6, {"a": 'x "y"', "b": "z"}),
    ]


def test_text_after_a_closing_quote_is_reported_not_glued(tmp_path: Path) -> None:
    content = b'a,b\r\n1,"x"y\r\n2,3\r\n'
    assert rows(tmp_path, "x.csv", content) == [
        (
            2,
            RowProblem(
                2, "b", 'malformed quoting: text after a closing quote (write a quote inside as "")'
            ),
        ),
        (3, {"a": "2", "b": "3"}),
    ]


def test_an_over_long_field_is_reported_with_its_column(tmp_path: Path) -> None:
    content = b"a,b,c\n1,2,3\n4," + b"x" * 200_000 + b",6\n7,8,9\n"
    assert rows(tmp_path, "x.csv", content) == [
        (2, {"a": "1", "b": "2", "c": "3"}),
        (3, RowProblem(3, "b", "too long (over 131072 characters)")),
        (4, {"a": "7", "b": "8", "c": "9"}),
    ]


def test_a_quote_left_open_over_the_field_limit_loses_no_row(tmp_path: Path) -> None:
    content = b'a,b\n1,"open\n' + b"x,y\n" * 40_000
    got = rows(tmp_path, "x.csv", content)
    assert got[0][0] == 2 and isinstance(got[0][1], RowProblem)
    assert got[0][1].field == "b" and "is a quote left open?" in got[0][1].reason
    assert [number for number, _ in got[1:]] == list(range(3, 40_003))
    assert all(record == {"a": "x", "b": "y"} for _, record in got[1:])


def test_nul_characters_are_dropped(tmp_path: Path) -> None:
    assert rows(tmp_path, "x.csv", b"a,b\nNa\x00me,1\n") == [(2, {"a": "Name", "b": "1"})]
    assert rows(tmp_path, "x.jsonl", b'{"a": "Na\x00me"}\n') == [(1, {"a": "Name"})]


def test_a_header_without_the_expected_columns_is_one_problem(tmp_path: Path) -> None:
    semicolons = b"a;b;c\n1;2;3\n4;5;6\n"
    assert rows(tmp_path, "x.csv", semicolons, expected=("a", "b")) == [
        (1, RowProblem(1, "", "header not recognised: expected columns a, b, but the header "
                              "is separated by ';' (save the file comma-separated)")),
    ]  # fmt: skip
    other = b"x,y\n1,2\n"
    assert rows(tmp_path, "y.csv", other, expected=("a", "b")) == [
        (1, RowProblem(1, "", "header not recognised: expected columns a, b, but the header "
                              "has x, y")),
    ]  # fmt: skip
    assert rows(tmp_path, "z.csv", b"b,x\n1,2\n", expected=("a", "b")) == [
        (2, {"b": "1", "x": "2"})
    ]


def test_a_broken_header_is_reported(tmp_path: Path) -> None:
    got = rows(tmp_path, "x.csv", b'"a,b\n1,2\n')
    assert got == [
        (1, RowProblem(1, "", "the header row is not valid CSV (unexpected end of data)"))
    ]


def key_counts(tmp_path: Path, content: bytes) -> Counter[str] | None:
    path = tmp_path / "k.csv"
    path.write_bytes(content)
    return csv_key_counts(path, ("order_id", "external_id"))


def test_key_counts_count_each_keys_rows_as_read_rows_gives_them(tmp_path: Path) -> None:
    content = (
        b"order_id,external_id,x\n"
        b"A,,1\n"
        b",B,2\n"
        b"\n"  # blank: no record
        b" A ,,3\n"  # cells are stripped
        b"A,,4,extra\n"  # wrong width: no record
        b"A\x00,,5\n"  # NULs dropped
        b",,6\n"  # no key
        b'"A",,"quoted\nover two lines"\n'
    )
    assert key_counts(tmp_path, content) == Counter({"A": 4, "B": 1})


def test_key_counts_are_unknown_for_files_the_csv_reader_refuses(tmp_path: Path) -> None:
    assert key_counts(tmp_path, b'order_id,x\nA,1\n"B,2\nC,3\n') is None
    assert key_counts(tmp_path, b"a;b\n1;2\n") is None  # none of the key columns
    assert key_counts(tmp_path, b"") is None


_CSV_BYTES = st.lists(
    st.sampled_from([b"order_id", b"external_id", b"A", b"B", b" A", b",", b",", b"\n", b"\r\n",
                     b"\r", b'"', b'""', b"\x00", b"\xff", b"\xef\xbf\xbd", b"x"]),
    max_size=40,
).map(b"".join)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=_CSV_BYTES)
def test_key_counts_never_count_fewer_rows_than_read_rows_gives(
    tmp_path: Path, body: bytes
) -> None:
    # The importer lets an order go once it has seen as many lines as counted: a count below
    # the records read would split an order, so every file must err the other way.
    content = b"order_id,external_id\n" + body
    counts = key_counts(tmp_path, content)
    if counts is None:
        return
    read: Counter[str] = Counter()
    for _, record in rows(tmp_path, "r.csv", content):
        if isinstance(record, dict):
            key = record.get("order_id") or record.get("external_id")
            if key:
                read[key] += 1
    assert all(counts[key] >= n for key, n in read.items()), (counts, read)


def test_files_from_excel_that_are_not_csv_utf8_get_a_clear_reason(tmp_path: Path) -> None:
    workbook = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))
    assert rows(tmp_path, "orders.xlsx", workbook) == [
        (1, RowProblem(1, "", "this is an Excel workbook or another zip file, not CSV or JSONL: "
                              "in Excel, save it as 'CSV UTF-8 (comma delimited)'")),
    ]  # fmt: skip
    assert rows(tmp_path, "orders.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")[0][1] == RowProblem(
        1,
        "",
        "this is an Excel workbook or another zip file, not CSV or JSONL: "
        "in Excel, save it as 'CSV UTF-8 (comma delimited)'",
    )
    gbk_header = "订单号,金额\n1,2\n".encode("gbk")
    assert rows(tmp_path, "gbk.csv", gbk_header, expected=("order_id",)) == [
        (1, RowProblem(1, "", "the header is not valid UTF-8 (from Excel? save the file as 'CSV UTF-8')")),
    ]  # fmt: skip
    binary = b"\x7fELF\x02\x01\x01\x00,\x03\x00>\x00\n"
    assert rows(tmp_path, "x.csv", binary, expected=("order_id",)) == [
        (1, RowProblem(1, "", "the file is not text: expected a CSV or JSONL file")),
    ]


def test_utf16_text_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    content = "order_id,title\nA1,杯子 Mug\n".encode("utf-16")  # Excel's "Unicode text"
    assert rows(tmp_path, "x.csv", content) == [(2, {"order_id": "A1", "title": "杯子 Mug"})]
    path = tmp_path / "k.csv"
    path.write_bytes(content)
    assert csv_key_counts(path, ("order_id",)) == Counter({"A1": 1})


def test_jsonl_from_windows_tools_is_read_line_by_line(tmp_path: Path) -> None:
    content = b'\xef\xbb\xbf{"a": "\xe6\x9d\xaf\xe5\xad\x90"}\r\n{"a": "b\xff"}\r\n\r\n{"a": 2}'
    assert rows(tmp_path, "x.jsonl", content) == [
        (1, {"a": "杯子"}),
        (2, RowProblem(2, "", "line is not valid UTF-8")),
        (4, {"a": 2}),
    ]


def test_rows_and_key_counts_read_the_bytes_given_not_the_file_again(tmp_path: Path) -> None:
    # The orders import reads a file once for both passes: a file written to meanwhile cannot
    # make the line counts and the rows disagree (an order would be split).
    path = tmp_path / "o.csv"
    path.write_bytes(b"order_id,x\nA,1\n")
    read_once = b"order_id,x\nA,1\nA,2\n"
    assert csv_key_counts(path, ("order_id",), content=read_once) == Counter({"A": 2})
    assert [n for n, _ in read_rows(path, content=read_once)] == [2, 3]
