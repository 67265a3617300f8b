"""Verifying a client's chain and cross-checking it against the store's current rows.

The chain check (:func:`clientguard.evidence.chain.verify_rows`) proves the log itself
is intact; the cross-check proves the store still says what was logged: a message
edited in the database after import, deleted, or slipped in without going through the
import shows up here with its message id. A message is logged either by a per-message
record (kind ``message``, before issue #7) or as an entry of a chunk's ``messages``
listing; the cross-check expands listings so both name the message alike, with the
seq of the record that vouches for it.

A conversation that changed client is on both chains as a ``moved_out`` / ``moved_in``
pair (:mod:`clientguard.evidence.moves`): walking the chain, the first takes its
messages and events off what the chain vouches for, the second puts them on with the
hashes the first chain logged; the two halves are then checked against each other
(:func:`clientguard.evidence.handover.check_moves`), so a move verifies and a deletion
dressed up as one does not.

A client merged into another or erased (``clients merge|forget``) ends its chain with a
``merged_out`` or an ``erased`` record (:mod:`clientguard.evidence.closing`): the first
hands its listing over to the other client's ``merged_in``, the second releases
everything, so the rows the tool removed read as merged or erased, never as deleted; rows
deleted behind the tool still read ``source_missing``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from clientguard.evidence import baseline, moves
from clientguard.evidence.baseline import Baseline
from clientguard.evidence.chain import (
    GENESIS,
    MESSAGE,
    MESSAGES,
    ChainState,
    Problem,
    parse_listing,
    sha256_hex,
    verify_rows,
)
from clientguard.evidence.closing import (
    CLOSING_KINDS,
    ERASED,
    MERGED_IN,
    MERGED_OUT,
    ClosingNote,
    apply_merge_out,
    check_merges,
    erased_seq,
)
from clientguard.evidence.closing import note as closing_note
from clientguard.evidence.handover import MovedRow, check_moves
from clientguard.evidence.moves import MOVE_KINDS, MoveNote
from clientguard.evidence.sources import (
    REWRITTEN,
    VERSION_COLUMNS,
    Current,
    current_events,
    current_extra,
    current_messages,
    current_notes,
    missed_version,
    table_of,
)
from clientguard.store.lookup import require_client
from clientguard.store.models import ClientRow
from clientguard.store.models_evidence import EvidenceHeadRow, EvidenceRecordRow

#: Kinds whose rows must match the log exactly; other kinds may lag until the next sync.
STRICT_KINDS = frozenset({"message", "note", "confirmation"})
#: Kinds an older database may hold unlogged (pending, not tampering) whose logged rows
#: must still match: a payment of 20 000 edited to 2 000 behind the log is named like an
#: edited message, and so is an invoice of 45 000 edited to 4 500 (`invoice add` inserts,
#: `invoice paid` adds payment rows; QA6 CLI N1), and a contract's terms edited in the
#: database: since they are chained when written, a stored row that no longer matches its
#: last record is tampering, unless it is a version an older clientguard wrote without
#: the log (:func:`~clientguard.evidence.sources.missed_version`).
APPEND_ONLY_KINDS = frozenset({"payment", "invoice", "contract", "void", "adjustment"})
CONTRACT = "contract"  # the record kind of contracts, terms and scope items (sources.EXTRA_TABLES)
CHECKED_KINDS = frozenset(
    {"message", "event", "note", "confirmation", "contract", "invoice", "payment", "void", "adjustment"}
)


@dataclass(frozen=True)
class VerifyReport:
    """The verdict for one client: the chain's head and every problem found."""

    client_id: int
    client: str
    records: int
    head_seq: int
    head_hash: str
    problems: tuple[Problem, ...]
    pending: int  # rows not yet logged (events, contracts, invoices, payments): not tampering
    messages: int = 0  # messages the chain vouches for (per-message records + listing entries)
    moves: tuple[MoveNote, ...] = ()  # conversations that left or joined this client, in seq order
    #: renames, merges and the erasure of this client (:mod:`clientguard.evidence.closing`), in seq order
    closing: tuple[ClosingNote, ...] = ()

    @property
    def erased(self) -> bool:
        """Whether the client was erased by ``clients forget`` (its chain ends with ``erased``)."""
        return any(n.kind == ERASED for n in self.closing)

    @property
    def ok(self) -> bool:
        return not self.problems


_CHAIN_SQL = (
    "SELECT seq, kind, ref, payload, content_hash, created_at, source_hash, prev_hash, hash "
    "FROM evidence_records WHERE client_id = {mark} ORDER BY seq"
)


