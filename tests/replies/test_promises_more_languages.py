"""The promise check in Italian, Dutch, Polish, Turkish and Korean, measured on
``promises_more_languages.jsonl``: 200 reply sentences (40 a language: 24 that promise or report
a remedy the decision denies, 16 that do not: refusals, questions, facts, allowed remedies,
"we are checking whether..."), by a writer who saw no template or pattern.

Those languages had no templates and no linter words: the shared patterns caught 10 of 120
promises and flagged 7 of 80 harmless sentences. Each language's words were then written by
another writer into ``kefu/replies/lint_languages/<lang>.yaml``, beside its templates. Run once
after: caught 112 of 120 (it 22, nl 23, pl 22, tr 22, ko 23 of 24), flagged 3 of 80. The misses
were not read; don't change the patterns by reading this file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.replies.test_promises_heldout import flagged

CASES = Path(__file__).with_name("promises_more_languages.jsonl")
MIN_CAUGHT = 106
MAX_FALSE_ALARMS = 5


def _cases() -> list[dict[str, object]]:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_file_is_what_the_docstring_says() -> None:
    cases = _cases()
    assert Counter((c["language"], c["promise"]) for c in cases) == {
        (lang, promise): 24 if promise else 16
        for lang in ("it", "nl", "pl", "tr", "ko")
        for promise in (True, False)
    }


def test_promises_are_caught_and_harmless_sentences_pass() -> None:
    caught = false_alarms = 0
    for case in _cases():
        hit = flagged(str(case["language"]), tuple(case["allowed"]), str(case["text"]))  # type: ignore[arg-type]
        caught += hit and bool(case["promise"])
        false_alarms += hit and not case["promise"]
    assert caught >= MIN_CAUGHT, caught
    assert false_alarms <= MAX_FALSE_ALARMS, false_alarms
