"""The ``clientguard`` command.

Each command lives in its own module of this package and exposes
``register(app: typer.Typer) -> None``; :func:`build_app` discovers them, so adding a
command never means editing a shared file. Command modules import heavy libraries
inside their functions to keep start-up fast.

The help is written in English in the modules; :mod:`clientguard.cli._help` shows it in
Russian when that is the interface language (the root group's class does it, once, for
the whole tree).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Callable

import typer

from clientguard.cli._console import LangOption
from clientguard.cli._help import LocalisedGroup
from clientguard.errors import ClientguardError


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="clientguard",
        help="Spot toxic clients early, keep the evidence, act on it.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        add_completion=False,
        cls=LocalisedGroup,
    )

    @app.callback()
    def _root(ctx: typer.Context, lang: LangOption = None) -> None:
        """Spot toxic clients early, keep the evidence, act on it."""
        if lang is not None:
            _use_lang_for_this_run(ctx, lang)

    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
    return app


def _use_lang_for_this_run(ctx: typer.Context, lang: str) -> None:
    """``clientguard --lang en COMMAND``: the command speaks ``lang`` unless it has its own ``--lang``.

    The root ``--lang`` exists so that ``clientguard --lang en --help`` works; for a
    command it acts as the setting does (``CLIENTGUARD_LANG``, which every command
    already reads), for this run only: the old value is put back when the run ends, so a
    test or an embedding program that runs several commands sees no leftover.
    """
    from clientguard import config

    env = next(s.env for s in config.SETTINGS if s.name == "lang")
    before = os.environ.get(env)
    os.environ[env] = lang

    def restore() -> None:
        if before is None:
            os.environ.pop(env, None)
        else:
            os.environ[env] = before

    ctx.call_on_close(restore)


def main() -> None:
    """Console entry point: user errors become one red line and exit code 1, no traceback."""
    app = build_app()
    try:
        app()
    except ClientguardError as exc:
        from rich.markup import escape

        from clientguard.cli._console import err_console

        # The message quotes paths and input ("[x]/chat.json", a "[/b]" value): text, not markup.
        err_console().print(_error_line(exc, escape), markup=True, highlight=False)
        sys.exit(1)


def _error_line(exc: ClientguardError, escape: Callable[[str], str]) -> str:
    """``error E100: …`` in English; ``ошибка (входной файл) E100: …`` in Russian.

    The message is in the interface language when the error was raised with a message id
    (:class:`clientguard.errors.Msg`; the wordings are ``data/errors.yaml``), English when
    it was raised with a plain string. The code and the file and place stay as they are in
    both, so a line can still be searched for; the Russian line names the kind of error
    first, so a user knows at a glance whether the file, a setting or the database is at fault.
    """
    from clientguard import config
    from clientguard.cli._help import argv_lang
    from clientguard.report.i18n import t

    lang = config.ui_lang(argv_lang(sys.argv[1:]))
    prefix = t("errors_cli", "prefix", lang)
    if lang == "en":
        return f"[bold red]{prefix}[/] {escape(str(exc))}"
    kind = t("errors_cli", exc.code, lang) if exc.code != "E000" else ""
    words = f" ({escape(kind)})" if kind and kind != exc.code else ""
    return f"[bold red]{prefix}[/]{words} {escape(exc.line(lang))}"
