"""The import pipeline: importer streams → roles and contacts → bulk inserts, one transaction.

Speed matters (a full-account export has millions of messages), so the hot loop builds
one :class:`NewMessage` tuple per message and writes chunks of them with a few multi-row
``INSERT``s (SQLite) or ``COPY`` (PostgreSQL): no ORM object and no query per message.
Idempotency comes from the ``UNIQUE(conversation_id, source_id)`` key plus the ids already
stored, loaded once per conversation into memory. Ids are allocated by us (SQLite holds the write lock from
``BEGIN IMMEDIATE``; PostgreSQL hands out sequence values in blocks), so new rows are
known without ``RETURNING``.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, insert, select, update

from clientguard.domain import Conversation, Event, Message, Role, Sender
from clientguard.errors import InputError
from clientguard.ingest.base import ParsedConversation, ReadContext
from clientguard.store.hooks import AfterImportHook
from clientguard.store.models import (
    ClientRow,
    ContactRow,
    ConversationRow,
    EventRow,
    IdentityRow,
    ImportRow,
    MeIdentityRow,
    MessageRow,
    SourceFileRow,
)
from clientguard.store.people import PERSONAL_CHATS, PLATFORM, MeMatcher
from clientguard.store.records import ImportProgress, ImportSummary, NewMessage

Reader = Callable[[Path, ReadContext], Iterator[ParsedConversation]]
ProgressCallback = Callable[[ImportProgress], None]

CHUNK = 5000
#: SQLite: write each chunk of messages in a helper thread while the next chunk is parsed.
#: sqlite3 releases the GIL while a statement runs; one thread at a time ever uses the
#: connection (see ``ImportRun.conn``). False: write in the calling thread.
PIPELINE = False
#: SQLite: rows per multi-row ``INSERT … VALUES (…), (…)``: a few long statements per chunk
#: instead of one step per row (~20 % less CPU, and each runs long enough to be worth the GIL
#: round trip of the helper thread). Capped by the connection's host parameter limit.
ROWS_PER_INSERT = 1250

_MESSAGE_COLUMNS = NewMessage._fields
# The hot loop writes the row tuples out positionally; this is the order it assumes.
assert _MESSAGE_COLUMNS == (
    "id", "conversation_id", "source_id", "sender_key", "sender_name", "contact_id", "role", "ts_utc",
    "text", "original_text", "reply_to", "edited", "forwarded_from", "attachment", "subject",
    "source_file_id", "import_seq",
), "NewMessage changed: update ImportRun._conversation"  # fmt: skip
_new_tuple = tuple.__new__
#: SQLAlchemy's SQLite DATETIME storage format (= ``isoformat(" ", "microseconds")`` of naive UTC)
_SQLITE_TIME = "%04d-%02d-%02d %02d:%02d:%02d.%06d"


def now_utc() -> datetime:
    return datetime.now(UTC)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _ConvState:
    """Per-conversation memory of one run (kept across files: HTML exports come in parts)."""

    id: int
    conversation: Conversation
    platform: str
    client_id: int | None
    #: source_id → number of the file that added it in this run (0: already stored).
    seen: dict[str, int]
    events_seen: dict[str, int]
    #: sender key → (contact_id, role)
    senders: dict[str, tuple[int | None, str]] = field(default_factory=dict)


class ImportRun:
    """One import run on one connection whose transaction the caller owns."""

    def __init__(
        self,
        conn: Connection,
        *,
        reader: Reader,
        ctx: ReadContext,
        client: str | None,
        me: Sequence[str],
        hooks: Sequence[AfterImportHook],
        progress: ProgressCallback | None,
    ) -> None:
        #: the chunk written last whose hooks have not run yet, its conversation, and the
        #: background write of it (``None`` once done)
        self._pending_rows: list[NewMessage] | None = None
        self._pending_state: _ConvState | None = None
        self._pending: Future[None] | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._conn = conn
        self.reader = reader
        self.ctx = ctx
        self.client_name = client
        self.hooks = hooks
        self.progress = progress
        self.summary = ImportSummary(skipped=ctx.skipped)
        self.me = MeMatcher()
        self._me_args = list(me)
        self._convs: dict[str, _ConvState] = {}
        self._current: _ConvState  # the conversation whose rows are buffered
        self._rows: list[NewMessage] = []
        self._events: list[dict[str, Any]] = []
        self._file_label = ""
        self._source_file_id: int | None = None
        #: file read in this run → (its number, its source_files id)
        self._files: dict[str, tuple[int, int]] = {}
        self._processed = 0
        self._files_done = 0
        self._files_total = 0
        sqlite = conn.dialect.name == "sqlite"
        self._ids: Iterator[int] = self._sqlite_ids() if sqlite else self._sequence_ids()
        #: SQLite's parameter tuples, in step with ``_rows`` (PostgreSQL takes ``_rows`` as they are)
        self._sqlite_rows: list[tuple[Any, ...]] | None = [] if sqlite else None
        self._per_insert = 1
        if sqlite:
            raw: Any = conn.connection.driver_connection  # a sqlite3.Connection
            getlimit = getattr(raw, "getlimit", None)  # Python >= 3.11
            limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999
            self._per_insert = max(1, min(ROWS_PER_INSERT, limit // len(_MESSAGE_COLUMNS)))
        self._insert_sql = _values_sql(self._per_insert)

    @property
    def conn(self) -> Connection:
        """The connection, once the chunk being written in the background is done.

        Every use of the connection in this thread goes through here, so it is never used
        by two threads at once, and statements keep the order of a synchronous import.
        """
        if self._pending is not None:
            self._finish_chunk()
        return self._conn

    # -- ids ------------------------------------------------------------------------
    def _sqlite_ids(self) -> Iterator[int]:
        top = self.conn.execute(select(func.coalesce(func.max(MessageRow.id), 0))).scalar_one()
        return itertools.count(top + 1)

    def _sequence_ids(self) -> Iterator[int]:
        sql = "SELECT nextval(pg_get_serial_sequence('messages', 'id')) FROM generate_series(1, %d)"
        while True:
            yield from self.conn.exec_driver_sql(sql % CHUNK).scalars()

    # -- the run ----------------------------------------------------------------------
    def run(self, paths: Sequence[Path]) -> ImportSummary:
        try:
            return self._run(paths)
        finally:
            self._stop_writer()

    def _stop_writer(self) -> None:
        """Let a write still running finish (its error, if any, is dropped: an exception is
        already on its way and the transaction will be rolled back), then end the thread."""
        pending, self._pending = self._pending, None
        if pending is not None:
            wait([pending])
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def _run(self, paths: Sequence[Path]) -> ImportSummary:
        c = self.conn
        self._seq = c.execute(
            insert(ImportRow)
            .values(
                started_at=now_utc(),
                paths=[str(p) for p in paths],
                client=self.client_name,
                conversations=0,
                messages_added=0,
                messages_existing=0,
                events_added=0,
                skipped=0,
            )
            .returning(ImportRow.id)
        ).scalar_one()
        for value in self._me_args:
            self.remember_me("", value)
        for platform, value in c.execute(select(MeIdentityRow.platform, MeIdentityRow.value)):
            self.me.add(platform, value)
        self._fixed_client = self._client_id(self.client_name) if self.client_name else None
        self._files_total = len(paths)
        for path in paths:
            self._path(path)
            self._files_done += 1
            self._report()
        s = self.summary
        c.execute(
            update(ImportRow)
            .where(ImportRow.id == self._seq)
            .values(
                finished_at=now_utc(),
                conversations=s.conversations,
                messages_added=s.messages_added,
                messages_existing=s.messages_existing,
                events_added=s.events_added,
                skipped=len(s.skipped),
            )
        )
        return s

    def remember_me(self, platform: str, value: str) -> None:
        """Add an identity of the user, persistently (it is part of this transaction)."""
        self.me.add(platform, value)
        insert_me_identity(self.conn, platform, value)

    def _path(self, path: Path) -> None:
        """Read a file or directory (the importers walk directories and skip unknown files)."""
        self._file_label = str(path)
        try:
            for parsed in self.reader(path, self.ctx):
                self._conversation(parsed, path)
        except InputError as exc:
            if not self.ctx.skip_bad:
                raise
            # The file broke off here; what was read before is valid and stays.
            self._flush()
            self.ctx.bad(exc.where.file, exc.where.where, exc.message)

    def _file_of(self, parsed: ParsedConversation, given: Path) -> tuple[int, int]:
        """Number and ``source_files`` id of the file a conversation comes from (hashed once)."""
        label = parsed.file or str(given)
        known = self._files.get(label)
        if known is None:
            path = Path(label)
            known = (len(self._files) + 1, self._source_file(path if path.is_file() else given))
            self._files[label] = known
        self._file_label = label
        return known

    def _source_file(self, path: Path) -> int:
        sha = file_sha256(path)
        size = path.stat().st_size
        found = self.conn.execute(select(SourceFileRow.id).where(SourceFileRow.sha256 == sha)).scalar()
        if found is not None:
            self.conn.execute(update(SourceFileRow).where(SourceFileRow.id == found).values(path=str(path)))
            return int(found)
        return int(
            self.conn.execute(
                insert(SourceFileRow)
                .values(sha256=sha, path=str(path), size=size, imported_at=now_utc())
                .returning(SourceFileRow.id)
            ).scalar_one()
        )

    # -- one conversation: the hot loop -------------------------------------------------
    def _conversation(self, parsed: ParsedConversation, given: Path) -> None:
        file_no, sfid = self._file_of(parsed, given)
        self._source_file_id = sfid
        state = self._current = self._conv_state(parsed.conversation)
        label = self._file_label
        cid, seen, senders, rows = state.id, state.seen, state.senders, self._rows
        ids, seq, summary, sqlite_rows = self._ids, self._seq, self.summary, self._sqlite_rows
        tz = self.ctx.tz
        for item in parsed.items:
            if isinstance(item, Message):
                sid = item.source_id
                prev = seen.get(sid)
                if prev is not None:
                    if prev == file_no:
                        self.ctx.bad(label, f"message {sid}", "the same message id occurs twice in one file")
                    else:
                        summary.messages_existing += 1
                    continue
                seen[sid] = file_no
                sender = item.sender
                who = senders.get(sender.source_id)
                if who is None:
                    who = self._resolve_sender(state, sender, item.role)
                ts = item.timestamp
                if ts is not None and ts.tzinfo is not UTC:
                    ts = _to_utc(ts, tz)
                edited = item.edited
                if edited is not None and edited.tzinfo is not UTC:
                    edited = _to_utc(edited, tz)
                key, name, text, reply, fwd, att = (
                    sender.source_id, sender.name, item.text, item.reply_to, item.forwarded_from,
                    item.attachment._value_,
                )  # fmt: skip
                orig, subject, contact, role = item.original_text, item.subject, who[0], who[1]
                nid = next(ids)
                # Built with tuple.__new__ (what ``NewMessage._make`` does, minus a Python call).
                rows.append(
                    _new_tuple(
                        NewMessage,
                        (nid, cid, sid, key, name, contact, role, ts, text, orig, reply, edited, fwd, att,
                         subject, sfid, seq),
                    )
                )  # fmt: skip
                if sqlite_rows is not None:
                    # SQLite gets times as text in SQLAlchemy's DATETIME storage format (what
                    # ``isoformat(" ", "microseconds")`` gives before the offset, but %-formatted:
                    # 40 % cheaper), so ORM reads and WHERE comparisons agree. Built here from the
                    # locals at hand: cheaper than rebuilding tuples later.
                    ts_s = ed_s = None
                    if ts is not None:
                        ts_s = _SQLITE_TIME % (ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second,
                                               ts.microsecond)  # fmt: skip
                    if edited is not None:
                        ed_s = _SQLITE_TIME % (edited.year, edited.month, edited.day, edited.hour,
                                               edited.minute, edited.second, edited.microsecond)  # fmt: skip
                    sqlite_rows.append(
                        (nid, cid, sid, key, name, contact, role, ts_s, text, orig, reply, ed_s, fwd, att,
                         subject, sfid, seq)
                    )  # fmt: skip
                if len(rows) >= CHUNK:
                    self._flush()
            elif isinstance(item, Event):
                self._event(state, item, file_no, label)
        self._flush()
        self._finish_chunk()
        if state.client_id is None:
            self._set_client(state, None)

    def _event(self, state: _ConvState, item: Event, file_no: int, label: str) -> None:
        prev = state.events_seen.get(item.source_id)
        if prev is not None:
            if prev == file_no:
                self.ctx.bad(label, f"event {item.source_id}", "the same event id occurs twice in one file")
            else:
                self.summary.events_existing += 1
            return
        state.events_seen[item.source_id] = file_no
        ts = item.timestamp
        self._events.append(
            {
                "conversation_id": state.id,
                "source_id": item.source_id,
                "kind": item.kind,
                "ts_utc": None if ts is None else _to_utc(ts, self.ctx.tz),
                "actor_key": item.actor.source_id if item.actor else None,
                "actor_name": item.actor.name if item.actor else None,
                "details": dict(item.details),
                "source_file_id": self._source_file_id,
                "import_seq": self._seq,
            }
        )
        if len(self._events) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        # Copy then clear in place: the hot loop holds a reference to ``self._rows``.
        rows = self._rows[:]
        self._rows.clear()
        if rows:
            self._finish_chunk()  # the previous one
            self._pending_rows, self._pending_state = rows, self._current
            if self._sqlite_rows is None:
                self._copy_rows(rows)
                self._finish_chunk()
            else:
                params = self._sqlite_rows[:]
                self._sqlite_rows.clear()
                if PIPELINE:
                    if self._writer is None:
                        self._writer = ThreadPoolExecutor(1, thread_name_prefix="clientguard-import-writer")
                    self._pending = self._writer.submit(self._insert_rows, params)
                else:
                    self._insert_rows(params)
                    self._finish_chunk()
        if self._events:
            events, self._events = self._events, []
            self.conn.execute(insert(EventRow), events)
            self.summary.events_added += len(events)

    def _insert_rows(self, params: list[tuple[Any, ...]]) -> None:
        """SQLite: insert parameter tuples with a few multi-row statements (maybe in the writer thread)."""
        per, conn = self._per_insert, self._conn
        for start in range(0, len(params), per):
            part = params[start : start + per]
            sql = self._insert_sql if len(part) == per else _values_sql(len(part))
            conn.exec_driver_sql(sql, tuple(itertools.chain.from_iterable(part)))

    def _finish_chunk(self) -> None:
        """Wait for the chunk being written (raising its error here), then run the hooks on it."""
        future, rows, state = self._pending, self._pending_rows, self._pending_state
        self._pending = self._pending_rows = self._pending_state = None
        if future is not None:
            future.result()
        if not rows or state is None:
            return
        self.summary.messages_added += len(rows)
        if self.hooks:
            client_id = state.client_id if state.client_id is not None else self._set_client(state, None)
            for hook in self.hooks:
                hook(self._conn, client_id, rows)
        self._processed += len(rows)
        self._report()

    def _copy_rows(self, rows: list[NewMessage]) -> None:
        """PostgreSQL: ``COPY`` is several times faster than ``executemany``, same transaction.

        The times are aware UTC; text input to a ``timestamp`` column drops the ``+00:00``,
        which leaves exactly the naive UTC the column holds.
        """
        raw: Any = self.conn.connection.driver_connection  # a psycopg.Connection
        copy_sql = f"COPY messages ({', '.join(_MESSAGE_COLUMNS)}) FROM STDIN"
        with raw.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(
                ImportProgress(self._file_label, self._files_done, self._files_total, self._processed)
            )

    # -- conversations, clients, contacts (once per conversation or sender) -------------
    def _conv_state(self, conv: Conversation) -> _ConvState:
        state = self._convs.get(conv.source_key)
        if state is not None:
            return state
        platform = PLATFORM.get(conv.source, str(conv.source))
        if conv.owner is not None:  # a full-account export names its owner: that is the user
            self.remember_me(platform, conv.owner.source_id)
        c = self.conn
        row = c.execute(
            select(ConversationRow.id, ConversationRow.client_id).where(
                ConversationRow.source_key == conv.source_key
            )
        ).first()
        if row is None:
            conv_id = c.execute(
                insert(ConversationRow)
                .values(
                    source=str(conv.source),
                    source_key=conv.source_key,
                    title=conv.title,
                    chat_type=conv.chat_type,
                    client_id=self._fixed_client,
                )
                .returning(ConversationRow.id)
            ).scalar_one()
            client_id, seen, events_seen = self._fixed_client, {}, {}
        else:
            conv_id, client_id = row
            if self._fixed_client is not None:
                client_id = self._fixed_client
            c.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conv_id)
                .values(
                    title=conv.title or ConversationRow.title, chat_type=conv.chat_type, client_id=client_id
                )
            )
            seen = dict.fromkeys(
                c.execute(
                    select(MessageRow.source_id).where(MessageRow.conversation_id == conv_id)
                ).scalars(),
                0,
            )
            events_seen = dict.fromkeys(
                c.execute(select(EventRow.source_id).where(EventRow.conversation_id == conv_id)).scalars(), 0
            )
        state = _ConvState(conv_id, conv, platform, client_id, seen, events_seen)
        self._convs[conv.source_key] = state
        self.summary.conversations += 1
        return state

    def _resolve_sender(self, state: _ConvState, sender: Sender, role: Role) -> tuple[int | None, str]:
        """Role and contact of a sender not seen before in this conversation."""
        who: tuple[int | None, str]
        if role is Role.SPECIALIST or self.me.matches(state.platform, sender):
            who = (None, Role.SPECIALIST.value)
        else:
            found = self.conn.execute(
                select(ContactRow.id, ContactRow.role, ContactRow.client_id)
                .join(IdentityRow, IdentityRow.contact_id == ContactRow.id)
                .where(IdentityRow.platform == state.platform, IdentityRow.value == sender.source_id)
            ).first()
            if found is not None:
                contact_id, contact_role, contact_client = found
                other = contact_role == Role.OTHER
                if state.client_id is None and not other:  # a known person: the chat is their client's
                    self._assign_client(state, contact_client)
                who = (contact_id, Role.OTHER.value if other else Role.CLIENT.value)
            else:
                client_id = state.client_id
                if client_id is None:
                    client_id = self._set_client(state, sender)
                contact_id = self.conn.execute(
                    insert(ContactRow)
                    .values(client_id=client_id, name=sender.name or sender.source_id, role=None)
                    .returning(ContactRow.id)
                ).scalar_one()
                self.conn.execute(
                    insert(IdentityRow).values(
                        platform=state.platform, value=sender.source_id, contact_id=contact_id
                    )
                )
                who = (contact_id, Role.CLIENT.value)
        state.senders[sender.source_id] = who
        return who

    def _set_client(self, state: _ConvState, first_sender: Sender | None) -> int:
        """Pick the client of a conversation that has none (no ``--client``, not stored before, no
        known person in it): title of a personal chat, else the first sender who is not the user,
        else whatever names the chat."""
        conv = state.conversation
        if conv.title and conv.chat_type in PERSONAL_CHATS:
            name = conv.title
        elif first_sender is not None:
            name = first_sender.name or first_sender.source_id
        else:
            name = conv.title or conv.source_key
        return self._assign_client(state, self._client_id(name))

    def _assign_client(self, state: _ConvState, client_id: int) -> int:
        state.client_id = client_id
        self.conn.execute(
            update(ConversationRow).where(ConversationRow.id == state.id).values(client_id=client_id)
        )
        return client_id

    def _client_id(self, name: str) -> int:
        found = self.conn.execute(select(ClientRow.id).where(ClientRow.name == name)).scalar()
        if found is not None:
            return int(found)
        return int(
            self.conn.execute(
                insert(ClientRow).values(name=name, created_at=now_utc()).returning(ClientRow.id)
            ).scalar_one()
        )


def _values_sql(rows: int) -> str:
    """``INSERT INTO messages (…) VALUES (?, …), …`` for ``rows`` rows (qmark style: SQLite)."""
    one = f"({', '.join('?' * len(_MESSAGE_COLUMNS))})"
    return f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) VALUES {', '.join([one] * rows)}"


def _to_utc(ts: datetime, tz: ZoneInfo) -> datetime:
    """Aware UTC; a naive time is local time of ``tz`` (the importer had nothing better)."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=tz)
    return ts.astimezone(UTC)


def insert_me_identity(conn: Connection, platform: str, value: str) -> bool:
    """Add one of the user's identities unless it is there; True when it was added.

    ``ON CONFLICT DO NOTHING`` rather than look-then-insert: parallel imports on
    PostgreSQL (team mode workers) would otherwise race on the unique key and one of
    them would fail.
    """
    values = {"platform": platform, "value": value}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = (
            pg_insert(MeIdentityRow).values(**values).on_conflict_do_nothing().returning(MeIdentityRow.id)
        )
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = (
            sqlite_insert(MeIdentityRow).values(**values).on_conflict_do_nothing().returning(MeIdentityRow.id)
        )
    else:
        exists = conn.execute(
            select(MeIdentityRow.id).where(MeIdentityRow.platform == platform, MeIdentityRow.value == value)
        ).first()
        if exists is not None:
            return False
        stmt = insert(MeIdentityRow).values(**values).returning(MeIdentityRow.id)
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped conflict.
    return conn.execute(stmt).first() is not None
