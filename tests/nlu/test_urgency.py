"""Time pressure read from days, needs, events, running out and the past (``kefu.nlu.urgency``),
through the public triage."""

from __future__ import annotations

import pytest

from kefu import nlu


@pytest.mark.parametrize(
    "text",
    [
        "my son's party is on Saturday and the costume still isn't here",
        "our flight is thursday at 6am and the travel adapter hasnt even shipped",
        "婚礼就在后天 伴娘服还在路上",
        "el domingo es la comunión de mi niña y el vestido no aparece",
        "il me faut le colis avant le 12, c'est pour le spectacle",
        "brauche die Ware bis zum 18., ist für eine Messe",
        "preciso que chegue até dia 10, é pro meu casamento",
        "幼儿园演出服31号之前一定要到",
        "baby formula still not here and we have maybe 2 bottles left",
        "линзы заканчиваются, можно отправить сегодня?",
        "Courier is outside my door RIGHT NOW asking for a code I never got",
        "the live succulents will die if not delivered tomorrow",
        "The return window closes tomorrow and I still haven't received the label.",
        "pls change the address before it leaves the warehouse today, I moved out",
    ],
)
def test_a_near_day_with_a_need_or_an_event_is_urgent(analyzer: nlu.Analyzer, text: str) -> None:
    assert analyzer.analyze(text).urgency == "high"


@pytest.mark.parametrize(
    "text",
    [
        "I ordered it on Monday, any update?",
        "上周五就签收了 东西很好",
        "it arrived today, thanks, I need a bigger size though",
        "篮球场比赛用的那种标准7号球还有货吗？",
        "the wedding is next August, no rush at all",
        "would love it by friday but tbh it doesn't matter, whenever is fine",
        "مو مستعجل، العرس السنة الجاية",
        "結婚式は来年の秋なので、急ぎではありません。",
        "я дома по вторникам и четвергам, курьер может приехать в эти дни?",
        "Is this thermometer accurate enough for an urgent care clinic?",
        "我是急诊科护士 这款鞋防滑吗",
        "LOCKED OUT OF MY ACCOUNT AGAIN",
        "no me queda bien la chaqueta, quiero devolverla",
        "hello I want to add a second pair to my order before it ships, size 9",
        "Do you usually manage to ship to Canada before Christmas? Asking for next year.",
        "亲 急件那个选项是什么意思 跟普通快递有啥区别",
    ],
)
def test_past_far_or_other_sense_days_are_not_urgent(analyzer: nlu.Analyzer, text: str) -> None:
    assert analyzer.analyze(text).urgency != "high"


def test_the_past_of_the_order_is_not_the_past_of_the_event(analyzer: nlu.Analyzer) -> None:
    # The purchase is past, the communion is on Sunday: the past word is too far off to
    # make Sunday past.
    text = "comprei o presente para a primeira comunhão de domingo e ainda não foi enviado"
    assert analyzer.analyze(text).urgency == "high"
    # "and" ends the clause whose past it is: the play is still ahead.
    text = "our school play opens next Thursday and we ordered 30 wigs, tracking shows nothing"
    assert analyzer.analyze(text).urgency == "high"


def test_time_pressure_lifts_the_priority(analyzer: nlu.Analyzer) -> None:
    result = analyzer.analyze("my daughter's birthday party is Saturday and the piñata isn't here")
    assert "needed soon (+12)" in result.priority.factors
    assert result.needed_soon
    said = analyzer.analyze("URGENT: my daughter's birthday party is Saturday, where is it?")
    assert "urgent wording (+12)" in said.priority.factors
    assert not said.needed_soon


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Sabato si sposa mia sorella e il vestito non è ancora partito", True),
        ("Mijn retourtermijn loopt morgen af en ik heb nog geen label", True),
        ("Rano otworzyłam ostatnią puszkę mleka. Zamówienie jest już w drodze?", True),
        ("Cumartesi düğünüm var, elbise hala kargoda", True),
        ("토요일에 결혼식인데 구두가 아직 안 왔어요", True),
        # No hurry said in so many words: the urgent word is taken back.
        ("Non è urgente, posso aspettare il riassortimento", False),
        ("Niet dringend, ik kan wachten", False),
        ("급하지 않아요 천천히 보내주세요", False),
    ],
)
def test_time_pressure_and_no_hurry_in_the_later_languages(text: str, urgent: bool) -> None:
    assert (nlu.default_analyzer().analyze(text).urgency == "high") is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Ik heb het nodig voor de 12e, dan is het feest", True),
        ("Potrzebuję tego do 15., wtedy jest komunia", True),
        ("Ayın 12'sine kadar lazım, düğün var", True),
        ("14일까지 꼭 받아야 해요 결혼식이 있어요", True),
        ("Ho ordinato il 12 e non è arrivato", False),
        ("11월 3일 생일 선물로 샀던 가방 네이비 색상은 재입고 언제 되나요?", False),
    ],
)
def test_a_day_of_the_month_by_its_number_in_the_later_languages(text: str, urgent: bool) -> None:
    assert (nlu.default_analyzer().analyze(text).urgency == "high") is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("The check-in is at 2pm today and I still have no voucher from you", True),
        ("the auction ends tonight and my card keeps getting declined", True),
        ("宝宝奶粉就剩最后一顿了 今天能发吗", True),
        ("I don't need it urgently, just asking about the colour", False),
        ("no problem, whenever you get a chance please send the manual", False),
        ("明天再说吧 不早了", False),
        ("the kids loved the train set at christmas, one wheel fell off though", False),
    ],
)
def test_an_event_today_or_a_last_chance_tonight_and_no_hurry_said_otherwise(
    analyzer: nlu.Analyzer, text: str, urgent: bool
) -> None:
    assert (analyzer.analyze(text).urgency == "high") is urgent
