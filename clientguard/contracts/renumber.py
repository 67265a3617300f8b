"""Giving an invoice another number: ``invoice renumber`` and ``clients merge --renumber``.

Invoice numbers start at 1 per client, so the usual reason to merge two clients (one
customer imported twice, under two names) almost always meets two invoices numbered 1,
and one client cannot hold both. Invoices are append-only on the evidence log, so the
number is not changed quietly: the write is one transaction that checks the invoice
and its payments still match their records (a row edited behind the log must not ride
into a new version), changes the number, and runs the record hook on the invoice and
on each of its payments (a payment's record carries its invoice's number). The hook
logs them anew (:data:`clientguard.evidence.sources.RENUMBERED`): the chain keeps the
number the invoice was written with and shows the new one from then on, and ``evidence
verify`` stays green. Payments, voids, refunds and credits name their invoice by id, so
they follow it; a letter or a claim that quoted the old number is matched by the chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from clientguard.contracts.repo import UnknownInvoice, _checked, _client_id, _recorded, _write
from clientguard.errors import ConfigError, msg
from clientguard.store.models_contracts import InvoicePaymentRow, InvoiceRow
from clientguard.store.store import Store

#: What ``clients merge --renumber`` appends to the number of the merged-away client's
#: invoice that clashes ("1" → "1-merged"; "1-merged2" when that is taken too).
MERGE_SUFFIX = "-merged"
#: Longest invoice number the ``invoices`` table takes.
NUMBER_MAX = 100


@dataclass(frozen=True)
class Renumbered:
    """One invoice that took another number."""

    client: str
    old: str
    new: str
    payments: int  # its payments, logged anew with the new number


def renumber_invoice(store: Store, client: str, number: str, new: str) -> Renumbered:
    """Give the client's invoice ``number`` the number ``new`` (one logged write)."""
    from clientguard.contracts.invoices import check_number

    number, new = number.strip(), check_number(new)
    with _write(store) as conn:
        client_id, name = _client_id(conn, client)
        found = _invoice_id(conn, client_id, number)
        if found is None:
            raise UnknownInvoice("no_invoice", number=number, client=name)
        if new == number:
            raise ConfigError(msg("renumber.same", number=number, name=name))
        if _invoice_id(conn, client_id, new) is not None:
            raise ConfigError(msg("renumber.taken", name=name, number=new))
        paid = renumber_rows(conn, client_id, found, new)
    return Renumbered(name, number, new, paid)


def renumber_rows(conn: Connection, client_id: int, invoice_id: int, new: str) -> int:
    """Within the caller's write: the invoice takes number ``new``; its records are logged anew.

    Returns how many payments it has (each one's record names the invoice's number).
    """
    if len(new) > NUMBER_MAX:
        raise ConfigError(msg("renumber.too_long", limit=NUMBER_MAX, length=len(new)))
    payments = [
        int(i)
        for i in conn.execute(
            select(InvoicePaymentRow.id)
            .where(InvoicePaymentRow.invoice_id == invoice_id)
            .order_by(InvoicePaymentRow.id)
        ).scalars()
    ]
    rows = [("invoices", invoice_id), *(("invoice_payments", p) for p in payments)]
    _checked(conn, client_id, *rows)
    conn.execute(update(InvoiceRow).where(InvoiceRow.id == invoice_id).values(number=new))
    _recorded(conn, client_id, *rows)
    return len(payments)


def _invoice_id(conn: Connection, client_id: int, number: str) -> int | None:
    """The id of the client's invoice numbered ``number``, None when it has none."""
    query = select(InvoiceRow.id).where(InvoiceRow.client_id == client_id, InvoiceRow.number == number)
    found = conn.execute(query).scalar()
    return None if found is None else int(found)


def merge_number(number: str, taken: set[str]) -> str:
    """The number a clashing invoice of a merged-away client takes: ``1-merged``, then ``1-merged2`` …"""
    candidate, n = f"{number}{MERGE_SUFFIX}", 1
    while candidate in taken:
        n += 1
        candidate = f"{number}{MERGE_SUFFIX}{n}"
    return candidate
