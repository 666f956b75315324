"""Request-scoped dependencies: services, database sessions, the authenticated principal."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from kefu.accounts import service as account_service
from kefu.accounts.schemas import Principal
from kefu.errors import Unauthenticated
from kefu.services import Services
from kefu.storage.engine import read_only


async def get_services(request: Request) -> Services:
    """The app's composition root (async: no I/O, so no worker-thread hop per request)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_db(services: ServicesDep) -> Iterator[Session]:
    """A read session; writes go through ``write`` so they commit before the response.
    It reads on a read-only connection: on SQLite a listing never queues behind ingest's write
    lock (nor holds it)."""
    with services.reading() as db:
        yield db


DbDep = Annotated[Session, Depends(get_db)]


@contextmanager
def write(services: Services) -> Iterator[Session]:
    """A transaction that commits when the block ends, before the route answers."""
    with services.sessions() as db, db.begin():
        yield db


def bearer_token(request: Request) -> str | None:
    """The request's Bearer token, if it sent one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _cookie_request_allowed(request: Request, session: dict[str, object]) -> bool:
    """A browser session may read; it may write only with the session's CSRF token,
    so another site cannot make a signed-in agent's browser post to the API."""
    if request.method in _SAFE_METHODS:
        return True
    expected, sent = session.get("csrf"), request.headers.get("x-csrf-token")
    return isinstance(expected, str) and bool(sent) and hmac.compare_digest(expected, sent or "")


def get_principal(request: Request, services: ServicesDep) -> Principal:
    """The caller, from a Bearer token or the UI's signed session cookie."""
    token = bearer_token(request)
    if token:
        # A bare read connection: no ORM session, and on SQLite no wait for the write lock.
        with services.engine.connect() as conn, read_only(conn):
            return account_service.authenticate_token(
                db=conn, token=token, now=services.clock.now()
            )
    with services.reading() as db:
        session = request.scope.get("session") or {}
        user_id = session.get("user_id")
        if user_id and _cookie_request_allowed(request, session):
            from kefu.accounts.models import User

            user = db.get(User, user_id)
            if user is not None and user.is_active:
                return account_service.principal_for(user=user)
    raise Unauthenticated("missing or invalid credentials: send 'Authorization: Bearer <token>'")


PrincipalDep = Annotated[Principal, Depends(get_principal)]
