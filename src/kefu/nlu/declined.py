"""Requests a customer says they do not want: "I don't want a refund, send a new one",
"不取消了 帮我改个地址". The intent model reads words, not their negation, so such a message
read as the very request it turns down.

Only first-person refusals count: "why won't you refund me" and "商家不退款" are complaints
about a refund, not refusals of one.
"""

from __future__ import annotations

import re

_DECLINED: dict[str, re.Pattern[str]] = {
    "refund_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need|ask for)\s+(?:a |my |the |any )?"
        r"(?:refund|money back)\b"
        r"|\bno quiero (?:el |un |mi )?reembolso\b|\bn[ãa]o quero (?:o |um )?reembolso\b"
        r"|\bje ne veux pas (?:de |d'|[eê]tre )?rembours"
        r"|\b(?:will|möchte) (?:keine|kein) (?:rück)?(?:erstattung|geld zurück)\b)"
        r"|\bno need (?:for a |to )refund\b"
        r"|我?不(?:要|想|用|需要)退(?:款|钱)|不退款了|别退款|我?不退了|不(?:用|要|想)退了"
    ),
    "cancel_order": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer|no need to|not going to)\s+"
        r"(?:want to |need to )?cancel\b"
        r"|\bno (?:quiero )?cancelar\b|\bn[ãa]o quero cancelar\b"
        r"|\bje ne veux (?:plus |pas )annuler\b|\b(?:will|möchte) nicht stornieren\b)"
        r"|不取消了|先不取消|不用取消|别取消|不要取消了|不想取消了"
    ),
    "return_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need) to return\b"
        r"|\bnot (?:going to )?return(?:ing)? it\b)"
        r"|我?不退了|不退货了|不想退货了|不(?:用|要|想)退了"
    ),
    "exchange_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need)\s+(?:a |an |the )?"
        r"(?:replacement|exchange|new one)\b"
        r"|\bno need (?:for a |to )(?:replace|exchange|replacement)\b"
        r"|\bno quiero (?:el |un )?(?:cambio|reemplazo)\b"
        r"|\bn[ãa]o quero (?:a |uma )?(?:troca|substitui[çc][ãa]o)\b"
        r"|\bje ne veux pas (?:d'|de |un )?(?:[ée]change|remplacement)"
        r"|\b(?:will|möchte) (?:keinen|kein) (?:umtausch|ersatz)\b)"
        r"|不(?:要|想|用)换货?了?|不换货?了|别换了"
    ),
}


def declined_requests(text: str) -> tuple[frozenset[str], str]:
    """The request intents ``text`` turns down in the customer's own words, and the text with
    those refusals blanked out (what is left says what the customer does want)."""
    names = frozenset(name for name, pattern in _DECLINED.items() if pattern.search(text))
    for name in names:
        text = _DECLINED[name].sub(" ", text)
    return names, text