def chain_rows(conn: Connection, client_id: int, batch: int = 20000) -> Iterator[tuple[Any, ...]]:
    """A client's records in ``seq`` order, streamed in batches of plain tuples.

    SQLite: the driver's own cursor (it steps rows lazily, and skipping SQLAlchemy's row
    objects is a third of the cost of verifying a million records). PostgreSQL: a
    server-side cursor through SQLAlchemy (``stream_results`` + ``yield_per``).
    """
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_CHAIN_SQL.format(mark="?"), (client_id,))
            while part := cursor.fetchmany(batch):
                yield from part
        finally:
            cursor.close()
        return
    r = EvidenceRecordRow
    query = (
        select(
            r.seq, r.kind, r.ref, r.payload, r.content_hash, r.created_at, r.source_hash, r.prev_hash, r.hash
        )
        .where(r.client_id == client_id)
        .order_by(r.seq)
    )
    result = conn.execute(query.execution_options(yield_per=batch, stream_results=True))
    for part in result.partitions():
        yield from part


def stored_head(conn: Connection, client_id: int) -> tuple[int, str]:
    query = select(EvidenceHeadRow.seq, EvidenceHeadRow.hash).where(EvidenceHeadRow.client_id == client_id)
    row = conn.execute(query).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


@dataclass
class Versions:
    """What the cross-check needs of rewritten rows (terms, scope; see ``sources.REWRITTEN``).

    ``payloads``: the last logged payload of each row with a version column; ``leaders``:
    the seq of the last record of each leading table (the terms). Both filled while the
    chain is read, in seq order; ``missed``: leading tables whose stored row is a version
    the log missed, filled by the cross-check; ``line``: the client's
    :mod:`~clientguard.evidence.baseline` record, once read (no version is missed after
    it, and an unlogged row above it was inserted behind the tool).
    """

    payloads: dict[tuple[str, str], str]
    leaders: dict[str, int]
    missed: set[str]
    line: Baseline | None = None

    def see_line(self, row: tuple[Any, ...]) -> None:
        """The first ``logging_started`` record draws the line (an unreadable one: no ids)."""
        if self.line is None:
            self.line = baseline.line(int(row[0]), row[3])

    def inserted(self, cur: Current) -> bool:
        """An unlogged row that can only have been inserted behind the log (see ``baseline``)."""
        if self.line is None:
            return False
        leader = REWRITTEN.get(table_of(cur.ref))
        return self.line.unlogged_is_inserted(cur.ref, None if leader is None else self.leaders.get(leader))

    def see(self, row: tuple[Any, ...]) -> None:
        table = table_of(row[2])
        if table in VERSION_COLUMNS and row[3] is not None:
            self.payloads[(row[1], row[2])] = row[3]
        if table in REWRITTEN and REWRITTEN[table] is None:
            self.leaders[table] = row[0]

    def changed_is_version(self, cur: Current) -> bool:
        """A changed rewritten row that is a version the log missed (pending), not an edit."""
        table = table_of(cur.ref)
        if table not in REWRITTEN:
            return False
        leader = REWRITTEN[table]
        if leader is not None:
            return leader in self.missed
        if self.line is not None:  # after the line every write of the terms is logged
            return False
        if missed_version(cur.ref, self.payloads.get((cur.kind, cur.ref)), cur.payload):
            self.missed.add(table)
            return True
        return False

    def dropped(self, ref: str, seq: int) -> bool | None:
        """A logged follower (scope item) gone from the store: True when a later version
        dropped it (logged before its leader's last record), None when it is part of a
        version the log missed (pending), False when it was deleted behind the tool."""
        leader = REWRITTEN.get(table_of(ref))
        if leader is None:
            return False
        if leader in self.missed:
            return None
        return seq < self.leaders.get(leader, 0)


def _cross_check(
    client_id: int,
    logged: dict[tuple[str, str], tuple[int, str]],
    currents: Iterable[Current],
    problems: list[Problem],
    versions: Versions | None = None,
) -> int:
    pending = 0
    versions = versions or Versions({}, {}, set())

    def flag(seq: int | None, kind: str, ref: str, code: str, text: str) -> None:
        problems.append(Problem(client_id, seq, kind, ref, code, text))

    def compare(cur: Current) -> None:
        nonlocal pending
        entry = logged.pop((cur.kind, cur.ref), None)
        strict = cur.kind in STRICT_KINDS
        if entry is None:
            if strict:
                flag(None, cur.kind, cur.ref, "unlogged",
                     f"{cur.kind} {cur.ref} is in the store but not in the log (imported before the log "
                     "existed, or inserted behind the import; `clientguard evidence sync` logs it)")
            elif cur.kind in APPEND_ONLY_KINDS and versions.inserted(cur):
                line = versions.line
                flag(None, cur.kind, cur.ref, "inserted",
                     f"{cur.kind} {cur.ref} was inserted in the store after logging began (seq "
                     f"{line.seq if line else '?'}: every write of clientguard since is logged when "
                     "made) and is not on the log: added behind clientguard; `evidence sync` does not "
                     "log it")
            else:
                pending += 1
            return
        seq, content_hash = entry
        if sha256_hex(cur.payload) != content_hash:
            if strict or (cur.kind in APPEND_ONLY_KINDS and not versions.changed_is_version(cur)):
                flag(seq, cur.kind, cur.ref, "source_changed",
                     f"{cur.kind} {cur.ref} was changed in the store after it was logged at seq {seq}")
            else:
                pending += 1

    for cur in currents:
        compare(cur)
    for (kind, ref), (seq, _h) in sorted(logged.items(), key=lambda kv: kv[1][0]):
        dropped = versions.dropped(ref, seq) if kind == CONTRACT else False
        if dropped is None:
            pending += 1
        elif not dropped:
            flag(seq, kind, ref, "source_missing",
                 f"{kind} {ref} logged at seq {seq} is no longer in the store (deleted)")
    return pending


