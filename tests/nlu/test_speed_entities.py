"""The entity extractor's shortcuts (skip the id scans without a hint, skip the digit scans
without a digit) change no result: every id format contains a hint, and extraction with the
shortcuts disabled gives the same entities."""

from __future__ import annotations

import random
import re

import pytest

from kefu.nlu import entities, patterns
from tests.nlu.test_entities import CASES

# One example per id format, so every rule is exercised (the cases file misses a few).
EXTRA = [
    "DHL JVGL0123456789 please", "GM2951012345678901234 dhl", "ontrac C12345678901234",
    "JJD0002249123456789 yodel", "J&T JT1234567890123", "京东 JDVA12345678901",
    "temu 211-21905452099192792", "fedex 9612345678901234567890", "TBM123456789012 x",
    "DPD 09980000020033F",
]  # fmt: skip


def _texts() -> list[str]:
    rng = random.Random(5)
    base = [case[0] for case in CASES] + EXTRA
    out = list(base)
    for _ in range(400):
        # Glue fragments of real cases together and cut them at random places.
        a, b = rng.choice(base), rng.choice(base)
        joined = a + rng.choice(["", " ", "#", "-", "订单"]) + b
        i = rng.randrange(len(joined))
        out.append(joined[i:] + joined[:i])
    return out


@pytest.mark.parametrize("rule", [*patterns.ID_RULES], ids=lambda r: r.pattern.pattern[:40])
def test_every_id_rule_is_exercised_and_its_matches_carry_the_hint(rule: patterns.Rule) -> None:
    matches = [m.group() for t in _texts() for m in rule.pattern.finditer(t)]
    assert matches, "add an example of this format to EXTRA"
    assert all(entities._ID_HINT.search(m) for m in matches)


def test_s10_matches_carry_the_hint() -> None:
    matches = [m.group() for t in _texts() for m in patterns.S10.finditer(t)]
    assert matches
    assert all(entities._ID_HINT.search(m) for m in matches)


def test_shortcuts_change_no_entity(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*_texts(), "no digits here, since Monday, mail a@b.co", "two weeks 一个星期"]
    fast = [entities.extract_entities(t) for t in texts]
    monkeypatch.setattr(entities, "_ID_HINT", re.compile(""))
    monkeypatch.setattr(entities, "_ANY_DIGIT", re.compile(""))
    slow = [entities.extract_entities(t) for t in texts]
    assert fast == slow
    assert sum(len(found) for found in fast) > len(texts)
