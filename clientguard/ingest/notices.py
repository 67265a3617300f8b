"""What an import wants the user to know that is not an error, as codes worded per language.

The importers used to write their notices as English sentences; ``clientguard import``
printed them as they were (a Russian user got English) and the upload job page turned
them back into data with regexes to translate them (a sentence it did not know stayed
English). Now an importer records a :class:`Notice`: a code from :class:`NoticeCode` and
its parameters. The wordings live in one catalogue per language, ``data/notices.yaml``;
the command line and the job page both word a notice with :func:`notice_text` in the
user's language. ``tests/ingest/test_notice_catalogue.py`` fails on a code or a term
without both wordings.

Catalogue syntax (``str.format`` with two lookups of our own):

* ``{param}``: the parameter as recorded (a file's encoding label, a chat's name);
* ``{param.table}``: a parameter that is itself a code, worded by ``terms[param.table]``
  (``{kind.why}`` → "your own notes" for ``kind=saved_messages``);
* ``{param:word}``: a count with its word in the form the count takes, from
  ``plurals[word]`` ("1 сообщение", "5 сообщений"; :func:`~clientguard.report.i18n.plural_form`).
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientguard.ingest.base import ParsedConversation, ReadContext

__all__ = ["Notice", "NoticeCode", "NoticeReader", "catalogue", "from_json", "notice_text"]

#: A notice's parameter: a name, a label, a code worded by ``terms``, or a count.
Param = str | int


class NoticeCode(StrEnum):
    """Every notice an importer can record; each has a wording per language in ``data/notices.yaml``."""

    #: ``encoding``: the codec's label ("Windows-1251", "KOI8-R"); told from the letters, no BOM.
    ENCODING_GUESSED = "encoding_guessed"
    #: A full-account export's chat that is nobody's conversation with a client, left out.
    #: ``kind`` (``terms``: ``kind.label``, ``kind.why``) and ``messages`` it held.
    CHAT_LEFT_OUT = "chat_left_out"
    #: The same, for a chat with a name of its own (a bot, a channel): ``name``, ``kind``, ``messages``.
    NAMED_CHAT_LEFT_OUT = "named_chat_left_out"
    #: A WhatsApp file whose day/month order was guessed: ``order`` and ``reason`` (both ``terms``).
    DATE_ORDER_GUESSED = "date_order_guessed"
    #: A file of an imported folder that looks like an export (by its name) but that no
    #: importer reads: ``name`` (its path inside the folder).
    FILE_NOT_READ = "file_not_read"
    #: A Slack export read as several conversations, one per channel or DM: ``count`` and
    #: ``names`` ("#general, #ext-client, @Anna + @Oleg", the first ones of a long list).
    SLACK_CONVERSATIONS = "slack_conversations"
    #: A table or mail file (no chat id) whose first records are a stored conversation's
    #: (``ingest.identity``): it was added to that conversation, ``chat`` (its title).
    SAME_STORED_FILE = "same_stored_file"
    #: ``analyze FILE`` on a group chat that does not say who the user is
    #: (``store.import_parties.weigh_guess``): ``who`` wrote the most besides the client and is
    #: saved as the user, ``undo`` the command that removes it, ``others`` count for this run only.
    GROUP_ME_GUESSED = "group_me_guessed"
    #: The same with a tie: nobody saved; ``count`` participants for this run only, ``most`` messages each.
    GROUP_ME_UNKNOWN = "group_me_unknown"
    #: A chat that does not say who the user is, where ``who`` wrote in the most other stored
    #: chats and was taken for the user in this import only (``Parties.derived_title``);
    #: ``add``: the command that saves them as the user.
    USUAL_ME_ASSUMED = "usual_me_assumed"


@dataclass(frozen=True)
class Notice:
    """One notice of an import: its code and parameters, and the file and place it is about.

    ``where`` is the place inside the file (``chats.list[3]``, ``line 1``) or empty for
    the whole file, as in :class:`~clientguard.ingest.base.SkippedRecord`.
    """

    code: NoticeCode
    params: Mapping[str, Param] = field(default_factory=dict)
    file: str = ""
    where: str = ""

    def text(self, lang: str) -> str:
        """The notice in ``lang`` (``ru`` or ``en``)."""
        return notice_text(self.code, self.params, lang)

    def to_json(self, folder: Path | None = None) -> dict[str, Any]:
        """The notice as ``--json`` and the upload job keep it: code and params, not a sentence.

        ``message`` is the English wording, for readers of the JSON that want a line to show;
        ``folder`` is cut from the file name (the upload folder is ours, not the user's).
        """
        file = self.file.replace(f"{folder}/", "") if folder is not None else self.file
        return {
            "file": file,
            "where": self.where,
            "code": str(self.code),
            "params": dict(self.params),
            "message": self.text("en"),
        }


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """``data/notices.yaml``, loaded once: ``notices``, ``terms`` and ``plurals`` sections."""
    import yaml

    text = resources.files("clientguard.ingest").joinpath("data/notices.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return data


class _Wording(string.Formatter):
    """``str.format`` with the catalogue's term and plural lookups (module docstring)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        data = catalogue()
        self.terms: dict[str, dict[str, dict[str, str]]] = data.get("terms") or {}
        self.plurals: dict[str, dict[str, str]] = data.get("plurals") or {}

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        param, _, table = field_name.partition(".")
        value = kwargs[param]
        if not table:
            return value, param
        entry = self.terms.get(field_name, {}).get(str(value), {})
        return entry.get(self.lang) or entry.get("en") or str(value), param

    def format_field(self, value: Any, format_spec: str) -> str:
        forms = self.plurals.get(format_spec)
        if forms is None:
            return str(super().format_field(value, format_spec))
        words = (forms.get(self.lang) or forms["en"]).split("|")
        from clientguard.report.i18n import plural_form

        return f"{value} {words[min(plural_form(int(value), self.lang), len(words) - 1)]}"


def notice_text(code: str, params: Mapping[str, Param], lang: str) -> str:
    """The wording of ``code`` with ``params`` in ``lang``; English when ``lang`` is neither.

    A code the catalogue lacks, or parameters its wording does not get (a job row written
    by another version), is shown as the code and its parameters rather than failing the page.
    """
    # clientguard.report is imported here, not at the top: its package loads the HTML
    # report and the analysis, and the importers (hence every command that opens the
    # store) imported all of it for these two names (~0.2 s a run).
    from clientguard.report.i18n import LANGS

    lang = lang if lang in LANGS else "en"
    entry = catalogue()["notices"].get(code)
    if entry is not None:
        try:
            return _Wording(lang).vformat(entry.get(lang) or entry["en"], (), dict(params))
        except (KeyError, ValueError):
            pass
    return f"{code} {dict(params)}" if params else str(code)


def from_json(row: Mapping[str, Any]) -> Notice | None:
    """A notice kept by :meth:`Notice.to_json` (a job row), or None for a row without a code."""
    try:
        code = NoticeCode(str(row.get("code")))
    except ValueError:
        return None
    params = row.get("params") or {}
    return Notice(code, dict(params), str(row.get("file", "")), str(row.get("where", "")))


class NoticeReader:
    """The store's file reader (``ingest.read_path``), keeping the run's notices.

    The importers record their notices in the read context, which the store does not
    return; the CLI and the upload job read the files through this to word them after.
    """

    def __init__(self) -> None:
        self.notices: list[Notice] = []

    def __call__(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        from clientguard.ingest import read_path

        self.notices = ctx.notices  # one context per run: the same list every call
        yield from read_path(path, ctx)

    def found(self, folder: Path) -> list[dict[str, Any]]:
        """The notices as the job row keeps them, file names relative to the upload folder."""
        return [n.to_json(folder) for n in self.notices]
