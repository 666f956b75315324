"""Requests a customer says they do not want: "I don't want a refund, send a new one",
"不取消了 帮我改个地址". The intent model reads words, not their negation, so such a message
read as the very request it turns down.

Only first-person refusals count: "why won't you refund me" and "商家不退款" are complaints
about a refund, not refusals of one; "Warum kann ich nicht stornieren?" still wants to cancel.
Patterns cover the corpus languages; ``tests/nlu/declined_cases.jsonl`` measures them on
refusals written by someone who never saw this file.
"""

from __future__ import annotations

import re

# Arabic lead-ins of a refusal: MSA, Egyptian and Gulf "I don't want", "no need", "never mind".
_AR_NOT = (
    r"(?:لا أريد|لا اريد|مش عايز|مش عاوز|ما أبغى|ما ابغى|ما ابي|لا داعي ل?|ما يحتاج|مش محتاج"
    r"|بلاش)\s?"
)
# Japanese: "(the request) is not needed / not necessary / I'll do without".
_JA_NOT = (
    r"(?:は|も)?(?:しなくて(?:大丈夫|いい|結構)|不要|必要(?:は)?ありません"
    r"|の必要(?:は)?ありません|しません|やめます|結構です)"
)
# German puts "nicht" late: "ich möchte die Bestellung doch nicht stornieren".
_DE_NOT = (
    r"\b(?:bitte|doch|will|möchte|muss|brauche)\s+(?:\w+\s+){0,2}nicht\s+(?:mehr\s+)?(?:zu\s+)?"
)

# Italian, Dutch, Polish, Turkish and Korean refusals, per request: joined to the first nine
# languages' patterns below.
_LATER_LANGUAGES = {
    "refund_request": (
        r"(?i:\bnon (?:voglio|mi serve|chiedo) (?:il |un |nessun )?rimbors|\bniente rimborso\b"
        r"|\bik (?:wil|hoef) geen (?:terugbetaling|geld terug|refund)\b"
        r"|\bgeen (?:terugbetaling|refund) nodig\b"
        r"|\bnie (?:chc[eę]|potrzebuj[eę]) zwrotu(?: pieni[eę]dzy)?\b"
        r"|\bzwrot (?:pieni[eę]dzy )?nie jest potrzebny\b"
        r"|\bparam[ıi] geri istemiyorum|\bpara iadesi (?:istemiyorum|gerek yok|laz[ıi]m de[ğg]il))"
        r"|환불(?:은|는)? ?(?:원하지 않|안 해도|필요 없|하지 않으셔도)|환불 말고"
    ),
    "cancel_order": (
        r"(?i:\bnon (?:voglio |devo )?(?:più )?annullare\b|\bnon annullate\b"
        r"|\b(?:niet|toch niet) (?:meer )?annuleren\b|\bannuleer (?:het |de bestelling )?niet\b"
        r"|\bnie (?:chc[eę] |trzeba )?anulowa[cć]\b|\bnie anuluj(?:cie)?\b"
        r"|\biptal etmeyin\b|\biptal etmek istemiyorum|\biptal(?:den)? vazge[çc]tim)"
        r"|취소(?:하지 마|는? ?안 할|하지 않으셔도|안 해도)"
    ),
    "return_request": (
        r"(?i:\bnon (?:voglio |devo )?(?:restituir|rimandar)(?:e|lo|la)\b|\b(?:lo|la) tengo\b"
        r"|\bik (?:houd|hou) (?:het|hem|ze)\b|\b(?:niet|geen) (?:terug(?:sturen|zenden)|retour)\b"
        r"|\bnie (?:chc[eę] |b[eę]d[eę] )?(?:go |jej |ich )?zwraca[cć]\b"
        r"|\bzostawiam (?:go|j[aą]|sobie)\b"
        r"|\biade etmeyece[ğg]im|\biade etmek istemiyorum|\bbende kals[ıi]n)"
        r"|반품(?:은|는)? ?(?:안 할|하지 않|안 해도)|그냥 (?:쓸게요|쓰겠습니다)"
    ),
    "exchange_request": (
        r"(?i:\bnon (?:voglio|mi serve) (?:il |un |una )?(?:cambio|sostituzione)\b"
        r"|\bik wil geen (?:ruil|vervanging|nieuwe)\b|\bnie chc[eę] (?:wymiany|nowego)\b"
        r"|\bde[ğg]i[şs]im istemiyorum)"
        r"|교환(?:은|는)? ?(?:원하지 않|안 해도|필요 없)"
    ),
}

