"""Helpers for tests that read what a Typer command printed."""

from __future__ import annotations

import re


def flat(output: str) -> str:
    """Rich wraps error panels over several lines; join them back into one."""
    return re.sub(r"[\s│]+", " ", output)
