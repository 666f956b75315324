"""``kefu nlu reviews --data FILE`` through the real Typer app (the encoder is off here, as in
the rest of the suite: tests/nlu/test_sentiment_dense.py covers it)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kefu.cli.main import app
from tests.support.cli import flat

runner = CliRunner()



EXPORT = """订单号,评价内容,评分
1,质量太差了，用了两天就坏了，客服也不理人,1
2,宝贝收到了，做工很好，物流也快，好评！,5
3,,3
4,"The strap broke on day one.
Very disappointed.",1
5,Love it! Exactly as described and arrived early.,5
6,Die Qualität ist leider sehr schlecht,1
"""


def _export(tmp_path: Path, text: str = EXPORT, name: str = "reviews.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_review_gets_a_polarity_and_the_empty_row_is_counted(tmp_path: Path) -> None:
    result = runner.invoke(app, ["nlu", "reviews", "--json", "--data", str(_export(tmp_path))])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rows"] == 6
    assert data["skipped_without_text"] == 1
    read = {r["row"]: (r["language"], r["label"]) for r in data["reviews"]}
    assert read == {
        1: ("zh", "negative"), 2: ("zh", "positive"), 4: ("en", "negative"),
        5: ("en", "positive"), 6: ("de", "negative"),
    }  # fmt: skip
    readers = {r["row"]: r["reader"] for r in data["reviews"]}
    assert readers[1] == "n-grams" and readers[4] == "lexicon"
    assert data["counts"]["zh"] == {"positive": 1, "negative": 1}


def test_the_table_lists_the_most_negative_first(tmp_path: Path) -> None:
    path = _export(tmp_path)
    result = runner.invoke(app, ["nlu", "reviews", "--worst", "2", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 reviews read, 1 rows without text" in result.output
    listed = result.output.split("most negative 2")[1]
    assert "质量太差了" in listed
    assert "Love it" not in listed and "宝贝收到了" not in listed


def test_a_given_language_is_used_for_every_review(tmp_path: Path) -> None:
    path = _export(tmp_path, '{"review": "还行吧"}\n{"comment": "太差劲了"}\n', "r.jsonl")
    result = runner.invoke(
        app, ["nlu", "reviews", "--json", "--language", "zh", "--data", str(path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["language"] for r in data["reviews"]] == ["zh", "zh"]
    assert data["reviews"][1]["label"] == "negative"


def test_unusable_files_get_a_clear_error(tmp_path: Path) -> None:
    no_column = _export(tmp_path, "order,stars\n1,5\n")
    result = runner.invoke(app, ["nlu", "reviews", "--data", str(no_column)])
    assert result.exit_code == 2
    assert "no rows with a review column" in flat(result.output)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("review\nQualité médiocre\n".encode("latin-1"))
    result = runner.invoke(app, ["nlu", "reviews", "--data", str(latin1)])
    assert result.exit_code == 2
    assert "not UTF-8" in flat(result.output)
