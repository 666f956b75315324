"""Text helpers shared by the NLU components."""

from __future__ import annotations

import re

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WORDISH = re.compile(r"[^\W_]")


def safe_text(text: str) -> str:
    """Swap lone surrogates (from ``surrogateescape`` decoding) for U+FFFD, one for one."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def straight_apostrophes(text: str) -> str:
    """Curly apostrophes as straight ones: phones type "don’t", cue lists write "don't". One
    character for one, so match positions still fit the original text."""
    return text.replace("\u2019", "'")


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or digit of any script (not only marks, emoji, space)."""
    return _WORDISH.search(text) is not None
