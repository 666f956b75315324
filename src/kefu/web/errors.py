"""The one place where errors become HTTP responses."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kefu.errors import KefuError

log = logging.getLogger("kefu.web")


def _kefu_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KefuError)
    body: dict[str, object] = {"detail": exc.detail}
    if exc.field:
        body["field"] = exc.field
    body.update(exc.extra)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _http_error(_: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors, except FastAPI's catch-all 400 for a body it could not read:
    a body that is not UTF-8 is an invalid body (422, like bad JSON), and one that grew past
    the limit while streaming in (no Content-Length) is too large (413)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        detail = [{"loc": ["body"], "msg": "the body is not valid UTF-8", "type": "json_invalid"}]
        return JSONResponse({"detail": detail}, status_code=422)
    if exc.status_code == 400 and isinstance(exc.__cause__, _BodyTooLarge):
        return JSONResponse({"detail": exc.__cause__.detail}, status_code=413)
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def _data_error(_: Request, exc: Exception) -> JSONResponse:
    # The last line of defence for input no schema caught (a NUL byte PostgreSQL cannot store,
    # a number out of a column's range): the client's value, so a 422, never a 500.
    log.warning("database refused a value: %s", exc)
    detail = "a value in the request cannot be stored (control characters or out of range)"
    return JSONResponse({"detail": detail}, status_code=422)


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse({"detail": "internal error; the event was logged"}, status_code=500)


def install(app: FastAPI) -> None:
    """Register the error handlers on an app."""
    app.add_exception_handler(KefuError, _kefu_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)


class RejectNul:
    """Answer 422 to a URL holding a NUL character (``%00``): no shop data contains one,
    and PostgreSQL refuses it in any query it reaches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"").lower()
            where = "path" if "\x00" in scope.get("path", "") else None
            if b"%00" in query or b"\x00" in query:
                where = "query"
            if where:
                detail = [
                    {"loc": [where], "msg": "NUL characters are not allowed", "type": "value_error"}
                ]
                await JSONResponse({"detail": detail}, status_code=422)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Refuse request bodies over a limit with 413 before reading them whole."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise _BodyTooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes)
        self.detail = _too_large_detail(max_bytes)


def _too_large_detail(max_bytes: int) -> str:
    return f"request body is over {max_bytes // 1024} KB"


async def _too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps({"detail": _too_large_detail(max_bytes)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
