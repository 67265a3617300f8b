"""Appending to the per-client evidence chain, inside the caller's transaction.

Three ways in:

* :func:`after_import` and :func:`after_import_events` — the store's after-import hooks
  (``hooks.DEFAULT_AFTER_IMPORT``, ``hooks.DEFAULT_AFTER_IMPORT_EVENTS``): every chunk of
  newly inserted messages (as ONE ``messages`` record listing them, see
  :mod:`clientguard.evidence.chain`), and the new service events of each conversation
  (one record each: they are ~1 % of an export), are chained and inserted in the
  import's own transaction, so a rolled-back import leaves no
  records and a committed one leaves nothing it imported unlogged.
* :func:`append` — notes, confirmations and anything else a feature wants on record.
* :func:`clientguard.evidence.handover.after_move` — the store's move hook: a stored
  conversation handed to another client, as a record in each of the two chains.
* :func:`sync` — catches up with what has no hook of its own: other features' contracts,
  invoices and invoice payments, and messages or events imported before the hooks
  existed (so an older database gets every record kind added since, payments included,
  the next time it syncs). Terms and scope items the tool rewrote without the log (an
  older clientguard) get a new record, so the log keeps their history; any other record
  is logged once, and a change to it is tampering for verify to name.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, select

from clientguard.errors import StorageError
from clientguard.evidence import baseline, moves
from clientguard.evidence.baseline import Baseline
from clientguard.evidence.chain import (
    GENESIS,
    MESSAGE,
    MESSAGES,
    ChainRow,
    ChainState,
    build_chain,
    join_listing,
    listing_json,
    listing_ref,
    parse_listing,
    sha256_hex,
)
from clientguard.evidence.moves import MOVE_KINDS, Logged
from clientguard.evidence.sources import (
    REWRITTEN,
    Current,
    current_events,
    current_extra,
    current_messages,
    epoch,
    event_payload,
    missed_version,
    renumbered,
    table_of,
    written_rows,
)
from clientguard.store.models_evidence import EvidenceRecordRow
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


def _mark(conn: Connection) -> str:
    """The driver's positional placeholder: the hooks' statements skip SQLAlchemy's compiler.

    They run a few times per imported chunk and per conversation's events; compiling a
    Core statement each time cost more than the statement itself.
    """
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def head(conn: Connection, client_id: int) -> tuple[int, str]:
    """(seq, hash) of the client's last record; (0, GENESIS) for an empty chain.

    On PostgreSQL the head row is locked, so two writers cannot fork one chain.
    """
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    sql = f"SELECT seq, hash FROM evidence_heads WHERE client_id = {_mark(conn)}{lock}"
    row = conn.exec_driver_sql(sql, (client_id,)).first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(conn: Connection, client_id: int, items: Iterable[Item]) -> ChainState:
    """Chain ``items`` after the client's head and bulk-insert them; returns the new head."""
    seq0, prev = head(conn, client_id)
    params = [
        (client_id, *(row._replace(payload=None) if row.kind == MESSAGE else row))
        for row in build_chain(client_id, items, prev, seq0 + 1)
    ]
    if not params:
        return ChainState(0, seq0, prev)
    _insert(conn, client_id, params)
    return ChainState(len(params), params[-1][1], params[-1][-1])


def append_one(conn: Connection, client_id: int, item: Item) -> ChainRow:
    """Chain one record after the client's head and insert it; returns it (with its seq and hash)."""
    seq0, prev = head(conn, client_id)
    row = next(build_chain(client_id, [item], prev, seq0 + 1))
    _insert(conn, client_id, [(client_id, *row)])
    return row


_ROWS_PER_INSERT = 1000  # x 10 columns: well under SQLite's 32,766 bound variables


def _insert(conn: Connection, client_id: int, params: list[tuple[Any, ...]]) -> None:
    """Bulk-insert chained rows (in ``_COLUMNS`` order) and move the client's head."""
    if not params:
        return
    mark = _mark(conn)
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
        sql = f"INSERT INTO evidence_heads (client_id, seq, hash) VALUES ({mark}, {mark}, {mark})"
        conn.exec_driver_sql(sql, (client_id, last_seq, last_hash))
    else:
        sql = f"UPDATE evidence_heads SET seq = {mark}, hash = {mark} WHERE client_id = {mark}"
        conn.exec_driver_sql(sql, (last_seq, last_hash, client_id))


