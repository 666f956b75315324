"""Emotions, urgency, risks, safety hazards and abusive language from multilingual cue lists
(``resources/cues.json``, written by us). Every language's cues are applied to every message, so
mixed-language messages and a wrong language guess still get their cues.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from kefu.nlu.resources_io import read_json
from kefu.nlu.schemas import EMOTIONS, RISKS, Span
from kefu.nlu.textnorm import lower_key, straight_apostrophes, without_dotless_i
from kefu.nlu.threats import leaving_ruled_out, threat_ruled_out
from kefu.nlu.trie import trie_pattern
from kefu.nlu.urgency import TimeCue, under_time_pressure

# Chinese, kana and Hangul: Korean glues its endings to the word ("환불해 주세요"), so its cues,
# like Chinese ones, match inside longer runs of letters.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_CYRILLIC_END = re.compile(r"[\u0400-\u04ff]$")
_LATIN = r"[A-Za-z0-9\u00c0-\u024f]"
# A cue written "iade*" or "zwrot pieniędzy*" (a letter, then one "*") is a stem: any ending
# may follow (Polish and Turkish inflect what a customer says; Russian cues are stems by their
# last letter). "f***" is a masked swear word, no stem.
_STEM_MARK = re.compile(r"(?<=[^\W\d_])\*$")


def cue_key(cue: str) -> str:
    """The text a cue matches, lower-cased, without its stem mark."""
    return _STEM_MARK.sub("", lower_key(cue))


def matched_cue(match: re.Match[str]) -> str:
    """The cue a match of :func:`category_pattern` found (a stem's match runs on to its word's
    end), as :func:`cue_key` writes it."""
    return cue_key(match.group("stem") or match.group())


def category_pattern(cues: list[str]) -> re.Pattern[str]:
    """One trie-shaped regex for a cue list, each script with its own word fences."""
    marked = {cue_key(c) for c in cues if _STEM_MARK.search(c)}
    cues = sorted({cue_key(c) for c in cues} - marked)
    cjk = [c for c in cues if not c.isascii() and _UNSPACED.search(c)]
    stems = sorted(
        marked
        | {
            c
            for c in cues
            if not c.isascii() and not _UNSPACED.search(c) and _CYRILLIC_END.search(c)
        }
    )
    ascii_cues = [c for c in cues if c.isascii() and c not in marked]
    placed = set(ascii_cues) | set(cjk) | set(stems)
    words = [c for c in cues if c not in placed]
    # The ASCII cues go last: where two cues start at one place, the one that is not pure ASCII
    # is the longer ("avis négatif" beside "avis"), and Python takes the first alternative.
    # Each part opens with a look at the next character, which ``re`` answers at once, so the
    # word fences and the trie are tried only where some cue of the part can start: with 7,000
    # cues that made the scan three times faster (110 -> 35 us a message), same matches.
    parts = [
        _opens(cjk) + trie_pattern(cjk) if cjk else "",
        # Arabic joins "and" to the next word: "ومحبط جدا" holds the cue "محبط".
        _opens(words) + rf"(?:(?<!\w)|(?<=(?<!\w)و)){trie_pattern(words)}(?!\w)" if words else "",
        # Russian cues are stems ("возмущ" -> возмущён, возмущает); the match runs to the end of
        # the word, so an abusive span is the whole word, and the group "stem" names the cue.
        _opens(stems) + rf"(?<!\w)(?P<stem>{trie_pattern(stems)})\w*" if stems else "",
        # Latin fences only, so "去12315投诉" and "亲asap" still match; accented letters fence
        # too ("sofort" is no cue inside "Sofortüberweisung").
        _opens(ascii_cues) + rf"(?<!{_LATIN}){trie_pattern(ascii_cues)}(?!{_LATIN})"
        if ascii_cues
        else "",
    ]
    return re.compile("|".join(p for p in parts if p) or "(?!)", re.IGNORECASE)


def _opens(cues: list[str]) -> str:
    """A lookahead for the first characters of ``cues`` (the pattern ignores case)."""
    firsts = sorted({cue[0] for cue in cues})
    return "(?=[" + "".join(re.escape(char) for char in firsts) + "])"


@functools.cache
def _compiled() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One scanner over every cue of every category, and each cue's categories."""
    table: dict[str, dict[str, list[str]]] = read_json("cues.json")
    owners: dict[str, set[str]] = {}
    written: set[str] = set()
    for category, by_lang in table.items():
        for cues in by_lang.values():
            for cue in cues:
                owners.setdefault(cue_key(cue), set()).add(category)
                written.add(cue.lower())
    for cue in list(owners):
        owners.setdefault(without_dotless_i(cue), owners[cue])  # "ÇALIŞMIYOR" finds "çalışmıyor"
    frozen = {cue: frozenset(cats) for cue, cats in owners.items()}
    return category_pattern(sorted(written)), frozen


