"""What gets logged: the payload of each record kind, read from the store's tables.

A payload is the canonical JSON of the facts a record vouches for. It leaves out what
the store legitimately rewrites later (a message's ``role`` and ``contact_id`` change
when the user runs ``me add``), so that the cross-check flags only real edits.

Kinds: ``message`` and ``event`` (from the import), ``note`` and ``confirmation`` (our
own tables), every table of another feature that has ``id`` and ``client_id`` columns
and is named in :data:`EXTRA_TABLES` (contracts, invoices, voids of invoices and
payments), and the invoices' payments (``payment``: ``invoice_payments`` has no
``client_id``, so it is read through its invoice, see :func:`current_payments`). Those
are read by reflection, so this module never depends on their models.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, MetaData, Table, inspect, select

from clientguard.evidence.chain import canonical_json
from clientguard.store.models import ConversationRow, EventRow, MessageRow
from clientguard.store.models_evidence import ConfirmationRow, NoteRow

#: Tables of other features logged when they exist: (table name, record kind).
EXTRA_TABLES: tuple[tuple[str, str], ...] = (
    ("contracts", "contract"),
    ("contract_terms", "contract"),
    ("scope_items", "contract"),
    ("invoices", "invoice"),
    ("invoice_voids", "void"),
    ("invoice_adjustments", "adjustment"),  # refunds and credits of invoices, and their voids
)

#: Tables whose rows the tool rewrites in place, each with the table whose every version
#: rewrites it too (None: its own). ``contract set`` and a saved contract update the
#: client's one terms row and replace its scope items (deleted and inserted anew: new ids
#: on PostgreSQL, reused ones on SQLite). Every other logged table is append-only: no
#: feature edits a stored contract, invoice or payment (but for an invoice's number,
#: :data:`RENUMBERED`, each time logged anew), so any other change to one is tampering
#: (``verify.APPEND_ONLY_KINDS``). Since records are chained in the transaction that
#: writes them (``store.hooks.DEFAULT_AFTER_RECORD``), a row of these tables that no
#: longer matches its last record is tampering too, unless it is a version the log
#: missed (:data:`VERSION_COLUMNS`).
REWRITTEN: dict[str, str | None] = {"contract_terms": None, "scope_items": "contract_terms"}

#: Append-only tables with the one column ``invoice renumber`` (and ``clients merge
#: --renumber``) rewrites: the invoice's number, and the copy of it a payment's record
#: carries. Invoice numbers start at 1 per client, so two clients merged almost always
#: both have an invoice 1; one of them takes a new number, and the record hook logs the
#: invoice and its payments anew (:func:`renumbered`), so the chain keeps the number as
#: first written and shows the new one from the renumbering on. Only a write that names
#: the row logs such a version: a number edited in the database stays a changed row for
#: verify, and the renumbering refuses a row that differs from its record (pre-write check).
RENUMBERED: dict[str, str] = {"invoices": "number", "invoice_payments": "invoice_number"}

#: The column each write of a rewritten table moves forward. A stored row that differs
#: from its last record with this column later than the record's was written by a
#: clientguard from before records were chained when written (the log catches up on
#: ``evidence sync``); with the column as logged, the row was edited behind the tool.
VERSION_COLUMNS: dict[str, str] = {"contract_terms": "updated_at"}

#: Columns added to a logged table after rows of it were logged: left out of the payload
#: while None, so a row logged before the column existed still matches its record.
LATER_COLUMNS: dict[str, tuple[str, ...]] = {"contract_terms": ("late_fee_fixed", "late_fee_cap_sum")}

#: A payment of an invoice: (payments table, invoices table, record kind). Each payment is
#: one record whose payload is the payment's row plus its invoice's number and currency
#: (``invoice_number``, ``currency``), so the record reads on its own in a dispute.
PAYMENTS: tuple[str, str, str] = ("invoice_payments", "invoices", "payment")


def iso(ts: datetime | None) -> str | None:
    """UTC ISO text of a timestamp (naive values are UTC, as the store keeps them)."""
    if ts is None:
        return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).isoformat()


def epoch(ts: datetime) -> float:
    """Seconds since 1970 (UTC) of a message time, as hashed in message payloads.

    A float rather than ISO text because formatting an aware datetime costs several times
    more than hashing the whole message, and this runs once per imported message. Naive
    values are UTC, as the store keeps them. ``datetime - epoch`` then ``total_seconds()``
    is how CPython computes ``timestamp()`` for an aware value, so the floats are the same
    bits (tested on 300,000 times), at a quarter of the cost for naive values: no
    ``replace(tzinfo=...)`` copy, no time-zone call.
    """
    return (ts - (_EPOCH if ts.tzinfo is None else _EPOCH_UTC)).total_seconds()


def _raw_epoch(value: str | datetime | None) -> float | None:
    """Epoch seconds of a raw UTC time column: text on SQLite, a naive datetime on PostgreSQL."""
    if value is None:
        return None
    return epoch(datetime.fromisoformat(value) if isinstance(value, str) else value)


_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=UTC)


def message_payload(
    mid: int,
    conversation_id: int,
    source_id: str,
    sender_key: str,
    sender_name: str | None,
    ts: datetime | None,
    text: str,
    original_text: str | None,
    reply_to: str | None,
    edited: datetime | None,
    forwarded_from: str | None,
    attachment: str,
    subject: str | None,
) -> str:
    """Canonical JSON of a message, hand-built in sorted key order (hot path of imports)."""
    return payload_from_epochs(
        mid, conversation_id, source_id, sender_key, sender_name,
        None if ts is None else epoch(ts), text, original_text, reply_to,
        None if edited is None else epoch(edited), forwarded_from, attachment, subject,
    )


def payload_from_epochs(
    mid: int,
    conv: int,
    sid: str | None,
    key: str | None,
    name: str | None,
    ts: float | None,
    text: str | None,
    orig: str | None,
    reply: str | None,
    edited: float | None,
    fwd: str | None,
    att: str | None,
    subj: str | None,
) -> str:
    """:func:`message_payload` with the two times already as epoch seconds.

    The one place the message JSON is spelled out (the import hook inlines the same
    f-string for speed; a test checks the bytes agree).
    """
    enc = encode_basestring
    return (
        f'{{"attachment":{"null" if att is None else enc(att)},"conversation_id":{conv},'
        f'"edited":{"null" if edited is None else repr(edited)},'
        f'"forwarded_from":{"null" if fwd is None else enc(fwd)},"id":{mid},'
        f'"original_text":{"null" if orig is None else enc(orig)},'
        f'"reply_to":{"null" if reply is None else enc(reply)},'
        f'"sender_key":{"null" if key is None else enc(key)},'
        f'"sender_name":{"null" if name is None else enc(name)},'
        f'"source_id":{"null" if sid is None else enc(sid)},'
        f'"subject":{"null" if subj is None else enc(subj)},'
        f'"text":{"null" if text is None else enc(text)},'
        f'"ts":{"null" if ts is None else repr(ts)}}}'
    )


def jsonable(value: Any) -> Any:
    """A column value as JSON: times as UTC ISO text, decimals as strings."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


