"""``kefu token create|list|revoke`` and ``kefu user create``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import typer

from kefu.accounts import service
from kefu.accounts.enums import Role
from kefu.accounts.models import ApiToken
from kefu.accounts.schemas import MembershipIn, UserCreate
from kefu.cli.context import load_services
from kefu.errors import KefuError

token_app = typer.Typer(help="API tokens", no_args_is_help=True)
user_app = typer.Typer(help="Users", no_args_is_help=True)


@token_app.command("create")
def create_token(
    email: str,
    name: Annotated[str, typer.Option(help="label for the token")] = "cli",
    expires_in: Annotated[
        int | None,
        typer.Option(
            "--expires-in",
            min=1,
            max=3650,
            help="days until the token stops working (default: never)",
        ),
    ] = None,
) -> None:
    """Print a new API token for a user (shown once; only its hash is stored)."""
    services = load_services()
    expires_at = services.clock.now() + timedelta(days=expires_in) if expires_in else None
    try:
        with services.sessions() as db, db.begin():
            user = service.get_by_email(db=db, email=email)
            token = service.create_token(db=db, user=user, name=name, expires_at=expires_at)
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(token)


@token_app.command("list")
def list_tokens(email: str) -> None:
    """A user's tokens: prefix, label, when created and last used, and whether active,
    revoked or expired."""
    services = load_services()
    now = services.clock.now()
    try:
        with services.sessions() as db:
            user = service.get_by_email(db=db, email=email)
            tokens = service.tokens_of(db=db, user=user)
            lines = [_token_line(t, now) for t in tokens]
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo("\n".join(lines) if lines else f"{email} has no tokens")


def _token_line(token: ApiToken, now: datetime) -> str:
    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
    if token.revoked_at:
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
    elif token.expires_at and token.expires_at <= now:
        state = f"expired {token.expires_at:%Y-%m-%d %H:%M}"
    elif token.expires_at:
        state = f"active until {token.expires_at:%Y-%m-%d %H:%M}"
    else:
        state = "active"
    created = f"{token.created_at:%Y-%m-%d %H:%M}"
    return f"{token.prefix}…  {token.name or '-'}  created {created}  last used {used}  {state}"


@token_app.command("revoke")
def revoke_token(
    email: str,
    token: Annotated[str, typer.Argument(help="the token, or the prefix `kefu token list` shows")],
) -> None:
    """Revoke a user's API token at once: every later request with it gets 401."""
    services = load_services()
    try:
        with services.sessions() as db, db.begin():
            user = service.get_by_email(db=db, email=email)
            revoked = service.revoke_token(
                db=db, user=user, token_or_prefix=token.rstrip("…"), now=services.clock.now()
            )
            prefix = revoked.prefix
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"revoked {prefix}… of {email}")


@user_app.command("create")
def create_user(
    email: str,
    shop: Annotated[list[str], typer.Option(help="shop slug (repeatable)")],
    role: Annotated[Role, typer.Option(help="role in those shops")] = Role.AGENT,
    name: str = "",
    password: Annotated[str | None, typer.Option(help="sign-in password")] = None,
) -> None:
    """Create a user with a role in one or more shops."""
    services = load_services()
    user_in = UserCreate(
        email=email,
        name=name,
        password=password,
        memberships=[MembershipIn(shop=s, role=role) for s in shop],
    )
    try:
        with services.sessions() as db, db.begin():
            user = service.create(db=db, user_in=user_in)
    except KefuError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"created {user.email} ({role.value})")


def register(app: typer.Typer) -> None:
    """Add the token and user command groups."""
    app.add_typer(token_app, name="token")
    app.add_typer(user_app, name="user")