@dataclass(frozen=True)
class Signals:
    """What the cue lists found in one message."""

    emotions: list[str]
    urgent: bool
    risks: list[str]
    abusive_spans: list[Span]
    # A product that burned, sparked, shocked, swelled, injured or went bad ("充电器冒烟了",
    # "the blender caught fire"): said with its negation ("no burning smell") it counts not.
    safety: bool = False
    # Urgent by time pressure alone (``kefu.nlu.urgency``), with no urgent words.
    needed_soon: bool = False
    # Leaving that only the tone tells from a request or praise: an account, a subscription or
    # the app to close ("delete my account", "Abo kündigen", "App gelöscht"), "never" next to
    # "buy" ("won't be shopping here again", but "never had a problem buying here"), a family
    # that used to buy ("我们全家以前都在你们家买奶粉，现在一个都不买了"). A churn threat only when
    # said unhappily (the pipeline decides, knowing the tone).
    leaving: bool = False
    # Personal data exposed: another customer's invoice in the parcel, a mail with every
    # customer in copy, a scam call that knew the order (see ``_privacy_incident``).
    privacy: bool = False
    # A bad review said without review words: the story taken to a public place ("posting
    # screenshots on Instagram tonight"), or an honest review held over the shop ("我会如实评价
    # 的 你们自己看着办"). No threat in praise: "posted the unboxing on my insta, it looks so
    # good!" (the pipeline decides, knowing the intent and tone; "r/mildlyinfuriating would
    # love this story" reads positive too, but is no praise).
    review_warning: bool = False


def find_signals(text: str) -> Signals:
    """Scan ``text`` once for the cues of every category."""
    scanner, owners = _compiled()
    found: set[str] = set()
    spans: list[Span] = []
    times: list[TimeCue] = []
    review_talk: dict[str, int] = {}
    near_talk: dict[str, list[tuple[int, int]]] = {part: [] for part in _NEAR_PARTS}
    said = text
    text = straight_apostrophes(text)
    for match in scanner.finditer(text):
        cue = matched_cue(match)
        cats = owners.get(cue) or owners.get(without_dotless_i(cue), frozenset())
        times += [TimeCue(c[5:], *match.span()) for c in cats if c.startswith("time:")]
        for c in cats & _REVIEW_PARTS:
            review_talk.setdefault(c, match.start())
        for c in cats & _NEAR_PARTS:
            near_talk[c].append(match.span())
        threat = any(c.startswith("risk:") for c in cats)
        churn = "risk:churn_threat" in cats
        if threat and threat_ruled_out(text, match.start(), match.end(), churn=churn):
            cats = frozenset(c for c in cats if not c.startswith("risk:"))
        if cats & _NEGATABLE and _emotion_negated(text, match.start(), match.end()):
            cats = cats - _NEGATABLE
        found |= cats
        if "abuse" in cats:
            spans.append(
                Span(start=match.start(), end=match.end(), text=said[match.start() : match.end()])
            )
    if _review_threat(text, review_talk, _REVIEW_PAIRS):
        found.add("risk:negative_review_threat")
    found |= {f"risk:{risk}" for risk, near in _NEAR_RISKS if near.said(text, near_talk)}
    review_warning = _review_threat(text, review_talk, _WARNING_PAIRS) or any(
        near.said(text, near_talk) for near in _NEAR_REVIEW_WARNINGS
    )
    emotions = [e for e in EMOTIONS if f"emotion:{e}" in found]
    if spans and "anger" not in emotions:
        emotions.insert(0, "anger")
    in_no_hurry = "no_hurry" in found or bool(_NO_HURRY.search(text))
    said_urgent = "urgency" in found and not in_no_hurry
    needed_soon = not said_urgent and not in_no_hurry and under_time_pressure(text, times)
    return Signals(
        emotions=emotions,
        urgent=said_urgent or needed_soon,
        needed_soon=needed_soon,
        privacy=_privacy_incident(found),
        review_warning=review_warning,
        leaving="churn:cancel" in found or _NEVER_BUY.said(text, near_talk),
        risks=[r for r in RISKS if f"risk:{r}" in found],
        abusive_spans=spans,
        safety="safety" in found,
    )


