"""Shared Rich consoles, the ``--lang`` option and the commands' texts in that language.

Consoles are created lazily because the Rich import costs start-up time. The texts are
data (``clientguard/report/data/cli.yaml`` and ``strings.yaml``); a command asks
:func:`texts` for a section once and words every line through it, so a Russian user sees
no English leftovers and neither language is an afterthought.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from clientguard.ingest.notices import Notice


@cache
def console() -> Console:
    from rich.console import Console

    return Console()


@cache
def err_console() -> Console:
    """Errors are never hard-wrapped: a path cut at column 80 cannot be copied or grepped.

    Rich wraps at 80 columns when stderr is a file or a pipe; the terminal wraps long
    lines visually anyway.
    """
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _check_lang(value: str | None) -> str | None:
    if value is not None and value not in ("ru", "en"):
        from clientguard.cli._refused import OptionRefused
        from clientguard.errors import msg

        raise OptionRefused(msg("cli.ru_or_en", lang=value))
    return value


#: ``--lang`` of a command that prints text for people (its JSON stays as it is).
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        callback=_check_lang,
        help="Interface language: ru or en (default: CLIENTGUARD_LANG, then the locale).",
    ),
]


@dataclass(frozen=True)
class Texts:
    """One section of the interface strings in one language: ``say("none")``, ``say.count(3, "record")``."""

    section: str
    lang: str

    def __call__(self, key: str, **values: Any) -> str:
        """The text of ``key`` with its ``{placeholders}`` filled: values are inserted as is,
        a name the text quotes (``{client:q}``) in this language's marks, once."""
        from clientguard.report.i18n import fill, t

        text = t(self.section, key, self.lang)
        return fill(text, self.lang, **values) if values else text

    def term(self, section: str, key: str) -> str:
        """A domain id as people read it (``roles``, ``note_kinds``, ``deliverables`` …)."""
        from clientguard.report.i18n import t

        return t(section, key, self.lang)

    def count(self, n: int, key: str) -> str:
        """``n`` and its noun in the right form: "5 проблем", "1 record"."""
        from clientguard.report.i18n import plural

        return plural(n, key, self.lang)

    def quote(self, text: str) -> str:
        """``text`` in this language's quotation marks: «Пенка» / “Penka”."""
        from clientguard.report.i18n import quote

        return quote(text, self.lang)

    def amount(self, value: float) -> str:
        """A sum of money as people write it: "1 250 000", "123 456,78" / "1,250,000", "123,456.78".

        Every digit is kept (``%g`` printed "1.25e+06" and rounded 123456.78 to "123457");
        kopecks or cents only when there are any.
        """
        return format_amount(value, self.lang)

    def money(self, value: float, currency: str | None) -> str:
        """A sum and its currency on one line, tied by U+00A0: "45 000 ₽" / "45,000 RUB".

        Every line and table cell that names a sum's currency comes here
        (:func:`clientguard.numbers.money`). The CLI joined "{amount} {currency}" itself with
        a plain space and the ISO code, so a Russian user read "45 000 RUB" where every page
        and draft says "45 000 ₽"; other currencies keep their code in both languages.
        """
        from clientguard.numbers import money

        return money(value, currency, self.lang)

    def currency(self, code: str) -> str:
        """A currency named alone, where a ``--currency`` code is also at stake: "₽ (RUB)" in
        Russian (the sign people read and the code the option takes), the code otherwise."""
        from clientguard.numbers import currency_text

        shown = currency_text(code, self.lang)
        return shown if shown == code.upper() else f"{shown} ({code.upper()})"

    def number(self, value: float) -> str:
        """A plain number (a rate, a percentage, hours): "0,1" in Russian, "0.1" in English."""
        from clientguard.report.i18n import number

        return number(value, self.lang)


def format_amount(value: float, lang: str) -> str:
    """:meth:`Texts.amount` for a language code (:func:`clientguard.numbers.amount`)."""
    from clientguard.numbers import amount

    return amount(value, lang)


def texts(section: str, lang: str | None) -> Texts:
    """The strings of ``section`` in the interface language (``--lang``, the setting, the locale)."""
    from clientguard import config

    return Texts(section, config.ui_lang(lang))


def place(file: str, where: str, lang: str) -> str:
    """``file:where`` as error and note lines name a spot in a file (the file alone when
    whole), the place in ``lang`` as error lines word it ("строка 2", not "line 2")."""
    from clientguard.errors import place_text

    return f"{file}:{place_text(where, lang)}" if where else file


def print_notices(notices: Iterable[Notice], lang: str | None) -> None:
    """The importers' notices (a guessed encoding, a chat left out), one line each, in ``lang``.

    ``import`` and ``analyze FILE`` read files through the same importers, so both say
    what the user should know about how a file was read, worded the same way.
    """
    from rich.markup import escape

    say = texts("import_cli", lang)
    out = console()
    for n in notices:
        # Never hard-wrapped, like error lines: a path cut at column 80 cannot be copied.
        where = place(n.file, n.where, say.lang)
        out.print(f"[cyan]{say('note')}[/] {escape(where)}: {escape(n.text(say.lang))}",
                  highlight=False, markup=True, soft_wrap=True)
