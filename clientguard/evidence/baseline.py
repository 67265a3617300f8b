"""The record that says from when a client's contracts, terms, invoices and payments are chained when written.

Since the record hook (``store.hooks.DEFAULT_AFTER_RECORD``) chains each row of those
tables in the transaction that writes it, a row of the client's that is not on the log
can have only two origins: an older clientguard wrote it (no hook: the log catches up
on ``evidence sync``), or it was INSERTed into the database behind the tool. Without a
date line the two read alike, and the next sync laundered a forged invoice or payment
into the log as if the tool had written it.

The line is one ``logging_started`` record per client (:data:`KIND`), written once: by
the record hook the first time it runs for the client, or by ``evidence sync`` when the
record hook is installed. Its payload is the highest id of each logged table at that
moment (the whole table's, so a later row of any client is above it). From then on:

* an unlogged row above its table's id was inserted behind the log: verify names it
  (``inserted``, tampering) and neither sync nor a dispute export ever logs it;
* an unlogged scope item is the same whatever its id once the client's terms were
  logged after the line (each write of the terms logs every scope item with it; SQLite
  reuses freed ids, so the id alone does not tell);
* a logged terms row or scope item that no longer matches its last record is tampering
  whatever its ``updated_at``: the version the log missed (an older clientguard's write,
  recognised by a later ``updated_at``) is only possible before the line, and the hook
  logs such a version just before it writes the line.

Rows at or below the line: its payload also lists the client's rows that were not on
the log when it was drawn (an older clientguard's writes, the only rows that may stay
pending), as ``"table:first"`` → last for each run of consecutive such ids, with
:data:`PENDING` → how many rows that makes. An unlogged row at or below the line that
it does not list was inserted behind the log too, whether with an explicit low id, an
id freed before the line or one SQLite handed out again after the rows above it were
deleted: verify names it and nothing logs it. Rows of other clients are not listed and
need not be: the tool moves a contract, invoice or payment to another client only in
``clients merge``, which logs every row that comes over anew in the chain of the client
it joins (:mod:`~clientguard.evidence.closing`); a row moved by hand in the database
reads as inserted. The flat shape keeps the payload a map of names to ids, which an
older clientguard reads as it always did (it looks up table names only); a nested list
would not parse there, and a line that does not parse counts nothing as inserted.

A line written before lines listed their pending rows has no :data:`PENDING` key: rows
at or below it that are not logged stay pending, as they always did (that id-based
bookkeeping cannot tell a row inserted with a low id). The list holds the client's own
rows that were unlogged when the line was drawn: none when the line is drawn by a sync
(it logs them first) or on a database the record hook always wrote; one run for an
older client's unbroken stretch of ids; at worst about 21 bytes per row when no two of
its ids are consecutive (rows of several clients written in turn).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import Connection

from clientguard.evidence.chain import canonical_json
from clientguard.evidence.sources import PAYMENTS, REWRITTEN, reflected, table_of

#: Record kind (and ref) of the line.
KIND = "logging_started"

#: The payload key of a line that lists the client's pending rows: how many it lists.
PENDING = "pending"

#: The tables the line covers: the record hook's (``sources.EXTRA_TABLES`` and payments).
TABLES: tuple[str, ...] = (
    "contracts",
    "contract_terms",
    "scope_items",
    "invoices",
    PAYMENTS[0],
    "invoice_voids",
    "invoice_adjustments",
)

#: Tables created after the record hook: no clientguard ever wrote a row of them without
#: chaining it, so a line written before the table existed (its payload has no id for
#: it) counts every unlogged row of it as inserted behind the log.
BORN_LOGGED: frozenset[str] = frozenset({"invoice_voids", "invoice_adjustments"})

#: Runs of ids of one table, ``(firsts, lasts)``: sorted, disjoint, for :func:`bisect_right`.
Runs = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Baseline:
    """A client's line: its record's seq, the highest id of each table at that moment and,
    for a line that lists them, the runs of ids of the client's rows then unlogged (None:
    a line from before, whose rows at or below it all stay pending)."""

    seq: int
    max_ids: dict[str, int]
    pending: dict[str, Runs] | None = None

    def after(self, ref: str) -> bool:
        """Whether the row ``ref`` (``invoices:12``) was inserted after the line."""
        table, _, row_id = ref.partition(":")
        top = self.max_ids.get(table, 0 if table in BORN_LOGGED else None)
        return top is not None and row_id.isdigit() and int(row_id) > top

    def listed(self, ref: str) -> bool:
        """Whether the line lets the unlogged row ``ref`` stay pending: an older line (it
        lists nothing), a table it has no id for, or a row it lists as unlogged then."""
        table, _, row_id = ref.partition(":")
        if self.pending is None or table not in self.max_ids or not row_id.isdigit():
            return True
        firsts, lasts = self.pending.get(table, ((), ()))
        i = bisect_right(firsts, int(row_id)) - 1
        return i >= 0 and int(row_id) <= lasts[i]

    def unlogged_is_inserted(self, ref: str, leader_seq: int | None) -> bool:
        """Whether an unlogged row ``ref`` can only have been inserted behind the log.

        ``leader_seq``: the seq of the last record of the row's leading table (the terms,
        for a scope item; see ``sources.REWRITTEN``), None when it has none.
        """
        if self.after(ref):
            return True
        leader = REWRITTEN.get(table_of(ref))
        if leader is not None and leader_seq is not None and leader_seq > self.seq:
            return True
        return not self.listed(ref)


def parse(payload: str | None) -> dict[str, int]:
    """The line's payload; :class:`ValueError` for any other shape (only tampering makes one)."""
    data = json.loads(payload or "null")
    if not isinstance(data, dict) or not all(isinstance(k, str) and type(v) is int for k, v in data.items()):
        raise ValueError("a logging_started record must map table names to ids")
    return data