# A bad review said without the words "bad review": a review bargained over ("I'll bump my
# review back up to 5 if you refund", "退款给我我就把差评改了").
# A bargain needs its condition: "can I edit my review? I tapped 3 stars by mistake" is none.
_REVIEW_PAIRS = (("review:noun", "review:bargain", "review:if"),)
# The story taken to a public place ("the video goes on youtube, 15k subscribers", "准备发b
# 站"), an honest review with a last chance ("one chance before I leave honest feedback"): see
# ``Signals.review_warning``.
_WARNING_PAIRS = (("review:platform", "review:exposure"), ("review:honest", "review:if"))
_REVIEW_PARTS = frozenset(part for parts in _REVIEW_PAIRS + _WARNING_PAIRS for part in parts)


def _review_threat(text: str, said: dict[str, int], pairs: tuple[tuple[str, ...], ...]) -> bool:
    for parts in pairs:
        if all(p in said for p in parts):
            at = min(said[p] for p in parts)
            if not threat_ruled_out(text, at, at + 1):
                return True
    return False


_GAP = 40  # characters between the two halves
_SENTENCE_BREAK = re.compile(r"\.(?!\w)|[!?。！？\n]")  # "amazon.it" is one word
# The platform as the one who speaks, not the one told: "平台说有个投诉单", "Amazon says it
# was delivered, report it to the courier".
_PLACE_SPEAKS = re.compile(
    r"(?:的?客服|(?i: support| customer service))?"
    r"(?:说|显示|通知|提示|告诉|によると|によれば|(?i: (?:says|said|shows|showed|told|reports"
    r"|reported|meldet|zeigt|sagt|dice|dijo|indica|diz|disse|mostra|dit|indique|affiche"
    r"|говорит|сказали)\b))"
)
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class _Near:
    """Two cue categories said near each other, in one sentence: a place and a verb ("Allegro
    się dowie"), where listing every place with every verb would take thousands of cues. The
    threat is ruled out around the ``verb``."""

    place: str
    verb: str
    gap: int = _GAP
    ruled_out: Callable[[str, int, int], bool] = threat_ruled_out
    # Chinese, Japanese and Korean put the negation before the verb: "再也不买".
    verb_first_in_east_asian: bool = False

    def said(self, text: str, talk: dict[str, list[tuple[int, int]]]) -> bool:
        for verb_start, verb_end in talk[self.verb]:
            for place_start, place_end in talk[self.place]:
                if _PLACE_SPEAKS.match(text, place_end):
                    continue
                if (
                    self.verb_first_in_east_asian
                    and verb_end > place_start
                    and _EAST_ASIAN.match(text, place_start)
                ):
                    continue
                first_end = min(verb_end, place_end)
                second_start = max(verb_start, place_start)
                if second_start - first_end > self.gap:
                    continue
                if _SENTENCE_BREAK.search(text, first_end, max(first_end, second_start)):
                    continue
                # Ruled out around the verb: "AliExpress zamknął spór" is a claim closed.
                if not self.ruled_out(text, verb_start, verb_end):
                    return True
        return False