@dataclass(frozen=True)
class LogCheck:
    """What :func:`check_log` found: where the chain ends, the problems, the counts.

    ``moves`` are the chain's move records as (seq, kind, created_at, move, row) for
    :func:`check_moves` and the report (``row`` the record as read).
    """

    state: ChainState
    problems: tuple[Problem, ...]
    pending: int
    messages: int
    moves: tuple[MovedRow, ...] = ()
    merges: tuple[tuple[Any, ...], ...] = ()  # merged_out / merged_in rows as read
    closing: tuple[ClosingNote, ...] = ()


def check_log(
    client_id: int,
    rows: Iterable[tuple[Any, ...]],
    currents: Iterable[Current] | None,
    expected_head: tuple[int, str] | None,
    erased_at: int | None = None,
) -> LogCheck:
    """Verify a chain (rows in ``seq`` order) and cross-check it against ``currents``.

    Pure, like :func:`~clientguard.evidence.chain.verify_rows`, so the property tests
    run it on tampered lists; ``currents`` (the store's rows as they are now, consumed
    after ``rows``) None means chain only. Per-message records and the entries of
    ``messages`` listings both land under ``("message", id)`` with the seq of the record
    that logged them, so an edited, deleted or unlogged message is named by id however
    it was logged; a ``moved_out`` takes its entries off, a ``moved_in`` puts them on,
    a ``merged_out`` takes its listing off and the ``erased`` record everything
    (:mod:`clientguard.evidence.closing`).

    ``erased_at``: the seq of the chain's ``erased`` record. A record before it whose
    payload is gone was erased with the client; anywhere else a missing payload (other
    than a per-message record's, which never had one) is content removed behind the tool.
    """
    problems: list[Problem] = []
    logged: dict[tuple[str, str], tuple[int, str]] = {}
    moved: list[MovedRow] = []
    merges: list[tuple[Any, ...]] = []
    notes: list[ClosingNote] = []
    versions = Versions({}, {}, set())
    cross = currents is not None

    def tee() -> Iterator[tuple[Any, ...]]:
        kinds = CHECKED_KINDS
        for row in rows:
            kind = row[1]
            if row[3] is None and kind != MESSAGE:
                if erased_at is None or row[0] >= erased_at:
                    problems.append(
                        Problem(client_id, row[0], kind, row[2], "edited",
                                "its content was removed from the log, and no erasure by `clientguard "
                                "clients forget` follows it")
                    )
            elif kind in CLOSING_KINDS:
                _closing(client_id, row, logged, problems, merges, notes, cross)
            elif not cross:
                if kind in MOVE_KINDS:
                    _move(client_id, row, {}, [], moved)
            elif kind == MESSAGES:
                _expand(client_id, row, logged, problems)
            elif kind in kinds:
                logged[(kind, row[2])] = (row[0], row[4])
                if kind == CONTRACT:
                    versions.see(row)
            elif kind == baseline.KIND:
                versions.see_line(row)
            elif kind in MOVE_KINDS:
                _move(client_id, row, logged, problems, moved)
            yield row

    state = verify_rows(client_id, tee(), problems, expected_head)
    if currents is None:
        return LogCheck(state, tuple(problems), 0, 0, tuple(moved), tuple(merges), tuple(notes))
    messages = sum(1 for kind, _ref in logged if kind == MESSAGE)
    pending = _cross_check(client_id, logged, currents, problems, versions)
    return LogCheck(state, tuple(problems), pending, messages, tuple(moved), tuple(merges), tuple(notes))


