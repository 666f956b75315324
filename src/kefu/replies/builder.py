"""Collects the parts of a draft while the composer walks the playbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.replies.template_set import TemplateSet
from kefu.replies.types import FactUsed, Sentence


@dataclass
class DraftBuilder:
    """Paragraphs of sentences plus the facts and notes behind them."""

    templates: TemplateSet
    register: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    facts: list[FactUsed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def paragraph(self) -> None:
        """Start a new paragraph (only if the current one has content)."""
        if not self.paragraphs or self.paragraphs[-1]:
            self.paragraphs.append([])

    def say(
        self,
        kind: str,
        key: str,
        *,
        sources: tuple[str, ...] = (),
        count: int | None = None,
        **values: Any,
    ) -> str:
        """Add the sentence rendered from template ``key`` to the current paragraph."""
        text = self.templates.text(key, register=self.register, count=count, **values)
        self.add(kind, text, sources=(f"template:{key}", *sources))
        return text

    def add(self, kind: str, text: str, *, sources: tuple[str, ...] = ()) -> None:
        """Add a ready sentence to the current paragraph."""
        if not self.paragraphs:
            self.paragraphs.append([])
        self.paragraphs[-1].append(Sentence(kind, text, sources))

    def fact(self, name: str, value: object, source: str) -> None:
        """Record a fact used by the draft (once per name and value)."""
        used = FactUsed(name, str(value), source)
        if used not in self.facts:
            self.facts.append(used)

    def sentences(self) -> list[Sentence]:
        """All sentences in order."""
        return [s for para in self.paragraphs for s in para]

    def render(self) -> str:
        """The draft text: sentences joined per language, paragraphs by one blank line."""
        raw_joiner = self.templates.raw("joiner")
        joiner = " " if raw_joiner is None else str(raw_joiner)
        blocks = []
        for para in self.paragraphs:
            text = ""
            previous = ""
            for sentence in para:
                if not text:
                    sep = ""
                elif (
                    sentence.kind in _OWN_LINE
                    or previous == "link"
                    or (previous in ("option", "tradeoff") and sentence.kind != "tradeoff")
                ):
                    sep = "\n"
                else:
                    sep = joiner
                text += sep + sentence.text
                previous = sentence.kind
            if text:
                blocks.append(text)
        return "\n\n".join(blocks)


# Sentence kinds that always start a new line inside their paragraph.
_OWN_LINE = frozenset({"option", "signature", "link"})
