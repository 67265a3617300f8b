"""One coded exception hierarchy for everything a user can cause.

The CLI catches :class:`ClientguardError` and prints ``code: message`` with no
traceback; anything else is a bug and is allowed to crash loudly.

A message is either a plain English string or a :class:`Msg`: an id of
``clientguard/report/data/errors.yaml`` and its parameters. The English wording of a
:class:`Msg` is what ``str(exc)`` and ``exc.message`` are, byte for byte as before the
table existed (logs, the web's job records, ``--json`` output and scripts match it);
:meth:`ClientguardError.text` words the same error in the interface language, so a
Russian user reads "нет клиента «a»" instead of "no client named 'a'". An error raised
with a plain string (not yet in the table) is English in every language.
"""

from __future__ import annotations

import errno
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

#: The section of the string table (``clientguard.report.i18n``) error messages live in
#: is the id's part before the dot; the table's file is ``data/errors.yaml``.
ERRORS_FILE = "errors.yaml"


@dataclass(frozen=True)
class Msg:
    """An error message as data: ``id`` ("lifecycle.same_name") and its parameters.

    The wording is looked up when asked for, in the language asked for, so one raise site
    serves the English log line and the Russian screen. A parameter may itself be a
    :class:`Msg` (an optional clause such as "did you mean …"), worded in the same language.
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``ru`` or ``en``; anything else is English).

        An id the table lacks, or parameters its wording does not take, give the id and the
        parameters rather than a crash: the error being reported matters more than its words.
        """
        from clientguard.report.i18n import LANGS, strings

        lang = lang if lang in LANGS else "en"
        section, _, key = self.id.partition(".")
        entry = strings().get(section, {}).get(key) or {}
        template = entry.get(lang) or entry.get("en")
        if template is not None:
            try:
                return _Wording(lang).vformat(template, (), dict(self.params))
            except (KeyError, IndexError, ValueError):
                pass
        return f"{self.id} {dict(self.params)}" if self.params else self.id


def msg(id: str, /, **params: Any) -> Msg:
    """``Msg(id, params)`` spelled as a call: ``ConfigError(msg("invoices.no_number"))``."""
    return Msg(id, params)


def os_reason(exc: OSError, english: str | None = None) -> Mapping[str, str] | str:
    """Why the operating system refused, as a message's ``{reason}`` in either language.

    The English is the OS's own words (``exc.strerror``, or ``english`` when the caller
    words it otherwise), so ``str(exc)`` of the error that carries it is what it always
    was; Russian takes the words of ``error_terms`` named by the error's number
    ("os EACCES": "нет прав доступа"), since the OS speaks English whatever the interface
    says. A number the table lacks keeps the English in both languages.
    """
    said = english if english is not None else (exc.strerror or str(exc) or type(exc).__name__)
    name = errno.errorcode.get(exc.errno) if isinstance(exc.errno, int) else None
    if name is None:
        return said
    from clientguard.report.i18n import strings

    entry = strings().get("error_terms", {}).get(f"os {name}")
    return {"en": said, "ru": entry["ru"]} if entry else said


