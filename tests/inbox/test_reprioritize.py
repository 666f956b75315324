"""The built-in triager's re-scoring at ingest: what ingest learned after threading (the order,
earlier messages, the platform clock) reorders the queue the way a support lead would."""

from __future__ import annotations

from decimal import Decimal

from kefu import nlu
from kefu.inbox.nlu_triager import NluTriager
from kefu.inbox.triage import TriageRequest

LANGS = ("en", "zh")


def _ranked(triager: NluTriager, text: str, **known: object) -> int:
    plain = TriageRequest(text=text, platform="pinduoduo", languages=LANGS)
    result = triager.triage(plain)
    if known:
        full = TriageRequest(text=text, platform="pinduoduo", languages=LANGS, **known)  # type: ignore[arg-type]
        result = triager.reprioritize(result, full)
    return int(result["priority"]["score"])


def test_context_found_at_ingest_reorders_as_a_lead_would() -> None:
    triager = NluTriager(languages=LANGS, analyzer=nlu.default_analyzer())
    # A linked order puts every Pinduoduo message minutes from its reply clock; that alone
    # must not lift a size question over a cancellation that came without an order.
    linked_question = _ranked(triager, "这件外套有M码吗", order_value=Decimal("129"),
                              currency="CNY", hours_to_platform_deadline=0.05)  # fmt: skip
    assert _ranked(triager, "订单帮我取消一下 拍多了") > linked_question
    # A third message about the same problem is read with its history.
    first = _ranked(triager, "退款怎么还没到账")
    third = _ranked(triager, "退款怎么还没到账", repeat_contacts=2,
                    hours_to_platform_deadline=0.05)  # fmt: skip
    assert third > first
    assert third > _ranked(triager, "收到的杯子裂了")
