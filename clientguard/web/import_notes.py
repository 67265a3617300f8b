"""The importer's notes on an upload job's page, in the page's language.

``clientguard import`` prints what the user should know about a run that is not an
error: a file read as Windows-1251, Saved Messages left out of a full export, a guessed
day/month order, skipped records, a chat filed under the client of the same chat in
another format. The job row keeps the importers' notices as codes and parameters
(:class:`clientguard.ingest.notices.Notice`); the page words them from the same catalogue
as the CLI, in the page's language. Rows written before the codes carry only an English
``message``: shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clientguard.errors import place_text
from clientguard.ingest.base import SkippedRecord
from clientguard.ingest.notices import NoticeReader, from_json
from clientguard.report.i18n import LANGS, fill, plural
from clientguard.web.i18n import tr

__all__ = ["NoticeReader", "job_notes", "skipped_rows"]


def skipped_rows(skipped: Iterable[SkippedRecord], folder: Path) -> list[dict[str, Any]]:
    """The skipped records as the job row keeps them: ``error`` the English (the API and
    ``import --json`` read it), ``text`` the reason in every language, for the page.

    The page showed ``error`` whatever its language ("broken JSON: Expecting ',' delimiter"
    on a Russian page); the reason is worded now, while its message id and parameters are
    at hand (the row keeps text, not the message). The file is the user's name for it, not
    our upload folder's path.
    """
    rows: list[dict[str, Any]] = []
    for s in skipped:
        text = {lg: s.said.text(lg) if s.said is not None else s.error for lg in LANGS}
        file = s.file.replace(f"{folder}/", "")
        rows.append({"file": file, "where": s.where, "error": s.error, "text": text})
    return rows


def _place(file: str, where: str, lang: str) -> str:
    """``file:where``, the place in ``lang`` (the job row keeps its English)."""
    return f"{file}:{place_text(where, lang)}" if where else file


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
            where = _place(str(s.get("file", "")), str(s.get("where", "")), lang)
            said = s.get("text") if isinstance(s.get("text"), dict) else {}  # a row before: English only
            text = str(said.get(lang) or s.get("error", ""))
            notes.append({"kind": "skipped", "place": where, "text": text})
    for same in r.get("same_chat") or []:
        text = fill(
            tr("note_same_chat", lang), lang,
            chat=same.get("chat", ""), stored=same.get("stored", ""), client=same.get("client", ""),
            matched=same.get("matched", 0),
        )
        notes.append({"kind": "same_chat", "place": "", "text": text})
    for row in r.get("notices") or []:
        where = _place(str(row.get("file", "")), str(row.get("where", "")), lang)
        notice = from_json(row)
        text = notice.text(lang) if notice is not None else str(row.get("message", ""))
        notes.append({"kind": "notice", "place": where, "text": text})
    return notes
