"""Invoice arithmetic: days overdue, the contractual late fee, and the reminder stage.

Pure functions over domain objects, so the numbers can be tested without a database.
The late fee is accrued day by day on the amount still unpaid that day (a partial
payment lowers the base from the next day on), at the contract's rate, and never above
the contract's cap. The reminder ladder is a table, not code:

| stage          | days overdue | next step                           |
|----------------|--------------|-------------------------------------|
| ``friendly``   | 1–6          | firm reminder on day 7              |
| ``firm``       | 7–13         | formal claim (претензия) on day 14  |
| ``formal_claim``| ≥ 14        | court / collection after 10 days for the reply to the claim |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from clientguard.domain import Invoice

if TYPE_CHECKING:
    from clientguard.store import Store

# (first overdue day of the stage, stage id); the next stage starts at the next row's day.
STAGES: tuple[tuple[int, str], ...] = ((1, "friendly"), (7, "firm"), (14, "formal_claim"))
# Days a formal claim leaves the client to answer before the next step (court, collection).
CLAIM_REPLY_DAYS = 10

STAGE_TEXT = {
    "ru": {
        "friendly": "дружеское напоминание",
        "firm": "твёрдое напоминание со ссылкой на договор",
        "formal_claim": "официальная претензия",
        "court": "суд или взыскание",
    },
    "en": {
        "friendly": "friendly reminder",
        "firm": "firm reminder citing the contract",
        "formal_claim": "formal claim (letter before action)",
        "court": "court or collection",
    },
}


@dataclass(frozen=True)
class InvoiceStatus:
    """Where an invoice stands on ``today``."""

    client: str
    invoice: Invoice
    outstanding: float
    days_overdue: int
    late_fee: float
    late_fee_rate: float | None
    late_fee_cap_percent: float | None
    stage: str | None
    next_step: str | None
    next_step_on: date | None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0 and self.outstanding > 0

    def as_json(self) -> dict[str, object]:
        inv = self.invoice
        return {
            "client": self.client,
            "id": inv.id,
            "amount": inv.amount,
            "currency": inv.currency,
            "issued": inv.issued,
            "due": inv.due,
            "paid_on": inv.paid_on,
            "paid_amount": inv.paid_amount,
            "outstanding": self.outstanding,
            "days_overdue": self.days_overdue,
            "late_fee": self.late_fee,
            "late_fee_rate_per_day": self.late_fee_rate,
            "late_fee_cap_percent": self.late_fee_cap_percent,
            "stage": self.stage,
            "next_step": self.next_step,
            "next_step_on": self.next_step_on.isoformat() if self.next_step_on else None,
        }


def stage_for(days_overdue: int) -> str | None:
    """The reminder stage for a number of days overdue (None when not overdue)."""
    current = None
    for first_day, stage in STAGES:
        if days_overdue >= first_day:
            current = stage
    return current


def next_step(due: date, days_overdue: int) -> tuple[str | None, date | None]:
    """The next stage and the date it starts; after a claim, the end of the reply period."""
    if days_overdue <= 0:
        return STAGES[0][1], due + timedelta(days=STAGES[0][0])
    for first_day, stage in STAGES:
        if days_overdue < first_day:
            return stage, due + timedelta(days=first_day)
    return "court", due + timedelta(days=STAGES[-1][0] + CLAIM_REPLY_DAYS)


def late_fee(
    amount: float,
    due: date,
    today: date,
    payments: Sequence[tuple[date, float]] = (),
    rate_per_day: float | None = None,
    cap_percent: float | None = None,
) -> float:
    """Accrued late fee in money: Σ over overdue days of (unpaid that day) × rate / 100.

    A payment made on day D counts from D on (the fee for D is not charged on it). The
    cap is a percentage of the invoice amount, as Russian contracts usually phrase it.
    """
    if not rate_per_day or today <= due:
        return 0.0
    paid_by: list[tuple[date, float]] = sorted(payments)
    total = 0.0
    day = due + timedelta(days=1)
    while day <= today:
        unpaid = amount - sum(a for d, a in paid_by if d <= day)
        if unpaid <= 0.005:
            break
        total += unpaid * rate_per_day / 100
        day += timedelta(days=1)
    if cap_percent is not None:
        total = min(total, amount * cap_percent / 100)
    return round(total, 2)


def invoice_status(
    client: str,
    invoice: Invoice,
    today: date,
    payments: Sequence[tuple[date, float]] = (),
    rate_per_day: float | None = None,
    cap_percent: float | None = None,
) -> InvoiceStatus:
    """Outstanding amount, days overdue, late fee, reminder stage and next step on ``today``."""
    due = date.fromisoformat(invoice.due)
    paid_until_today = sum(a for d, a in payments if d <= today)
    outstanding = round(max(0.0, invoice.amount - paid_until_today), 2)
    if outstanding > 0:
        days = max(0, (today - due).days)
    else:
        # Paid in full: it was overdue by the days before the last payment, if any.
        last = max((d for d, _ in payments), default=due)
        days = 0
        fee = late_fee(invoice.amount, due, last, payments, rate_per_day, cap_percent)
        return InvoiceStatus(client, invoice, 0.0, days, fee, rate_per_day, cap_percent, None, None, None)
    stage = stage_for(days)
    step, step_on = next_step(due, days)
    fee = late_fee(invoice.amount, due, today, payments, rate_per_day, cap_percent)
    return InvoiceStatus(
        client, invoice, outstanding, days, fee, rate_per_day, cap_percent, stage, step, step_on
    )


def overdue_invoices(store: Store, client: str | None, today: date | None = None) -> list[InvoiceStatus]:
    """Unpaid invoices past their due date, with late fee and stage, most overdue first.

    ``client`` None means every client.
    """
    return [s for s in invoice_statuses(store, client, today) if s.overdue]


def invoice_statuses(store: Store, client: str | None, today: date | None = None) -> list[InvoiceStatus]:
    """Every invoice of a client (or of all clients) with its status on ``today``."""
    from clientguard.contracts import repo

    today = today or date.today()
    names = [client] if client else repo.client_names_with_invoices(store)
    out: list[InvoiceStatus] = []
    for name in names:
        record = repo.terms_record(store, name)
        rate = record.terms.late_fee_percent_per_day if record else None
        cap = record.late_fee_cap_percent if record else None
        pays = repo.invoice_payments(store, name)
        for inv in repo.invoices(store, name):
            dated = [(date.fromisoformat(d), a) for d, a in pays.get(inv.id, [])]
            out.append(invoice_status(record.client if record else name, inv, today, dated, rate, cap))
    return sorted(out, key=lambda s: (-s.days_overdue, s.invoice.due, s.client))