def _closing(
    client_id: int,
    row: tuple[Any, ...],
    logged: dict[tuple[str, str], tuple[int, str]],
    problems: list[Problem],
    merges: list[tuple[Any, ...]],
    notes: list[ClosingNote],
    cross: bool,
) -> None:
    """A rename, merge or erasure record: its report line, and what it does to ``logged``."""
    seq, kind, ref, payload, created = row[0], row[1], row[2], row[3], row[5]
    notes.append(closing_note(seq, kind, created, payload))
    if kind in (MERGED_OUT, MERGED_IN):
        merges.append(tuple(row))
    if not cross:
        return
    if kind == ERASED:
        logged.clear()
    elif kind == MERGED_OUT:
        try:
            bad = apply_merge_out(seq, payload, logged)
        except ValueError as exc:
            why = f"the merge record is unreadable ({exc})"
            problems.append(Problem(client_id, seq, kind, ref, "edited", why))
            return
        for what, rid, _h, _seq in bad:
            problems.append(
                Problem(client_id, seq, what, rid, "bad_move",
                        f"{what} {rid} is handed over by the merge at seq {seq} but this log did not vouch "
                        "for it with that hash (the merge record was forged or edited)")
            )


def _move(
    client_id: int,
    row: tuple[Any, ...],
    logged: dict[tuple[str, str], tuple[int, str]],
    problems: list[Problem],
    moved: list[MovedRow],
) -> None:
    """Apply a ``moved_out`` / ``moved_in`` record to ``logged``; name what it hands over wrongly."""
    seq, kind, ref, payload, created = row[0], row[1], row[2], row[3], row[5]
    try:
        move = moves.parse(payload)
    except ValueError as exc:
        problems.append(
            Problem(client_id, seq, kind, ref, "edited", f"the move record is unreadable ({exc})")
        )
        return
    moved.append((seq, kind, created, move, tuple(row)))
    for what, mid, _h, _seq in moves.apply(kind, seq, move, logged):
        problems.append(
            Problem(
                client_id,
                seq,
                what,
                mid,
                "bad_move",
                f"{what} {mid} is handed over by the move at seq {seq} but this log did not vouch "
                "for it with that hash (the move record was forged or edited)",
            )
        )


def _store_rows(conn: Connection, client_id: int) -> Iterator[Current]:
    for source in (current_messages, current_events, current_notes, current_extra):
        yield from source(conn, client_id)


def verify_client(conn: Connection, client_id: int, *, cross_check: bool = True) -> VerifyReport:
    """Verify one client's chain and, unless told not to, cross-check the store."""
    name = conn.execute(select(ClientRow.name).where(ClientRow.id == client_id)).scalar() or f"#{client_id}"
    currents = _store_rows(conn, client_id) if cross_check else None
    erased_at = erased_seq(conn, client_id)
    # Checking a big client allocates millions of small tuples that all stay alive until
    # the end; the cyclic collector would rescan them again and again (a third of the time
    # for a million messages). None of them form cycles, so it is paused meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        found = check_log(
            client_id, chain_rows(conn, client_id), currents, stored_head(conn, client_id), erased_at
        )
    finally:
        if was_enabled:
            gc.enable()
    state: ChainState = found.state
    return VerifyReport(
        client_id,
        name,
        state.count,
        state.last_seq,
        state.head_hash,
        found.problems
        + tuple(check_moves(conn, client_id, found.moves))
        + tuple(check_merges(conn, client_id, found.merges)),
        found.pending,
        found.messages,
        moves.notes((seq, kind, created, move) for seq, kind, created, move, _row in found.moves),
        found.closing,
    )


def _expand(
    client_id: int,
    row: tuple[Any, ...],
    logged: dict[tuple[str, str], tuple[int, str]],
    problems: list[Problem],
) -> None:
    """Enter each message of a ``messages`` record's listing under ``("message", id)``."""
    seq, kind, ref, payload = row[0], row[1], row[2], row[3]
    try:
        listing = parse_listing(payload)
    except ValueError as exc:
        problems.append(
            Problem(client_id, seq, kind, ref, "edited", f"the message listing is unreadable ({exc})")
        )
        return
    logged.update(((MESSAGE, str(mid)), (seq, content_hash)) for mid, content_hash in listing)


def client_ids(conn: Connection, name: str | None = None) -> list[int]:
    """Every client's id, or the one named (exact, then case-insensitive)."""
    rows = list(conn.execute(select(ClientRow.id, ClientRow.name).order_by(ClientRow.id)))
    if name is None:
        return [int(i) for i, _ in rows]
    exact = [int(i) for i, n in rows if n == name]
    return exact or [int(i) for i, n in rows if n.casefold() == name.casefold()]


def resolve_client(conn: Connection, name: str) -> int:
    """The id of the client named ``name``; :class:`NotFoundError` when none or ambiguous."""
    return require_client(conn, name)[0]
