"""Queue priority as a support lead orders a queue: orderings between messages, not exact
scores (the weights may move; who comes first should not)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu import nlu
from kefu.nlu.priority import score_priority
from kefu.nlu.schemas import Sentiment


def _score(analyzer: nlu.Analyzer, text: str, **context: object) -> int:
    ctx = nlu.TriageContext(**context) if context else None  # type: ignore[arg-type]
    return analyzer.analyze(text, context=ctx).priority.score


@pytest.mark.parametrize(
    "before_it_ships",
    [
        "Please cancel the order I placed an hour ago, I found it cheaper elsewhere",
        "Can I update the delivery address on my order? I gave my old flat by mistake",
        "帮我把订单取消了 不想要了",
        "能改一下收货地址吗 填成公司的了",
    ],
)
def test_cancelling_or_changing_before_shipping_comes_before_routine_and_calm_problems(
    analyzer: nlu.Analyzer, before_it_ships: str
) -> None:
    urgent = _score(analyzer, before_it_ships)
    for later in ("The kettle I got has a crack in the lid", "My mug arrived broken",
                  "How do I return the rug I bought?", "Is there a warranty on the drill?",
                  "这款有现货吗"):  # fmt: skip
        assert urgent > _score(analyzer, later), later


def test_a_customer_chasing_for_the_fourth_time_outranks_first_contacts(
    analyzer: nlu.Analyzer,
) -> None:
    chasing = _score(analyzer, "Where is my refund for the returned shoes", repeat_contacts=3)
    assert chasing > _score(analyzer, "I'm going to leave a bad review about this")
    assert chasing > _score(analyzer, "The blender I received doesn't turn on")
    # and every contact counts: the third is above the second, the second above the first
    text = "Where is my refund for the returned shoes"
    scores = [_score(analyzer, text, repeat_contacts=n) for n in (0, 1, 2)]
    assert scores == sorted(scores) and len(set(scores)) == 3


def test_a_fresh_short_platform_clock_does_not_lift_a_question_over_a_cancellation(
    analyzer: nlu.Analyzer,
) -> None:
    # Ingest measures the reply deadline when the message arrives: on Pinduoduo every message
    # linked to an order is due in minutes, one without an order carries no deadline at all.
    linked_question = _score(analyzer, "这款有现货吗", platform="pinduoduo",
                             hours_to_platform_deadline=0.05, order_value=Decimal("45"),
                             currency="CNY")  # fmt: skip
    unlinked_cancel = _score(analyzer, "帮我把订单取消了 不想要了", platform="pinduoduo")
    assert unlinked_cancel > linked_question
    linked_return = _score(analyzer, "How do I return the rug I bought?", platform="webchat",
                           hours_to_platform_deadline=0.2)  # fmt: skip
    assert _score(analyzer, "The blender I received doesn't turn on") > linked_return


def test_a_nearer_deadline_still_ranks_first_and_reads_in_minutes(analyzer: nlu.Analyzer) -> None:
    text = "The kettle I got has a crack in the lid"
    by_hours = {h: analyzer.analyze(text, context=nlu.TriageContext(
        platform="pinduoduo", hours_to_platform_deadline=h)) for h in (-1, 0.05, 5, 20)}  # fmt: skip
    scores = [by_hours[h].priority.score for h in (-1, 0.05, 5, 20)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4
    assert any("Pinduoduo reply deadline in 3 min" in f for f in by_hours[0.05].priority.factors)
    assert any("deadline passed" in f for f in by_hours[-1].priority.factors)


def test_order_value_steps_mean_the_same_in_every_currency() -> None:
    def value_score(value: str, currency: str | None) -> int:
        return score_priority(
            intent="quality_issue", sentiment=Sentiment(label="neutral", score=0.0),
            emotions=[], urgent=False, risks=[], abusive=False,
            context=nlu.TriageContext(order_value=Decimal(value), currency=currency),
        ).score  # fmt: skip

    # 5,000 yen or 150 yuan is an everyday order, not a big one like 150 dollars
    assert value_score("5000", "JPY") == value_score("150", "CNY") == value_score("30", "USD")
    assert value_score("150", "USD") > value_score("150", "CNY")
    assert value_score("150", "EUR") == value_score("150", "USD")
    # and a very expensive order is lifted above a merely expensive one
    assert value_score("2000", "USD") > value_score("600", "USD") > value_score("150", "USD")
    assert value_score("14000", "CNY") > value_score("4000", "CNY")


def test_a_big_ticket_breakage_outranks_the_same_breakage_on_a_cheap_order(
    analyzer: nlu.Analyzer,
) -> None:
    text = "My new laptop won't charge, it's faulty"
    big = _score(analyzer, text, order_value=Decimal("1900"), currency="USD")
    assert big > _score(analyzer, text, order_value=Decimal("25"), currency="USD")
    assert big > _score(analyzer, "收到的碗有个缺口 太失望了", order_value=Decimal("19"),
                        currency="CNY")  # fmt: skip


@pytest.mark.parametrize(
    "hazard",
    [
        "My daughter's charger got really hot last night and there was a burning smell",
        "您好，电热毯插上电有一股焦味，我先没敢用",
        "Le mixeur a pris feu pendant l'utilisation.",
    ],
)
def test_a_hazard_told_calmly_outranks_a_shouted_complaint_and_a_threat(
    analyzer: nlu.Analyzer, hazard: str
) -> None:
    calm = _score(analyzer, hazard)
    assert "product safety hazard (+40)" in analyzer.analyze(hazard).priority.factors
    assert calm > _score(analyzer, "WHY IS THE BLUE SO DARK??? NOTHING like the photo!!!")
    assert calm > _score(analyzer, "Je vais laisser un avis 1 étoile, la livraison a pris 6 jours")


def test_a_hazard_said_not_to_be_there_is_none(analyzer: nlu.Analyzer) -> None:
    factors = analyzer.analyze("No burning smell or anything, it just won't turn on").priority
    assert not any("safety" in f for f in factors.factors)


def test_anger_tone_and_insults_count_once_together() -> None:
    # One feeling said three ways counts as much as anger alone.
    furious = score_priority(
        intent="complaint", sentiment=Sentiment(label="negative", score=-1.0),
        emotions=["anger", "disappointment"], urgent=False, risks=[], abusive=True, context=None,
    )  # fmt: skip
    angry = score_priority(
        intent="complaint", sentiment=Sentiment(label="negative", score=-0.3),
        emotions=["anger"], urgent=False, risks=[], abusive=False, context=None,
    )  # fmt: skip
    assert furious.score == angry.score == 35


@pytest.mark.parametrize(
    "incident",
    [
        "Hello. I received someone else's order. It has their name, address and a pharmacy receipt.",
        "在吗 刚接到骗子电话 知道我的订单号和收货地址 是不是你们泄露的",
        "Quelqu'un a modifié l'adresse de livraison sur mon compte, ce n'est pas moi.",
    ],
)
def test_a_privacy_incident_is_above_a_plain_wrong_item(
    analyzer: nlu.Analyzer, incident: str
) -> None:
    assert "privacy incident (+30)" in analyzer.analyze(incident).priority.factors
    assert _score(analyzer, incident) > _score(
        analyzer, "I received someone else's order, a yoga mat."
    )


@pytest.mark.parametrize(
    "harmless",
    [
        "I received someone else's order, it's a pink yoga mat and I ordered a kettle.",
        "Do you share my data with third parties?",
        "你们这就是骗子店 东西跟图片不一样",
        "Here's my number for the driver: 07700 900412",
    ],
)
def test_no_privacy_incident_without_exposed_data(analyzer: nlu.Analyzer, harmless: str) -> None:
    assert not any("privacy" in f for f in analyzer.analyze(harmless).priority.factors)