def source_hashes(conn: Connection, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ", ".join([_mark(conn)] * len(ids))
    sql = f"SELECT id, sha256 FROM source_files WHERE id IN ({marks})"
    return {int(i): str(h) for i, h in conn.exec_driver_sql(sql, tuple(ids))}


def after_import(conn: Connection, client_id: int, rows: Sequence[NewMessage]) -> None:
    """Store hook: chain one chunk of newly inserted messages in the import's transaction.

    Events come to :func:`after_import_events` instead. This is the import's hot path, so
    the loop is written out by hand: the message's canonical JSON (the same bytes
    :func:`~clientguard.evidence.sources.message_payload` builds), its SHA-256, and its
    entry of the listing, ``[id,"hash"]`` (see :func:`~clientguard.evidence.chain.listing_entry`).
    The chunk then becomes ONE ``messages`` record whose payload is the listing, joined
    in one C-level call (see :mod:`clientguard.evidence.chain`): per message that is one
    payload, one SHA-256 and one short string, where a record per message also cost a
    record JSON, a chain SHA-256 and a 10-column row each (+50 % on an import). Entries
    are built as strings rather than (id, hash) tuples handed to ``json.dumps``: that
    measured ~0.09 s slower per 100,000 messages (the encoder's pass over 100,000
    tuples, and the tuples themselves, which the garbage collector tracks). Verification
    re-hashes each listed message's row against its listed hash, so an edit made in the database
    after import is still caught and named by message id.
    """
    if not rows:
        return
    sha = hashlib.sha256
    enc = encode_basestring
    # Runs of messages from one source file: each run is one record carrying that file's
    # hash, looked up once the runs are known (no extra pass over the rows).
    runs: list[tuple[int | None, int, int, list[str]]] = []
    parts: list[str] = []
    add = parts.append
    run_sfid: int | None = rows[0].source_file_id
    first = last = rows[0].id
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
        if sfid != run_sfid:
            runs.append((run_sfid, first, last, parts))
            parts = []
            add = parts.append
            run_sfid = sfid
            first = mid
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
        # = listing_entry(mid, content hash), inlined
        add(f'[{mid},"{sha(payload.encode()).hexdigest()}"]')
        last = mid
    runs.append((run_sfid, first, last, parts))
    hashes = source_hashes(conn, {sfid for sfid, *_ in runs if sfid is not None})
    created = now_iso()
    append(
        conn,
        client_id,
        (
            (
                MESSAGES,
                listing_ref(first_id, last_id),
                join_listing(entries),
                created,
                None if sfid is None else hashes.get(sfid),
            )
            for sfid, first_id, last_id, entries in runs
        ),
    )


def _append_listings(
    conn: Connection,
    client_id: int,
    runs: Iterable[tuple[str | None, list[tuple[int, str]]]],
    created: str,
) -> ChainState:
    """Chain one ``messages`` record per (source hash, [(id, content hash), ...]) run."""
    return append(
        conn,
        client_id,
        (
            (MESSAGES, listing_ref(entries[0][0], entries[-1][0]), listing_json(entries), created, source)
            for source, entries in runs
            if entries
        ),
    )


def after_import_events(conn: Connection, client_id: int, events: Sequence[NewEvent]) -> None:
    """Store hook: chain a conversation's newly inserted service events in the import's transaction.

    Events are ~1 % of an export, so this takes the general path: each payload is
    :func:`~clientguard.evidence.sources.event_payload` of the row as inserted, the very
    function :func:`sync` and the cross-check apply to the stored row, so the two agree.
    """
    if not events:
        return
    created = now_iso()
    hashes = source_hashes(conn, {e.source_file_id for e in events if e.source_file_id is not None})
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


def logged_entries(conn: Connection, client_id: int, kinds: Iterable[str]) -> Logged:
    """(kind, ref) → (seq, content hash) of what the client's chain vouches for now.

    Messages are keyed ``("message", id)`` whichever way they were logged: a per-message
    record, an entry of a ``messages`` listing (asking for ``"message"`` reads both) or
    of a ``moved_in``; a ``moved_out`` takes its entries off again (see
    :mod:`clientguard.evidence.moves`), and so does a ``merged_out``; an ``erased`` record
    takes everything off (:mod:`clientguard.evidence.closing`). Later records win. A listing or move that does
    not parse is skipped; verification reports its record as edited.
    """
    from clientguard.evidence.closing import ERASED, MERGED_OUT, apply_merge_out  # it builds on this module

    wanted = set(kinds)
    if MESSAGE in wanted:
        wanted.add(MESSAGES)
    wanted |= MOVE_KINDS | {MERGED_OUT, ERASED}
    query = (
        select(
            EvidenceRecordRow.seq,
            EvidenceRecordRow.kind,
            EvidenceRecordRow.ref,
            EvidenceRecordRow.content_hash,
            EvidenceRecordRow.payload,
        )
        .where(EvidenceRecordRow.client_id == client_id, EvidenceRecordRow.kind.in_(sorted(wanted)))
        .order_by(EvidenceRecordRow.seq)
    )
    out: Logged = {}
    for seq, k, r, h, payload in conn.execute(query.execution_options(yield_per=10000)):
        if k == MESSAGES:
            try:
                listing = parse_listing(payload)
            except ValueError:
                continue
            out.update(((MESSAGE, str(mid)), (seq, ch)) for mid, ch in listing)
        elif k in MOVE_KINDS:
            try:
                move = moves.parse(payload)
            except ValueError:
                continue
            moves.apply(k, seq, move, out)
        elif k == MERGED_OUT:
            try:
                apply_merge_out(seq, payload, out)
            except ValueError:
                continue
        elif k == ERASED:
            out.clear()
        else:
            out[(k, r)] = (seq, h)
    return out


def logged_refs(conn: Connection, client_id: int, kinds: Iterable[str]) -> dict[tuple[str, str], str]:
    """(kind, ref) → content hash of what the client's chain vouches for (see :func:`logged_entries`)."""
    return {key: h for key, (_seq, h) in logged_entries(conn, client_id, kinds).items()}


def _pending(
    currents: Iterable[Current],
    logged: dict[tuple[str, str], str],
    created: str,
    *,
    written: bool = False,
    payloads: dict[tuple[str, str], str] | None = None,
    line: Baseline | None = None,
    leaders: dict[str, int] | None = None,
    unlogged: bool = True,
    renumbers: bool = False,
) -> list[Item]:
    """What of ``currents`` goes on the log: unlogged rows, and new versions of rewritten ones.

    A row of an append-only table (contracts, invoices, payments, events) is logged once;
    a change to it is tampering, left for verify to name. A row the tool rewrites in place
    (:data:`~clientguard.evidence.sources.REWRITTEN`: terms and scope) is logged anew when
    it changed and ``written`` (the record hook, called by the write that changed it), or,
    for the sync, when it is a version the log missed (``payloads``: the logged payloads
    the version column is read from, see
    :func:`~clientguard.evidence.sources.missed_version`) and the client's log has no
    :mod:`~clientguard.evidence.baseline` ``line`` yet. A new version of the terms
    logs every scope item with it, so verify can tell a scope item the next version
    dropped from one deleted behind the tool. ``currents`` lists leaders (terms) before
    their followers (scope), as :data:`~clientguard.evidence.sources.EXTRA_TABLES` does.

    An unlogged row is logged unless ``unlogged`` is False or the ``line`` says it was
    inserted behind the log (``leaders``: the seq of the last record of each leading
    table, see :meth:`~clientguard.evidence.baseline.Baseline.unlogged_is_inserted`):
    that row stays off the log, for verify to name.

    ``renumbers`` (the record hook, for the rows a write names): an invoice or payment
    that differs from its last record (``payloads``) in the invoice number alone is
    logged anew: ``invoice renumber`` wrote it (:data:`~clientguard.evidence.sources.RENUMBERED`).
    """
    versions: set[str] = set()  # rewritten tables whose row is logged anew here
    out: list[Item] = []
    for cur in currents:
        table = table_of(cur.ref)
        known = logged.get((cur.kind, cur.ref))
        if table in REWRITTEN and REWRITTEN[table] in versions:
            new = True  # a follower of a leader logged anew here
        elif known is None:
            leader_seq = (leaders or {}).get(REWRITTEN.get(table) or "")
            new = unlogged and not (line is not None and line.unlogged_is_inserted(cur.ref, leader_seq))
        elif known == sha256_hex(cur.payload):
            new = False
        elif renumbers and renumbered(cur.ref, (payloads or {}).get((cur.kind, cur.ref)), cur.payload):
            new = True
        elif table not in REWRITTEN:
            new = False
        else:
            old = (payloads or {}).get((cur.kind, cur.ref))
            new = written or (line is None and missed_version(cur.ref, old, cur.payload))
        if new:
            out.append((cur.kind, cur.ref, cur.payload, created, None))
            if table in REWRITTEN and REWRITTEN[table] is None:
                versions.add(table)
    return out


def latest_entries(
    conn: Connection, client_id: int, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str, str | None]]:
    """(kind, ref) → (seq, content hash, payload) of the last record of each of ``keys``.

    One statement over the client's records with those refs (the ``(client_id, ref)``
    index, ``ix_evidence_records_ref``): no record is decoded in Python but those asked for.
    """
    wanted = set(keys)
    if not wanted:
        return {}
    refs = sorted({ref for _kind, ref in wanted})
    where, params = by_ref(conn, client_id, refs)
    sql = f"SELECT seq, kind, ref, content_hash, payload FROM evidence_records WHERE {where}"
    out: dict[tuple[str, str], tuple[int, str, str | None]] = {}
    for seq, kind, ref, content_hash, payload in sorted(conn.exec_driver_sql(sql, params)):
        if (kind, ref) in wanted:
            out[(kind, ref)] = (int(seq), content_hash, payload)
    return out


