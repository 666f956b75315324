"""The policy engine: for this order, today, which remedies may the customer get, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from kefu.core.clock import ensure_utc
from kefu.core.money import Money
from kefu.policy import amounts
from kefu.policy.calendar import clock_deadline, format_date
from kefu.policy.checks import Context, Outcome, Var, run_check
from kefu.policy.pack import PolicyPack, load_pack
from kefu.policy.schema import CheckSpec, ClockSpec, RemedySpec, Text
from kefu.policy.types import (
    ROLES,
    SELLER_FAULT,
    Decision,
    OrderSnapshot,
    Reason,
    RefundBreakdown,
    Remedy,
    RemedyDecision,
    RemedyRequest,
    RunningClock,
    ShopPolicy,
    Verdict,
)


def evaluate(
    order: OrderSnapshot,
    request: RemedyRequest,
    shop_policy: ShopPolicy,
    now: datetime,
    *,
    actor_role: str = "agent",
    pack: PolicyPack | None = None,
    all_remedies: bool = True,
) -> Decision:
    """Decide the requested remedy (and, by default, every other one the pack knows)."""
    pack = pack or load_pack(order.platform, order.region or None)
    now = ensure_utc(now)
    first = evaluate_remedy(
        order=order, request=request, shop=shop_policy, now=now, pack=pack, actor_role=actor_role
    )
    decisions = [first]
    if all_remedies:
        for remedy in pack.model.remedies:
            if remedy is not request.remedy:
                probe = replace(request, remedy=remedy, exchanges=(), amount=None)
                decisions.append(
                    evaluate_remedy(
                        order=order,
                        request=probe,
                        shop=shop_policy,
                        now=now,
                        pack=pack,
                        actor_role=actor_role,
                        probe=True,
                    )
                )
    return Decision(
        order_id=order.order_id,
        pack_id=pack.id,
        evaluated_at=now,
        requested=first,
        remedies=tuple(decisions),
        clocks=running_clocks(order=order, pack=pack, now=now),
        timezone=pack.model.timezone,
    )


def evaluate_remedy(
    *,
    order: OrderSnapshot,
    request: RemedyRequest,
    shop: ShopPolicy,
    now: datetime,
    pack: PolicyPack,
    actor_role: str = "agent",
    probe: bool = False,
) -> RemedyDecision:
    """Decide one remedy: input checks, the pack's checks, law floors, then authority limits."""
    problems = amounts.input_problems(order, request, probe=probe)
    if problems:
        return RemedyDecision(request.remedy, Verdict.DENIED, problems[0].rule_id, tuple(problems))
    decision = _pack_decision(order, request, shop, now, pack)
    if decision.verdict is Verdict.DENIED:
        for floor in pack.floors:
            by_law = _pack_decision(order, request, shop, now, floor)
            if by_law.verdict is not Verdict.DENIED:
                decision = replace(by_law, reasons=(*by_law.reasons, *decision.reasons))
                break
    if decision.verdict is Verdict.ALLOWED:
        decision = _apply_authority(decision, pack, order, shop, actor_role)
    return decision


def _pack_decision(
    order: OrderSnapshot, request: RemedyRequest, shop: ShopPolicy, now: datetime, pack: PolicyPack
) -> RemedyDecision:
    spec = pack.model.remedies.get(request.remedy)
    if spec is None:
        reason = Reason(
            f"{pack.id}.not_offered",
            f"{pack.model.title.en} does not offer {request.remedy.value.replace('_', ' ')}.",
            f"{pack.model.title.zh}不提供该处理方式（{request.remedy.value}）。",
        )
        return RemedyDecision(request.remedy, Verdict.DENIED, reason.rule_id, (reason,))
    ctx = _context(order, request, shop, now, pack, spec)
    deadline = None
    checks = [
        c for c in pack.model.common_checks if c.remedies is None or request.remedy in c.remedies
    ]
    for check in (*checks, *spec.checks):
        outcome = run_check(check, ctx)
        deadline = deadline or outcome.deadline
        if not outcome.passed:
            verdict, reasons = _failure(check, outcome, pack)
            return _build(ctx, spec, verdict, reasons, deadline)
    vars_: dict[str, Var] = {"deadline": deadline} if deadline else {}
    vars_["amount"] = str(ctx.money_out) if ctx.money_out else ("the agreed amount", "商定的金额")
    return _build(
        ctx,
        spec,
        Verdict.ALLOWED,
        _reason(spec.allow.rule, spec.allow.reason, vars_, pack),
        deadline,
    )


def _failure(
    check: CheckSpec, outcome: Outcome, pack: PolicyPack
) -> tuple[Verdict, tuple[Reason, ...]]:
    """Verdict and reasons of a failed check; a 'follows' check adds its cause's (and verdict)."""
    if outcome.cause is None:
        return Verdict(check.verdict), (_reason(check.rule, check.reason, outcome.vars, pack),)
    verdict, inner = _failure(*outcome.cause, pack)
    vars_: dict[str, Var] = {**outcome.vars, "why": (inner[0].en, inner[0].zh)}
    return verdict, (_reason(check.rule, check.reason, vars_, pack), *inner)