class Current(NamedTuple):
    """A source row as it is now: its kind, ref, payload and when it happened.

    A named tuple, not a dataclass: verification builds one per stored message (a million
    for a big client), and a frozen dataclass costs several times more to construct.
    ``when`` is None for messages: nothing reads it there (the payload carries ``ts``),
    and formatting a million timestamps would be a third of the cross-check's time.
    """

    kind: str
    ref: str
    payload: str
    when: str | None


def current_messages(conn: Connection, client_id: int) -> Iterator[Current]:
    m = MessageRow
    query = (
        select(
            m.id,
            m.conversation_id,
            m.source_id,
            m.sender_key,
            m.sender_name,
            m.ts_utc,
            m.text,
            m.original_text,
            m.reply_to,
            m.edited,
            m.forwarded_from,
            m.attachment,
            m.subject,
        )
        .join(ConversationRow, ConversationRow.id == m.conversation_id)
        .where(ConversationRow.client_id == client_id)
        .order_by(m.id)
    )
    # This loop runs once per stored message on every `evidence verify` (a million for a
    # big client), so it reads raw driver rows: no per-row type processing; the two time
    # columns arrive as naive-UTC text on SQLite, naive datetimes on PostgreSQL. A test
    # checks the payloads equal message_payload's over ORM-read rows on both databases.
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    result = conn.exec_driver_sql(sql, execution_options={"yield_per": 5000})
    rows = (row for part in result.partitions(5000) for row in part)  # fetchmany, not fetchone
    for row in rows:
        (mid, conv, sid, key, name, ts, text, orig, reply, edited, fwd, att, subj) = row
        payload = payload_from_epochs(
            mid, conv, sid, key, name, _raw_epoch(ts), text, orig, reply, _raw_epoch(edited), fwd, att, subj
        )
        yield Current("message", str(mid), payload, None)


