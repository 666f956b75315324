"""``kefu policy validate FILE``, ``show PLATFORM``, ``packs``, ``check --order ID``."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from kefu.errors import KefuError
from kefu.policy import (
    Decision,
    RemedyRequest,
    RemedyRequestIn,
    available_packs,
    decision_to_dict,
    load_pack,
    pack_by_id,
    render_pack_article,
)
from kefu.policy.types import ROLES
from kefu.policy.validate import validate_policy_file

policy_app = typer.Typer(
    help="Policy packs: validate, show as an article, list.", no_args_is_help=True
)


@policy_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="a policy pack or shop-policy YAML file")],
    as_json: Annotated[bool, typer.Option("--json", help="print problems as JSON")] = False,
) -> None:
    """Check a policy file; lists every problem with its line number, exit code 1 if any."""
    problems = validate_policy_file(file)
    if as_json:
        rows = [{"line": p.line, "key": p.key, "message": p.message} for p in problems]
        typer.echo(
            json.dumps(
                {"file": str(file), "valid": not problems, "problems": rows}, ensure_ascii=False
            )
        )
    elif problems:
        for problem in problems:
            where = f"{problem.key}: " if problem.key else ""
            typer.echo(f"{file}:{problem.line}: {where}{problem.message}")
    else:
        typer.echo(f"{file}: valid")
    if problems:
        raise typer.Exit(code=1)


@policy_app.command("show")
def show(
    platform: Annotated[
        str, typer.Argument(help="platform (amazon, aliexpress, ...) or a pack id")
    ],
    region: Annotated[
        str | None, typer.Option(help="buyer's country or region, e.g. US, DE, CN")
    ] = None,
    lang: Annotated[str, typer.Option(help="en or zh")] = "en",
    raw: Annotated[bool, typer.Option("--raw", help="print the Markdown source")] = False,
) -> None:
    """Print a platform's policy pack as a knowledge article."""
    if lang not in {"en", "zh"}:
        raise typer.BadParameter("--lang must be en or zh")
    try:
        pack = (
            pack_by_id(platform, region)
            if platform in available_packs()
            else load_pack(platform, region)
        )
    except KefuError as exc:
        typer.echo(exc.detail, err=True)
        raise typer.Exit(code=1) from exc
    article = render_pack_article(pack, lang)
    if raw:
        typer.echo(article)
    else:
        Console().print(Markdown(article))


@policy_app.command("packs")
def packs() -> None:
    """List the policy packs shipped with Kefu."""
    table = Table(title="Policy packs")
    for column in ("id", "kind", "platform", "region", "version", "floors"):
        table.add_column(column)
    for pack_id in available_packs():
        m = pack_by_id(pack_id).model
        floors = ", ".join(
            [*m.floors, *(f"{k}: {', '.join(v)}" for k, v in m.floors_by_region.items())]
        )
        table.add_row(m.id, m.kind, m.platform, m.region or "any", str(m.version), floors or "-")
    Console().print(table)


@policy_app.command("check")
def check(
    order: Annotated[str, typer.Option("--order", help="Kefu order id or marketplace order id")],
    remedy: Annotated[str, typer.Option("--remedy", help="cancel, full_refund, exchange, ...")],
    amount: Annotated[
        str | None, typer.Option(help="amount for a partial refund or credit, e.g. 12.50")
    ] = None,
    sku: Annotated[list[str] | None, typer.Option(help="order line SKU; repeat for more")] = None,
    reason_category: Annotated[
        str, typer.Option(help="why: change_of_mind, defective, damaged, late, ...")
    ] = "other",
    role: Annotated[str, typer.Option(help="whose authority: agent, supervisor, admin")] = "agent",
    shop: Annotated[str | None, typer.Option(help="shop id or slug, when ids repeat")] = None,
    lang: Annotated[str, typer.Option(help="reasons in en or zh")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="the whole decision as JSON")] = False,
) -> None:
    """Show what the policy allows for a stored order now, with reasons; changes nothing."""
    from kefu.cli.context import load_services
    from kefu.inbox.remedies import evaluate_as_operator

    request, money = _remedy_request(remedy, amount, sku or [], reason_category, role, lang)
    services = load_services()
    try:
        decision = evaluate_as_operator(
            sessions=services.sessions,
            order_ref=order,
            request=request,
            role=role,
            now=services.clock.now(),
            shop_ref=shop,
            amount=money,
        )
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        services.engine.dispose()
    if as_json:
        typer.echo(json.dumps(decision_to_dict(decision), ensure_ascii=False))
        return
    _print_decision(decision, lang)


def _remedy_request(
    remedy: str, amount: str | None, skus: list[str], category: str, role: str, lang: str
) -> tuple[RemedyRequest, Decimal | None]:
    if role not in ROLES:
        raise typer.BadParameter(f"--role must be one of {', '.join(ROLES)}")
    if lang not in {"en", "zh"}:
        raise typer.BadParameter("--lang must be en or zh")
    try:
        body = RemedyRequestIn.model_validate(
            {
                "remedy": remedy,
                "reason_category": category,
                "lines": [{"sku": s} for s in skus],
            }
        )
        money = Decimal(amount) if amount is not None else None
    except (ValidationError, InvalidOperation) as exc:
        raise typer.BadParameter(str(exc).splitlines()[0]) from exc
    if money is not None and not money.is_finite():
        raise typer.BadParameter("--amount must be a number")
    return body.to_request(), money


def _print_decision(decision: Decision, lang: str) -> None:
    table = Table(title=f"Order {decision.order_id} · {decision.pack_id}")
    for column in ("remedy", "verdict", "rule", "refund", "deadline", "reason"):
        table.add_column(column)
    for d in decision.remedies:
        refund = f"{d.refund.total.amount} {d.refund.total.currency}" if d.refund else "-"
        reason = (d.reasons[0].zh if lang == "zh" else d.reasons[0].en) if d.reasons else ""
        mark = "→ " if d.remedy is decision.requested.remedy else ""
        table.add_row(
            mark + d.remedy.value,
            d.verdict.value,
            d.rule_id,
            refund,
            d.deadline.date().isoformat() if d.deadline else "-",
            reason,
        )
    Console().print(table)
    asked = decision.requested
    why = (asked.reasons[0].zh if lang == "zh" else asked.reasons[0].en) if asked.reasons else ""
    typer.echo(f"{asked.remedy.value}: {asked.verdict.value} ({asked.rule_id}) {why}".rstrip())


def register(app: typer.Typer) -> None:
    """Add the policy command group."""
    app.add_typer(policy_app, name="policy")
