"""Why the customer asks for a return or refund, from the triage's fault signals and words.

A return or refund request about a cracked mug is the seller's fault, not a change of mind: the
seller pays return shipping and refunds the shipping too. Triage names the main intent
(return_request) and, beside it, the fault (quality_issue, wrong_item, missing_item); when it
does not, words like "cracked" or "坏了" still say so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kefu import policy
from kefu.inbox import snapshots

# Intents whose reason depends on what is wrong with the item.
_ASKING = frozenset({"return_request", "refund_request", "exchange_request"})
# A secondary intent counts from this confidence (the intent model's scores are calibrated).
MIN_FAULT_CONFIDENCE = 0.4
_FAULT_INTENTS = {
    "quality_issue": policy.ReasonCategory.DEFECTIVE,
    "wrong_item": policy.ReasonCategory.WRONG_ITEM,
    "missing_item": policy.ReasonCategory.MISSING_ITEM,
}
_NOT = r"(?<!not )(?<!n't )(?<!never )(?<!没有)(?<!没)(?<!不)(?<!pas )"
_DAMAGED = re.compile(
    _NOT + r"(?:\b(?:broken|broke|cracked|shattered|smashed|damaged|dented|crushed|torn|ripped"
    r"|leak\w*)\b"
    r"|坏了|破损|损坏|碎了|裂了|裂开|裂缝|裂纹|漏水|漏了|摔坏|压坏|变形"
    r"|cass[ée]e?s?\b|fissur|ab[iî]m[ée]|endommag|bris[ée]"
    r"|\brot[oa]s?\b|rajad|agrietad|dañad|estropead"
    r"|kaputt|beschädigt|gebrochen|gesprungen|zerbrochen"
    r"|quebrad|rachad|danificad|amassad"
    r"|сломан|разбит|треснул|трещин|поврежд"
    r"|壊れ|割れ|破損|ひび"
    r"|مكسور|تالف|متضرر)",
    re.IGNORECASE,
)
_DEFECTIVE = re.compile(
    _NOT + r"(?:\b(?:defective|faulty|malfunction\w*|dead on arrival)\b"
    r"|(?:does not|doesn't|doesnt|won't|will not|didn't|did not)"
    r" (?:work|start|turn on|switch on|charge|power on)"
    r"|(?:not|stopped) working"
    r"|质量问题|有瑕疵|不能用|用不了|打不开|不工作|没反应|开不了机|故障|不亮"
    r"|d[ée]fectueu|ne (?:fonctionne|marche|s'allume) pas|en panne"
    r"|defectuos|no funciona|no enciende|no carga"
    r"|defekt|funktioniert nicht|geht nicht an"
    r"|defeituos|não funciona|não liga"
    r"|брак|не работает|не включается"
    r"|不良|動かない|故障|作動しない"
    r"|معيب|لا يعمل)",
    re.IGNORECASE,
)


# The customer says the mistake was theirs: a "wrong size" they picked is no seller fault.
_BUYER_MISTAKE = re.compile(
    r"\b(?:by mistake|my (?:own )?(?:mistake|fault|bad)|accidentally (?:bought|ordered|picked)"
    r"|I (?:ordered|bought|picked|chose|clicked|selected) the wrong"
    r"|misread the size)\b"
    r"|(?:我|自己)(?:拍|买|选|下单)错|拍错了|买错了|选错了|看错尺码|手滑"
    r"|par erreur|por error|por equivocaci[oó]n|versehentlich|aus Versehen|por engano"
    r"|по ошибке|間違えて注文",
    re.IGNORECASE,
)


def _fault(
    intent: str, triage: Mapping[str, Any], text: str, category: policy.ReasonCategory
) -> policy.ReasonCategory:
    """The reason the policy should see for this request: a seller fault when there is one,
    else ``category``, the one the intent alone gives."""
    if intent not in _ASKING:
        return category
    damaged = bool(_DAMAGED.search(text))
    buyer_mistake = bool(_BUYER_MISTAKE.search(text))
    for item in triage.get("intents", []):
        name, confidence = item.get("name"), float(item.get("confidence") or 0)
        if name in _FAULT_INTENTS and confidence >= MIN_FAULT_CONFIDENCE:
            fault = _FAULT_INTENTS[name]
            if fault is policy.ReasonCategory.WRONG_ITEM and buyer_mistake:
                continue
            if fault is policy.ReasonCategory.DEFECTIVE and damaged:
                return policy.ReasonCategory.DAMAGED
            return fault
    if damaged:
        return policy.ReasonCategory.DAMAGED
    if _DEFECTIVE.search(text):
        return policy.ReasonCategory.DEFECTIVE
    return category


def remedy_request(intent: str, triage: Mapping[str, Any], text: str) -> policy.RemedyRequest:
    """What the customer most likely asks for, and why, from the triage and their words."""
    request = snapshots.remedy_request(intent)
    category = _fault(intent, triage, text, request.reason_category)
    return replace(request, reason_category=category)
