"""Entry point of the ``kefu`` command; each topic module registers its commands here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="kefu",
    help="Kefu 客服 — a self-hosted, offline, multilingual customer-service desk.",
    no_args_is_help=True,
    add_completion=False,
)

# Each module defines ``register(app: typer.Typer) -> None``. One line per topic.
_COMMAND_MODULES = [
    "kefu.cli.bench",
    "kefu.cli.server",
    "kefu.cli.accounts",
    "kefu.cli.imports",
    "kefu.cli.jobs",
    "kefu.cli.demo",
    "kefu.cli.draft",
    "kefu.cli.macros",
    "kefu.cli.policy",
    "kefu.cli.lint",
    "kefu.cli.kb",
    "kefu.cli.nlu",
]

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Run the CLI."""
    app()


if __name__ == "__main__":
    main()
