"""A set of regexes searched together, fast: each pattern runs only if its literal anchor occurs.

Python's ``re`` tries every branch of a large case-insensitive alternation at every position,
which made linting a draft cost several milliseconds. Most patterns contain a literal that must
appear in any match; a plain substring test on the lower-cased text rules them out first.
"""

from __future__ import annotations

import functools
import re

_FLAGS = re.IGNORECASE | re.UNICODE
_QUANTIFIERS = "?*+{"


def anchor(pattern: str) -> str:
    """The longest literal every match must contain (lower-cased), or '' when there is none."""
    depth, runs, current, i = 0, [], "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "|" and depth == 0:
            return ""  # top-level alternatives: no single required literal
        if ch == "\\" or ch in "([.^$|" or ch in _QUANTIFIERS:
            if ch in _QUANTIFIERS and current:
                current = current[:-1]  # the quantified character is optional
            runs.append(current)
            current = ""
            if ch == "\\":
                i += 2
                continue
            if ch in "[{":
                i = pattern.find("]" if ch == "[" else "}", i + 1) + 1 or len(pattern)
                continue
            depth += ch == "("
            i += 1
            continue
        if ch == ")":
            depth -= 1
            runs.append(current)
            current = ""
        elif depth == 0:
            current += ch
        i += 1
    runs.append(current)
    return max(runs, key=len).lower().strip() if runs else ""


@functools.lru_cache(maxsize=32)
def _lower(text: str) -> str:
    return text.lower()


class Matcher:
    """Behaves like one alternation of ``patterns`` for ``search``, ``finditer`` and ``exists``."""

    def __init__(self, patterns: list[str]) -> None:
        self._parts = [(anchor(p), re.compile(p, _FLAGS)) for p in patterns]
        # Length changes under lower() would break nothing (anchors only gate), but keep order
        # so cheap, unanchored patterns do not run first.
        self._parts.sort(key=lambda part: part[0] == "")

    def _live(self, text: str) -> list[re.Pattern[str]]:
        low = _lower(text)
        return [p for a, p in self._parts if not a or a in low]

    def exists(self, text: str) -> bool:
        """True when any pattern matches."""
        return any(p.search(text) for p in self._live(text))

    def search(self, text: str) -> re.Match[str] | None:
        """The earliest match of any pattern (longest first at equal starts)."""
        found = [m for p in self._live(text) if (m := p.search(text))]
        return min(found, key=lambda m: (m.start(), -m.end())) if found else None

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Non-overlapping matches of all patterns, in text order."""
        found = sorted(
            (m for p in self._live(text) for m in p.finditer(text)),
            key=lambda m: (m.start(), -m.end()),
        )
        out: list[re.Match[str]] = []
        for m in found:
            if not out or m.start() >= out[-1].end():
                out.append(m)
        return out
