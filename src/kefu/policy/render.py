"""A pack as a readable article (en or zh), generated from the very data the engine runs."""

from __future__ import annotations

from kefu.policy import schema as s
from kefu.policy.checks import STATUS_ZH
from kefu.policy.pack import PolicyPack
from kefu.policy.types import OrderStatus, Remedy

REMEDY_NAMES = {
    Remedy.CANCEL: ("Cancel the order", "取消订单"),
    Remedy.CHANGE_ADDRESS: ("Change the address", "修改收货地址"),
    Remedy.CHANGE_ITEMS: ("Change items", "修改商品款式"),
    Remedy.CHANGE_PAYMENT: ("Change the payment method", "更换支付方式"),
    Remedy.FULL_REFUND: ("Full refund", "全额退款"),
    Remedy.PARTIAL_REFUND: ("Partial refund", "部分退款"),
    Remedy.RETURN_AND_REFUND: ("Return and refund", "退货退款"),
    Remedy.REFUND_WITHOUT_RETURN: ("Refund without return", "仅退款（无需退货）"),
    Remedy.REPLACEMENT: ("Replacement or reship", "补发/重发"),
    Remedy.EXCHANGE: ("Exchange", "换货"),
    Remedy.GOODWILL_CREDIT: ("Goodwill credit or coupon", "补偿/优惠券"),
    Remedy.ESCALATE: ("Escalate", "升级处理/转人工"),
}
EVENTS = {
    "placed_at": ("the order was placed", "下单"),
    "shipped_at": ("shipment", "发货"),
    "delivered_at": ("delivery", "签收"),
    "promised_delivery_at": ("the latest promised delivery date", "最晚承诺送达日"),
    "return_requested_at": ("the return request", "提交退货申请"),
    "return_received_at": ("the return arriving", "收到退货"),
    "dispute_opened_at": ("the dispute or claim opening", "纠纷/索赔开启"),
    "after_sales_requested_at": ("the after-sales request", "提交售后申请"),
}
UNITS = {
    "hours": ("hours", "小时"),
    "days": ("days", "天"),
    "business_days": ("business days", "个工作日"),
}
_CONF = {
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("LOW — check before relying on it", "低——使用前请核实"),
}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "zh" else pair[0]


def _num(pack: PolicyPack, raw: int | str) -> str:
    value = pack.number(raw)
    return str(int(value)) if value is not None and value == value.to_integral() else str(value)


def describe_check(check: s.CheckSpec, pack: PolicyPack, language: str) -> str:
    """One condition in plain words, built from the check's own parameters."""
    zh = language == "zh"
    if isinstance(check, s.StatusIn):
        names = [
            STATUS_ZH[OrderStatus(x)] if zh else OrderStatus(x).value.replace("_", " ")
            for x in check.statuses
        ]
        if zh:
            return "订单状态须为：" + "、".join(names)
        return "Order status is one of: " + ", ".join(names)
    if isinstance(check, s.WithinDays):
        n, ev = _num(pack, check.days), _pick(EVENTS[check.from_], language)
        unit = "个工作日" if check.business_days else "天"
        if zh:
            return f"{ev}后 {n} {unit}内（按 {pack.model.timezone} 当地日期计算）"
        kind = "business days" if check.business_days else "days"
        return f"Within {n} {kind} of {ev} (local dates, {pack.model.timezone})"
    if isinstance(check, s.AfterDays):
        n, ev = _num(pack, check.days), _pick(EVENTS[check.from_], language)
        return f"{ev}满 {n} 天之后" if zh else f"More than {n} days after {ev}"
    if isinstance(check, s.AmountAtMost) and check.limit is not None:
        cur = pack.model.currency or ""
        lim = _num(pack, check.limit)
        return f"金额不超过 {lim} {cur}".strip() if zh else f"Amount at most {lim} {cur}".strip()
    if isinstance(check, s.ItemsReturnable | s.ReasonIn):
        raw = check.excluded_categories if isinstance(check, s.ItemsReturnable) else check.reasons
        items = ", ".join(pack.strings(raw))
        if isinstance(check, s.ReasonIn):
            return f"原因须为：{items}" if zh else f"Reason is one of: {items}"
        if not items:  # only the shop's own exclusions apply
            return (
                "店铺标记为不可退的商品除外" if zh else "Except items the shop marks non-returnable"
            )
        return f"不适用的品类：{items}" if zh else f"Excluded categories: {items}"
    if isinstance(check, s.ReasonCategoryIn):
        cats = [
            _pick(CATEGORY_NAMES.get(c.value, (c.value, c.value)), language)
            for c in check.categories
        ]
        return ("原因须为：" + "、".join(cats)) if zh else "Reason is one of: " + ", ".join(cats)
    if isinstance(check, s.AmountAtMost):
        return (
            "金额不超过店铺设定的仅退款上限"
            if zh
            else "Amount within the shop's returnless-refund limit"
        )
    if isinstance(check, s.RefundTo):
        names = [_pick(_REFUND_TO[x], language) for x in check.allowed]
        return (
            ("退款只能退到：" + "、".join(names))
            if zh
            else "Refund goes only to: " + ", ".join(names)
        )
    if isinstance(check, s.NotModified):
        return (
            f"此前未做过同类修改（{check.what}）"
            if zh
            else f"Not already changed once ({check.what})"
        )
    if isinstance(check, s.EvidenceProvided):
        return (
            f"需要提供：{', '.join(check.kinds)}"
            if zh
            else f"Evidence provided: {', '.join(check.kinds)}"
        )
    if isinstance(check, s.Follows):
        name = _pick(REMEDY_NAMES[check.remedy], language)
        return f"满足「{name}」的全部条件" if zh else f"Everything «{name}» requires holds"
    fixed = _FIXED.get(check.check)
    if fixed:
        return _pick(fixed, language)
    return check.reason.zh if zh else check.reason.en  # 'never': the reason says it all


