"""``kefu triage TEXT`` and ``kefu nlu train|eval|reviews``: run the NLU stage from the shell."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kefu import nlu
from kefu.cli.context import load_settings

nlu_app = typer.Typer(
    help="Train and evaluate intent models on your own labelled messages; read review exports."
)
_TEXT_KEYS = ("text", "sentence", "utterance", "message")
_LABEL_KEYS = ("intent", "label")
PLATFORMS = ("amazon", "aliexpress", "pinduoduo", "temu", "shopify", "webchat", "email")


def read_records(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV file with a header, or the objects of a JSONL file."""
    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise typer.BadParameter(
            f"{path} is not UTF-8 (byte {exc.start}); save it as UTF-8 (in Excel: 'CSV UTF-8')"
        ) from exc
    records: list[dict[str, Any]]
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        records = []
        # Lines end at "\n" only: str.splitlines() also breaks at U+2028 and friends, which
        # JSON strings may hold as they are.
        for number, line in enumerate(raw.split("\n"), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise typer.BadParameter(f"{path}:{number}: not JSON ({exc.msg})") from exc
    else:
        # newline="": quoted cells may span lines, as spreadsheets write them.
        records = list(csv.DictReader(io.StringIO(raw, newline="")))
    return [r for r in records if isinstance(r, dict)]


def read_labelled(path: Path) -> list[nlu.LabelledText]:
    """Rows of a CSV (header with text/intent columns) or JSONL file (``{"text", "intent"}``)."""
    rows = []
    for record in read_records(path):
        text = next((record[k] for k in _TEXT_KEYS if isinstance(record.get(k), str)), None)
        label = next((record[k] for k in _LABEL_KEYS if isinstance(record.get(k), str)), None)
        if text and label:
            rows.append(nlu.LabelledText(text=text, intent=label.strip()))
    if not rows:
        raise typer.BadParameter(f"{path}: no rows with a text column ({'/'.join(_TEXT_KEYS)}) "
                                 f"and an intent column ({'/'.join(_LABEL_KEYS)})")  # fmt: skip
    return rows


def _context(
    platform: str | None, languages: str | None, order_value: str | None, currency: str | None,
    repeat: int, deadline: float | None, days_late: int | None,
) -> nlu.TriageContext | None:  # fmt: skip
    if platform is not None and platform not in PLATFORMS:
        raise typer.BadParameter(
            f"unknown platform {platform!r}; choose from {', '.join(PLATFORMS)}"
        )
    value = None
    if order_value is not None:
        try:
            value = Decimal(order_value)
        except InvalidOperation as exc:
            raise typer.BadParameter(
                f"--order-value must be a number, got {order_value!r}"
            ) from exc
    langs = tuple(c.strip() for c in languages.split(",") if c.strip()) if languages else None
    given = (platform, langs, value, deadline, days_late)
    if all(v is None for v in given) and not repeat:
        return None
    return nlu.TriageContext(
        platform=platform, languages=langs, order_value=value, currency=currency,
        repeat_contacts=repeat, hours_to_platform_deadline=deadline,
        promised_delivery_days_late=days_late,
    )  # fmt: skip


def triage_command(
    text: Annotated[str, typer.Argument(help="the customer's message ('-' reads standard input)")],
    as_json: Annotated[
        bool, typer.Option("--json", help="print the triage result as JSON")
    ] = False,
    platform: Annotated[str | None, typer.Option(help=f"one of {', '.join(PLATFORMS)}")] = None,
    languages: Annotated[str | None, typer.Option(help="allowed languages, e.g. en,zh,de")] = None,
    order_value: Annotated[str | None, typer.Option(help="order value, e.g. 129.99")] = None,
    currency: Annotated[str | None, typer.Option(help="currency of the order value")] = None,
    repeat_contacts: Annotated[int, typer.Option(help="earlier messages about this")] = 0,
    deadline_hours: Annotated[
        float | None, typer.Option(help="hours to the platform reply deadline")
    ] = None,
    days_late: Annotated[int | None, typer.Option(help="days past the promised delivery")] = None,
    model_path: Annotated[
        Path | None,
        typer.Option("--model", help="intent model file (default: the trained one, else built-in)"),
    ] = None,
    shop: Annotated[
        str | None, typer.Option(help="shop slug or id: its platform and languages apply")
    ] = None,
) -> None:
    """Triage one message: language, intent, entities, sentiment, risks, priority."""
    if text == "-":
        text = typer.get_text_stream("stdin").read()
    if shop is not None:
        platform, languages = _shop_context(shop)
    context = _context(
        platform, languages, order_value, currency, repeat_contacts, deadline_hours, days_late
    )
    model_path = model_path or _trained_model_path()
    if model_path is not None:
        result = nlu.Analyzer(model=nlu.load_model(model_path)).analyze(text, context=context)
    else:
        result = nlu.analyze(text, context=context)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    else:
        _print_triage(result)


def _shop_context(ref: str) -> tuple[str, str]:
    """(platform, comma-separated languages) of a stored shop."""
    from kefu.cli.context import load_services
    from kefu.errors import KefuError
    from kefu.shops import service as shop_service

    services = load_services()
    try:
        with services.sessions() as db:
            found = shop_service.get(db=db, ref=ref)
            return found.platform, ",".join(found.languages or ())
    except KefuError as exc:
        raise typer.BadParameter(exc.detail, param_hint="--shop") from exc


def _print_triage(result: nlu.Triage) -> None:
    console = Console()
    table = Table(title="triage", show_header=False)
    shown = ", ".join(f"{s.name} {s.confidence:.2f}" for s in result.intents)
    table.add_row("language", result.language)
    table.add_row("intent", result.intent + (" (low confidence)" if result.low_confidence else ""))
    table.add_row("ranked", shown)
    table.add_row("sentiment", f"{result.sentiment.label} {result.sentiment.score:+.2f}")
    table.add_row("emotions", ", ".join(result.emotions) or "-")
    table.add_row("urgency", result.urgency)
    table.add_row("risks", ", ".join(result.risks) or "-")
    table.add_row(
        "abusive",
        "yes: " + ", ".join(s.text for s in result.abusive_spans) if result.abusive else "no",
    )
    for ent in result.entities:
        table.add_row(ent.type, f"{ent.value} [{ent.start}:{ent.end}] {ent.platform or ''}".strip())
    table.add_row("priority", f"{result.priority.score}: " + "; ".join(result.priority.factors))
    console.print(table)


def _default_model_path() -> Path:
    return load_settings().data_dir / "models" / "intents-custom.pkl"


def _trained_model_path() -> Path | None:
    """The model ``kefu nlu train`` wrote, which ingest and the API use instead of the built-in
    one; None while there is none."""
    path = _default_model_path()
    return path if path.is_file() else None


@nlu_app.command("train")
def train_command(
    data: Annotated[Path, typer.Option("--data", help="CSV or JSONL with text and intent")],
    out: Annotated[Path | None, typer.Option("--out", help="model file to write")] = None,
) -> None:
    """Train an intent model on labelled messages (your own intent names are fine)."""
    rows = read_labelled(data)
    started = time.perf_counter()
    try:
        model = nlu.train(rows)
    except ValueError as exc:
        raise typer.BadParameter(f"{data}: {exc}", param_hint="--data") from exc
    path = nlu.save_model(model, out or _default_model_path())
    elapsed = time.perf_counter() - started
    typer.echo(f"trained on {len(rows)} rows, {len(model.labels)} intents in {elapsed:.1f} s; "
               f"low-confidence threshold {model.threshold:.2f}; wrote {path}")  # fmt: skip


@nlu_app.command("eval")
def eval_command(
    data: Annotated[Path, typer.Option("--data", help="CSV or JSONL with text and intent")],
    model_path: Annotated[
        Path | None,
        typer.Option("--model", help="model file (default: the trained one, else built-in)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Accuracy, macro-F1, calibration error and a confusion table of a model on labelled
    messages."""
    rows = read_labelled(data)
    model_path = model_path or _trained_model_path()
    model = nlu.load_model(model_path) if model_path else nlu.builtin_model()
    report = nlu.evaluate(model, rows)
    if as_json:
        payload = {"model": str(model_path or "built-in"),
                   "n": report.n, "accuracy": report.accuracy, "macro_f1": report.macro_f1,
                   "calibration_error": report.calibration_error,
                   "labels": report.labels, "confusion": report.confusion}  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    console = Console()
    console.print(f"model {model_path or 'built-in'}")
    console.print(
        f"rows {report.n}  accuracy {report.accuracy:.4f}  macro-F1 {report.macro_f1:.4f}"
        f"  calibration error {report.calibration_error:.4f}"
    )
    table = Table(title="confusion (rows: gold, columns: predicted)")
    table.add_column("gold \\ pred")
    for i in range(len(report.labels)):
        table.add_column(str(i), justify="right")
    for i, (name, counts) in enumerate(zip(report.labels, report.confusion, strict=True)):
        table.add_row(f"{i} {name}", *[str(c) if c else "." for c in counts])
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``kefu triage`` and the ``kefu nlu`` group."""
    from kefu.cli.nlu_reviews import reviews_command  # it reads files with read_records above

    nlu_app.command("reviews")(reviews_command)
    app.command("triage")(triage_command)
    app.add_typer(nlu_app, name="nlu")
