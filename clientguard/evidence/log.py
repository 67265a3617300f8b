"""Appending to the per-client evidence chain, inside the caller's transaction.

Three ways in:

* :func:`after_import` and :func:`after_import_events` — the store's after-import hooks
  (``hooks.DEFAULT_AFTER_IMPORT``, ``hooks.DEFAULT_AFTER_IMPORT_EVENTS``): every chunk of
  newly inserted messages, and the new service events of each conversation, are chained
  and bulk-inserted in the import's own transaction, so a rolled-back import leaves no
  records and a committed one leaves nothing it imported unlogged.
* :func:`append` — notes, confirmations and anything else a feature wants on record.
* :func:`sync` — catches up with what has no hook of its own: other features' contracts
  and invoices, and messages or events imported before the hooks existed. Mutable kinds
  (invoices, contracts) get a new record when their row changed, so the log keeps their
  history.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, insert, select, update

from clientguard.evidence.chain import GENESIS, ChainState, build_chain, sha256_hex
from clientguard.evidence.sources import (
    MUTABLE_KINDS,
    Current,
    current_events,
    current_extra,
    current_messages,
    epoch,
    event_payload,
)
from clientguard.store.models import SourceFileRow
from clientguard.store.models_evidence import EvidenceHeadRow, EvidenceRecordRow
from clientguard.store.records import NewEvent, NewMessage

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
    params = [
        (client_id, *(row._replace(payload=None) if row.kind == "message" else row))
        for row in build_chain(client_id, items, prev, seq0 + 1)
    ]
    if not params:
        return ChainState(0, seq0, prev)
    _insert(conn, client_id, params)
    return ChainState(len(params), params[-1][1], params[-1][-1])


_ROWS_PER_INSERT = 1000  # x 10 columns: well under SQLite's 32,766 bound variables


def _insert(conn: Connection, client_id: int, params: list[tuple[Any, ...]]) -> None:
    """Bulk-insert chained rows (in ``_COLUMNS`` order) and move the client's head."""
    if not params:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    row_sql = f"({', '.join([mark] * len(_COLUMNS))})"
    head_sql = f"INSERT INTO evidence_records ({', '.join(_COLUMNS)}) VALUES "
    # Multi-row VALUES in slices: one statement per slice instead of one step per row
    # (the same lever the message insert uses), kept under SQLite's variable limit.
    for start in range(0, len(params), _ROWS_PER_INSERT):
        part = params[start : start + _ROWS_PER_INSERT]
        flat = tuple(itertools.chain.from_iterable(part))
        conn.exec_driver_sql(head_sql + ", ".join([row_sql] * len(part)), flat)
    first_seq, last_seq, last_hash = params[0][1], params[-1][1], params[-1][-1]
    if first_seq == 1:
        conn.execute(insert(EvidenceHeadRow).values(client_id=client_id, seq=last_seq, hash=last_hash))
    else:
        conn.execute(
            update(EvidenceHeadRow)
            .where(EvidenceHeadRow.client_id == client_id)
            .values(seq=last_seq, hash=last_hash)
        )


def _source_hashes(conn: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(SourceFileRow.id, SourceFileRow.sha256).where(SourceFileRow.id.in_(ids))
    return {int(i): str(h) for i, h in conn.execute(query)}


def after_import(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
    """Store hook: chain one chunk of newly inserted messages in the import's transaction.

    Events come to :func:`after_import_events` instead. This is the import's hot path, so
    the loop is written out by hand: the message's canonical JSON (the same bytes
    :func:`~clientguard.evidence.sources.message_payload` builds), its SHA-256, the
    record's canonical JSON, the chain SHA-256, one parameter tuple; then a few multi-row
    ``INSERT``s. A message record stores no payload copy: the message row is the
    content, the record commits to it by ``content_hash``, and verification re-hashes
    the row (that is how an edit made in the database after import is caught).
    """
    if not rows:
        return
    sha = hashlib.sha256
    enc = encode_basestring
    created = now_iso()
    created_j = enc(created)
    hashes = _source_hashes(conn, {r.source_file_id for r in rows if r.source_file_id is not None})
    seq, prev = head(conn, client_id)
    pre = f'{{"client_id":{client_id},"content_hash":"'
    mid_rec = f'","created_at":{created_j},"kind":"message","ref":"'
    sources = {fid: (h, f"{enc(h)}}}") for fid, h in hashes.items()}
    no_source = (None, "null}")
    params: list[tuple[Any, ...]] = []
    add = params.append
    for row in rows:
        # Unpacked at once: a NamedTuple's attribute access costs more than the hashing.
        (
            mid,
            conv,
            sid,
            key,
            name,
            _contact,
            _role,
            ts,
            text,
            orig,
            reply,
            edited,
            fwd,
            att,
            subj,
            sfid,
            _imp,
        ) = row
        seq += 1
        payload = (
            f'{{"attachment":"{att}","conversation_id":{conv},'
            f'"edited":{"null" if edited is None else repr(epoch(edited))},'
            f'"forwarded_from":{"null" if fwd is None else enc(fwd)},"id":{mid},'
            f'"original_text":{"null" if orig is None else enc(orig)},'
            f'"reply_to":{"null" if reply is None else enc(reply)},'
            f'"sender_key":{enc(key)},"sender_name":{"null" if name is None else enc(name)},'
            f'"source_id":{enc(sid)},"subject":{"null" if subj is None else enc(subj)},'
            f'"text":{enc(text)},"ts":{"null" if ts is None else repr(epoch(ts))}}}'
        )
        content_hash = sha(payload.encode()).hexdigest()
        source_hash, source_j = no_source if sfid is None else sources.get(sfid, no_source)
        ref = str(mid)
        digest = sha(
            f'{prev}{pre}{content_hash}{mid_rec}{ref}","seq":{seq},"source_hash":{source_j}'.encode()
        ).hexdigest()
        add((client_id, seq, "message", ref, None, content_hash, created, source_hash, prev, digest))
        prev = digest
    _insert(conn, client_id, params)


def after_import_events(conn: Connection, client_id: int, events: Sequence[NewEvent]) -> None:
    """Store hook: chain a conversation's newly inserted service events in the import's transaction.

    Events are ~1 % of an export, so this takes the general path: each payload is
    :func:`~clientguard.evidence.sources.event_payload` of the row as inserted, the very
    function :func:`sync` and the cross-check apply to the stored row, so the two agree.
    """
    if not events:
        return
    created = now_iso()
    hashes = _source_hashes(conn, {e.source_file_id for e in events if e.source_file_id is not None})
    append(
        conn,
        client_id,
        (
            (
                "event",
                str(e.id),
                event_payload(e),
                created,
                None if e.source_file_id is None else hashes.get(e.source_file_id),
            )
            for e in events
        ),
    )


def logged_refs(conn: Connection, client_id: int, kinds: Iterable[str]) -> dict[tuple[str, str], str]:
    """(kind, ref) → content hash of its latest record, for the given kinds."""
    query = (
        select(EvidenceRecordRow.kind, EvidenceRecordRow.ref, EvidenceRecordRow.content_hash)
        .where(EvidenceRecordRow.client_id == client_id, EvidenceRecordRow.kind.in_(list(kinds)))
        .order_by(EvidenceRecordRow.seq)
    )
    return {(k, r): h for k, r, h in conn.execute(query.execution_options(yield_per=10000))}


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
