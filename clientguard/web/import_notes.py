"""The importer's notes on an upload job's page, in the page's language.

``clientguard import`` prints what the user should know about a run that is not an
error: a file read as Windows-1251, Saved Messages left out of a full export, a guessed
day/month order, skipped records, a chat filed under the client of the same chat in
another format. The job page showed only counts. The importers write these notices as
coded English sentences (``clientguard.ingest``), which the CLI prints as they are; the
page says the ones it knows in its language and any other as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientguard.report.i18n import plural
from clientguard.web.i18n import tr, tr_optional

if TYPE_CHECKING:
    from clientguard.ingest.base import ParsedConversation, ReadContext

__all__ = ["NoticeReader", "job_notes"]


class NoticeReader:
    """The store's file reader (``ingest.read_path``), keeping the run's notices for the job.

    The importers record their notices in the read context, which the store does not
    return; this reader holds on to them (one context per run: the same list every call).
    """

    def __init__(self) -> None:
        self.notices: list[Any] = []

    def __call__(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        from clientguard.ingest import read_path

        self.notices = ctx.notices
        yield from read_path(path, ctx)

    def found(self, folder: Path) -> list[dict[str, str]]:
        """The notices as the job row keeps them, file names relative to the upload folder."""
        return [
            {"file": _relative(n.file, folder), "where": n.where, "message": n.message} for n in self.notices
        ]


def _relative(file: str, folder: Path) -> str:
    return file.replace(str(folder) + "/", "")


# The importers' sentences (clientguard.ingest: telegram_json, telegram_html, tabular, whatsapp).
_ENCODING = re.compile(r"not UTF-8: read as (?P<enc>.+) \(told from its letters\)")
_LEFT_OUT = re.compile(r"left out (?P<label>.+): (?P<why>.+), not a conversation with a client")
_ORDER = re.compile(r"day/month order not provable; read as (?P<order>ymd|dmy|mdy): (?P<reason>.+)")
# Slugs of the texts inside them, for the i18n keys (``note_why_*``, ``note_label_*``, ``note_reason_*``).
_WHY = {
    "your own notes": "own_notes",
    "Telegram's list of answers to you in channels": "replies",
    "login codes that services sent you": "codes",
    "a chat with a bot": "bot",
    "a channel's posts": "channel",
    "Telegram's service notifications": "service",
}
_LABEL = {
    "Saved Messages": "saved",
    "Replies": "replies",
    "Verification Codes": "codes",
    "a bot": "bot",
    "a channel": "channel",
    "Telegram": "telegram",
}
_REASON = {
    "slashes with a 12-hour clock look US (month first)": "us",
    "no field > 12; assumed day-first (the non-US default)": "default",
}


def notice_text(message: str, lang: str) -> str:
    """An importer's notice in ``lang``; one the page does not know, as written."""
    if m := _ENCODING.fullmatch(message):
        return tr("note_encoding", lang).format(encoding=m["enc"])
    if m := _LEFT_OUT.fullmatch(message):
        slug, label = _LABEL.get(m["label"]), m["label"]
        if slug is not None:
            label = tr_optional(f"note_label_{slug}", lang) or label
        else:
            label = tr("quoted_name", lang).format(name=label.removeprefix("«").removesuffix("»"))
        why = _WHY.get(m["why"])
        reason = (tr_optional(f"note_why_{why}", lang) if why else None) or m["why"]
        return tr("note_left_out", lang).format(label=label, why=reason)
    if m := _ORDER.fullmatch(message):
        slug = _REASON.get(m["reason"])
        reason = (tr_optional(f"note_reason_{slug}", lang) if slug else None) or m["reason"]
        return tr("note_order", lang).format(order=tr(f"note_order_{m['order']}", lang), reason=reason)
    return message


def _place(file: str, where: str) -> str:
    return f"{file}:{where}" if where else file


def job_notes(result: dict[str, Any] | None, lang: str) -> list[dict[str, str]]:
    """What the import of a finished job wants the user to know, as ``{kind, place, text}``.

    The moved chats and the look-alike new clients are said by the page itself (QA6 N11).
    """
    r = result or {}
    notes: list[dict[str, str]] = []
    skipped = r.get("skipped") or []
    if skipped:
        count = plural(len(skipped), "bad_record", lang)
        notes.append({"kind": "skipped", "place": "", "text": tr("note_skipped", lang).format(records=count)})
        for s in skipped:
            where = _place(str(s.get("file", "")), str(s.get("where", "")))
            notes.append({"kind": "skipped", "place": where, "text": str(s.get("error", ""))})
    for same in r.get("same_chat") or []:
        text = tr("note_same_chat", lang).format(
            chat=same.get("chat", ""), stored=same.get("stored", ""), client=same.get("client", ""),
            matched=same.get("matched", 0),
        )
        notes.append({"kind": "same_chat", "place": "", "text": text})
    for n in r.get("notices") or []:
        where = _place(str(n.get("file", "")), str(n.get("where", "")))
        notes.append({"kind": "notice", "place": where, "text": notice_text(str(n.get("message", "")), lang)})
    return notes