_NEAR_RISKS = (
    # A marketplace, payment platform or consumer body near a verb of reporting: "ho segnalato
    # il vostro negozio ad aliexpress", "Hepsiburada'ya bildirip", "我去抖音投诉你们".
    ("dispute_threat", _Near("dispute:place", "dispute:act")),
    # A bank or card issuer asked to take the money back: "Already called Chase and disputed
    # the charge", "我会联系交通银行信用卡中心申请退单".
    ("chargeback_threat", _Near("chargeback:bank", "chargeback:act")),
    # Gone to a competitor, whatever the tone: "Ich bin jetzt zu Zalando gewechselt".
    ("churn_threat", _Near("dispute:place", "churn:switch")),
    # A family that stopped buying: "Toda mi familia compraba aquí, pero ya no".
    ("churn_threat", _Near("churn:used", "churn:over", ruled_out=leaving_ruled_out)),
)
# A bad review said around the words: the review that will reflect the service ("Minha
# avaliação vai refletir esse descaso"), a warning to a group of buyers ("warn all the moms in
# the school WhatsApp group"). A warning, so praise keeps none; see ``Signals.review_warning``.
_NEAR_REVIEW_WARNINGS = (
    _Near("review:noun", "review:verdict"),
    _Near("review:warn", "review:audience"),
)
# "Never" right next to "buy", ruled out around the "never", whose "won't" would deny the
# "buy"; in either order outside East Asia ("hier bestel ik nooit meer"), while "一直在你家买 别家
# 再也找不到这么好吃的" is praise. Tone decides: see ``Signals.leaving``.
_NEVER_BUY = _Near(
    "churn:buy", "churn:never", gap=20, ruled_out=leaving_ruled_out, verb_first_in_east_asian=True
)
_NEAR_PARTS = frozenset(
    part
    for near in (*(n for _, n in _NEAR_RISKS), *_NEAR_REVIEW_WARNINGS, _NEVER_BUY)
    for part in (near.place, near.verb)
)


def _privacy_incident(found: set[str]) -> bool:
    """A leak named as such ("data breach", "泄露", "everyone in copy"); my data given, shown or
    taken from the order ("posted my address", "took my number from your order"); someone from
    the order courting me ("约我吃饭"); someone else in my account ("账号被盗"); another
    person's record ("someone else's" with "invoice"), or mine in a public place ("业主群" with
    "电话"); a stranger who knew what only the shop knew ("骗子" with "知道我的订单号"); my
    photo or review used without consent ("买家秀" with "没同意")."""
    return bool(found & _PRIVACY_ALONE) or any(pair <= found for pair in _PRIVACY_PAIRS)


_PRIVACY_ALONE = frozenset(
    {"privacy:breach", "privacy:shared", "privacy:takeover", "privacy:took", "privacy:courted"}
)
_PRIVACY_PAIRS = (
    frozenset({"privacy:other", "privacy:record"}),
    frozenset({"privacy:public", "privacy:record"}),
    frozenset({"privacy:stranger", "privacy:knew"}),
    frozenset({"privacy:consent", "privacy:media"}),
    # A used or returned device sold on with someone's data: "still signed into the previous
    # owner's iCloud", "没格式化就又卖出去了 里面有我的照片".
    frozenset({"privacy:device", "privacy:files"}),
)