CATEGORY_NAMES = {
    "change_of_mind": ("change of mind", "个人原因"),
    "defective": ("defective", "商品有缺陷"),
    "damaged": ("damaged", "商品破损"),
    "not_as_described": ("not as described", "货不对板"),
    "wrong_item": ("wrong item", "发错货"),
    "missing_item": ("missing item", "少件"),
    "not_received": ("not received", "未收到货"),
    "late": ("late", "延迟送达"),
    "other": ("other", "其他"),
}
EVIDENCE = {
    "photo_of_item": ("a photo of the item", "商品照片"),
    "photo_of_problem": ("a photo showing the problem", "能看清问题的照片"),
    "photo_or_video": ("a photo or video", "照片或视频"),
}
_REFUND_TO = {
    "original": ("the original payment method", "原支付方式"),
    "gift_card": ("one of the customer's gift cards", "顾客的礼品卡"),
    "store_credit": ("store credit", "店铺余额"),
    "any_owned": ("any payment method on the customer's profile", "顾客账户中的任一支付方式"),
}
_FIXED = {
    "same_product": ("The new option belongs to the same product", "只能换成同一款商品的其他选项"),
    "variant_available": ("The new option is in stock", "新款式须有货"),
    "payment_owned": (
        "The payment method is on the customer's profile",
        "支付方式须在顾客本人账户中",
    ),
    "payment_differs": (
        "The new payment method differs from the original",
        "新支付方式须与原来的不同",
    ),
    "gift_card_covers": (
        "A gift card used to pay must cover the amount due",
        "用礼品卡支付时余额须足够",
    ),
    "requester_is_customer": (
        "Only for the customer who owns the order",
        "只为订单所属的顾客本人办理",
    ),
}