class _Wording(string.Formatter):
    """``str.format`` with format specs of our own, worded per language.

    * ``{name:q}``: a name quoted once, in the language's marks (``{name:q ru}``: in
      Russian ones whatever the language; no English text wants that), as
      :class:`clientguard.report.i18n.Filling`
      does; not a subclass of it, because building the CLI must not import the tables;
    * ``{names:names}``: a sequence of names, ``'a', 'b'`` in English (as ``repr`` quotes
      them), ``«a», «b»`` in Russian;
    * ``{value:num}``: a number as people of the language write it (``2,000,000`` /
      ``2 000 000``; :func:`clientguard.report.i18n.number`), ``{value:num2}`` to two decimals;
    * ``{value:money}``: a sum of money with every kopeck or cent, 0 or 2 decimals
      (``1,250,000.50`` / ``1 250 000,50``), as the CLI prints amounts;
      ``{value:money}\u00a0{cur:currency}`` ties its currency to it, named as people of the
      language read it ("₽" in Russian, the ISO code otherwise: :func:`clientguard.numbers.currency_text`);
    * ``{what:term}``: a word the code passes in English ("invoice amount"), put in the
      language by the ``error_terms`` section (English gets it as passed); ``{m:term of}``
      looks up "February (of)", the form Russian needs there ("февраля");
    * ``{roles:or}``: such words joined by "or" / "или";
    * ``{items:semi}``: a sequence (of messages, most often) joined by "; ";
    * ``{error:paren}``: an optional detail in brackets after a space, nothing when it is
      empty (a library's words the Russian line leaves out: :mod:`clientguard.reasons`);
    * ``{count:plural message}``: a count with the word of ``plurals.message`` in the form
      the count takes ("1 сообщение", "5 сообщений": :func:`clientguard.report.i18n.plural`).

    A :class:`Msg` parameter is worded in the same language before it is inserted, and so
    is a ``{"ru": …, "en": …}`` mapping (a wording that lives in another data file).
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        value = super().get_value(key, args, kwargs)
        return self._worded(value)

    def _worded(self, value: Any) -> Any:
        if isinstance(value, Msg):
            return value.text(self.lang)
        if isinstance(value, Mapping) and "en" in value:  # a parameter given in each language
            # "" is a wording too: a library's detail the Russian line has no use for
            # (clientguard.reasons); a language the mapping lacks reads the English
            said = value.get(self.lang)
            return value["en"] if said is None else said
        if isinstance(value, list | tuple):
            return [self._worded(v) for v in value]
        return value

    def _term(self, word: Any) -> str:
        if self.lang == "en":
            return str(word)
        from clientguard.report.i18n import t

        return t("error_terms", str(word), self.lang)

    def format_field(self, value: Any, format_spec: str) -> str:
        ru = self.lang == "ru"
        if format_spec == "q" or format_spec.startswith("q "):
            from clientguard.report.i18n import quote

            return quote(str(value), format_spec[2:] or self.lang)
        if format_spec == "names":
            return ", ".join(f"«{v}»" if ru else repr(v) for v in value)
        if format_spec.startswith("num") and format_spec[3:] in ("", "0", "1", "2", "3", "4", "5", "6"):
            from clientguard.report.i18n import number

            return number(value, self.lang, int(format_spec[3:] or 6))
        if format_spec == "money":
            from clientguard.numbers import amount

            return amount(value, self.lang)
        if format_spec == "currency":
            from clientguard.numbers import currency_text

            return currency_text(str(value), self.lang)
        if format_spec == "term":
            return self._term(value)
        if format_spec.startswith("term "):  # a word in a grammatical form: "February (in)"
            return str(value) if self.lang == "en" else self._term(f"{value} ({format_spec[5:]})")
        if format_spec == "or":
            return (" или " if ru else " or ").join(self._term(v) for v in value)
        if format_spec == "semi":
            return "; ".join(str(v) for v in value)
        if format_spec.startswith("plural "):
            from clientguard.report.i18n import plural

            return plural(int(value), format_spec[7:], self.lang)
        if format_spec == "paren":  # an optional detail: " (…)", or nothing when there is none
            return f" ({value})" if str(value) else ""
        return str(super().format_field(value, format_spec))


class Refusal(ValueError):
    """A ``ValueError`` whose message is a :class:`Msg`, for validators.

    Validators raise ``ValueError`` because Pydantic and Typer turn it into their own error
    ("Value error, …", "Invalid value for …"); those read ``str(exc)``, which stays the
    English. Whoever wraps the refusal in a :class:`ClientguardError` passes
    :func:`refusal` of it, so the Russian interface words it too.
    """

    def __init__(self, said: Msg) -> None:
        super().__init__(said.text("en"))
        self.said = said


def refusal(exc: BaseException) -> Msg | str:
    """What ``exc`` says, as a message when it is a :class:`Refusal`, else its English text."""
    return exc.said if isinstance(exc, Refusal) else str(exc)


class ClientguardError(Exception):
    """Base class: an error the user can understand and fix.

    ``message`` (and ``str(exc)``) is English; :meth:`text` and :meth:`line` word the
    error in the interface language when it was raised with a :class:`Msg`.
    """

    code = "E000"

    def __init__(self, message: str | Msg) -> None:
        said = message if isinstance(message, Msg) else None
        english = said.text("en") if said is not None else str(message)
        super().__init__(english)
        self.message = english
        #: The message as data (None: a plain English string, not in the table yet).
        self.said = said

    def text(self, lang: str) -> str:
        """The message in ``lang``: the table's wording, or the English for a plain string."""
        if self.said is None or lang == "en":
            return self.message
        return self.said.text(lang)

    def line(self, lang: str) -> str:
        """``str(exc)`` in ``lang``: the code, then the message (an input error names its place)."""
        return f"{self.code}: {self.text(lang)}"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


