"""An export's data with every section filled, for the format tests (JSON, PDF)."""

from __future__ import annotations

from datetime import date

from evidence_sample import CLIENT

from clientguard.contracts.repo import add_invoice, pay_invoice
from clientguard.evidence.dispute import prepare
from clientguard.evidence.export import ExportData
from clientguard.evidence.notes import add_note, confirm_note
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store


def rich(store: Store, start: date | None = None, end: date | None = None) -> ExportData:
    """The sample client with a note and its confirmation, an invoice paid twice and an edited message."""
    with store.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        note = add_note(conn, cid, "Созвон: посты по вторникам и пятницам", "call", date(2025, 9, 10))
        confirm_note(conn, cid, note.id, text="Да, всё верно")
        confirm_note(conn, cid, note.id, message_id=4)
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09", currency="RUB")
    pay_invoice(store, CLIENT, "П-09", on="2025-09-20", amount=20000)
    pay_invoice(store, CLIENT, "П-09", on="2025-09-25", amount=5000.5)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE messages SET text = 'подделка \"в кавычках\"\nи строка' WHERE id = 3")
    return prepare(store.engine, cid, start, end)