def line(seq: int, payload: str | None) -> Baseline:
    """The line of the record ``seq`` with this payload; one that does not parse has no ids.

    Such a payload no longer matches its hash (verify reports the record as edited);
    read as no ids, nothing counts as inserted after it and no second line is written.
    """
    try:
        return _line(seq, parse(payload))
    except ValueError:
        return Baseline(seq, {})


def _line(seq: int, data: dict[str, int]) -> Baseline:
    ids = {k: v for k, v in data.items() if ":" not in k and k != PENDING}
    if PENDING not in data:
        return Baseline(seq, ids)
    found: dict[str, list[tuple[int, int]]] = {}
    for key, last in data.items():
        table, colon, first = key.partition(":")
        if not colon:
            continue
        if not first.isdigit() or last < int(first):
            raise ValueError(f"a logging_started run {key!r} must be table:first mapped to its last id")
        found.setdefault(table, []).append((int(first), last))
    runs: dict[str, Runs] = {}
    listed = 0
    for table, pairs in found.items():
        pairs.sort()
        if any(a[1] >= b[0] for a, b in pairwise(pairs)):
            raise ValueError(f"the logging_started runs of {table} overlap")
        runs[table] = (tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))
        listed += sum(b - a + 1 for a, b in pairs)
    if listed != data[PENDING]:
        raise ValueError(f"a logging_started record lists {listed} rows but says {data[PENDING]}")
    return Baseline(seq, ids, runs)


def snapshot(conn: Connection, unlogged: Iterable[str]) -> str:
    """The line's payload now: ``{table: highest id}`` (0 for an empty table), and the runs
    of ``unlogged`` (the refs of the client's rows not on its log, nor going on it with the
    line) as ``{"table:first": last}`` with :data:`PENDING` → how many rows they are."""
    tables = reflected(conn)
    ids: dict[str, int] = {}
    for name in TABLES:
        if name in tables:
            top = conn.exec_driver_sql(f"SELECT MAX(id) FROM {name}").scalar()  # a constant name
            ids[name] = int(top or 0)
    rows: dict[str, list[int]] = {}
    for ref in unlogged:
        table, _, row_id = ref.partition(":")
        if table in ids and row_id.isdigit() and int(row_id) <= ids[table]:
            rows.setdefault(table, []).append(int(row_id))
    listed = 0
    for table, found in rows.items():
        for first, last in _runs(sorted(set(found))):
            ids[f"{table}:{first}"] = last
            listed += last - first + 1
    ids[PENDING] = listed
    return canonical_json(ids)


def _runs(sorted_ids: list[int]) -> list[tuple[int, int]]:
    """Consecutive ids as (first, last) runs: 1, 2, 3, 7 → (1, 3), (7, 7)."""
    out: list[tuple[int, int]] = []
    for i in sorted_ids:
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def read(conn: Connection, client_id: int) -> Baseline | None:
    """The client's line (its first ``logging_started`` record), None before it was written.

    One indexed lookup (``ix_evidence_records_ref``); see :func:`line` for a payload that
    does not parse.
    """
    from clientguard.evidence.log import by_ref  # it builds on this module

    where, params = by_ref(conn, client_id, [KIND])
    rows = sorted(
        conn.exec_driver_sql(f"SELECT seq, kind, payload FROM evidence_records WHERE {where}", params)
    )
    row = next(((seq, payload) for seq, kind, payload in rows if kind == KIND), None)
    return None if row is None else line(int(row[0]), row[1])
