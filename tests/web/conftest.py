"""Fixtures for the workbench tests: a deterministic triager and signed-in browser-like clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from kefu.inbox.triage import Triager
from tests.web.fake_triager import FakeTriager

PASSWORD = "correct horse battery"  # the tenant fixture's users all share it


@pytest.fixture(scope="session")
def triager() -> Triager:
    """UI tests check pages and flows, not model output: keyword triage keeps them exact."""
    return FakeTriager()


def csrf_of(html: str) -> str:
    """The CSRF token a rendered form carries."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@contextmanager
def sign_in(base_url: str, email: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
    """A cookie-carrying client signed in through the login form."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/ui/login")
        response = client.post(
            "/ui/login",
            data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        )
        assert response.status_code == 303, response.text
        yield client


def inbound(**overrides: Any) -> dict[str, Any]:
    """A customer message for POST /api/v1/messages/inbound."""
    body: dict[str, Any] = {
        "shop": "shop-a",
        "channel": "amazon",
        "external_id": "m-1",
        "customer": {"name": "Ana Ruiz", "email": "ana@example.org", "external_id": "A1B2C3"},
        "text": "Where is my order 113-1234567-1234567?",
        "sent_at": "2026-11-23T09:00:00Z",
    }
    body.update(overrides)
    return body
