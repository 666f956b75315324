"""Snippets: the passage of a document that best covers the query, with matched terms marked.

Matching re-uses the indexing rules without the Chinese segmenter: a Chinese, Japanese or
Korean index term is found by substring search inside the script run (it is a literal piece of
it), a word is stemmed exactly as at indexing time. That keeps a snippet well under a
millisecond even for long documents.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from kefu.knowledge.search.tokenize import base_language, normalize, word_runs, word_term

SCAN_CHARS = 10_000  # look for the passage in the first 10k characters only: bounded latency
SNIPPET_CHARS = 200
LEAD_CHARS = 40  # context kept before the first matched term
ELLIPSIS = "…"
_SPACE = re.compile(r"\s|[#|*`>]|-(?=--)|(?<=-)-(?=-)|(?<=--)-")  # whitespace, Markdown marks
CJK_SNIPPET_CHARS = 110  # a Chinese character carries about two Latin letters' worth
_CJK_KINDS = frozenset({"han", "kana", "hangul"})


def _normalized_with_origin(text: str) -> tuple[str, list[int] | None]:
    """Normalised text and, when lengths differ, each normalised char's source index."""
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, None
    pieces: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        piece = normalize(char)
        pieces.append(piece)
        origin.extend([i] * len(piece))
    origin.append(len(text))
    return "".join(pieces), origin


def _cjk_spans(run: str, start: int, forms: Collection[str]) -> list[tuple[int, int]]:
    spans = []
    for form in forms:
        pos = run.find(form)
        while pos >= 0:
            spans.append((start + pos, start + pos + len(form)))
            pos = run.find(form, pos + 1)
    return spans


def match_spans(text: str, language: str | None, forms: Collection[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` (first SCAN_CHARS chars) that carry one of the index terms ``forms``."""
    language = base_language(language)
    norm, origin = _normalized_with_origin(text[:SCAN_CHARS])
    cjk = [f for f in forms if _is_cjk(f)]
    spans: list[tuple[int, int]] = []
    for kind, run, start, end in word_runs(norm):
        if kind in _CJK_KINDS:
            spans.extend(_cjk_spans(run, start, cjk))
        elif word_term(run, language, arabic=kind == "arabic") in forms:
            spans.append((start, end))
    if origin is not None:
        last = len(origin) - 1
        spans = [(origin[min(s, last)], origin[min(e, last)]) for s, e in spans]
    return _merge([(s, e) for s, e in spans if e > s])


def _is_cjk(term: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in term)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window of ``width`` chars holding the most distinct matched words."""
    best_start, best_count = 0, -1
    for anchor, _ in spans[:200]:
        start = max(0, anchor - LEAD_CHARS)
        inside = {text[s:e].casefold() for s, e in spans if s >= start and e <= start + width}
        if len(inside) > best_count:
            best_start, best_count = start, len(inside)
    return best_start


def _squeeze(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Collapse runs of spaces, moving the spans along."""
    out: list[str] = []
    new_index = [0] * (len(text) + 1)
    for i, char in enumerate(text):
        new_index[i] = len(out)
        if not (char == " " and out and out[-1] == " "):
            out.append(char)
    new_index[len(text)] = len(out)
    return "".join(out), [(new_index[s], new_index[e]) for s, e in spans]


def make_snippet(
    text: str, *, language: str | None, forms: Collection[str], width: int | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A passage of about ``width`` chars and the spans of matched terms inside it."""
    if width is None:
        cjk = base_language(language) in ("zh", "ja", "ko")
        width = CJK_SNIPPET_CHARS if cjk else SNIPPET_CHARS
    flat = _SPACE.sub(" ", text[:SCAN_CHARS])  # one-for-one, so offsets still hold
    spans = match_spans(flat, language, forms) if forms else []
    start = _best_window(flat, spans, width) if spans else 0
    if start > 0:
        space = flat.rfind(" ", max(0, start - 15), start)
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.find(" ", max(start, end - 15), end)
        end = space if space > start else end
    window = flat[start:end]
    body = window.strip()
    lead = len(window) - len(window.lstrip())
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    lo, hi = start + lead, start + lead + len(body)
    inside = [(s - lo, e - lo) for s, e in spans if s >= lo and e <= hi]
    body, inside = _squeeze(body, inside)
    marks = tuple((s + len(prefix), e + len(prefix)) for s, e in inside)
    return prefix + body + suffix, marks