_FIRST_NINE: dict[str, re.Pattern[str]] = {
    "refund_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need|ask for)\s+(?:a |my |the |any )?"
        r"(?:refund|money back)\b"
        r"|\bno quiero (?:el |un |mi )?reembolso\b|\bn[ãa]o quero (?:o |um )?reembolso\b"
        r"|\bje ne veux pas (?:de |d'|[eê]tre )?rembours"
        r"|\b(?:will|möchte) (?:keine|kein) (?:rück)?(?:erstattung|geld zurück)\b"
        r"|\bno need (?:for a |to )refund\b|\bno refund (?:needed|necessary)\b"
        r"|\bnever ?mind (?:the |my )?refund\b"
        r"|\bno (?:hace falta|es necesario|necesito) (?:el |un |ningún )?reembols"
        r"|\b(?:pas besoin|inutile) (?:de |d'[eê]tre )?(?:me )?rembours"
        r"|\b(?:brauche|benötige) (?:keine|kein) (?:rück)?(?:erstattung|geld zurück)\b"
        r"|\b(?:rück)?erstattung (?:ist )?nicht (?:mehr )?nötig\b"
        r"|\bn[ãa]o (?:precisa|preciso|é necessário) (?:de )?(?:o |um )?(?:reembols|me reembolsar)"
        r"|\bне (?:нужно|надо|хочу|нужен|требуется) (?:\w+ )?"
        r"(?:возврат\w* (?:денег|средств)|деньги)"
        r"|\bденьги (?:возвращать )?не (?:нужно|надо)\b|\bвозврат денег не нужен)"
        rf"|{_AR_NOT}(?:ال)?(?:استرداد|استرجاع المبلغ|رد المبلغ|فلوسي)|返金{_JA_NOT}"
        r"|我?不(?:要|想|用|需要)退(?:款|钱)|不退款了|别退款|我?不退了|不(?:用|要|想)退了"
        r"|退款(?:就)?不用了|无需退款|退款算了"
    ),
    "cancel_order": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer|no need to|not going to)\s+"
        r"(?:want to |need to )?cancel\b"
        r"|\bno (?:quiero )?cancelar\b|\bn[ãa]o quero cancelar\b"
        r"|\bje ne veux (?:plus |pas )annuler\b|\b(?:will|möchte) nicht stornieren\b"
        r"|\bnever ?mind (?:the |my )?cancel"
        # "Please cancel... actually never mind, I'll keep it": the request taken back.
        r"|\b(?:never ?mind|actually|on second thought)\b[^.!?]{0,24}\bkeep (?:it|them|the order)\b"
        r"|\bno (?:hace falta|es necesario) cancelar|\bno cancele(?:n|s)?\b"
        r"|\b(?:pas besoin|inutile) d'annuler|\bn'annulez pas\b"
        rf"|{_DE_NOT}stornieren\b|\bstornierung (?:ist )?nicht (?:mehr )?nötig\b"
        r"|\bn[ãa]o (?:precisa|é necessário|quero mais|vou) cancelar|\bn[ãa]o cancele\b"
        r"|\bне (?:нужно|надо|хочу|буду) (?:\w+ )?отменять|\bне отменяйте\b"
        r"|\bотмен\w* не (?:нужн\w*|надо)|\bпередумал\w* отменять)"
        rf"|{_AR_NOT}(?:إلغاء|الغاء|ألغي|الغي|تلغي)|(?:لا|ما|بلاش) تلغ(?:ي|وا|و)\b"
        rf"|キャンセル{_JA_NOT}|キャンセルしないで"
        r"|不取消了|先不取消|不用取消|别取消|不要取消了|不想取消了|无需取消|取消(?:就)?不用了"
    ),
    "return_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need) to return\b"
        r"|\bnot (?:going to )?return(?:ing)? it\b|\bno need to (?:return|send) it\b"
        r"|\bwon'?t (?:be )?return(?:ing)? it\b|\b(?:i'?ll|i will) keep (?:it|them)(?! if)\b"
        r"|\bno (?:quiero|hace falta|es necesario|voy a) devolver|\bme lo quedo\b"
        r"|\b(?:je ne veux pas|pas besoin de|inutile de) (?:le |la |les )?(?:renvoyer|retourner)"
        r"|\bje (?:le |la )?garde\b"
        rf"|{_DE_NOT}(?:zurück(?:schicken|senden|geben))\b|\bich behalte (?:es|ihn|sie)\b"
        r"|\brücksendung (?:ist )?nicht (?:mehr )?nötig\b"
        r"|\bn[ãa]o (?:quero|precisa|preciso|vou) devolver|\bvou ficar com (?:ele|ela)\b"
        r"|\bне (?:нужно|надо|хочу|буду) (?:\w+ )?(?:возвращать|отправлять обратно)"
        r"|\bвозвращать не (?:нужно|надо|буду)\b|\bоставлю себе\b)"
        rf"|{_AR_NOT}(?:أرجع|ارجع|إرجاع|ارجاع|أرجّع|ترجيع)|返品{_JA_NOT}"
        r"|我?不退了|不退货了|不想退货了|不(?:用|要|想)退了|不用寄回|不退回了|无需退货|自己留着"
    ),
    "exchange_request": re.compile(
        r"(?i:\b(?:do ?n'?t|do not|no longer)\s+(?:want|need)\s+(?:a |an |the )?"
        r"(?:replacement|exchange|new one)\b"
        r"|\bno need (?:for a |to )(?:replace|exchange|replacement)\b"
        r"|\bno quiero (?:el |un )?(?:cambio|reemplazo)\b"
        r"|\bn[ãa]o quero (?:a |uma )?(?:troca|substitui[çc][ãa]o)\b"
        r"|\bje ne veux pas (?:d'|de |un )?(?:[ée]change|remplacement)"
        r"|\b(?:will|möchte) (?:keinen|kein) (?:umtausch|ersatz)\b"
        r"|\b(?:do ?n'?t|do not) (?:need|want) to (?:swap|exchange|replace)\b|\bno need to swap\b"
        r"|\bno (?:hace falta|es necesario|necesito|quiero) cambiar"
        r"|\b(?:pas besoin|inutile) d'[ée]chang|\bje ne veux pas (?:l'|le |la )?[ée]changer"
        rf"|{_DE_NOT}(?:um)?tauschen\b|\bumtausch (?:ist )?nicht (?:mehr )?nötig\b"
        r"|\bn[ãa]o (?:preciso|precisa|quero|é necessário) (?:de )?trocar"
        r"|\bне (?:нужно|надо|хочу|буду) (?:\w+ )?(?:менять|обменивать)"
        r"|\bменять не (?:нужно|надо|буду)\b|\bобмен не нуж)"
        rf"|{_AR_NOT}(?:[أا]بدّ?ل|تبديل|استبدال|[أا]غيّ?ر|تغيير)|交換{_JA_NOT}"
        r"|不(?:要|想|用)换货?了?|不换货?了|别换了|不需要换|无需换货|换货(?:就)?不用了"
    ),
}


_DECLINED = {
    name: re.compile(f"{pattern.pattern}|{_LATER_LANGUAGES[name]}")
    for name, pattern in _FIRST_NINE.items()
}


def declined_requests(text: str) -> tuple[frozenset[str], str]:
    """The request intents ``text`` turns down in the customer's own words, and the text with
    those refusals blanked out (what is left says what the customer does want)."""
    spans = [
        (name, m.span()) for name, pattern in _DECLINED.items() for m in pattern.finditer(text)
    ]
    if not spans:
        return frozenset(), text
    # Blank every refusal as found in the original text: blanking one refusal and then
    # searching the rest depended on the order of a set, so "деньги возвращать не надо" (both
    # a refund and a return turned down) left "деньги" behind in some processes only.
    kept, last = [], 0
    for start, end in sorted(span for _, span in spans):
        if start > last:
            kept.append(text[last:start])
        if end > last:
            kept.append(" ")
            last = end
    kept.append(text[last:])
    return frozenset(name for name, _ in spans), "".join(kept)
