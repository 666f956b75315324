"""Identifiers and tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid


def new_id() -> str:
    """A sortable-enough random id for rows created by Kefu (uuid4 hex)."""
    return uuid.uuid4().hex


def new_token(prefix: str = "kefu") -> str:
    """A new secret API token; only its hash is stored."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token: fast lookup, useless if the table leaks."""
    return hashlib.sha256(token.encode()).hexdigest()
