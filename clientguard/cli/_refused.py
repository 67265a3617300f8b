"""A refused option value, worded in the interface language.

A date or a number the command line cannot read is a usage error (exit 2): click prints
"Invalid value for '--on': …". The message was English in a Russian interface too. An
:class:`OptionRefused` carries its message as a :class:`~clientguard.errors.Msg`
(``data/errors.yaml``): its ``message`` stays the English (Typer's own code and scripts
read it), and the line printed is in the interface language, worded when it is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from typer._click.core import Context

from clientguard.errors import Msg, msg


def _lang(ctx: Context | None) -> str:
    """The run's interface language: ``--lang`` in argv, then the setting, then the locale."""
    from clientguard import config
    from clientguard.cli._help import argv_lang

    root = ctx.find_root().command if ctx is not None else None
    given = getattr(root, "argv_lang", None)
    return config.ui_lang(given if isinstance(given, str) else argv_lang(sys.argv[1:]))


class OptionRefused(typer.BadParameter):
    """``typer.BadParameter`` whose message is said in the interface language."""

    def __init__(self, said: Msg | str, param_hint: Sequence[str] | str | None = None) -> None:
        super().__init__(said.text("en") if isinstance(said, Msg) else said, param_hint=param_hint)
        self.said = said

    def format_message(self) -> str:
        lang = _lang(self.ctx)
        if lang == "en" or not isinstance(self.said, Msg):
            return super().format_message()
        hint = self.param_hint if self.param_hint is not None else (
            self.param.get_error_hint() if self.param is not None else None
        )
        if hint is None:
            return msg("cli.invalid", message=self.said).text(lang)
        from typer._click.exceptions import _join_param_hints

        return msg("cli.invalid_for", hint=_join_param_hints(hint), message=self.said).text(lang)