def render_pack_article(pack: PolicyPack, language: str) -> str:
    """Markdown article for agents and customers; language is 'en' or 'zh'."""
    if language not in {"en", "zh"}:
        raise ValueError(f"articles are written in en or zh, not {language!r}")
    zh = language == "zh"
    m = pack.model
    out = [f"# {m.title.zh if zh else m.title.en}", "", m.summary.zh if zh else m.summary.en, ""]
    version, zone = ("版本", "时区") if zh else ("Version", "Time zone")
    out.append(f"*{version} {m.version} · {zone} {m.timezone}*")
    out += ["", "## 各项处理方式" if zh else "## What the customer can get", ""]
    for remedy, spec in m.remedies.items():
        out += _remedy_section(remedy, spec, pack, language)
    if m.clocks:
        out += ["## 平台时限" if zh else "## Platform clocks", ""]
        for clock in m.clocks:
            unit = _pick(UNITS[clock.unit], language)
            label = clock.label.zh if zh else clock.label.en
            ev = _pick(EVENTS[clock.starts], language)
            n = _num(pack, clock.duration)
            out.append(
                f"- {label}：自{ev}起 {n} {unit}" if zh else f"- {label}: {n} {unit} from {ev}"
            )
        out.append("")
    out += _values_section(pack, language)
    if pack.floors:
        names = (
            "、".join(f.model.title.zh for f in pack.floors)
            if zh
            else ", ".join(f.model.title.en for f in pack.floors)
        )
        out += [
            "## 法律底线" if zh else "## Legal floor",
            "",
            f"平台规则拒绝时，若以下法律允许，以法律为准：{names}。"
            if zh
            else f"Where the platform rule says no but the law says yes, the law wins: {names}.",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _remedy_section(
    remedy: Remedy, spec: s.RemedySpec, pack: PolicyPack, language: str
) -> list[str]:
    zh = language == "zh"
    out = [
        f"### {_pick(REMEDY_NAMES[remedy], language)}",
        "",
        spec.summary.zh if zh else spec.summary.en,
        "",
    ]
    checks = [c for c in pack.model.common_checks if c.remedies is None or remedy in c.remedies]
    checks += spec.checks
    if checks:
        out.append("条件：" if zh else "Conditions:")
        for check in checks:
            approval = (
                ("（否则需主管审批）" if zh else " (otherwise a supervisor must approve)")
                if check.verdict == "needs_approval"
                else ""
            )
            when = ""
            if check.only_for:
                cats = [_pick(CATEGORY_NAMES[c.value], language) for c in check.only_for]
                when = (
                    f"（仅当原因为{'、'.join(cats)}时）"
                    if zh
                    else f" (when the reason is {', '.join(cats)})"
                )
            if check.when_status:
                names = [
                    STATUS_ZH[x] if zh else x.value.replace("_", " ") for x in check.when_status
                ]
                when += (
                    f"（仅当订单为{'、'.join(names)}时）"
                    if zh
                    else f" (when the order is {', '.join(names)})"
                )
            out.append(f"- {describe_check(check, pack, language)}{when}{approval}")
        out.append("")
    payer = {
        "buyer": ("the customer", "买家"),
        "seller": ("the seller", "卖家"),
        "seller_if_fault": (
            "the seller if the item is at fault, otherwise the customer",
            "商品有问题由卖家承担，否则由买家承担",
        ),
    }.get(spec.return_shipping)
    if payer:
        out.append(f"退货运费：{payer[1]}。" if zh else f"Return shipping is paid by {payer[0]}.")
    if spec.evidence_if_fault:
        kinds = [_pick(EVIDENCE.get(e, (e, e)), language) for e in spec.evidence_if_fault]
        ev = ("、" if zh else ", ").join(kinds)
        out.append(
            f"商品有问题时需提供：{ev}。" if zh else f"When the item is at fault, ask for: {ev}."
        )
    if payer or spec.evidence_if_fault:
        out.append("")
    return out


def _values_section(pack: PolicyPack, language: str) -> list[str]:
    zh = language == "zh"
    if not pack.model.values:
        return []
    head = (
        "| 项目 | 数值 | 可信度 | 来源 | 截至 |"
        if zh
        else "| Item | Value | Confidence | Source | As of |"
    )
    out = ["## 依据与来源" if zh else "## Values and sources", "", head, "|---|---|---|---|---|"]
    for name, v in pack.model.values.items():
        value = ", ".join(v.value) if isinstance(v.value, list) else str(v.value)
        unit = _pick(UNITS[v.unit], language) if v.unit in UNITS else v.unit
        note = (v.note.zh if zh else v.note.en) if v.note else name.replace("_", " ")
        conf = _pick(_CONF[v.confidence], language)
        src = pack.model.sources.get(v.source, v.source)
        out.append(f"| {note} | {value} {unit} | {conf} | {src} | {v.as_of.isoformat()} |")
    return [*out, ""]
