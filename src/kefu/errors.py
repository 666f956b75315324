"""Kefu's exception tree.

    KefuError                       base of everything Kefu raises on purpose
    ├── NotFound                    the thing does not exist *or* the caller may not see it (404)
    ├── PermissionDenied            the caller is known but lacks the role (403)
    ├── Unauthenticated             no or bad credentials (401)
    ├── InvalidInput                well-formed request with an unacceptable value (422)
    ├── PayloadTooLarge             a body or field over its size limit (413)
    ├── Conflict                    the request clashes with stored state (409)
    └── ExternalServiceError        a channel, marketplace or LLM failed; retryable

Web routes never catch these: ``kefu.web.errors`` maps them to HTTP in one place.
"""

from __future__ import annotations

from typing import Any


class KefuError(Exception):
    """Base class; ``detail`` is safe to show to the caller."""

    status_code = 400

    def __init__(
        self, detail: str, *, field: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra or {}


class NotFound(KefuError):
    status_code = 404


class PermissionDenied(KefuError):
    status_code = 403


class Unauthenticated(KefuError):
    status_code = 401


class InvalidInput(KefuError):
    status_code = 422


class PayloadTooLarge(KefuError):
    status_code = 413


class Conflict(KefuError):
    status_code = 409


class ExternalServiceError(KefuError):
    status_code = 502
