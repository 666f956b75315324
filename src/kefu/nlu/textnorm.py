"""Text helpers shared by the NLU components."""

from __future__ import annotations

import re

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WORDISH = re.compile(r"[^\W_]")
# Chinese and Japanese buyers often leave out punctuation and put a space where a comma would
# be ("奶粉只剩两天的量了 订单..."): a space between two such characters ends a clause.
CJK_SPACE = r"(?<=[\u3040-\u30ff\u4e00-\u9fff]) +(?=[\u3040-\u30ff\u4e00-\u9fff])"


def safe_text(text: str) -> str:
    """Swap lone surrogates (from ``surrogateescape`` decoding) for U+FFFD, one for one."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def straight_apostrophes(text: str) -> str:
    """Curly apostrophes as straight ones: phones type "don’t", cue lists write "don't". One
    character for one, so match positions still fit the original text."""
    return text.replace("\u2019", "'")


def lower_key(text: str) -> str:
    """Lower case for looking a matched word up in a list: Turkish capital "İ" lower-cases to
    "i" plus a combining dot, which no list holds ("İADE" must find "iade")."""
    return text.lower().replace("i\u0307", "i")


def without_dotless_i(text: str) -> str:
    """Turkish dotless "ı" as "i": "ÇALIŞMIYOR" lower-cases to "çalişmiyor" (Python knows no
    Turkish capital "I"), so a word found in capitals is looked up this way too."""
    return text.replace("\u0131", "i")


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or digit of any script (not only marks, emoji, space)."""
    return _WORDISH.search(text) is not None
