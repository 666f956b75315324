"""Loading the package's own data files (the only I/O ``kefu.nlu`` does besides its model cache)."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from typing import Any

# Languages with an intent corpus and a sentiment lexicon (and cues in resources/cues.json).
CORPUS_LANGUAGES: tuple[str, ...] = (
    *("en", "zh", "es", "fr", "de", "pt", "ru", "ar", "ja"),
    *("it", "nl", "pl", "tr", "ko"),
)


def _root() -> Any:
    return resources.files("kefu.nlu") / "resources"


def read_text(*parts: str) -> str:
    """Text of one resource file, e.g. ``read_text("zh", "sentiment.json")``."""
    node = _root()
    for part in parts:
        node = node / part
    text: str = node.read_text(encoding="utf-8")
    return text


@functools.cache
def read_json(*parts: str) -> Any:
    """A parsed JSON resource (cached: the files never change while the process runs)."""
    return json.loads(read_text(*parts))


def corpus_rows() -> list[dict[str, str]]:
    """The built-in intent corpus, every language, as ``{"text", "intent", "lang"}`` rows."""
    rows: list[dict[str, str]] = []
    for lang in CORPUS_LANGUAGES:
        for line in read_text(lang, "intents.jsonl").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({"text": row["text"], "intent": row["intent"], "lang": lang})
    return rows


def corpus_digest() -> str:
    """SHA-256 over the corpus files and the sentiment lexicons, used to key the on-disk model
    cache: the intent features read the lexicons' negators and complaint words."""
    digest = hashlib.sha256()
    for lang in CORPUS_LANGUAGES:
        digest.update(read_text(lang, "intents.jsonl").encode("utf-8"))
        digest.update(read_text(lang, "sentiment.json").encode("utf-8"))
    return digest.hexdigest()