def _context(
    order: OrderSnapshot,
    request: RemedyRequest,
    shop: ShopPolicy,
    now: datetime,
    pack: PolicyPack,
    spec: RemedySpec,
) -> Context:
    lines = amounts.requested_lines(order, request)
    refund: RefundBreakdown | None = None
    diff: Money | None = None
    amount_due: Money | None = None
    if spec.refund == "full_order":
        refund = amounts.full_refund(order)
    elif spec.refund == "items":
        refund = amounts.refund_for_lines(
            order,
            lines,
            shipping_mode=spec.refund_shipping,
            category=request.reason_category,
            shop=shop,
        )
    elif spec.refund == "amount" and request.amount is not None:
        zero = Money(Decimal(0), order.currency)
        refund = RefundBreakdown(request.amount, zero, zero, zero, request.amount)
    money_out = refund.total if refund else None
    if spec.refund == "price_difference":
        diff = amounts.price_difference(order, request)
        if diff.amount > 0:
            amount_due = diff
        elif diff.amount < 0:
            money_out = Money(-diff.amount, diff.currency)
    if request.remedy is Remedy.CHANGE_PAYMENT:
        amount_due = Money(amounts.refundable(order), order.currency)
    return Context(order, request, shop, now, pack, lines, money_out, amount_due, refund, diff)


def _build(
    ctx: Context,
    spec: RemedySpec,
    verdict: Verdict,
    reasons: Reason | tuple[Reason, ...],
    deadline: datetime | None,
) -> RemedyDecision:
    order, request = ctx.order, ctx.request
    reasons = reasons if isinstance(reasons, tuple) else (reasons,)
    fault = request.reason_category in SELLER_FAULT
    # Packs say "buyer" (the platforms' word); decisions say "customer", as replies do.
    payer = {"none": None, "buyer": "customer", "seller": "seller"}.get(
        spec.return_shipping, "seller" if fault else "customer"
    )
    if payer == "customer" and ctx.shop.free_return_shipping:
        payer = "seller"
    started: tuple[RunningClock, ...] = ()
    if verdict is not Verdict.DENIED:
        specs = {c.id: c for c in ctx.pack.model.clocks}
        started = tuple(_clock(specs[c], ctx.now, ctx.pack, ctx.now) for c in spec.starts_clocks)
    return RemedyDecision(
        remedy=request.remedy,
        verdict=verdict,
        rule_id=reasons[0].rule_id,
        reasons=reasons,
        deadline=deadline,
        return_shipping_paid_by=payer,
        evidence_required=tuple(spec.evidence_if_fault) if fault else (),
        refund=ctx.refund,
        price_difference=ctx.price_diff,
        refund_to=request.payment_method_id or order.payment_method_id,
        clocks_started=started,
    )


def _apply_authority(
    decision: RemedyDecision, pack: PolicyPack, order: OrderSnapshot, shop: ShopPolicy, role: str
) -> RemedyDecision:
    spec = pack.model.remedies.get(decision.remedy)
    if spec is None or spec.authority == "none" or decision.refund is None:
        return decision
    kind = spec.authority
    amount = decision.refund.total.amount
    if shop.currency.upper() != order.currency.upper():
        limit_ok = shop.limit(kind, role) is None
    else:
        limit = shop.limit(kind, role)
        limit_ok = limit is None or amount <= limit
    if limit_ok:
        return decision
    higher = ROLES[ROLES.index(role) + 1 :] if role in ROLES else ROLES
    needed = next(
        (r for r in higher if (lim := shop.limit(kind, r)) is None or amount <= lim), "admin"
    )
    reason = Reason(
        f"shop.authority.{kind}_limit",
        f"{decision.refund.total} is above the {role}'s {kind} limit; a {needed} must approve.",
        f"{decision.refund.total} 超出当前角色的{_KIND_ZH[kind]}额度，需要{_ROLE_ZH[needed]}审批。",
    )
    return replace(
        decision,
        verdict=Verdict.NEEDS_APPROVAL,
        rule_id=reason.rule_id,
        reasons=(reason, *decision.reasons),
        required_role=needed,
    )


_KIND_ZH = {"refund": "退款", "goodwill": "补偿"}
_ROLE_ZH = {"agent": "客服", "supervisor": "主管", "admin": "管理员"}


def running_clocks(
    *, order: OrderSnapshot, pack: PolicyPack, now: datetime
) -> tuple[RunningClock, ...]:
    """Platform clocks already started by events on this order (A-to-z, disputes, after-sales)."""
    out = []
    for spec in pack.model.clocks:
        start = getattr(order, spec.starts)
        stopped = spec.stops is not None and getattr(order, spec.stops) is not None
        if start is not None and not stopped:
            out.append(_clock(spec, ensure_utc(start), pack, now))
    return tuple(out)


def _clock(spec: ClockSpec, start: datetime, pack: PolicyPack, now: datetime) -> RunningClock:
    amount = int(pack.number(spec.duration) or 0)
    deadline = clock_deadline(start, amount, spec.unit, tz=pack.tz, holidays=pack.model.holidays)
    return RunningClock(spec.id, spec.label.en, spec.label.zh, deadline, deadline < now)


class _Vars(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _reason(rule: str, text: Text, vars_: dict[str, Var], pack: PolicyPack) -> Reason:
    return Reason(rule, _fill(text.en, vars_, pack, "en"), _fill(text.zh, vars_, pack, "zh"))


def _fill(template: str, vars_: dict[str, Var], pack: PolicyPack, language: str) -> str:
    shown = _Vars()
    for key, value in vars_.items():
        if isinstance(value, datetime):
            shown[key] = format_date(value, pack.tz, language)
        elif isinstance(value, tuple):
            shown[key] = value[0] if language == "en" else value[1]
        else:
            shown[key] = value
    return template.format_map(shown)
