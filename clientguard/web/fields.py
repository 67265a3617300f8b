"""Form fields parsed in one place: a value the user can fix is a :class:`FormError`, never a 500.

The web forms are the dashboard's equivalent of the CLI options, so they say what the
CLI says ("expected a date like 2025-09-01"), but in the page's language and naming the
field by its label on the page. The route that owns a form catches the error and shows
the form again, with the user's input and the message; the app answers JSON clients
with ``{"error": …}`` (:func:`clientguard.web.app.create_app`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from clientguard.report.i18n import fill
from clientguard.web.i18n import tr

# Free text (a note, the lead's messages, a brief): the size the form parser allowed
# before it named no field; larger than anyone types or pastes.
TEXT_MAX_BYTES: Final = 1024 * 1024
# A client's name: the width of the ``clients.name`` column.
NAME_MAX_CHARS: Final = 300


class FormError(Exception):
    """A form value the user can fix: an i18n key (``form_<problem>``), the field and details.

    ``field`` is the i18n key of the field's label, so the message names the field as the
    page does; ``params`` fill the message's ``{placeholders}``.
    """

    def __init__(self, problem: str, field: str | None = None, **params: object) -> None:
        super().__init__(problem)
        self.problem = problem
        self.field = field
        self.params = params

    def text(self, lang: str) -> str:
        """The message in ``lang``, with the field's label and the values it names.

        A list or tuple value is a list of names, each quoted as ``lang`` quotes them.
        """
        label = tr(self.field, lang) if self.field else ""
        quote = tr("quoted_name", lang)
        params = {k: _worded(v, quote, lang) for k, v in self.params.items()}
        create = tr("create_client", lang)
        return tr(f"form_{self.problem}", lang).format(field=label, create=create, **params)


class ByteSize(int):
    """A size in bytes a :class:`FormError` names: worded by :func:`size_text` in the
    page's language when the message is (the error is raised before the language is known)."""


def _worded(value: object, quote: str, lang: str) -> object:
    """One value of a :class:`FormError` as its message shows it in ``lang``."""
    if isinstance(value, list | tuple):
        return ", ".join(fill(quote, lang, name=n) for n in value)
    if isinstance(value, ByteSize):
        return size_text(value, lang)
    return value


def size_text(n: int, lang: str) -> str:
    """A byte limit as people read it in ``lang`` (1 MB, 1.5 MB, 300 KB; 1,5 МБ, 300 КБ).

    The units are the page's words (``size_mb``, ``size_kb``): the Russian upload page
    said "200 MB".
    """
    from clientguard.report.i18n import number

    if n >= 1024 * 1024:
        return tr("size_mb", lang).format(n=number(n / (1024 * 1024), lang, places=1))
    return tr("size_kb", lang).format(n=number(max(1, round(n / 1024)), lang))


def text(value: str, field: str, *, required: bool = False, max_bytes: int = TEXT_MAX_BYTES) -> str:
    """Free text: stripped; ``required`` refuses blank; longer than ``max_bytes`` is refused."""
    size = len(value.encode("utf-8"))
    if size > max_bytes:
        raise FormError("too_large", field, limit=ByteSize(max_bytes))
    if required and not value.strip():
        raise FormError("required", field)
    return value.strip()


def name(value: str, field: str, *, required: bool = False) -> str:
    """A short name (a client): stripped, at most :data:`NAME_MAX_CHARS` characters."""
    cleaned = value.strip()
    if len(cleaned) > NAME_MAX_CHARS:
        raise FormError("too_long", field, length=len(cleaned), limit=NAME_MAX_CHARS)
    if required and not cleaned:
        raise FormError("required", field)
    return cleaned


def day(value: str, field: str) -> date | None:
    """An optional ISO date (``2025-09-01``, what ``<input type=date>`` sends); blank is None."""
    cleaned = value.strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise FormError("bad_date", field, value=_shown(cleaned)) from None


def choice(value: str, field: str, choices: Sequence[str]) -> str:
    """One of ``choices`` exactly (a radio button or a select: anything else is a forged form)."""
    if value not in choices:
        raise FormError("bad_choice", field, value=_shown(value), choices=", ".join(choices))
    return value


def _shown(value: str, limit: int = 40) -> str:
    """The user's value, cut for a message (a pasted paragraph must not fill the page)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


_FILENAME = re.compile(rb'filename\*=(?:UTF-8|utf-8)\'\'([^;\r\n]+)(?=[;\r\n])|filename="([^"\r\n]*)"')


def upload_name(head: bytes) -> str:
    """The name of the first file in the start of a multipart body ("" when it has none).

    An oversize upload is refused before its body is read, but its error must still name
    the file: the name is in the first part's header, within the first kilobytes.
    """
    from urllib.parse import unquote

    found = _FILENAME.search(head)
    if found is None:
        return ""
    if found.group(1):
        raw = unquote(found.group(1).decode("ascii", "replace"))
    else:
        raw = found.group(2).decode("utf-8", "replace").replace("%22", '"')
    return raw.replace("\\", "/").rsplit("/", 1)[-1]


def too_large(filename: str, max_bytes: int, lang: str) -> str:
    """The refusal of an upload over the size limit, naming the file and the limit."""
    limit = size_text(max_bytes, lang)
    if filename:
        return fill(tr("too_large_file", lang), lang, file=filename, limit=limit)
    return tr("too_large_limit", lang).format(limit=limit)
