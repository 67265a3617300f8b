"""Generic CSV and JSONL: the escape hatch for any chat we have no importer for.

Columns (CSV header) or keys (JSONL objects): ``timestamp``, ``sender``, ``text``, and
optionally ``id`` and ``reply_to``. Timestamps are ISO 8601 (naive → ``ctx.tz``) or unix
seconds. One file is one conversation; a broken line is reported as ``line N`` and, with
``skip_bad``, skipped. The text encoding is decided once per file
(``_text.sniff_encoding``): a spreadsheet saved as "Unicode text" (UTF-16) or in
Windows-1251 reads as well as UTF-8, and undecodable bytes are a broken line, never U+FFFD.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from clientguard.domain import Conversation, Message, Source
from clientguard.errors import Msg, Refusal, msg
from clientguard.ingest._common import ContentIds, chat_message, localize, path_key, safe_sender
from clientguard.ingest._text import TextEncoding, sniff_encoding, undecodable_said
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext
from clientguard.reasons import json_reason, told

REQUIRED = ("timestamp", "sender", "text")
_UNIX = re.compile(r"^-?\d{9,11}(\.\d+)?$")
_CSV_HEAD = re.compile(r"\btimestamp\b.*\bsender\b|\bsender\b.*\btimestamp\b", re.IGNORECASE)

class _BadRow(Refusal):
    """A row that cannot become a message; the message (an id) says which field and why.

    A :class:`~clientguard.errors.Refusal`, so the broken record it becomes is worded in
    the interface language while a skipped one keeps the English.
    """


def parse_timestamp(value: Any, ctx: ReadContext) -> datetime:
    """ISO 8601 (offset kept, naive localised in ``ctx.tz``) or unix seconds → UTC."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value.strip():
        raise _BadRow(msg("ingest.row_timestamp", value=value))
    value = value.strip()
    if _UNIX.match(value):
        return datetime.fromtimestamp(float(value), UTC)
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise _BadRow(msg("ingest.row_timestamp", value=value)) from None
    return localize(dt, ctx.tz) if dt.tzinfo is None else dt.astimezone(UTC)


def _row_message(row: Mapping[str, Any], ctx: ReadContext, ids: ContentIds) -> Message:
    missing = [k for k in REQUIRED if k not in row or row[k] is None]
    if missing:
        raise _BadRow(msg("ingest.row_missing", fields=", ".join(missing)))
    ts = parse_timestamp(row["timestamp"], ctx)
    sender, text = str(row["sender"]).strip(), str(row["text"])
    if not sender:
        raise _BadRow(msg("ingest.row_no_sender"))
    raw_id = row.get("id")
    # the timestamp as written, so that the id does not depend on ctx.tz
    source_id = str(raw_id) if raw_id not in (None, "") else ids.make(str(row["timestamp"]), sender, text)
    reply = row.get("reply_to")
    return chat_message(source_id, safe_sender(sender, sender), ts, text,
                        reply_to=str(reply) if reply not in (None, "") else None)


def _conversation(path: Path, source: str) -> Conversation:
    return Conversation(Source.TABULAR, f"tabular:{path.stem}:{path_key(path)}", path.stem, source)


@contextmanager
def _open_text(path: Path, enc: TextEncoding, newline: str) -> Iterator[IO[str]]:
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=enc.codec, errors=enc.errors,
                                                  newline=newline) as fh:
        yield fh


def _row_error(row: Mapping[str | None, Any]) -> Msg | None:
    """Why a row read with ``surrogateescape`` holds bytes that are not text, or None."""
    for value in row.values():
        for cell in value if isinstance(value, list) else (value,):
            why = undecodable_said(cell) if isinstance(cell, str) else None
            if why is not None:
                return why
    return None


def _csv_items(path: Path, ctx: ReadContext, enc: TextEncoding) -> Iterator[Message]:
    ids = ContentIds("t")
    with _open_text(path, enc, "") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        if reader.fieldnames is not None:
            reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
        line = reader.line_num
        while True:
            where = f"line {line + 1}"  # first physical line of this record
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                # one broken record (a cell over the csv module's 128 KiB limit, a stray quote):
                # the reader resumes on the next line, so the rest is read, not silently lost
                ctx.bad(path, where, msg("ingest.broken_csv", error=told(exc, "csv")))
                line = reader.line_num
                continue
            line = reader.line_num
            if None in row:  # more cells than header columns
                cells, header = len(row) - 1 + len(row[None]), len(row) - 1
                ctx.bad(path, where, msg("ingest.cells", cells=cells, header=header))
                continue
            if enc.undecodable and (why := _row_error(row)) is not None:
                ctx.bad(path, where, why)
                continue
            try:
                yield _row_message(row, ctx, ids)
            except _BadRow as exc:
                ctx.bad(path, where, exc.said)


def _jsonl_items(path: Path, ctx: ReadContext, enc: TextEncoding) -> Iterator[Message]:
    ids = ContentIds("t")
    with _open_text(path, enc, "\n") as fh:  # JSON lines end at LF only
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            if enc.undecodable and (why := undecodable_said(raw)) is not None:
                ctx.bad(path, f"line {lineno}", why)
                continue
            try:
                row = json.loads(raw)
            except ValueError as exc:
                bad = json_reason(exc, line=False) if isinstance(exc, json.JSONDecodeError) else str(exc)
                ctx.bad(path, f"line {lineno}", msg("ingest.broken_json", error=bad))
                continue
            if not isinstance(row, dict):
                ctx.bad(path, f"line {lineno}", msg("ingest.not_object", kind=type(row).__name__))
                continue
            try:
                yield _row_message(row, ctx, ids)
            except _BadRow as exc:
                ctx.bad(path, f"line {lineno}", exc.said)


def _first_line(head: bytes) -> str:
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n", 1)[0].strip()


class TabularImporter:
    """CSV with a ``timestamp,sender,text`` header, or JSONL objects with those keys."""

    name = "tabular"

    def _kind(self, head: bytes) -> str | None:
        first = _first_line(head)
        if first.startswith("{"):
            try:
                obj = json.loads(first)
            except ValueError:
                # a long first record may be cut by the head: look for the keys instead
                return "jsonl" if all(f'"{k}"' in first for k in REQUIRED) else None
            return "jsonl" if isinstance(obj, dict) and all(k in obj for k in REQUIRED) else None
        if _CSV_HEAD.search(first):
            cells = {c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)}
            return "csv" if all(k in cells for k in REQUIRED) else None
        return None

    def sniff(self, path: Path, head: bytes) -> bool:
        """A header row naming the three columns, or a first JSON line with the three keys."""
        return self._kind(head) is not None

    def read(self, path: Path, ctx: ReadContext) -> Iterator[ParsedConversation]:
        """The whole file as one conversation."""
        with path.open("rb") as raw:
            enc = sniff_encoding(raw, str(path))
        if enc.guessed:
            ctx.notice(path, "", NoticeCode.ENCODING_GUESSED, encoding=enc.label)
        with _open_text(path, enc, "\n") as fh:
            kind = self._kind(fh.read(io.DEFAULT_BUFFER_SIZE).encode("utf-8", "surrogateescape"))
        if kind == "jsonl":
            yield ParsedConversation(_conversation(path, "jsonl"), _jsonl_items(path, ctx, enc), str(path))
        else:
            yield ParsedConversation(_conversation(path, "csv"), _csv_items(path, ctx, enc), str(path))
