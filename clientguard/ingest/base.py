"""The contract between importers and the store.

An importer turns one file into a stream of :class:`ParsedConversation`; each carries
an iterator of :class:`~clientguard.domain.Message` and :class:`~clientguard.domain.Event`
that must be consumed before the next conversation is requested (multi-GB exports are
streamed, never loaded whole).

Broken records go through :meth:`ReadContext.bad`: it raises a
:class:`~clientguard.errors.MalformedRecordError` naming the file and place, or, with
``skip_bad``, records a :class:`SkippedRecord` so that the summary lists it. Nothing is
dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from clientguard.domain import Conversation, Event, Message
from clientguard.errors import MalformedRecordError, Msg, Where
from clientguard.ingest.notices import Notice, NoticeCode, Param

__all__ = ["Importer", "Notice", "NoticeCode", "ParsedConversation", "ReadContext", "SkippedRecord"]


@dataclass(frozen=True)
class SkippedRecord:
    """A record left out under ``--skip-bad``, reported in the import summary."""

    file: str
    where: str
    error: str
    #: The message as data, for the CLI's list in the interface language (None: a plain
    #: English string); ``error`` keeps the English the summary's JSON and the job carry.
    said: Msg | None = field(default=None, compare=False, repr=False)


@dataclass
class ReadContext:
    """Options and the problem list of one import run.

    ``tz`` is used only where the export carries naive local time and nothing better
    (WhatsApp, old Telegram exports without ``date_unixtime``). ``dayfirst`` overrides
    the per-file guess of the date order for formats that print ambiguous dates
    (WhatsApp ``01/02/23``); ``None`` means decide from the file.
    """

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    skip_bad: bool = False
    skipped: list[SkippedRecord] = field(default_factory=list)
    dayfirst: bool | None = None
    notices: list[Notice] = field(default_factory=list)

    def notice(self, file: str | Path, where: str, code: NoticeCode, **params: Param) -> None:
        """Record a non-fatal remark (a guess, an ambiguity) for the import summary.

        A code and its parameters, not a sentence: the CLI and the upload page word it
        in the user's language (``ingest/notices.py``, ``data/notices.yaml``).
        """
        self.notices.append(Notice(code, params, str(file), where))

    def bad(self, file: str | Path, where: str, error: str | Msg) -> None:
        """Report a broken record: raise, or remember it when skipping is allowed.

        A skipped record keeps the English wording (the summary's JSON and the upload job
        keep it as text); the raised error words itself in the interface language.
        """
        if self.skip_bad:
            said = error if isinstance(error, Msg) else None
            text = error.text("en") if isinstance(error, Msg) else error
            self.skipped.append(SkippedRecord(str(file), where, text, said))
            return
        raise MalformedRecordError(error, Where(str(file), where))


@dataclass
class ParsedConversation:
    """One conversation found in a file, with its items streamed lazily."""

    conversation: Conversation
    items: Iterator[Message | Event]
    file: str = ""


class Importer(Protocol):
    """An adapter for one export format; format is told by content, not by name."""

    name: str

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether this importer reads the file whose first bytes are ``head``."""
        ...

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """Stream the conversations of ``path``."""
        ...
