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

Rows at or below the line that are not logged stay pending, as in a database an older
clientguard wrote. A row inserted behind the log with an id of a row deleted before the
line (or an explicit low id) is below it: that is left pending, a limit of id-based
bookkeeping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection

from clientguard.evidence.chain import canonical_json
from clientguard.evidence.sources import PAYMENTS, REWRITTEN, reflected, table_of

#: Record kind (and ref) of the line.
KIND = "logging_started"

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


@dataclass(frozen=True)
class Baseline:
    """A client's line: its record's seq and the highest id of each table at that moment."""

    seq: int
    max_ids: dict[str, int]

    def after(self, ref: str) -> bool:
        """Whether the row ``ref`` (``invoices:12``) was inserted after the line."""
        table, _, row_id = ref.partition(":")
        top = self.max_ids.get(table, 0 if table in BORN_LOGGED else None)
        return top is not None and row_id.isdigit() and int(row_id) > top

    def unlogged_is_inserted(self, ref: str, leader_seq: int | None) -> bool:
        """Whether an unlogged row ``ref`` can only have been inserted behind the log.

        ``leader_seq``: the seq of the last record of the row's leading table (the terms,
        for a scope item; see ``sources.REWRITTEN``), None when it has none.
        """
        if self.after(ref):
            return True
        leader = REWRITTEN.get(table_of(ref))
        return leader is not None and leader_seq is not None and leader_seq > self.seq


def parse(payload: str | None) -> dict[str, int]:
    """The line's ids; :class:`ValueError` for any other shape (only tampering makes one)."""
    data = json.loads(payload or "null")
    if not isinstance(data, dict) or not all(isinstance(k, str) and type(v) is int for k, v in data.items()):
        raise ValueError("a logging_started record must map table names to ids")
    return data


def snapshot(conn: Connection) -> str:
    """The line's payload now: ``{table: highest id}`` (0 for an empty table)."""
    tables = reflected(conn)
    ids: dict[str, int] = {}
    for name in TABLES:
        if name in tables:
            top = conn.exec_driver_sql(f"SELECT MAX(id) FROM {name}").scalar()  # a constant name
            ids[name] = int(top or 0)
    return canonical_json(ids)


def read(conn: Connection, client_id: int) -> Baseline | None:
    """The client's line (its first ``logging_started`` record), None before it was written.

    One indexed lookup (``ix_evidence_records_ref``). A line whose payload does not parse
    is a line with no ids (nothing reads as inserted after it, and no second line is
    written); verify reports its record as edited.
    """
    from clientguard.evidence.log import by_ref  # it builds on this module

    where, params = by_ref(conn, client_id, [KIND])
    rows = sorted(
        conn.exec_driver_sql(f"SELECT seq, kind, payload FROM evidence_records WHERE {where}", params)
    )
    row = next(((seq, payload) for seq, kind, payload in rows if kind == KIND), None)
    if row is None:
        return None
    try:
        ids = parse(row[1])
    except ValueError:
        ids = {}
    return Baseline(int(row[0]), ids)