def event_payload(row: Any) -> str:
    return canonical_json(
        {
            "id": row.id,
            "conversation_id": row.conversation_id,
            "source_id": row.source_id,
            "kind": row.kind,
            "ts": iso(row.ts_utc),
            "actor_key": row.actor_key,
            "actor_name": row.actor_name,
            "details": row.details,
        }
    )


def current_events(conn: Connection, client_id: int, after_id: int = 0) -> Iterator[Current]:
    e = EventRow
    query = (
        select(e.id, e.conversation_id, e.source_id, e.kind, e.ts_utc, e.actor_key, e.actor_name, e.details)
        .join(ConversationRow, ConversationRow.id == e.conversation_id)
        .where(ConversationRow.client_id == client_id, e.id > after_id)
        .order_by(e.id)
    )
    for row in conn.execute(query):
        yield Current("event", str(row.id), event_payload(row), iso(row.ts_utc))


def note_payload(row: Any) -> str:
    """A note's facts; its author only when one is recorded, so that the notes logged
    before team members were recorded keep the payload they were chained with."""
    data = {
        "id": row.id,
        "kind": row.kind,
        "text": row.text,
        "occurred_on": row.occurred_on,
        "created_at": iso(row.created_at),
    }
    author = getattr(row, "author", None)
    if author:
        data["author"] = author
    return canonical_json(data)


def confirmation_payload(row: Any) -> str:
    return canonical_json(
        {
            "id": row.id,
            "note_id": row.note_id,
            "text": row.text,
            "message_id": row.message_id,
            "created_at": iso(row.created_at),
        }
    )


def current_notes(conn: Connection, client_id: int) -> Iterator[Current]:
    n, c = NoteRow, ConfirmationRow
    notes = (
        select(n.id, n.kind, n.text, n.occurred_on, n.created_at, n.author)
        .where(n.client_id == client_id)
        .order_by(n.id)
    )
    for note in conn.execute(notes):
        yield Current("note", str(note.id), note_payload(note), note.occurred_on or iso(note.created_at))
    confs = (
        select(c.id, c.note_id, c.text, c.message_id, c.created_at)
        .where(c.client_id == client_id)
        .order_by(c.id)
    )
    for conf in conn.execute(confs):
        yield Current("confirmation", str(conf.id), confirmation_payload(conf), iso(conf.created_at))


def table_of(ref: str) -> str:
    """The table of a record's ref (``contract_terms:3`` → ``contract_terms``)."""
    return ref.partition(":")[0]


def missed_version(ref: str, logged_payload: str | None, payload: str) -> bool:
    """Whether a changed row reads as a version the log missed rather than an edit.

    True when the row's table has a :data:`VERSION_COLUMNS` column and the stored value
    is later than the logged one: the tool wrote it (an older clientguard, without the
    record hook). An edit behind the tool that leaves the column alone is tampering.
    """
    column = VERSION_COLUMNS.get(table_of(ref))
    if column is None or logged_payload is None:
        return False
    try:
        before, now = json.loads(logged_payload).get(column), json.loads(payload).get(column)
        return _instant(now) > _instant(before)
    except (ValueError, TypeError, AttributeError):
        return False


def renumbered(ref: str, logged_payload: str | None, payload: str) -> bool:
    """Whether a row differs from its last record in its :data:`RENUMBERED` column alone."""
    column = RENUMBERED.get(table_of(ref))
    if column is None or logged_payload is None:
        return False
    try:
        before, now = json.loads(logged_payload), json.loads(payload)
    except ValueError:
        return False
    if not isinstance(before, dict) or not isinstance(now, dict) or before.get(column) == now.get(column):
        return False
    return {k: v for k, v in before.items() if k != column} == {k: v for k, v in now.items() if k != column}


def _instant(value: Any) -> datetime:
    """A logged time column (UTC ISO text, see :func:`iso`) as an aware datetime."""
    ts = datetime.fromisoformat(str(value))
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


_WANTED = tuple(dict.fromkeys([name for name, _kind in EXTRA_TABLES] + [PAYMENTS[0]]))


def _reflect(conn: Connection) -> dict[str, Table]:
    """The other features' tables (:data:`EXTRA_TABLES`, :data:`PAYMENTS`) that exist here."""
    names = set(inspect(conn).get_table_names())
    meta = MetaData()
    return {name: Table(name, meta, autoload_with=conn) for name in _WANTED if name in names}


_reflected: WeakKeyDictionary[Engine, dict[str, Table]] = WeakKeyDictionary()