#: A JSON path as the importers name one: ``messages[3]``, ``chats.list[2].messages[3].date``,
#: ``[4].ts`` (a Slack day file's record), ``message_labels.tone``.
_JSON_PATH = r"(?:[A-Za-z_]\w*|\[\d+\])(?:\.[A-Za-z_]\w*|\[\d+\])*"
PlaceKind = Literal["line", "lines", "byte", "message", "path"]
_PLACE_FORMS: tuple[tuple[PlaceKind, re.Pattern[str]], ...] = (
    ("line", re.compile(r"line (?P<number>\d+)")),
    ("lines", re.compile(r"lines (?P<number>\d+)-(?P<last>\d+)")),
    ("byte", re.compile(r"byte (?P<number>\d+)")),
    ("message", re.compile(r"message (?P<name>\S+)")),
    ("path", re.compile(rf"(?P<name>top level|div#message\d+|{_JSON_PATH})(?: \(byte (?P<byte>\d+)\))?")),
)
#: The words of a place in Russian; English is the canonical form (``str(place)``) itself.
_PLACE_RU: dict[PlaceKind, str] = {
    "line": "строка {number}",
    "lines": "строки {number}–{last}",
    "byte": "байт {number}",
    "message": "сообщение {name}",
}


@dataclass(frozen=True)
class Place:
    """A spot inside a file as data: a line, lines, a byte, a message or a JSON path.

    Why data: the place used to be an English string ("line 2", "messages[3] (byte 517)")
    pasted into every line, so a Russian error read "…:line 2: строка не JSON". ``str()``
    is still that English (the canonical form: logs, ``--json`` output, job records and
    scripts read it unchanged); :meth:`text` words it in the interface language. A JSON
    path stays as written (it is what the user searches the file for), with what it points
    at named in words ("сообщение messages[3]").
    """

    kind: PlaceKind
    number: int = 0
    last: int = 0  # the last line of "lines"
    name: str = ""  # a message's number or id, a JSON path
    byte: int | None = None  # the byte offset after a JSON path

    @classmethod
    def line(cls, number: int) -> Place:
        return cls("line", number)

    @classmethod
    def lines(cls, first: int, last: int) -> Place:
        return cls("lines", first, last)

    @classmethod
    def at_byte(cls, offset: int) -> Place:
        return cls("byte", offset)

    @classmethod
    def message(cls, name: int | str) -> Place:
        return cls("message", name=str(name))

    @classmethod
    def path(cls, path: str, byte: int | None = None) -> Place:
        return cls("path", name=path, byte=byte)

    @classmethod
    def parse(cls, text: str) -> Place | None:
        """The place a canonical English string names, None for anything else (a file in an
        archive, free text): importers that still pass strings get the same wording."""
        for kind, pattern in _PLACE_FORMS:
            if found := pattern.fullmatch(text):
                parts = found.groupdict()
                byte = parts.get("byte")
                return cls(
                    kind,
                    int(parts.get("number") or 0),
                    int(parts.get("last") or 0),
                    parts.get("name") or "",
                    None if byte is None else int(byte),
                )
        return None

    def __str__(self) -> str:
        if self.kind == "lines":
            return f"lines {self.number}-{self.last}"
        if self.kind in ("line", "byte"):
            return f"{self.kind} {self.number}"
        if self.kind == "message":
            return f"message {self.name}"
        return self.name if self.byte is None else f"{self.name} (byte {self.byte})"

    def text(self, lang: str) -> str:
        """The place in ``lang``: "строка 3", "байт 517", "сообщение messages[3], поле date"."""
        if lang != "ru":
            return str(self)
        if self.kind != "path":
            return _PLACE_RU[self.kind].format(number=self.number, last=self.last, name=self.name)
        return _path_ru(self.name) + ("" if self.byte is None else f" (байт {self.byte})")


#: The last item of a list a JSON path names (a message, a chat of a full export, a Slack
#: record) and what follows it: "chats.list[2].messages[5].date" -> messages[5], date.
_ITEM = re.compile(r"(?P<item>.*(?:messages|chats\.list)\[\d+\]|\[\d+\])(?:\.(?P<rest>.+))?")


