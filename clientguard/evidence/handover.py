"""Where two clients' chains meet: writing a conversation's move and checking its two halves.

The records themselves (payloads, listings, what they do to what a chain vouches for)
are in :mod:`clientguard.evidence.moves`; this module writes the pair when the store
moves a conversation (:func:`after_move`, the store's move hook,
``hooks.DEFAULT_AFTER_MOVE``), and, when a chain is verified, reads the other chain to
check each half against the other (:func:`check_moves`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from clientguard.evidence import moves
from clientguard.evidence.chain import MESSAGE, Problem, canonical_json, record_json, sha256_hex
from clientguard.evidence.log import append_one, head, logged_entries, now_iso, source_hashes
from clientguard.evidence.moves import MOVED_IN, MOVED_OUT, Move
from clientguard.store.models import ClientRow, ConversationRow, EventRow, MessageRow
from clientguard.store.models_evidence import EvidenceRecordRow
from clientguard.store.records import ConversationMove

#: A move record as verification collects it: (seq, kind, created_at, move, the row as read).
MovedRow = tuple[int, str, str, Move, tuple[Any, ...]]

#: Why :func:`record_earlier_moves` writes a move, as the records say.
LATE_REASON = (
    "recorded late by `clientguard evidence sync`: the conversation was found under another client, "
    "moved before the log recorded moves"
)


def after_move(conn: Connection, move: ConversationMove) -> None:
    """Store hook: record a conversation changing client in both chains, in the import's transaction.

    The old client's chain gets a ``moved_out`` listing every message and event of the
    conversation it vouched for (id, the hash it logged, the seq that logged it); the new
    client's gets a ``moved_in`` with the same listing and the ``moved_out``'s seq and hash.
    Parts of :data:`~clientguard.evidence.moves.MOVE_PART` entries, one pair each.
    """
    _write_move(conn, move)


def _write_move(conn: Connection, move: ConversationMove) -> int:
    """:func:`after_move`; returns how many records it appended (both chains)."""
    src, dst = move.from_client_id, move.to_client_id
    for cid in sorted((src, dst)):  # PostgreSQL: lock both heads in one order (no deadlock)
        head(conn, cid)
    query = select(ClientRow.id, ClientRow.name).where(ClientRow.id.in_((src, dst)))
    names = {int(i): str(n) for i, n in conn.execute(query)}
    conv = move.conversation_id
    entries = _entries(conn, logged_entries(conn, src, (MESSAGE, "event")), conv)
    top = moves.header(
        conv,
        move.source_key,
        move.title,
        (src, names.get(src, f"#{src}")),
        (dst, names.get(dst, f"#{dst}")),
        move.reason,
        move.file,
        move.import_id,
    )
    sfid = move.source_file_id
    source = None if sfid is None else source_hashes(conn, {sfid}).get(sfid)
    created = now_iso()
    chunks = moves.parts(entries)
    for i, part in enumerate(chunks, 1):
        out = append_one(
            conn, src, (MOVED_OUT, str(conv), moves.payload(top, part, i, len(chunks)), created, source)
        )
        counterpart = (src, out.seq, out.hash)
        payload = moves.payload(top, part, i, len(chunks), counterpart)
        append_one(conn, dst, (MOVED_IN, str(conv), payload, created, source))
    return 2 * len(chunks)


def record_earlier_moves(conn: Connection, client_id: int, logged: moves.Logged | None = None) -> int:
    """Record the moves made before the log recorded moves; returns how many records.

    Before moves were recorded, a conversation that changed client left its messages
    logged in the old client's chain only (verify: "deleted") and unlogged in the new
    one's. Messages and events this chain vouches for (``logged``, read when None) that
    are now in a conversation of another client are handed over to it, a move pair per
    conversation, as :func:`after_move` would have written then. Nothing is vouched for
    anew: the hashes are the ones this chain logged, so an edit made meanwhile is still
    caught, and a row that is gone from the store stays ``source_missing`` here.
    """
    from clientguard.store.lookup import is_closed

    if is_closed(conn, client_id):  # merged or erased: none of its conversations is stored
        return 0
    if logged is None:
        logged = logged_entries(conn, client_id, (MESSAGE, "event"))
    found: dict[int, int] = {}  # conversation → the client it is under now
    for kind, row in (("message", MessageRow), ("event", EventRow)):
        mine = select(row.id).join(ConversationRow, ConversationRow.id == row.conversation_id)
        here = set(conn.execute(mine.where(ConversationRow.client_id == client_id)).scalars())
        gone = [int(ref) for k, ref in logged if k == kind and int(ref) not in here]
        for start in range(0, len(gone), 5000):
            query = (
                select(ConversationRow.id, ConversationRow.client_id)
                .join(row, row.conversation_id == ConversationRow.id)
                .where(row.id.in_(gone[start : start + 5000]), ConversationRow.client_id.is_not(None))
                .distinct()
            )
            found.update((int(c), int(o)) for c, o in conn.execute(query) if o not in (None, client_id))
    added = 0
    for conv, other in sorted(found.items()):
        key, title = conn.execute(
            select(ConversationRow.source_key, ConversationRow.title).where(ConversationRow.id == conv)
        ).one()
        move = ConversationMove(conv, str(key), title, client_id, other, LATE_REASON, None, None, None)
        added += _write_move(conn, move)
    return added


def _entries(conn: Connection, logged: moves.Logged, conv: int) -> list[moves.MovedEntry]:
    """What the chain behind ``logged`` vouches for of the conversation ``conv``."""
    return moves.handed_over(
        logged,
        conn.execute(select(MessageRow.id).where(MessageRow.conversation_id == conv)).scalars(),
        conn.execute(select(EventRow.id).where(EventRow.conversation_id == conv)).scalars(),
    )


def check_moves(conn: Connection, client_id: int, moved: Iterable[MovedRow]) -> list[Problem]:
    """Check each move record against its other half in the other client's chain.

    A ``moved_in`` must name (client, seq, hash) of a ``moved_out`` that is there, hashes
    to that hash and lists the same conversation and entries from that client to this
    one; a ``moved_out`` must be named by a ``moved_in`` of the client it went to. Either
    half alone is a move that did not happen as recorded: ``move_unmatched``.
    """
    problems: list[Problem] = []
    received: dict[int, set[tuple[int, int, str]]] = {}
    for seq, kind, _created, move, row in moved:
        ref, digest = row[2], row[8]
        why: str | None = None
        if kind == MOVED_IN:
            if not _sent(conn, client_id, move, row[3]):
                cp = move.counterpart
                where = f"its seq {cp[1]}" if cp else "no counterpart named"
                why = (f"client «{move.from_name}»'s log has no matching record of the conversation "
                       f"leaving it ({where}): this move did not happen as recorded")
        else:
            if move.to_id not in received:
                received[move.to_id] = _counterparts(conn, move.to_id)
            if (client_id, seq, digest) not in received[move.to_id] and not _received_erased(
                conn, move.to_id, row[3], (client_id, seq, digest)
            ):
                why = (f"client «{move.to_name}»'s log has no record of receiving the conversation "
                       "moved at this seq: its messages left this log and arrived on no other")
        if why is not None:
            problems.append(Problem(client_id, seq, kind, ref, "move_unmatched", why))
    return problems


_RECORD_SQL = (
    "SELECT seq, kind, ref, payload, content_hash, created_at, source_hash, prev_hash, hash "
    "FROM evidence_records WHERE client_id = {mark} AND seq = {mark}"
)


def _sent(conn: Connection, client_id: int, move: Move, payload: str) -> bool:
    """Whether the ``moved_out`` a ``moved_in`` names is there, intact, and the same move."""
    if move.counterpart is None or move.to_id != client_id:
        return False
    cid, seq, digest = move.counterpart
    if cid != move.from_id:
        return False
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    row = conn.exec_driver_sql(_RECORD_SQL.format(mark=mark), (cid, seq)).first()
    if row is None:
        return False
    seq_, kind, ref, other, content_hash, created, source, prev, stored = row
    record = record_json(cid, content_hash, created, kind, ref, seq_, source)
    if other is None:  # its client was erased (clients forget): the other half is known by hash
        bare = _without_counterpart(payload)
        same = bare is not None and sha256_hex(bare) == content_hash
    else:
        same = sha256_hex(other) == content_hash and moves.same_move(other, payload)
    return kind == MOVED_OUT and stored == digest and sha256_hex(prev + record) == digest and same


def _without_counterpart(payload: str) -> str | None:
    """A ``moved_in`` payload less its counterpart: its ``moved_out``'s payload (None: unreadable)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    data.pop("counterpart", None)
    return canonical_json(data)


