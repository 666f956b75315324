"""Text helpers shared by the NLU components."""

from __future__ import annotations

import re

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Swap lone surrogates (from ``surrogateescape`` decoding) for U+FFFD, one for one."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def straight_apostrophes(text: str) -> str:
    """Curly apostrophes as straight ones: phones type "don’t", cue lists write "don't". One
    character for one, so match positions still fit the original text."""
    return text.replace("\u2019", "'")
