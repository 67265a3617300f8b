"""Click's and Typer's own usage errors in the interface language, with a hint where one helps.

A missing argument, an unknown option, a value Typer's types refuse: click words these
itself, in English, and they were printed inside the Russian error box ("Invalid value for
'path': path 'Студия «Ирис»' does not exist."). Typer's vendored click has no gettext
catalog (its messages are f-strings) and no hook to word them, so they are worded after
the fact: the message is matched against the English forms of a table (``usage_errors``
of ``report/data/cli_help.yaml``, the same Russian catalog as the help), and the Russian
is filled with what the form's placeholders matched. The table's English is the message
as click words it, so an English interface prints click's words byte for byte.

A hint (both languages, ``usage_cli`` of ``report/data/cli.yaml``) follows a message
where the likely slip is known: ``analyze "Студия «Ирис»"`` meant ``--client``; words
left over after the arguments are usually a name with spaces, not quoted.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from string import Formatter

from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError, UsageError


class WordedUsageError(UsageError):
    """A usage error said again in the interface language (or with a hint): printed as is."""


@dataclass(frozen=True)
class Form:
    """One message of click's as its table entry: its key, the English as a pattern, the Russian."""

    key: str
    pattern: re.Pattern[str]
    ru: str


def _pattern(english: str) -> re.Pattern[str]:
    """``english`` with each ``{placeholder}`` a group that matches any text (a value may span lines)."""
    parts: list[str] = []
    for literal, field, _, _ in Formatter().parse(english):
        parts.append(re.escape(literal))
        if field:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


@cache
def forms(part: str) -> tuple[Form, ...]:
    """The ``messages`` or ``reasons`` of the table, in table order (the first match wins)."""
    from clientguard.cli._help import catalog

    entries: dict[str, dict[str, str]] = catalog()["usage_errors"][part]
    return tuple(Form(key, _pattern(e["en"]), e["ru"]) for key, e in entries.items())


def match(message: str, part: str) -> tuple[Form, dict[str, str]] | None:
    """The first form of ``part`` that matches the whole ``message``, and what its placeholders matched."""
    for form in forms(part):
        found = form.pattern.fullmatch(message)
        if found:
            return form, found.groupdict()
    return None


def unquoted(text: str) -> str:
    """A value as the user typed it: click shows it as a Python literal (``'Студия'``, ``"it's"``)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


#: Placeholders that hold click's list of suggestions, joined by ", " ("--help, --html, --lang").
_CHOICES = frozenset({"options", "commands"})


def choices(listed: str, last: str) -> str:
    """Click's ", "-joined suggestions with ``last`` ("или") before the last one.

    "может быть, вы имели в виду --help, --html, --lang?" read as a list, not a question:
    Russian asks "--help, --html или --lang?".
    """
    items = listed.split(", ")
    return listed if len(items) < 2 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _russian(form: Form, values: Mapping[str, str]) -> str:
    """``form``'s Russian filled: a value it quotes as a name is unquoted first, a {kind} worded,
    a list of suggestions joined with "или"."""
    from clientguard.cli._help import catalog
    from clientguard.report.i18n import fill

    table = catalog()["usage_errors"]
    words: dict[str, str] = table["words"]
    fields = Formatter().parse(form.ru)
    named = {field for _, field, spec, _ in fields if field and (spec or "").startswith("q")}
    filled = {
        k: unquoted(v)
        if k in named
        else words.get(v, v)
        if k == "kind"
        else choices(v, table["or"])
        if k in _CHOICES
        else v
        for k, v in values.items()
    }
    return fill(form.ru, "ru", **filled)


def command_of(ctx: Context | None) -> str:
    """The command's path as typed after the program name (``"analyze"``, ``"time add"``)."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def looks_like_name(value: str) -> bool:
    """A value with no folder and no file extension in it reads as a name ("Студия «Ирис»")."""
    return not any(c in value for c in "/\\.")


def argv_db(args: Sequence[str]) -> str | None:
    """The value of the last ``--db URL`` / ``--db=URL`` in ``args`` (before any ``--``).

    Read from argv because a usage error stops click before it has every option: in
    ``analyze "Студия «Ирис»" --db URL`` the path is refused before ``--db`` is read.
    """
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--db" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--db="):
            found = arg.partition("=")[2]
    return found


@dataclass(frozen=True)
class Stored:
    """Whether a name typed where a path was expected is a stored client's: its stored name
    (None: no client has it) and the stored names close to it."""

    name: str | None
    close: tuple[str, ...] = ()


