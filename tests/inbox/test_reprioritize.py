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


def test_what_the_text_said_survives_the_rescoring() -> None:
    # Ingest always scores again with the shop's context; a hazard's +40 and a near event's
    # urgency were lost there, since the stored result did not say they had been heard.
    triager = NluTriager(languages=LANGS, analyzer=nlu.default_analyzer())
    for text, factor in [
        ("您好，电热毯插上电有一股焦味，我先没敢用", "product safety hazard (+40)"),
        ("婚礼就在这周六 伴娘服还没发货", "needed soon (+12)"),
        ("包裹里有别人的快递单 名字电话地址都有", "privacy incident (+30)"),
    ]:
        plain = TriageRequest(text=text, platform="pinduoduo", languages=LANGS)
        full = TriageRequest(text=text, platform="pinduoduo", languages=LANGS,
                             repeat_contacts=0, hours_to_platform_deadline=0.05)  # fmt: skip
        again = triager.reprioritize(triager.triage(plain), full)
        assert factor in again["priority"]["factors"]
        assert "Pinduoduo reply deadline in 3 min (+8)" in again["priority"]["factors"]
