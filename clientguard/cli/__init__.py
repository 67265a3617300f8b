"""The ``clientguard`` command.

Each command lives in its own module of this package and exposes
``register(app: typer.Typer) -> None``; :func:`build_app` discovers them, so adding a
command never means editing a shared file. Command modules import heavy libraries
inside their functions to keep start-up fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from clientguard.errors import ClientguardError


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="clientguard",
        help="Spot toxic clients early, keep the evidence, act on it.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        add_completion=False,
    )

    @app.callback()
    def _root() -> None:
        """Spot toxic clients early, keep the evidence, act on it."""

    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


def main() -> None:
    """Console entry point: user errors become one red line and exit code 1, no traceback."""
    app = build_app()
    try:
        app()
    except ClientguardError as exc:
        from rich.markup import escape

        from clientguard.cli._console import err_console

        # The message quotes paths and input ("[x]/chat.json", a "[/b]" value): text, not markup.
        err_console().print(f"[bold red]error[/] {escape(str(exc))}", markup=True, highlight=False)
        sys.exit(1)