def by_ref(conn: Connection, client_id: int, refs: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause (and its parameters) of the client's records with these refs, by the index.

    ``ix_evidence_records_ref`` (client_id, ref). SQLite, which keeps no statistics,
    costed that index above a scan of the client's log when asked for whole rows of a
    WITHOUT ROWID table: the seqs come from the index and the rows by key. PostgreSQL
    plans the plain condition on the index (the same subquery there made a nested loop
    over the client's log while its statistics were those of an empty table). No ORDER
    BY either: it drew both planners to the primary key; the caller sorts the few rows.
    """
    mark = _mark(conn)
    refs_sql = ", ".join([mark] * len(refs))
    if conn.dialect.name == "sqlite":
        where = (
            f"client_id = {mark} AND seq IN "
            f"(SELECT seq FROM evidence_records WHERE client_id = {mark} AND ref IN ({refs_sql}))"
        )
        return where, (client_id, client_id, *refs)
    return f"client_id = {mark} AND ref IN ({refs_sql})", (client_id, *refs)


def latest_records(
    conn: Connection, client_id: int, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(kind, ref) → (content hash, payload) of the last record of each of ``keys``."""
    return {key: (h, p) for key, (_seq, h, p) in latest_entries(conn, client_id, keys).items()}


def _leaders(entries: Iterable[tuple[tuple[str, str], int]]) -> dict[str, int]:
    """The seq of the last record of each leading rewritten table (the terms), from (key, seq)."""
    out: dict[str, int] = {}
    for (_kind, ref), seq in entries:
        table = table_of(ref)
        if table in REWRITTEN and REWRITTEN[table] is None:
            out[table] = max(seq, out.get(table, 0))
    return out


#: The record kinds of the rows the line covers (what :func:`current_extra` yields).
_LINE_KINDS = ("contract", "invoice", "payment", "void", "adjustment")


def _line_item(conn: Connection, client_id: int, created: str, logging: Iterable[Item]) -> Item:
    """The client's :mod:`~clientguard.evidence.baseline` record, as of now.

    It lists the client's rows that are neither on the log nor among ``logging`` (the
    records appended with it): the rows an older clientguard wrote, which alone may stay
    pending below the line. Once per client: one read of its rows and of its log's
    records of those kinds (messages listings are not read).
    """
    going = {(kind, ref) for kind, ref, *_rest in logging}
    logged = logged_entries(conn, client_id, _LINE_KINDS)
    unlogged = [
        cur.ref
        for cur in current_extra(conn, client_id)
        if (cur.kind, cur.ref) not in logged and (cur.kind, cur.ref) not in going
    ]
    return (baseline.KIND, baseline.KIND, baseline.snapshot(conn, unlogged), created, None)


def _catch_up(
    conn: Connection, client_id: int, written: Sequence[tuple[str, int | None]], created: str
) -> list[Item]:
    """Before the line is drawn: the terms and scope as a version the log missed, if they are one.

    After the line a logged terms row that differs from its record is tampering whatever
    its ``updated_at``; a version an older clientguard wrote (without the hook) must then
    be on the log before the line, as the sync would have put it. Unlogged rows stay
    pending; a write of the terms logs them itself.
    """
    if any(name in REWRITTEN for name, _id in written):
        return []
    currents = list(written_rows(conn, client_id, [(name, None) for name in REWRITTEN]))
    latest = latest_records(conn, client_id, ((c.kind, c.ref) for c in currents))
    hashes = {key: h for key, (h, _payload) in latest.items()}
    payloads = {key: p for key, (_h, p) in latest.items() if p is not None}
    return _pending(currents, hashes, created, payloads=payloads, unlogged=False)


def logging_when_written() -> bool:
    """Whether the record hook is installed: only then may a sync draw the client's line."""
    from clientguard.store.hooks import after_record_hooks

    return after_record in after_record_hooks()


def after_record(
    conn: Connection, client_id: int, written: Sequence[tuple[str, int | None]] | None = None
) -> None:
    """Log the rows a write of contracts, terms, invoices or payments made, in its transaction.

    The store's record hook (:data:`clientguard.store.hooks.DEFAULT_AFTER_RECORD`): a
    record is chained when it is written, so verify never reports the user's own
    ``invoice add`` as pending and an invoice edited behind the log right after is
    tampering, not news. ``written`` names the rows ((table, id), id None for all the
    client's rows of the table): only those are read, with the last records of the
    same refs, so the thousandth invoice of a case file costs what the first did (it
    used to re-read and re-hash every contract, invoice and payment of the client and
    reflect the schema, on each write). None reads everything (a caller that does not
    say what it wrote). Messages are left to the import hook and :func:`sync`.

    The first time it runs for a client it draws the client's line
    (:mod:`~clientguard.evidence.baseline`) before what the write made, listing the
    client's rows then unlogged: from then on an unlogged row above it, or at or below it
    and not listed, was inserted behind the tool.
    """
    created = now_iso()
    items: list[Item] = []
    currents = list(
        current_extra(conn, client_id) if written is None else written_rows(conn, client_id, written)
    )
    if currents:
        logged = latest_records(conn, client_id, ((c.kind, c.ref) for c in currents))
        hashes = {key: h for key, (h, _payload) in logged.items()}
        payloads = {key: p for key, (_h, p) in logged.items() if p is not None}
        items = _pending(
            currents, hashes, created, written=True, payloads=payloads, renumbers=written is not None
        )
    if baseline.read(conn, client_id) is None:
        before = [] if written is None else _catch_up(conn, client_id, written, created)
        items = [*before, _line_item(conn, client_id, created, [*before, *items]), *items]
    if items:
        append(conn, client_id, items)


class EditedBehindLogError(StorageError):
    """A write refused because a row it builds on differs from the evidence log (or is not on it)."""


@cache
def _prewrite_words() -> dict[str, Any]:
    import yaml

    text = resources.files("clientguard.evidence").joinpath("data/prewrite.yaml").read_text(encoding="utf-8")
    words: dict[str, Any] = yaml.safe_load(text)
    return words


def _refusal(conn: Connection, client_id: int, cur: Current, logged: str | None) -> EditedBehindLogError:
    """One line naming the row (and its fields that differ from ``logged``), in the interface language."""
    from clientguard import config

    lang = config.ui_lang(None)
    words = _prewrite_words()
    mark = _mark(conn)
    name = conn.exec_driver_sql(f"SELECT name FROM clients WHERE id = {mark}", (client_id,)).scalar()
    data = json.loads(cur.payload)
    number = data.get("number") or data.get("invoice_number") or ""
    what = words["rows"].get(table_of(cur.ref), {}).get(lang, table_of(cur.ref)).format(number=number)
    params = {"what": what, "client": name or f"#{client_id}", "ref": cur.ref}
    if logged is None:
        return EditedBehindLogError(words["inserted"][lang].format(**params))
    try:
        before = json.loads(logged)
    except ValueError:
        before = {}
    fields = sorted(k for k in set(data) | set(before) if data.get(k) != before.get(k)) or ["?"]
    sentence = words["changed_one" if len(fields) == 1 else "changed_many"][lang]
    return EditedBehindLogError(sentence.format(fields=", ".join(fields), **params))


def before_record(conn: Connection, client_id: int, read: Sequence[tuple[str, int | None]]) -> None:
    """Refuse a write that builds on a row edited or inserted behind the log (a pre-write check).

    The store's pre-write check (:data:`clientguard.store.hooks.DEFAULT_BEFORE_RECORD`),
    run inside the write before it changes anything: ``contract set`` keeps the stored
    terms the user did not give and the record hook logs the result as the client's
    new terms, so a price edited in the database rode into a properly logged version;
    ``invoice paid`` takes what is due from the invoice's stored amount. ``read`` names
    the rows ((table, id), id None for all the client's). A row that differs from its
    last record is refused unless it is a version an older clientguard wrote before the
    client's line (:mod:`~clientguard.evidence.baseline`); an unlogged row that verify
    would call inserted is refused; an unlogged older row (pending) is fine. The refusal is one
    line naming the row and the fields, in the interface language; nothing is written.
    """
    currents = list(written_rows(conn, client_id, read))
    if not currents:
        return
    latest = latest_entries(conn, client_id, ((c.kind, c.ref) for c in currents))
    line = baseline.read(conn, client_id)
    leaders = _leaders((key, seq) for key, (seq, _h, _p) in latest.items())
    missed: set[str] = set()
    for cur in currents:
        table = table_of(cur.ref)
        leader = REWRITTEN.get(table)
        entry = latest.get((cur.kind, cur.ref))
        if entry is None:
            leader_seq = None if leader is None else leaders.get(leader)
            if line is not None and line.unlogged_is_inserted(cur.ref, leader_seq):
                raise _refusal(conn, client_id, cur, None)
            continue
        _seq, content_hash, payload = entry
        if content_hash == sha256_hex(cur.payload):
            continue
        if table in REWRITTEN and line is None:
            if leader is None and missed_version(cur.ref, payload, cur.payload):
                missed.add(table)
                continue
            if leader in missed:
                continue
        raise _refusal(conn, client_id, cur, payload)


#: Messages per ``messages`` record written by :func:`sync` (the import's chunk size).
SYNC_CHUNK = 5000


def _pending_listings(
    currents: Iterable[Current], logged: dict[tuple[str, str], str]
) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """Unlogged messages as ``messages`` listings of up to :data:`SYNC_CHUNK` entries."""
    entries = [
        (int(cur.ref), sha256_hex(cur.payload)) for cur in currents if (cur.kind, cur.ref) not in logged
    ]
    return [(None, entries[i : i + SYNC_CHUNK]) for i in range(0, len(entries), SYNC_CHUNK)]


def sync(conn: Connection, client_id: int) -> int:
    """Append what is in the store but not yet in the log; returns how many records.

    Once the client's line is drawn (:mod:`~clientguard.evidence.baseline`), a row
    inserted behind the log after it is not logged, and a changed terms row is not a new
    version; without one, a sync that logs contracts, terms, invoices or payments draws
    it last when the record hook is installed (all the client's rows below it are then
    on the log).

    Messages already logged (per message or in a listing) are never re-logged, even
    when changed: that change is exactly what
    :func:`clientguard.evidence.verify.verify_client` must report. Unlogged messages are
    logged as ``messages`` listings, like the import does. Conversations that moved to
    another client before moves were recorded are handed over first
    (:func:`clientguard.evidence.handover.record_earlier_moves`).
    """
    from clientguard.evidence.handover import record_earlier_moves  # it builds on this module
    from clientguard.store.lookup import is_closed

    if is_closed(conn, client_id):  # merged or erased: its chain is closed, nothing of it is stored
        return 0
    # every kind current_extra yields: a void or refund left out read as unlogged, and was
    # logged again by each sync when the client's line was drawn after it
    kinds = (MESSAGE, "event", "contract", "invoice", "payment", "void", "adjustment")
    line = baseline.read(conn, client_id)
    entries = logged_entries(conn, client_id, kinds)
    moved = record_earlier_moves(conn, client_id, entries)
    if moved:
        entries = logged_entries(conn, client_id, kinds)
    logged = {key: h for key, (_seq, h) in entries.items()}
    created = now_iso()
    added = _append_listings(
        conn, client_id, _pending_listings(current_messages(conn, client_id), logged), created
    )
    items: list[Item] = []
    items += _pending(current_events(conn, client_id), logged, created)
    extra = list(current_extra(conn, client_id))
    changed = [(c.kind, c.ref) for c in extra if table_of(c.ref) in REWRITTEN and (c.kind, c.ref) in logged]
    payloads = {key: p for key, (_h, p) in latest_records(conn, client_id, changed).items() if p is not None}
    leaders = _leaders((key, seq) for key, (seq, _h) in entries.items())
    caught_up = _pending(extra, logged, created, payloads=payloads, line=line, leaders=leaders)
    items += caught_up
    if line is None and caught_up and logging_when_written():
        items.append(_line_item(conn, client_id, created, items))
    return moved + added.count + append(conn, client_id, items).count
