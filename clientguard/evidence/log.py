"""Appending to the per-client evidence chain, inside the caller's transaction.

Three ways in:

* :func:`after_import` — the store's after-import hook (``hooks.DEFAULT_AFTER_IMPORT``):
  every chunk of newly inserted messages is chained and bulk-inserted in the import's
  own transaction, so a rolled-back import leaves no records and a committed one
  leaves no unlogged messages.
* :func:`append` — notes, confirmations and anything else a feature wants on record.
* :func:`sync` — catches up with what has no hook of its own: events (the store writes
  them after the message hook of a chunk), other features' contracts and invoices, and
  messages imported before this module existed. Mutable kinds (invoices, contracts)
  get a new record when their row changed, so the log keeps their history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from clientguard.evidence.chain import GENESIS, ChainState, build_chain, sha256_hex
from clientguard.evidence.sources import (
    MUTABLE_KINDS,
    Current,
    current_events,
    current_extra,
    current_messages,
    message_payload,
)
from clientguard.store.models import SourceFileRow
from clientguard.store.models_evidence import EvidenceHeadRow, EvidenceRecordRow
from clientguard.store.records import NewMessage

#: (kind, ref, payload, created_at, source_hash) — what :func:`append` chains.
Item = tuple[str, str, str, str, str | None]

_COLUMNS = (
    "client_id",
    "seq",
    "kind",
    "ref",
    "payload",
    "content_hash",
    "created_at",
    "source_hash",
    "prev_hash",
    "hash",
)


def now_iso() -> str:
    """The log's clock: UTC with microseconds, as text (it is hashed as written)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def head(conn: Connection, client_id: int) -> tuple[int, str]:
    """(seq, hash) of the client's last record; (0, GENESIS) for an empty chain.

    On PostgreSQL the head row is locked, so two writers cannot fork one chain.
    """
    query = select(EvidenceHeadRow.seq, EvidenceHeadRow.hash).where(EvidenceHeadRow.client_id == client_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(conn: Connection, client_id: int, items: Iterable[Item]) -> ChainState:
    """Chain ``items`` after the client's head and bulk-insert them; returns the new head."""
    seq0, prev = head(conn, client_id)
    params = [(client_id, *row) for row in build_chain(client_id, items, prev, seq0 + 1)]
    if not params:
        return ChainState(0, seq0, prev)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO evidence_records ({', '.join(_COLUMNS)}) VALUES ({', '.join([mark] * len(_COLUMNS))})"
    conn.exec_driver_sql(sql, params)
    last_seq, last_hash = params[-1][1], params[-1][-1]
    if seq0 == 0:
        conn.execute(insert(EvidenceHeadRow).values(client_id=client_id, seq=last_seq, hash=last_hash))
    else:
        conn.execute(
            update(EvidenceHeadRow)
            .where(EvidenceHeadRow.client_id == client_id)
            .values(seq=last_seq, hash=last_hash)
        )
    return ChainState(len(params), last_seq, last_hash)


def _source_hashes(conn: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(SourceFileRow.id, SourceFileRow.sha256).where(SourceFileRow.id.in_(ids))
    return {int(i): str(h) for i, h in conn.execute(query)}


def after_import(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
    """Store hook: chain one chunk of newly inserted messages.

    The store hands hooks messages only; events are chained by :func:`sync`.

    The loop body is a handful of string formats and two SHA-256 calls per message; the
    insert is one ``executemany``. That keeps the import within its speed budget.
    """
    if not rows:
        return
    created = now_iso()
    hashes = _source_hashes(conn, {r.source_file_id for r in rows if r.source_file_id is not None})
    items = [
        (
            "message",
            str(r.id),
            message_payload(
                r.id,
                r.conversation_id,
                r.source_id,
                r.sender_key,
                r.sender_name,
                r.ts_utc,
                r.text,
                r.original_text,
                r.reply_to,
                r.edited,
                r.forwarded_from,
                r.attachment,
                r.subject,
            ),
            created,
            None if r.source_file_id is None else hashes.get(r.source_file_id),
        )
        for r in rows
    ]
    append(conn, client_id, items)


def logged_refs(conn: Connection, client_id: int, kinds: Iterable[str]) -> dict[tuple[str, str], str]:
    """(kind, ref) → content hash of its latest record, for the given kinds."""
    query = (
        select(EvidenceRecordRow.kind, EvidenceRecordRow.ref, EvidenceRecordRow.content_hash)
        .where(EvidenceRecordRow.client_id == client_id, EvidenceRecordRow.kind.in_(list(kinds)))
        .order_by(EvidenceRecordRow.seq)
    )
    return {(k, r): h for k, r, h in conn.execution_options(yield_per=10000).execute(query)}


def _pending(currents: Iterable[Current], logged: dict[tuple[str, str], str], created: str) -> list[Item]:
    out: list[Item] = []
    for cur in currents:
        known = logged.get((cur.kind, cur.ref))
        if known is None or (cur.kind in MUTABLE_KINDS and known != sha256_hex(cur.payload)):
            out.append((cur.kind, cur.ref, cur.payload, created, None))
    return out


def sync(conn: Connection, client_id: int) -> int:
    """Append what is in the store but not yet in the log; returns how many records.

    Messages already logged are never re-logged, even when changed: that change is
    exactly what :func:`clientguard.evidence.verify.verify_client` must report.
    """
    logged = logged_refs(conn, client_id, ("message", "event", "contract", "invoice"))
    created = now_iso()
    items: list[Item] = []
    items += _pending(current_messages(conn, client_id), logged, created)
    items += _pending(current_events(conn, client_id), logged, created)
    items += _pending(current_extra(conn, client_id), logged, created)
    return append(conn, client_id, items).count