def _received_erased(conn: Connection, to_id: int, payload: str, counterpart: tuple[int, int, str]) -> bool:
    """Whether an erased chain (payloads removed, ``clients forget``) holds this ``moved_out``'s ``moved_in``.

    Its payload is gone, so it is found by content hash: the ``moved_out``'s payload plus
    the counterpart, as :func:`after_move` wrote it.
    """
    try:
        data = json.loads(payload)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    cid, seq, digest = counterpart
    data["counterpart"] = {"client_id": cid, "seq": seq, "hash": digest}
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    found = conn.exec_driver_sql(
        f"SELECT seq FROM evidence_records WHERE client_id = {mark} AND kind = {mark} "
        f"AND content_hash = {mark} AND payload IS NULL",
        (to_id, MOVED_IN, sha256_hex(canonical_json(data))),
    ).first()
    return found is not None


def _counterparts(conn: Connection, client_id: int) -> set[tuple[int, int, str]]:
    """(client, seq, hash) of every ``moved_out`` the client's ``moved_in`` records name."""
    r = EvidenceRecordRow
    query = select(r.payload).where(r.client_id == client_id, r.kind == MOVED_IN)
    out: set[tuple[int, int, str]] = set()
    for (payload,) in conn.execute(query):
        try:
            cp = moves.parse(payload).counterpart
        except ValueError:
            continue
        if cp is not None:
            out.add(cp)
    return out
