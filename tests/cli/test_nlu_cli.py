"""``kefu triage`` and ``kefu nlu train|eval`` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kefu.cli.main import app
from kefu.cli.nlu import read_labelled
from tests.support.cli import flat

runner = CliRunner()



SHAPE_KEYS = {"language", "intent", "intents", "entities", "sentiment", "emotions", "urgency",
              "abusive", "risks", "priority"}  # fmt: skip


def test_triage_json_shape() -> None:
    result = runner.invoke(app, ["triage", "--json", "Where is my order 113-1234567-1234567?"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= SHAPE_KEYS
    assert data["intent"] == "order_status"
    assert data["entities"][0] == {
        "type": "order_id", "value": "113-1234567-1234567", "platform": "amazon", "start": 18, "end": 37,
    }  # fmt: skip


def test_triage_context_options_reach_priority() -> None:
    result = runner.invoke(app, ["triage", "--json", "--platform", "amazon", "--deadline-hours", "2",
                                 "--days-late", "4", "--order-value", "120", "--currency", "EUR",
                                 "my parcel is late"])  # fmt: skip
    assert result.exit_code == 0, result.output
    factors = " | ".join(json.loads(result.output)["priority"]["factors"])
    assert "Amazon reply deadline in 2 h" in factors
    assert "delivery late by 4 days" in factors


def test_triage_table_and_bad_options() -> None:
    ok = runner.invoke(app, ["triage", "亲，东西坏了，我要退款"])
    assert ok.exit_code == 0
    assert "refund_request" in ok.output
    bad = runner.invoke(app, ["triage", "--platform", "ebay", "hi"])
    assert bad.exit_code != 0
    assert "unknown platform" in flat(bad.output)


def test_train_then_eval_on_own_file(tmp_path: Path) -> None:
    rows = [("can I buy 500 pieces wholesale", "wholesale"), ("bulk price for 1000 units", "wholesale"),
            ("wholesale discount for my store", "wholesale"), ("do you sell in bulk", "wholesale"),
            ("please gift wrap it", "gift_wrap"), ("add a gift note and wrapping", "gift_wrap"),
            ("is gift wrapping possible", "gift_wrap"), ("wrap it as a present please", "gift_wrap")]  # fmt: skip
    data = tmp_path / "history.csv"
    data.write_text("text,intent\n" + "\n".join(f'"{t}",{i}' for t, i in rows), encoding="utf-8")
    model = tmp_path / "model.pkl"
    trained = runner.invoke(app, ["nlu", "train", "--data", str(data), "--out", str(model)])
    assert trained.exit_code == 0, trained.output
    assert model.is_file()
    held = tmp_path / "held.jsonl"
    held.write_text('{"text": "bulk order of 300 units", "intent": "wholesale"}\n'
                    '{"text": "can you wrap it as a gift", "intent": "gift_wrap"}\n', encoding="utf-8")  # fmt: skip
    report = runner.invoke(
        app, ["nlu", "eval", "--data", str(held), "--model", str(model), "--json"]
    )
    assert report.exit_code == 0, report.output
    data_out = json.loads(report.output)
    assert data_out["n"] == 2
    fields = ("model", "n", "accuracy", "macro_f1", "calibration_error", "labels", "confusion")
    assert set(data_out) == set(fields)
    assert 0.0 <= data_out["calibration_error"] <= 1.0
    table = runner.invoke(app, ["nlu", "eval", "--data", str(held), "--model", str(model)])
    assert "macro-F1" in table.output
    assert "calibration error" in table.output
    own = runner.invoke(
        app, ["triage", "--json", "--model", str(model), "bulk price for 800 units?"]
    )
    assert own.exit_code == 0, own.output
    assert json.loads(own.output)["intents"][0]["name"] == "wholesale"


def test_train_reports_unusable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["nlu", "train", "--data", str(bad)])
    assert result.exit_code != 0
    assert "not JSON" in flat(result.output)
    empty = tmp_path / "empty.csv"
    empty.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["nlu", "train", "--data", str(empty)])
    assert result.exit_code != 0
    assert "no rows with a text column" in flat(result.output)


WHOLESALE = [("can I buy 500 pieces wholesale", "wholesale"), ("bulk price for 1000 units", "wholesale"),
             ("wholesale discount for my store", "wholesale"), ("do you sell in bulk", "wholesale"),
             ("please gift wrap it", "gift_wrap"), ("add a gift note and wrapping", "gift_wrap"),
             ("is gift wrapping possible", "gift_wrap"), ("wrap it as a present please", "gift_wrap")]  # fmt: skip


def test_a_trained_model_is_what_triage_and_eval_use_by_default(tmp_path: Path) -> None:
    env = {"KEFU_DATA_DIR": str(tmp_path / "data")}
    data = tmp_path / "history.jsonl"
    data.write_text("".join(json.dumps({"text": t, "intent": i}) + "\n" for t, i in WHOLESALE))
    before = runner.invoke(app, ["triage", "--json", "bulk price for 800 units?"], env=env)
    assert json.loads(before.output)["intent"] != "wholesale"  # the built-in intents
    trained = runner.invoke(app, ["nlu", "train", "--data", str(data)], env=env)
    assert trained.exit_code == 0, trained.output
    after = runner.invoke(app, ["triage", "--json", "bulk price for 800 units?"], env=env)
    assert json.loads(after.output)["intents"][0]["name"] == "wholesale"
    report = runner.invoke(app, ["nlu", "eval", "--data", str(data), "--json"], env=env)
    assert json.loads(report.output)["model"].endswith("intents-custom.pkl")
    assert json.loads(report.output)["accuracy"] == 1.0


def test_training_files_keep_their_text_and_bad_ones_are_refused(tmp_path: Path) -> None:
    rows = [*WHOLESALE, ("hello\nwhere is my\u2028gift wrap", "gift_wrap")]
    csv_file = tmp_path / "multi.csv"
    csv_file.write_text(
        "text,intent\n" + "\n".join(f'"{t}",{i}' for t, i in rows), encoding="utf-8"
    )
    jsonl = tmp_path / "multi.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t, "intent": i}, ensure_ascii=False) + "\n"
                             for t, i in rows), encoding="utf-8")  # fmt: skip
    for path in (csv_file, jsonl):
        assert read_labelled(path)[-1].text == "hello\nwhere is my\u2028gift wrap"
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes("text,intent\n我要退款,refund\n在吗,greeting\n".encode("gbk"))
    refused = runner.invoke(app, ["nlu", "train", "--data", str(gbk)])
    assert refused.exit_code != 0 and "is not UTF-8" in flat(refused.output)
    one = tmp_path / "one.csv"
    one.write_text("text,intent\nwhere is it,order_status\nany news,order_status\n")
    refused = runner.invoke(app, ["nlu", "train", "--data", str(one)])
    assert refused.exit_code != 0 and "Traceback" not in refused.output, refused.output
