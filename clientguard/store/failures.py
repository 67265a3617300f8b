"""What a database driver's refusal means for the user, in the interface language.

SQLAlchemy, psycopg and sqlite3 speak English and name the symptom, not the remedy:
"connection failed: … Connection refused", "database is locked", "file is not a
database", "no such table: clients". The CLI printed them after "не удаётся открыть или
обновить базу данных:", so a Russian user read the half that mattered in English and was
not told what to do. :func:`db_failure` sorts the driver's message into a few cases the
user can act on (start the server, check the URL, wait for the other writer, restore the
file) and words each in ``errors.yaml`` (section ``engine``), naming the database by its
URL without the password. The driver's own first line stays in the message, as a detail
in brackets: it is what a search or a bug report needs.

The cases are matched on the driver's words (first match wins, table :data:`CASES`): the
exception classes do not tell them apart (psycopg raises ``OperationalError`` for a
refused connection, a wrong password and a missing database alike).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from clientguard.errors import Msg, msg

#: (case, words of the driver's message that tell it, as a regular expression on the lower
#: case text; the driver's exception class name is part of the text: "undefinedtable").
CASES: Sequence[tuple[str, re.Pattern[str]]] = tuple(
    (case, re.compile("|".join(words)))
    for case, words in (
        ("db_login", (r"password authentication failed", r"no password supplied",
                      r"peer authentication failed", r"role \".*\" does not exist")),
        ("db_missing", (r"database \".*\" does not exist",)),
        ("db_unreachable", (r"connection refused", r"could not connect", r"connection failed",
                            r"timeout expired", r"no route to host", r"could not translate host name",
                            r"name or service not known", r"network is unreachable",
                            r"server closed the connection", r"connection timed out",
                            r"temporary failure in name resolution")),
        ("db_locked", (r"database is locked", r"database table is locked", r"database schema is locked")),
        ("db_corrupt", (r"file is not a database", r"database disk image is malformed",
                        r"file is encrypted")),
        ("db_read_only", (r"readonly database", r"read-only transaction", r"permission denied")),
        ("db_cannot_open_file", (r"unable to open database file",)),
        ("db_full", (r"database or disk is full", r"no space left on device", r"disk full")),
        ("db_no_table", (r"no such table", r"no such column", r"undefinedtable", r"undefinedcolumn")),
    )
)


def shown_url(url: str | URL) -> str:
    """The database URL as the message names it: its password as ``***``."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return str(url)
    return parsed.render_as_string(hide_password=True)


def driver_words(exc: BaseException) -> str:
    """The driver's own message, first line only: the cause, not SQLAlchemy's wrapping."""
    orig = getattr(exc, "orig", None)
    lines = [line.strip() for line in str(orig or exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def has_case(exc: BaseException) -> bool:
    """Whether ``exc`` is a refusal :func:`db_failure` words as a case of its own."""
    return _case(driver_words(exc), exc) is not None


def _case(words: str, exc: BaseException) -> str | None:
    low = f"{type(getattr(exc, 'orig', None) or exc).__name__} {words}".lower()
    return next((case for case, told in CASES if told.search(low)), None)


def _cannot_open(words: str) -> Msg:
    return msg("engine.cannot_open", reason=words)


def db_failure(
    exc: SQLAlchemyError, url: str | URL | Engine, otherwise: Callable[[str], Msg] = _cannot_open
) -> Msg:
    """The refusal ``exc`` of the database at ``url`` as a message: what happened, what to do.

    ``otherwise`` words a refusal none of :data:`CASES` knows from the driver's words
    ("cannot open or migrate the database: …" by default; a write says it failed and was
    rolled back): a unique violation, say, which the web's retry looks for in the text.
    """
    where = shown_url(url.url if isinstance(url, Engine) else url)
    words = driver_words(exc)
    case = _case(words, exc)
    if case is None:
        return otherwise(words)
    name = ""
    try:
        parsed = url.url if isinstance(url, Engine) else url if isinstance(url, URL) else make_url(url)
        name = parsed.database or ""
    except ArgumentError:
        pass
    return _WORDED[case](where, name, words)


#: Each case's message: (URL without password, database name, the driver's words) → Msg.
_WORDED: Mapping[str, Callable[[str, str, str], Msg]] = {
    "db_login": lambda url, name, detail: msg("engine.db_login", url=url, detail=detail),
    "db_missing": lambda url, name, detail: msg("engine.db_missing", url=url, database=name, detail=detail),
    "db_unreachable": lambda url, name, detail: msg("engine.db_unreachable", url=url, detail=detail),
    "db_locked": lambda url, name, detail: msg("engine.db_locked", url=url, detail=detail),
    "db_corrupt": lambda url, name, detail: msg("engine.db_corrupt", url=url, detail=detail),
    "db_read_only": lambda url, name, detail: msg("engine.db_read_only", url=url, detail=detail),
    "db_cannot_open_file": lambda url, name, words: msg("engine.db_cannot_open_file", url=url, detail=words),
    "db_full": lambda url, name, detail: msg("engine.db_full", url=url, detail=detail),
    "db_no_table": lambda url, name, detail: msg("engine.db_no_table", url=url, detail=detail),
}

