"""How the customer feels, read against what else triage heard (``kefu.nlu.message_tone``)."""

from __future__ import annotations

import pytest

from kefu import nlu


@pytest.mark.parametrize(
    "text",
    ["What is the best way to return this?", "Is the good one in stock?",
     "¿Cuál es la mejor forma de devolver un artículo?", "坏了的话怎么保修？",
     "If it breaks, can I get a new one?"],
)  # fmt: skip
def test_opinion_words_asked_or_supposed_are_not_said(text: str) -> None:
    # "best" in a question praises nothing; "坏了的话" (if it breaks) reports no fault.
    assert nlu.analyze(text).sentiment.label == "neutral"


@pytest.mark.parametrize(
    "text", ["Love it! Is there a bigger size?", "Love it, do you have it in blue?"]
)
def test_praise_said_beside_a_question_still_counts(text: str) -> None:
    # Only a question's last clause, or one opening with a question word, is asked.
    assert nlu.analyze(text).sentiment.label == "positive"


def test_a_supposing_clause_of_a_question_is_left_out_but_not_what_is_said() -> None:
    assert nlu.analyze("东西很好，如果坏了怎么办？").sentiment.label == "positive"


@pytest.mark.parametrize(
    "text",
    ["Paid for express and it has been sitting in a warehouse for 9 days",
     "Thanks for the 'fast' shipping. 47 days.",
     "说实话挺担心的，物流停在海关一周了，不会丢了吧"],
)  # fmt: skip
def test_a_customer_with_a_problem_is_not_pleased(text: str) -> None:
    # A clear delay, praise in scare quotes, worry: the words alone read neutral or positive.
    sentiment = nlu.analyze(text).sentiment
    assert sentiment.label == "negative"
    assert sentiment.score > -0.5  # mild: the priority's tone factor is for harsh words


def test_a_denied_problem_keeps_its_warm_reading() -> None:
    # The intent model calls it missing_item; no complaint word stands undenied, so the
    # customer's "nothing is missing" is not turned into a complaint.
    assert nlu.analyze("No le falta nada, venía todo completo.").sentiment.label != "negative"


def test_a_plain_request_stays_neutral() -> None:
    assert nlu.analyze("Can you change my address please? Thanks").sentiment.label == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "Als het kapot is, kan ik het dan terugsturen?",
        "Jeśli będzie uszkodzony, czy mogę go zwrócić?",
        "Eğer bozuk gelirse iade edebilir miyim?",
        "만약 고장 나면 교환 가능한가요?",
        "Nel caso arrivasse rotto, posso restituirlo?",
    ],
)
def test_a_problem_supposed_in_a_question_is_no_complaint_in_the_later_languages(
    text: str,
) -> None:
    assert nlu.default_analyzer().analyze(text).sentiment.label == "neutral"
