"""Why a library refused, as a message's ``{error}`` in either language.

Libraries speak English whatever the interface says: ``int()``'s "invalid literal for
int() with base 10: 'x'", redis-py's "Error 111 connecting to 127.0.0.1:6399. Connection
refused.", pypdf's "Stream has ended unexpectedly", the JSON parser's "Expecting ','
delimiter: line 1 column 5 (char 4)". A Russian line that pasted them read half English.

Each function here gives ``{"en": <the library's words>, "ru": <what they mean>}``, the
form :func:`clientguard.errors.os_reason` gives for the OS: the English stays what
``str(exc)`` always was (logs, job records, scripts), the Russian says what is wrong in
the words of ``error_terms`` ("<family> <words the library's message contains>", first
match wins; data in ``report/data/errors.yaml``). A library message no entry knows
is left out of the Russian (an empty ``ru``), because it repeats what the Russian line
says already ("файл .docx не открывается"); a message's ``{error:paren}`` then prints
nothing rather than "()". The JSON and YAML parsers' line and column are kept, as numbers
in the Russian words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from clientguard.errors import Msg, msg, os_reason


def _terms(family: str) -> list[tuple[str, str]]:
    """The ``error_terms`` entries of ``family``: (words to look for, Russian), in table order."""
    from clientguard.report.i18n import strings

    prefix = family + " "
    return [
        (key.removeprefix(prefix), entry["ru"])
        for key, entry in strings().get("error_terms", {}).items()
        if key.startswith(prefix)
    ]


def meaning(english: str, family: str) -> str:
    """The Russian of the first ``family`` entry whose words ``english`` contains ("" if none).

    ``"<family> *"`` matches any message: a family whose every message needs a word of its own.
    """
    low = english.lower()
    for words, ru in _terms(family):
        if words == "*" or words.lower() in low:
            return ru
    return ""


def told(exc: BaseException | str, family: str) -> Mapping[str, str]:
    """A library's message: its English as it is, its meaning in Russian (``family``'s words)."""
    english = str(exc)
    return {"en": english, "ru": meaning(english, family)}


def untold(exc: BaseException) -> Mapping[str, str]:
    """A library's message the Russian line has no use for (``int()``'s: the line names the
    value and what was expected already): English as it is, nothing in Russian."""
    return {"en": str(exc), "ru": ""}


def json_reason(
    exc: json.JSONDecodeError, english: str | None = None, *, line: bool = True
) -> Mapping[str, str]:
    """The JSON parser's complaint, and in Russian what is wrong and where (line, column).

    ``english``: the words the message printed before (``exc.msg`` or ``str(exc)``);
    ``line=False`` for one JSON Lines record, whose line the error's place names already.
    """
    what = meaning(exc.msg, "json")
    where: Msg = (
        msg("reasons.json_at", what=what, line=exc.lineno, column=exc.colno)
        if line
        else msg("reasons.json_column", what=what, column=exc.colno)
    )
    return {"en": str(exc) if english is None else english, "ru": where.text("ru")}


def yajl_reason(english: str) -> Mapping[str, str]:
    """A streamed JSON parser's complaint (yajl, via ijson: a Telegram export), worded
    ``broken JSON: …`` in English by the importer; its place (JSON path, byte) is the
    error's own, so the Russian names only what is wrong."""
    return {"en": english, "ru": msg("reasons.broken_json", what=meaning(english, "yajl")).text("ru")}


def yaml_reason(exc: Any) -> Mapping[str, str]:
    """A YAML parser's complaint (``yaml.YAMLError``): its place as line and column in Russian."""
    english = str(exc)
    mark = getattr(exc, "problem_mark", None)
    what = meaning(str(getattr(exc, "problem", "") or english), "yaml")
    if mark is None:
        return {"en": english, "ru": what}
    where = msg("reasons.yaml_at", what=what, line=mark.line + 1, column=mark.column + 1)
    return {"en": english, "ru": where.text("ru")}


def reason(exc: BaseException) -> Mapping[str, str] | str:
    """Why reading a file failed, whichever reader refused: the OS, the JSON parser, the
    text decoder; another exception's words stay English in both languages."""
    if isinstance(exc, json.JSONDecodeError):
        return json_reason(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        said = msg("reasons.not_utf8", byte=exc.object[exc.start], offset=exc.start + 1)
        return {"en": str(exc), "ru": said.text("ru")}
    return str(exc)