# No hurry, said anywhere, outweighs a deadline cue ("It's not urgent, by Friday is fine"),
# and a cue said with its negation is none ("not urgent", "不急" hold the cues "urgent", "急").
# "No rush" in the first nine languages; the others list theirs as the cue category "no_hurry".
_NO_HURRY = re.compile(
    r"(?i:\b(?:(?:not|no|isn'?t|wasn'?t|aren'?t|nothing)\s+(?:(?:that|too|very|so|really)\s+)?"
    r"(?:urgent|an? emergency|emergency|asap|in a hurry)|"
    r"(?:don'?t|do not|doesn'?t|does not) (?:really )?need (?:it|this|them|that|one)?\s*"
    r"(?:urgently|asap|right away)|no rush|no hurry|take your time|"
    r"whenever you can|(?:whenever|when) you (?:get|have) (?:a )?(?:chance|moment|minute|time)|"
    r"sin prisa|no corre prisa|pas urgent|pas press[ée]|keine eile|nicht eilig|"
    r"sem pressa|não é urgente|не срочно|не к спеху|не горит|no es urgente|nicht dringend|"
    r"aucune urgence|pas d'urgence|rien ne presse|(?:it )?doesn'?t matter|whenever is fine|"
    r"any ?time is fine|asking for next year|for next year|l'année prochaine|el año que viene|"
    r"nächstes jahr|ano que vem|в следующем году)\b)"
    r"|不(?:太|是很|是那么|用|必)?着?急|别急|无需急|没(?:有)?那么急|慢慢来|慢慢发|不赶时间|明年|来年|明天再说|回我就行"
    r"|急いでいません|急ぎません|急ぎではありません|急ぎではない"
    r"|(?:مش|مو|مب|مهو|ما) ?(?:مستعجل|مستعجلة|مستعجله)"
)

# "I'm not angry, just confused", "不生气，就问问", "nicht sauer": the customer says the feeling
# is absent, and "no burning smell", "没有焦味" a hazard. The negator sits right before the cue
# (after it in Japanese). Gratitude is left alone: "can't thank you enough" and "no, thanks" are
# thanks.
_NEGATABLE = frozenset(
    {"emotion:anger", "emotion:anxiety", "emotion:disappointment", "emotion:confusion", "safety"}
)
_EMOTION_NEGATOR_BEFORE = re.compile(
    r"(?i:\b(?:not|never|no|isn'?t|aren'?t|wasn'?t|weren'?t|ain'?t|don'?t be|nicht|kein(?:e|en)?|"
    r"pas|no estoy|no estaba|no|nada|não estou|não fiquei|não|nem|не|ни|ничуть не|لست|لا|لم|ليس"
    r"|مش|مو|مب|ماني|مانيش|non sono|non|niet|geen|nie jestem|nie|안)"
    r"\s+(?:(?:really|that|too|very|so|at all|even|a bit|remotely|überhaupt|gar|mehr|du tout|"
    r"tan|muy|nada|muito|очень|совсем|совсем не|نهائيا|per niente|affatto|molto|helemaal|erg|"
    r"wcale|bardzo|전혀)\s+)?$)"
    r"|(?:不|没有?|别|并不|并没有?|一点[也都]不|也不|都不|从不)(?:太|是很|是|怎么|那么|很|会|用)?$"
)
# Japanese inflects the verb before its negation: 腹が立+たない, 怒って+いません; Turkish and
# Korean negate after the word too: "kızgın değilim", "화나지 않아요".
_EMOTION_NEGATOR_AFTER = re.compile(
    r"[ぁ-ゖ]{0,2}(?:ない|ません)|(?:る|てる|ている)?わけ(?:じゃ|では)(?:ない|ありません)"
    r"|じゃない|ではない|ではありません|\w{0,3}\s+değil|지\s*않"
)


def _emotion_negated(text: str, start: int, end: int) -> bool:
    """Whether an emotion cue is said with its negation ("not angry", "不生气", "怒ってない")."""
    before = text[max(0, start - 24) : start]
    return bool(
        _EMOTION_NEGATOR_BEFORE.search(before) or _EMOTION_NEGATOR_AFTER.match(text, end, end + 8)
    )