def reflected(conn: Connection) -> dict[str, Table]:
    """:func:`_reflect`, kept per engine once every table is there.

    The record hook runs on every write of a contract, invoice or payment; reflecting
    five tables each time cost more than the write itself (8 ms of a 10 ms write on
    SQLite). A database missing some of them is reflected again next time.
    """
    found = _reflected.get(conn.engine)
    if found is None:
        found = _reflect(conn)
        if len(found) == len(_WANTED):
            _reflected[conn.engine] = found
    return found


def extra_tables(conn: Connection, tables: dict[str, Table] | None = None) -> list[tuple[Table, str]]:
    """The other features' tables that exist in this database and can be logged."""
    tables = _reflect(conn) if tables is None else tables
    found: list[tuple[Table, str]] = []
    for name, kind in EXTRA_TABLES:
        table = tables.get(name)
        if table is not None and "id" in table.c and "client_id" in table.c:
            found.append((table, kind))
    return found


def current_extra(conn: Connection, client_id: int) -> Iterator[Current]:
    """Contracts, terms, scope items and invoices as they are now, then the invoices' payments."""
    tables = _reflect(conn)
    for table, kind in extra_tables(conn, tables):
        yield from _extra_rows(conn, table, kind, client_id)
    yield from current_payments(conn, client_id, tables)


def _extra_rows(
    conn: Connection, table: Table, kind: str, client_id: int, row_id: int | None = None
) -> Iterator[Current]:
    """The client's rows of ``table`` (only ``row_id`` when given), as records of ``kind``."""
    query = select(table).where(table.c.client_id == client_id)
    if row_id is not None:
        query = query.where(table.c.id == row_id)
    later = LATER_COLUMNS.get(table.name, ())
    for row in conn.execute(query.order_by(table.c.id)).mappings():
        data = {k: jsonable(v) for k, v in row.items() if not (k in later and v is None)}
        when = next(
            (data[k] for k in ("issued", "signed_on", "created_at", "date", "voided_at") if data.get(k)), None
        )
        yield Current(kind, f"{table.name}:{row['id']}", canonical_json(data), str(when) if when else None)


def written_rows(
    conn: Connection, client_id: int, written: Iterable[tuple[str, int | None]]
) -> Iterator[Current]:
    """The rows a write made, as records: (table, id), id None for all the client's rows.

    What the record hook chains (:func:`clientguard.evidence.log.after_record`): the
    same payloads :func:`current_extra` builds, read by id, so a write costs the same
    with one invoice stored as with a thousand.
    """
    tables = reflected(conn)
    kinds = dict(EXTRA_TABLES)
    usable = {table.name: table for table, _kind in extra_tables(conn, tables)}
    for name, row_id in written:
        if name == PAYMENTS[0]:
            yield from current_payments(conn, client_id, tables, row_id)
        elif name in usable:
            yield from _extra_rows(conn, usable[name], kinds[name], client_id, row_id)


def current_payments(
    conn: Connection, client_id: int, tables: dict[str, Table] | None = None, row_id: int | None = None
) -> Iterator[Current]:
    """Each payment of the client's invoices (full or partial), in the order it was recorded.

    Ref ``invoice_payments:<id>``; the payload is the payment's row (``id``,
    ``invoice_id``, ``amount``, ``paid_on``) with its invoice's ``invoice_number`` and
    ``currency``; it happened on ``paid_on``.
    """
    tables = _reflect(conn) if tables is None else tables
    pay_name, inv_name, kind = PAYMENTS
    pay, inv = tables.get(pay_name), tables.get(inv_name)
    if pay is None or inv is None:
        return
    if not {"id", "invoice_id"} <= set(pay.c.keys()) or not {"id", "client_id"} <= set(inv.c.keys()):
        return
    extra: list[Any] = []
    if "number" in inv.c:
        extra.append(inv.c.number.label("invoice_number"))
    if "currency" in inv.c and "currency" not in pay.c:
        extra.append(inv.c.currency)
    query = (
        select(pay, *extra)
        .join(inv, inv.c.id == pay.c.invoice_id)
        .where(inv.c.client_id == client_id)
        .order_by(pay.c.id)
    )
    if row_id is not None:
        query = query.where(pay.c.id == row_id)
    for row in conn.execute(query).mappings():
        data = {k: jsonable(v) for k, v in row.items()}
        when = data.get("paid_on")
        yield Current(kind, f"{pay.name}:{row['id']}", canonical_json(data), str(when) if when else None)