def stored_client(typed: str, db: str | None) -> Stored | None:
    """The client ``typed`` names in the database ``--db`` (or the configured one) means;
    None when that cannot be told (the database is unreachable or not clientguard's).

    Only reads: a database file that is not there is not created (it stores no client), and
    no migration runs, so a slip on the command line changes no data.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from clientguard import config
    from clientguard.errors import ClientguardError
    from clientguard.store.engine import make_engine
    from clientguard.store.lookup import close_names, find_client

    url = config.db_url(db)
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            from pathlib import Path

            if not Path(parsed.database).expanduser().is_file():
                return Stored(None)
        engine = make_engine(url, must_exist=True)
    except (ClientguardError, SQLAlchemyError, ValueError):
        return None
    try:
        with engine.connect() as conn:
            found = find_client(conn, typed)
            return Stored(found[1]) if found else Stored(None, tuple(close_names(conn, typed)))
    except (ClientguardError, SQLAlchemyError):  # a server down, a database of something else
        return None
    finally:
        engine.dispose()


def hint(
    command: str, keys: tuple[str, ...], values: Mapping[str, str], lang: str, argv: Sequence[str] = ()
) -> str:
    """The hint of ``usage_cli`` that fits best: this command's before any command's, the most
    specific key first ("analyze path_missing name stored", "analyze path_missing name",
    "analyze path_missing", "extra_arguments").

    A name typed where a path was expected is looked up among the stored clients when the
    table has a "… name stored" hint for it: ``analyze "Студия «Ирис»"`` said "if that is a
    stored client's name, give it after --client" without knowing; now the hint is the
    command to run for the client that name finds ({client}: its stored name, quoted for a
    shell), or that no client has it, with the close names ({close}) and where names are listed.
    """
    from clientguard.report.i18n import fill, quote, strings

    table = strings().get("usage_cli", {})
    path = values.get("path")
    typed = unquoted(path) if path is not None else None
    named = typed is not None and looks_like_name(typed)
    fields: dict[str, str] = {"value": shlex.quote(typed) if typed is not None else ""}
    candidates: list[str] = []
    for key in keys:
        if named and f"{command} {key} name stored" in table:
            assert typed is not None
            stored = stored_client(typed, argv_db(argv))
            if stored is not None:
                candidates.append(f"{command} {key} name {'stored' if stored.name else 'absent'}")
                fields["client"] = shlex.quote(stored.name or typed)
                close = ", ".join(quote(n, lang) for n in stored.close)
                fields["close"] = fill(table["close names"][lang], lang, names=close) if close else ""
        if named:
            candidates.append(f"{command} {key} name")
        candidates += [f"{command} {key}", key]
    for name in candidates:
        entry = table.get(name.strip())
        if entry:
            return fill(entry[lang], lang, **fields)
    return ""


def reworded(exc: UsageError, lang: str, argv: Sequence[str] = ()) -> UsageError:
    """``exc`` said in ``lang`` with the hint that fits, or ``exc`` itself when nothing changes.

    The English is click's message as it was; a message the table does not know stays as
    click worded it. A reason the table does not know keeps its English inside the Russian
    frame ("Недопустимое значение 'x': <click's reason>") rather than losing the parameter's name.
    ``argv``: the command line, for the ``--db`` a hint looks a client up in.
    """
    from clientguard.cli._refused import OptionRefused

    if isinstance(exc, (NoArgsIsHelpError, WordedUsageError, OptionRefused)):
        return exc  # the help itself; worded already; a refusal of our own, worded when printed
    message = exc.format_message()
    found = match(message, "messages")
    if found is None:
        return exc
    form, values = found
    keys: tuple[str, ...] = (form.key,)
    inner = match(values["reason"], "reasons") if "reason" in values else None
    if inner is not None:
        keys = (inner[0].key, form.key)
    text = message
    if lang == "ru":
        if inner is not None:
            values = {**values, "reason": _russian(*inner)}
        text = _russian(form, values)
    extra = hint(command_of(exc.ctx), keys, {**values, **(inner[1] if inner else {})}, lang, argv)
    if extra:
        text = f"{text}. {extra}" if lang == "ru" or not text.endswith(".") else f"{text} {extra}"
    if text == message:
        return exc
    worded = WordedUsageError(text, exc.ctx)
    worded.exit_code = exc.exit_code
    return worded