def _path_ru(path: str) -> str:
    """A JSON path named in Russian by what it points at; the path itself as written."""
    if path == "top level":
        return "верхний уровень JSON"
    if path.startswith("div#message"):
        return f"сообщение {path}"
    found = _ITEM.fullmatch(path)
    if found is None:
        return f"поле {path}"
    item, rest = found["item"], found["rest"]
    last = item.rsplit(".", 1)[-1]
    what = "сообщение" if last.startswith("messages[") else "чат" if last.startswith("list[") else "запись"
    return f"{what} {item}" + (f", поле {rest}" if rest else "")


def place_text(where: str | Place, lang: str) -> str:
    """A place as an importer passed it (a :class:`Place` or its English string) in ``lang``;
    a string that is no place of ours (a file inside an archive) as it is."""
    place = where if isinstance(where, Place) else Place.parse(where)
    return str(where) if place is None else place.text(lang)


@dataclass(frozen=True, init=False)
class Where:
    """A place in an input file: the file plus a line, byte offset or JSON path.

    ``where`` is the place's canonical English (``str()``, what logs and JSON keep);
    ``place`` the same as data (None when the string is no place of ours), worded per
    language by :meth:`text`. Pass a :class:`Place` (``Where(path, Place.line(3))``) or,
    as older code does, its English string.
    """

    file: str
    where: str
    place: Place | None

    def __init__(self, file: str, where: str | Place = "") -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "where", str(where))
        object.__setattr__(self, "place", where if isinstance(where, Place) else Place.parse(where))

    def text(self, lang: str) -> str:
        """``file:place`` with the place in ``lang`` ("chat.jsonl:строка 2")."""
        if not self.where:
            return self.file
        shown = self.where if self.place is None else self.place.text(lang)
        return f"{self.file}:{shown}"

    def __str__(self) -> str:
        return f"{self.file}:{self.where}" if self.where else self.file


class InputError(ClientguardError):
    """Bad user input that is tied to a file and a place in it."""

    code = "E100"

    def __init__(self, message: str | Msg, where: Where) -> None:
        super().__init__(message)
        self.where = where

    def line(self, lang: str) -> str:
        """``E100: file:place: message`` in ``lang``, the place too ("строка 2", not "line 2")."""
        return f"{self.code}: {self.where.text(lang)}: {self.text(lang)}"

    def __str__(self) -> str:
        return f"{self.code}: {self.where}: {self.message}"


class UnknownFormatError(InputError):
    """The content of a file matches none of the importers."""

    code = "E101"


class TruncatedFileError(InputError):
    """A structured file that breaks off part-way (a cut download, a full disk, a bad edit).

    ``--skip-bad`` leaves out broken records and imports the rest; for a file that cannot
    be read past a point there is no "rest" worth keeping (it would import the first N
    messages and report one skipped record while everything after the break is lost), so
    this error always stops the import, with or without ``--skip-bad``.
    """

    code = "E103"


class JsonSyntaxError(TruncatedFileError):
    """A structured file with a syntax error part-way, its text going on after it (a hand
    edit, a tool that wrote it wrong): not cut off, but no more readable past that point.

    Stops the import like :class:`TruncatedFileError` (it is one, for every ``except``
    and ``isinstance`` that decides so); its own code because the remedy differs: fix the
    line and column the message names, rather than export the whole chat again.
    """

    code = "E104"


class MalformedRecordError(InputError):
    """One record (message, line, mail) inside an otherwise readable file is broken."""

    code = "E102"


class ConfigError(ClientguardError):
    """A setting, a case file or a command-line option is wrong."""

    code = "E200"


class StorageError(ClientguardError):
    """The database cannot be opened, migrated or written."""

    code = "E300"


class NotFoundError(ClientguardError):
    """A client, contact, invoice or other named object does not exist."""

    code = "E400"


class ModelError(ClientguardError):
    """A shipped model or rule set is missing, corrupt or of the wrong version."""

    code = "E500"


class AccessError(ClientguardError):
    """Team mode: the user may not change this client (not granted to them).

    Raised inside a write (an import, a contract) so the whole transaction rolls back:
    a specialist's upload must neither add to nor take a conversation from a client
    they cannot open.
    """

    code = "E600"
