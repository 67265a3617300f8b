"""The import pipeline: importer streams → roles and contacts → bulk inserts, one transaction.

Speed matters (a full-account export has millions of messages), so the hot loop builds
one :class:`NewMessage` tuple per message and writes chunks of them with a few multi-row
``INSERT``s (SQLite) or ``COPY`` (PostgreSQL): no ORM object and no query per message.
Idempotency comes from the ``UNIQUE(conversation_id, source_id)`` key plus the ids already
stored, loaded once per conversation into memory. Ids are allocated by us (SQLite holds the write lock from
``BEGIN IMMEDIATE``; PostgreSQL hands out sequence values in blocks), so new rows are
known without ``RETURNING``.

This module is the hot loop and the order of writes; ``import_parties.py`` resolves
conversations, clients and contacts, ``import_write.py`` talks to the database.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from clientguard.domain import Event, Message
from clientguard.errors import AccessError, InputError, TruncatedFileError, msg
from clientguard.ingest.base import NoticeCode, ParsedConversation, ReadContext
from clientguard.ingest.identity import family, message_records, prefix_keys
from clientguard.store.hooks import AfterImportEventsHook, AfterImportHook, AfterMoveHook
from clientguard.store.import_parties import ConvState, Parties, file_sha256, insert_me_identity, now_utc
from clientguard.store.import_write import (
    MESSAGE_COLUMNS,
    copy_messages,
    insert_events,
    insert_sqlite,
    rows_per_insert,
    to_utc,
    values_sql,
)
from clientguard.store.lookup import close_names
from clientguard.store.models import ClientRow, ImportRow, MessageRow
from clientguard.store.records import ImportProgress, ImportSummary, MovedChat, NewMessage, SameChat

__all__ = ["CHUNK", "PIPELINE", "ImportRun", "file_sha256", "insert_me_identity", "now_utc"]

Reader = Callable[[Path, ReadContext], Iterator[ParsedConversation]]
ProgressCallback = Callable[[ImportProgress], None]

CHUNK = 5000
#: items read ahead of a new chat's first write, for Parties.find_copy and the content keys of a file
#: without a chat id (events come between)
_COPY_PEEK = 50
#: SQLite: write each chunk of messages, and run the message hooks on it, in a helper thread
#: while the next chunk is parsed. sqlite3 releases the GIL while a statement runs, so the
#: inserts (messages and evidence records) overlap with parsing on a second core; the
#: hooks' Python work does not. One thread at a time ever uses the connection (see
#: ``ImportRun.conn``). False: everything in the calling thread.
PIPELINE = False

# The hot loop writes the row tuples out positionally; this is the order it assumes.
assert MESSAGE_COLUMNS == (
    "id", "conversation_id", "source_id", "sender_key", "sender_name", "contact_id", "role", "ts_utc",
    "text", "original_text", "reply_to", "edited", "forwarded_from", "attachment", "subject",
    "source_file_id", "import_seq",
), "NewMessage changed: update ImportRun._conversation"  # fmt: skip
_new_tuple = tuple.__new__
#: SQLAlchemy's SQLite DATETIME storage format (= ``isoformat(" ", "microseconds")`` of naive UTC)
_SQLITE_TIME = "%04d-%02d-%02d %02d:%02d:%02d.%06d"


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
        event_hooks: Sequence[AfterImportEventsHook] = (),
        move_hooks: Sequence[AfterMoveHook] = (),
        allowed_clients: frozenset[int] | None = None,
        assume_me: Sequence[str] = (),
    ) -> None:
        #: the background write of the last chunk (``None`` once done) and its row count,
        #: counted in the summary when it is done
        self._pending: Future[None] | None = None
        self._pending_count = 0
        self._writer: ThreadPoolExecutor | None = None
        self._conn = conn
        self.reader = reader
        self.ctx = ctx
        self.client_name = client
        self.hooks = list(hooks)
        self.event_hooks = list(event_hooks)
        self.progress = progress
        self.summary = ImportSummary(skipped=ctx.skipped)
        self.parties = Parties(lambda: self.conn, self.summary, move_hooks)
        self._allowed = allowed_clients
        self._me_args = list(me)
        self._assumed_me = tuple(assume_me)
        self._current: ConvState  # the conversation whose rows are buffered
        self._rows: list[NewMessage] = []
        #: events of ``_current`` not written yet: ``NewEvent`` fields without the id
        self._events: list[tuple[Any, ...]] = []
        self._file_label = ""
        self._source_file_id: int | None = None
        #: file read in this run → (its number, its source_files id)
        self._files: dict[str, tuple[int, int]] = {}
        self._processed = 0
        self._files_done = 0
        self._files_total = 0
        sqlite = conn.dialect.name == "sqlite"
        self._sqlite = sqlite
        self._ids: Iterator[int] = self._sqlite_ids() if sqlite else self._sequence_ids()
        #: SQLite's parameter tuples, in step with ``_rows`` (PostgreSQL takes ``_rows`` as they are)
        self._sqlite_rows: list[tuple[Any, ...]] | None = [] if sqlite else None
        self._per_insert = rows_per_insert(conn) if sqlite else 1
        self._insert_sql = values_sql(self._per_insert)

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
        self.parties.start(self._me_args, self.client_name, self._seq, self._assumed_me)
        self._files_total = len(paths)
        for path in paths:
            self._path(path)
            self._files_done += 1
            self._report()
        # Conversations cut off by a broken file (--skip-bad) may still hold events.
        for state in self.parties.convs.values():
            self._hook_events(state, final=True)
        self.check_access()
        s = self.summary
        s.created_clients = sorted(self.parties.created_clients)
        s.clients = sorted({st.client_id for st in self.parties.convs.values() if st.client_id is not None})
        self._name_changes(s)
        self.conn.execute(
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
        self.parties.remember_me(platform, value)

    def _path(self, path: Path) -> None:
        """Read a file or directory (the importers walk directories and skip unknown files)."""
        self._file_label = str(path)
        try:
            for parsed in self.reader(path, self.ctx):
                self._conversation(parsed, path)
        except InputError as exc:
            if not self.ctx.skip_bad or isinstance(exc, TruncatedFileError):
                raise  # a file cut off part-way is never part-imported
            # The file broke off here; what was read before is valid and stays.
            self._flush()
            self.ctx.bad(exc.where.file, exc.where.where, exc.said or exc.message)

    def _name_changes(self, s: ImportSummary) -> None:
        """Moves and new clients by name: a chat handed to another client, or a client
        started by a mistyped ``--client``, must not go unnoticed (QA6 CLI N3)."""
        if not self.parties.moves and not self.parties.created_clients:
            return
        names = {int(i): str(n) for i, n in self.conn.execute(select(ClientRow.id, ClientRow.name))}
        s.moved = [
            MovedChat(
                m.title or m.source_key,
                str(names.get(m.from_client_id, m.from_client_id)),
                str(names.get(m.to_client_id, m.to_client_id)),
                m.file,
            )
            for m in self.parties.moves
        ]
        created = {names[i] for i in self.parties.created_clients if i in names}
        for cid in sorted(self.parties.created_clients):
            name = str(names.get(cid, cid))
            close = tuple(n for n in close_names(self.conn, name) if n not in created)
            s.new_clients.append((name, close))

    def check_access(self) -> None:
        """Team mode: every client this run wrote to or moved a chat from must be the user's.

        Checked at the end, inside the transaction: an :class:`AccessError` rolls the whole
        import back. Clients the run created itself are the user's.
        """
        if self._allowed is None:
            return
        mine = self._allowed | self.parties.created_clients
        touched = [(old, title) for old, title in self.parties.moved_from] + [
            (state.client_id, state.conversation.title or state.conversation.source_key)
            for state in self.parties.convs.values()
            if state.client_id is not None
        ]
        for client_id, title in touched:
            if client_id not in mine:
                name = self.conn.execute(select(ClientRow.name).where(ClientRow.id == client_id)).scalar()
                raise AccessError(msg("store.no_access_chat", title=title, client=name or client_id))

    def _file_of(self, parsed: ParsedConversation, given: Path) -> tuple[int, int]:
        """Number and ``source_files`` id of the file a conversation comes from (hashed once)."""
        label = parsed.file or str(given)
        known = self._files.get(label)
        if known is None:
            path = Path(label)
            known = (len(self._files) + 1, self.parties.source_file(path if path.is_file() else given))
            self._files[label] = known
        self._file_label = label
        return known

    # -- one conversation: the hot loop -------------------------------------------------
    def _conversation(self, parsed: ParsedConversation, given: Path) -> None:
        file_no, sfid = self._file_of(parsed, given)
        self._source_file_id = sfid
        conv, items = parsed.conversation, parsed.items
        copy = None
        keys: list[tuple[int, str]] = []
        kind = family(str(conv.source), conv.chat_type)
        if conv.source_key not in self.parties.convs and (self.parties.fixed_client is None or kind):
            head = list(itertools.islice(items, _COPY_PEEK))
            items = itertools.chain(head, items)
            first = [m for m in head if isinstance(m, Message)]
            if kind is not None:  # no chat id: its first records name its conversation (ingest.identity)
                keys = prefix_keys(kind, message_records(first))
            if self.parties.fixed_client is None and not self.parties.content.find(str(conv.source), keys):
                # another export format of a stored chat joins that chat's client (Parties.find_copy)
                copy = self.parties.find_copy(conv, first, self.ctx.tz)
            if copy is not None:
                self.summary.same_chat.append(
                    SameChat(conv.title or conv.source_key, copy.title, copy.client, copy.matched)
                )
        state = self._current = self.parties.conv_state(conv, self._file_label, sfid, copy, keys)
        if keys and state.content_match is not None:
            self.ctx.notice(self._file_label, "", NoticeCode.SAME_STORED_FILE, chat=state.content_match)
        for said in self.parties.notices:
            self.ctx.notice(self._file_label, said.where, said.code, **said.params)
        self.parties.notices.clear()
        label = self._file_label
        cid, seen, senders, rows = state.id, state.seen, state.senders, self._rows
        ids, seq, summary, sqlite_rows = self._ids, self._seq, self.summary, self._sqlite_rows
        tz = self.ctx.tz
        for item in items:
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
                    who = self.parties.resolve_sender(state, sender, item.role)
                ts = item.timestamp
                if ts is not None and ts.tzinfo is not UTC:
                    ts = to_utc(ts, tz)
                edited = item.edited
                if edited is not None and edited.tzinfo is not UTC:
                    edited = to_utc(edited, tz)
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
            self.parties.set_client(state, None)
        self._hook_events(state)

    def _event(self, state: ConvState, item: Event, file_no: int, label: str) -> None:
        prev = state.events_seen.get(item.source_id)
        if prev is not None:
            if prev == file_no:
                self.ctx.bad(label, f"event {item.source_id}", "the same event id occurs twice in one file")
            else:
                self.summary.events_existing += 1
            return
        state.events_seen[item.source_id] = file_no
        ts = item.timestamp
        actor = item.actor
        self._events.append(
            (
                state.id,
                item.source_id,
                item.kind,
                None if ts is None else to_utc(ts, self.ctx.tz),
                actor.source_id if actor else None,
                actor.name if actor else None,
                dict(item.details),
                self._source_file_id,
                self._seq,
            )
        )
        if len(self._events) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        """Write the buffered messages (maybe in the writer thread) and events of ``_current``."""
        # Copy then clear in place: the hot loop holds references to these lists.
        rows = self._rows[:]
        self._rows.clear()
        if rows:
            params: list[tuple[Any, ...]] | None = None
            if self._sqlite_rows is not None:
                params = self._sqlite_rows[:]
                self._sqlite_rows.clear()
            # The client is picked here, in this thread, at the moment a synchronous import
            # would pick it; ``self.conn`` waits for the previous chunk first.
            client_id = self.parties.client_of(self._current) if self.hooks else 0
            self._finish_chunk()
            self._pending_count = len(rows)
            if PIPELINE and self._sqlite:
                if self._writer is None:
                    self._writer = ThreadPoolExecutor(1, thread_name_prefix="clientguard-import-writer")
                self._pending = self._writer.submit(self._write_chunk, rows, params, client_id)
            else:
                self._write_chunk(rows, params, client_id)
                self._finish_chunk()
        if self._events:
            events, self._events = self._events, []
            state = self._current
            written = insert_events(self.conn, events)
            self.summary.events_added += len(written)
            if self.event_hooks:
                state.unhooked_events += written
                if state.client_id is not None:
                    self._hook_events(state)

    def _write_chunk(
        self, rows: list[NewMessage], params: list[tuple[Any, ...]] | None, client_id: int
    ) -> None:
        """Insert one chunk of messages and run the message hooks on it (maybe in the writer thread)."""
        conn = self._conn
        if params is None:
            copy_messages(conn, rows)
        else:
            insert_sqlite(conn, self._insert_sql, self._per_insert, params)
        for hook in self.hooks:
            hook(conn, client_id, rows)

    def _finish_chunk(self) -> None:
        """Wait for the chunk being written (raising its error here), then count it."""
        future, count = self._pending, self._pending_count
        self._pending, self._pending_count = None, 0
        if future is not None:
            future.result()
        if count:
            self.summary.messages_added += count
            self._processed += count
            self._report()

    def _hook_events(self, state: ConvState, *, final: bool = False) -> None:
        """Hand a conversation's written events to the event hooks once its client is known.

        ``final``: the run is ending, so a conversation still without a client gets one now.
        """
        if not state.unhooked_events or (state.client_id is None and not final):
            return
        client_id = self.parties.client_of(state)
        events, state.unhooked_events = state.unhooked_events, []
        for hook in self.event_hooks:
            hook(self.conn, client_id, events)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(
                ImportProgress(self._file_label, self._files_done, self._files_total, self._processed)
            )
