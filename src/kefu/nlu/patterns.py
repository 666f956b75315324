"""Regular expressions for identifiers, money, dates and durations (PLATFORM_FACTS.md section 6).

Python's ``\\b`` treats Chinese characters as word characters, so "订单113-..." would not match;
every pattern here is fenced with ASCII look-arounds instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kefu.nlu import checksums

L = r"(?<![A-Za-z0-9])"  # left fence: no ASCII letter/digit before
R = r"(?![A-Za-z0-9])"  # right fence
LH = r"(?<![A-Za-z0-9-])"  # fences that also refuse a joining hyphen
RH = r"(?![A-Za-z0-9]|-\d)"


@dataclass(frozen=True)
class Rule:
    """One identifier format. ``check`` validates a check digit; ``context`` makes it weak.

    A rule with a failing ``check`` still matches when tracking words or its carrier are near;
    a rule with ``context="carrier"`` matches only when its carrier is named near it, one with
    ``context="order"`` only after an order word. ``spaced`` is set for formats a buyer types
    with spaces ("SF 1423...", "1Z 4E7 W21 ..."): what the spaces become in the id as the
    platform writes it (the entity's ``normalized``, which look-ups use), and what the check
    digit is computed on.
    """

    type: str
    platform: str | None
    pattern: re.Pattern[str]
    rank: int
    check: Callable[[str], bool] | None = None
    context: str | None = None
    spaced: str | None = None


def _r(expr: str) -> re.Pattern[str]:
    return re.compile(expr)


ID_RULES: tuple[Rule, ...] = (
    Rule("order_id", "amazon", _r(LH + r"(?:\d{3}|D\d{2})-\d{7}-\d{7}" + RH), 95),
    Rule(
        "order_id",
        "pinduoduo",
        _r(LH + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-\d{15}" + RH),
        95,
    ),
    # "114 2839457 5512093": the Amazon id read off a screen, kept only after an order word.
    Rule(
        "order_id",
        "amazon",
        _r(LH + r"(?:\d{3}|D\d{2}) \d{7} \d{7}" + RH),
        95,
        context="order",
        spaced="-",
    ),
    Rule("order_id", "temu", _r(LH + r"PO-\d{3}-\d{17}" + RH), 95),
    Rule("order_id", "temu", _r(LH + r"\d{3}-\d{17}" + RH), 90),
    Rule("order_id", "shopify", _r(r"(?<![A-Za-z0-9&#])#\d{4,9}" + R), 85),
    Rule("tracking_number", "ups", _r(L + r"1Z[0-9A-Z]{16}" + R), 92, checksums.ups_1z_valid),
    # As the UPS label prints it: "1Z 4E7 W21 03 2198 7656".
    Rule(
        "tracking_number",
        "ups",
        _r(L + r"1Z [0-9A-Z]{3} [0-9A-Z]{3} [0-9A-Z]{2} [0-9A-Z]{4} [0-9A-Z]{3}\d" + R),
        92,
        checksums.ups_1z_valid,
        spaced="",
    ),
    Rule("tracking_number", "amazon_logistics", _r(L + r"TB[ACM]\d{12}" + R), 92),
    Rule("tracking_number", "4px", _r(L + r"4PX\d{13}CN" + R), 92),
    Rule("tracking_number", "yunexpress", _r(L + r"YT ?\d{16}" + R), 92, spaced=""),
    Rule("tracking_number", "yto", _r(L + r"YT ?\d{13}" + R), 91, spaced=""),
    Rule("tracking_number", "sf", _r(L + r"SF ?\d{13}" + R), 92, spaced=""),
    Rule("tracking_number", "jt", _r(L + r"JT ?\d{13}" + R), 91, spaced=""),
    Rule("tracking_number", "yodel", _r(L + r"JJD\d{16}" + R), 92),
    Rule("tracking_number", "jd_logistics", _r(L + r"JD[VX0-9][0-9A-Z]{10,12}" + R), 88),
    # LP + 12-14 digits, and the common LP00 + 14 digits (18 characters) as well.
    Rule("tracking_number", "cainiao", _r(L + r"LP ?\d{12,16}" + R), 90, spaced=""),
    Rule("tracking_number", "dhl", _r(L + r"GM\d{16,22}" + R), 88),
    Rule("tracking_number", "dhl", _r(L + r"J[A-Z]{2,3}\d{9,10}" + R), 80, context="carrier"),
    Rule("tracking_number", "ontrac", _r(L + r"[CD]\d{14}" + R), 80),
    # DPD: 14 digits and a check character (ISO 7064 mod 37,36). A letter there is rare
    # enough with its check to stand alone; a digit there is fifteen bare digits (below).
    Rule("tracking_number", "dpd", _r(L + r"\d{14}[A-Z]" + R), 85, checksums.dpd_valid),
    Rule("tracking_number", "usps", _r(L + r"9[1-5]\d{18,20}" + R), 88, checksums.gs1_mod10_valid),
    # As the USPS label prints it, in fours: "9400 1000 0000 0000 0000 00".
    Rule(
        "tracking_number",
        "usps",
        _r(L + r"9[1-5]\d\d(?: \d{4}){4}(?: \d\d)?(?! \d)" + R),
        88,
        checksums.gs1_mod10_valid,
        spaced="",
    ),
    Rule("tracking_number", "fedex", _r(L + r"96\d{20}" + R), 87, checksums.gs1_mod10_valid),
    Rule("asin", "amazon", _r(L + r"B0(?=[0-9A-Z]{8})(?=[0-9]*[A-Z])[0-9A-Z]{8}" + R), 80),
)

# UPU S10: two service letters, 8 digits, a check digit, the ISO country.
S10 = _r(L + r"([A-Z]{2})\d{9}([A-Z]{2})" + R)
S10_RANK = 90

# A bare run of digits: decided by the words around it (order or tracking, and which carrier).
DIGITS = _r(r"(?<![A-Za-z0-9.,#-])\d{10,34}(?![A-Za-z0-9]|[.,]\d)")
DIGITS_RANK = 60

EMAIL = _r(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
)
SKU = _r(
    r"(?i:\bsku|货号|款号|商品编码|商品编号|artikelnummer|art\.-nr\.|référence|referencia|артикул)"
    r"\s*(?:[:：#=]|no\.?|nr\.?|is)?\s*([A-Za-z0-9][A-Za-z0-9_./-]{1,40}[A-Za-z0-9])"
)
PHONE = _r(
    r"(?<![A-Za-z0-9+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}"
    r"|1[3-9]\d{9}"
    r"|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}"
    # A Chinese mobile in 3-4-4 groups ("138-1234-5678", "138 1234 5678") and UK national
    # numbers as the UK writes them ("020 7946 0958", "0161 496 0000", "07700 900123"): the
    # groups must stand alone, so a longer run of spaced digits (a card, a tracking number) is
    # not cut into a phone. entities.py keeps a UK number only if it is a valid one.
    # Chinese landlines with their area code ("010-62345678", "0755-86013388") and Japanese
    # mobiles ("090-1234-5678"): only the hyphenated forms; entities.py keeps them if valid.
    r"|(?<!\d[ .-])(?:1[3-9]\d(?P<g>[ -])\d{4}(?P=g)\d{4}"
    r"|0(?:2\d \d{4} \d{4}|1\d{2} \d{3} \d{4}|1\d{3} \d{5,6}|[38]\d{2} \d{3} \d{4}|7\d{3} \d{6}"
    r"|\d{2,3}-\d{7,8}|[789]0-\d{4}-\d{4}"
    # French national numbers in pairs, as France writes them: "06 12 34 56 78", "01.42.68.53.00".
    r"|[1-9](?P<f>[ .])\d\d(?P=f)\d\d(?P=f)\d\d(?P=f)\d\d))"
    r"(?! ?\d))(?![A-Za-z0-9-])"
)

_NUM = r"\d{1,3}(?:[,.\s\u00a0\u202f']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SYM_BEFORE = (
    r"US\$|USD|C\$|CA\$|A\$|AU\$|HK\$|NZ\$|R\$|EUR|GBP|CNY|RMB|JPY|CAD|AUD|INR|Rs\.?"
    r"|\$|€|£|¥|￥|₹|₽|₩|₺"
)
# Chinese names of currencies come before "元" alone in the alternation ("100美元" is dollars).
_SYM_AFTER = (
    r"€|EUR|USD|GBP|CNY|RMB|JPY|CAD|AUD|INR|euros?|dollars?|bucks|pounds?|dólares|dolares|reais|"
    r"美元|美金|欧元|歐元|英镑|英鎊|日元|日币|港币|港元|加元|澳元|卢布|人民币|"
    r"元|块钱|块|圆|円|руб(?:\.|лей|ля|ль)?|₽|r[o]?ubles?|yuan|yen|zł|PLN|TL|₺|ريال|درهم|جنيه|"
    r"\$|£|¥"
)
# A range ("$20-30", "20~30元") is one amount; the hyphen takes no spaces ("$20 - $30" is two).
MONEY = _r(
    rf"(?<![A-Za-z0-9$€£¥￥])(?P<pre>{_SYM_BEFORE})\s?(?P<a>{_NUM})(?:[-–~～](?P<a2>{_NUM}))?"
    r"(?![\d])"
    rf"|(?<![A-Za-z0-9.,])(?P<b>{_NUM})(?:[-–~～到至](?P<b2>{_NUM}))?"
    # "1.5万元", "3千块": ten thousand and a thousand in Chinese.
    rf"(?P<mult>[万千])?\s?(?P<post>{_SYM_AFTER})(?![A-Za-z])"
)
MONEY_RANK = 75

_EN_NUM = (
    r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a few|a couple of|several"
)
# A range of counts: "2-3 weeks", "7~10 days", "two to three weeks", "2 a 3 semanas", "3-5天",
# "7到10天". The hyphen takes no spaces around it ("iPhone 15 - 3 days ago" is no range).
_TO = r"(?:[-–~～]|\s+(?:to|or|a|à|à|bis|oder|e|y|ou|o|до|или)\s+)"
_XX_NUM = (
    r"\d{1,3}|un|una|une|uno|um|uma|dos|dois|tres|deux|trois|zwei|drei|ein|eine|einer|vier|fünf"
    r"|duas|três|quatre|quatro|cuatro|cinco|cinq|six|sept|huit|neuf|dix|quinze|sechs|sieben|acht"
    r"|neun|zehn|seis|siete|ocho|nueve|diez|quince|sete|oito|nove|dez"
)
_RU_NUM = (
    r"\d{1,3}|один|одна|одну|одного|два|две|двух|три|трёх|трех|четыре|пять|шесть|семь|восемь"
    r"|девять|десять|полтора|полторы"
)
_ZH_N = r"\d{1,3}|[一二两三四五六七八九十几半]{1,3}"
_ZH_NUM = rf"(?:{_ZH_N})(?:[-~～到至](?:{_ZH_N}))?"
DURATION = _r(
    rf"(?i:(?<![\w])(?P<en>(?:{_EN_NUM})(?:{_TO}(?:{_EN_NUM}))?)\+?\s+"
    r"(?P<enu>hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|business days)\b)"
    # Chinese: "十来天" (ten days or so) and "20多天", "一个多月" (over a month) take the count
    # they name; "一个半月" is a month and a half; "工作日" are working days; "年" takes a
    # one-digit or Chinese count only, and never a month after it ("25年11月" is a date).
    # A count in Chinese numerals may follow digits ("中通731264589014三天前"); one in digits
    # may not, or "2026天" would hold "026天".
    rf"|(?:(?<!\d)|(?=[一二两三四五六七八九十几半]))(?P<zh>{_ZH_NUM})(?P<zha>[来多])?\s?"
    r"(?P<zhu>个[多半]?(?:小时|星期|礼拜|月)|小时|天|星期|礼拜|周|个?工作日"
    r"|(?<!\d\d)年(?![\d一二三四五六七八九十]{1,2}月|間))"
    r"(?:多(?!少))?"
    rf"|(?i:(?<![\w])(?P<xx>(?:{_XX_NUM})(?:{_TO}(?:{_XX_NUM}))?)\s+(?P<xxu>horas?|heures?"
    r"|stunden?|días?|dias?|jours?|tage?n?|semanas?|semaines?|wochen?|meses|mois|monate?n?|mes|mês"
    r"|años?|anos?|ans?|années?|jahren?|jahre?)\b)"
    rf"|(?i:(?<![\w])(?P<ru>(?:{_RU_NUM})(?:{_TO}(?:{_RU_NUM}))?)\s?"
    r"(?P<ruu>час(?:а|ов)?|дн(?:я|ей)|день|недел[юьиь]|месяц(?:а|ев)?|год(?:а)?|лет)(?!\w))"
    r"|(?<!\d)(?P<ja>\d{1,3}(?:[-~～]\d{1,3})?|[一二三四五六七八九十]{1,3})\s?"
    r"(?P<jau>時間|日間|週間|か月|ヶ月|年間)"
    r"|(?<!\d)(?P<ar>\d{1,3}(?:[-~]\d{1,3})?)\s?"
    r"(?P<aru>أيام|يوما|يوم|ساعات|ساعة|أسابيع|أسبوع|أشهر|شهور|شهر|سنوات|سنة|أعوام|عام)"
    # Arabic says "two days" with the dual form alone.
    r"|(?P<ard>يومين|يومان|ساعتين|أسبوعين|شهرين|سنتين|عامين)"
)
DATE = _r(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})(?!\d)"
    # "2026.11.03" (as Chinese buyers and Korean ones write it): two-digit month and day, so
    # a version such as "2024.1.2" stays out.
    r"|(?<![\d.])\d{4}\.(?:0[1-9]|1[0-2])\.(?:0[1-9]|[12]\d|3[01])(?![\d]|\.\d)"
    r"|(?:\d{4}年)?\d{1,2}月\d{1,2}[日号號]"
    # "十一月三号", "三月二十日": month and day in Chinese numerals.
    r"|(?:十[一二]?|[一二三四五六七八九])月(?:[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])[日号號]"
    r"|(?i:\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?:,?\s+\d{4})?\b)"
    # "3 Nov", "3rd of November", French "3 novembre", German "3. November" (day, dot, month).
    # ("mai" takes no ending: "die 17. Mail" is no date.)
    # ("1er mai": French writes the first of the month with "er"; "juin" and "juillet" do not
    # start with "jun" or "jul".)
    r"|(?i:\b\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:of\s+)?(?:(?:jan|feb|f[ée]v|m[aä]r|apr|avr|may|jun|jul"
    r"|aug|ao[uû]|sep|o[ck]t|nov|d[eé][cz])[a-zéûä]*|mai|juin|juillet)\.?(?:\s+\d{4})?\b)"
    # Spanish and Portuguese "3 de marzo", "5 de abril de 2024"; Russian "5 марта"; Arabic
    # "3 مارس" (day, then the month's name).
    r"|(?i:\b\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre"
    r"|octubre|noviembre|diciembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro"
    r"|novembro|dezembro)(?:\s+de\s+\d{4})?\b)"
    r"|(?i:(?<!\d)\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября"
    r"|октября|ноября|декабря)(?:\s+\d{4})?(?!\w))"
    r"|(?<!\d)\d{1,2}\s+(?:يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر"
    r"|أكتوبر|اكتوبر|نوفمبر|ديسمبر)(?!\w)"
    r"|(?i:\b(?:today|tomorrow|yesterday|tonight)\b)"
    # "from the 20th": a day of the month by its ordinal.
    r"|(?i:\bthe\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)\b)"
    r"|(?:上|下|这|本)?(?:周|星期|礼拜)[一二三四五六日天]|今天|明天|昨天|后天|前天|今晚"
    r"|(?i:\b(?:hoy|mañana|ayer|aujourd'hui|demain|hier|heute|morgen|gestern|hoje|amanhã|ontem"
    r"|сегодня|завтра|вчера)\b)|今日|明日|昨日|اليوم|غدا|أمس"
)
DATE_RANK = 50
# A time span said as a point in the past: "12 days ago", "3天前", "il y a une semaine", "vor 2
# Wochen", "неделю назад", "3日前". The words before or after a DURATION match that make it one,
# and the forms with no count ("неделю назад": a week ago) or a count no duration takes ("3日").
# (Spanish "hace" and Portuguese "há" also say how long: "Estou esperando há uma semana".)
AGO_AFTER = re.compile(r"(?i:\s+ago\b|\s+назад(?!\w)|\s+fa\b)|之?前(?!天)|以前")
AGO_BEFORE = re.compile(r"(?i:(?<![\w])(?:il\s+y\s+a|vor|قبل)\s+)$")
# Spanish "hace" and Portuguese "há" make a date after a verb in the past tense ("lo compré hace
# 3 semanas", "comprei há 10 dias"); elsewhere they say how long ("espero hace una semana").
AGO_PAST_BEFORE = re.compile(
    r"(?i:(?<!\w)(?:compr[ée]i?|compramos|ped[ií]|pedimos|pagu[ée]|pagamos|pagou|recib[ií]"
    r"|recebi|recibimos|recebemos|lleg[óo]|llegaron|chegou|chegaram|envi[ée]i?|enviaron"
    r"|enviaram|enviou|mand[ée]i?|mandaron|mandaram|devolv[ií]|hice|fiz|encargu[ée]"
    r"|encomendei|realic[ée]|efetuei|fez|hizo)(?:\s+(?:lo|la|los|las|o|a|os|as|el pedido"
    r"|o pedido|mi pedido|meu pedido|la compra|a compra|el pago|o pagamento))?"
    r"\s+(?P<ago>hace|há|ha)\s+)$"
)
AGO_BARE = _r(
    r"(?i:(?<!\w)(?:неделю|месяц|год|день)\s+назад(?!\w))"
    r"|(?<!\d)(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s?(?:日|週間|か月|ヶ月|年)前"
)
# Cheap guards (lower-cased substrings): every DURATION match holds one of these units, and
# every DATE match a digit or one of these words. Scanning either pattern over a message cost
# 40-50 us, most messages mention neither, and a substring test takes a few us.
DURATION_UNITS = (
    *("hour", "hr", "day", "week", "wk", "month", "year", "yr"),
    *("hora", "heure", "stunde", "día", "dia", "jour", "tag", "semana", "semaine", "woche"),
    *("mes", "mois", "monat", "mês", "año", "ano", "ans", "un an", "1 an", "anné", "jahr"),
    *("小时", "天", "星期", "礼拜", "周", "月", "工作日", "年"),
    *("час", "дн", "день", "недел", "месяц", "год", "лет"),
    *("時間", "日間", "週間", "か月", "ヶ月", "日前", "назад"),
    *("يوم", "أيام", "ساع", "أسبوع", "أسابيع", "شهر", "أشهر", "شهور", "سن", "عام", "أعوام"),
)
DATE_WORDS = (
    *("today", "yesterday", "tomorrow", "tonight"),
    *("hoy", "mañana", "ayer", "aujourd'hui", "demain", "hier", "heute", "morgen", "gestern"),
    *("hoje", "amanhã", "ontem", "сегодня", "завтра", "вчера"),
    *("周", "星期", "礼拜", "今天", "明天", "昨天", "后天", "前天", "今晚", "今日", "明日", "昨日"),
    "月",
    *("اليوم", "غدا", "أمس"),
)
DIGIT = re.compile(r"\d")

# Day and month in digits: "10/28", "28/10", "12/24/2024", "28.11.2024", German "am 28.11.".
# Whether a match is a date (not "1/2 cup", "24/7", "iOS 17.1") and which number is the month
# is decided in entities.py from the words around it. Fenced on both sides so it never takes
# digits out of an id, a phone, a price, a version or a longer date.
NUMERIC_DATE = _r(
    r"(?<![A-Za-z0-9$€£¥/.,:#+-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})"
    r"(?:(?P=sep)(?P<y>\d{4}|\d{2})|(?P<dot>(?<=\.\d)\.|(?<=\.\d\d)\.))?"
    r"(?![A-Za-z0-9]|[/.,:-]\d)"
)

# A weekday with the word that makes it a date ("since Monday", "depuis lundi", "seit Montag",
# "с понедельника", "月曜日から"); the span includes that word, as for English. Chinese weekdays
# (周一, 星期一, 礼拜一) are in DATE.
_EN_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_FR_DAYS = r"(?:lun|mar|mercre|jeu|vendre|same)di|dimanche"
_ES_DAYS = r"lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
_DE_DAYS = r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
_PT_WEEK = r"segunda|ter[cç]a|quarta|quinta|sexta"
_IT_DAYS = r"(?:luned|marted|mercoled|gioved|venerd)[iì]|sabato|domenica"
# "сред" and "пятниц" take only their own endings: "в среднем" (on average) is no Wednesday.
_RU_DAYS = r"(?:(?:понедельник|вторник|четверг)[ауе]?|(?:сред|пятниц|суббот)[аыуе]|воскресень[еяю])"
_DE_NEXT = r"(?:letzte|nächste|naechste|diese|kommende|vergangene)[mnrs]?"
WEEKDAY = _r(
    rf"(?i:\b(?:since|on|by|until|before|last|next|this)\s+{_EN_DAYS}\b"
    rf"|\b(?:depuis|avant|jusqu'(?:à|a|au)|d'ici|dès|pour|le|ce)\s+(?:{_FR_DAYS})"
    r"(?:\s+(?:dernier|prochain))?\b"
    r"|\b(?:desde|hasta|para|antes\s+del?|el|este)(?:\s+(?:el|este|pr[oó]ximo))?"
    rf"\s+(?:{_ES_DAYS})(?:\s+(?:pasado|pr[oó]ximo))?\b"
    rf"|\b(?:seit(?:\s+dem)?|bis(?:\s+zum)?|ab|am|vor|vom|{_DE_NEXT})(?:\s+{_DE_NEXT})?"
    rf"\s+(?:{_DE_DAYS})\b"
    # Portuguese "segunda" (second) and "quinta" (fifth) stand alone as weekdays only after
    # "desde"/"até"; with "na", "no", "a" they need "-feira".
    rf"|\b(?:desde|at[eé]|antes\s+d[aeo]|depois\s+d[aeo])(?:\s+[ao])?\s+(?:{_PT_WEEK})(?:-feira)?\b"
    rf"|\b(?:desde|at[eé]|na|no|nesta|neste|para|a|o|pr[oó]xim[ao]|[uú]ltim[ao])"
    rf"(?:\s+(?:[ao]|pr[oó]xim[ao]|[uú]ltim[ao]))?\s+(?:(?:{_PT_WEEK})-feira|s[aá]bado|domingo)\b"
    r"|\b(?:da|dal|entro|fino\s+a|prima\s+di|dopo|per|questo|questa|il|la)"
    rf"\s+(?:{_IT_DAYS})(?:\s+(?:scors[ao]|prossim[ao]))?(?!\w)"
    r"|\b(?:с|со|до|в|во|к|ко|на|после|от)(?:\s+(?:прошл|следующ|эт|ближайш)[а-яё]*)?"
    rf"\s+{_RU_DAYS}(?!\w))"
    r"|(?:(?:先週|今週|来週)の?)?[月火水木金土日]曜日?(?:から|までに|まで)?"
)
# Every WEEKDAY match holds one of these (lower-cased); most messages hold none. One search
# for them all (WEEKDAY_HINT, on lower-cased text) costs 1-2 us, a WEEKDAY scan about 20.
WEEKDAY_WORDS = (
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "曜"),
    *("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag"),
    *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    *("lunes", "martes", "rcoles", "jueves", "viernes", "bado", "domingo"),
    *("segunda", "terça", "terca", "quarta", "quinta", "sexta"),
    *("luned", "marted", "mercoled", "gioved", "venerd", "sabato", "domenica"),
    *("понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"),
)
WEEKDAY_HINT = re.compile("|".join(map(re.escape, WEEKDAY_WORDS)))
