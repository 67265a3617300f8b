"""Invoice arithmetic: what is paid and due, days overdue, late fee, reminder stage.

Pure functions over domain objects, so the numbers can be tested without a database.
What an invoice may say is checked here too (:func:`check_amount`, :func:`check_number`,
:func:`check_date`, :func:`check_payment_date`; the store's writers call them), so the
CLI and case files refuse the same impossible values: ``nan`` or ``1e20`` as an amount,
an empty number, a year 0001 issue date, a payment before the invoice existed or in the
future. What was paid and what is still due come from one function, :func:`settle`, as
of one date, so the two figures can never disagree. Credits (уменьшение суммы) and refunds
(возврат) enter through :func:`net_amount` and :func:`net_payments`: what an invoice asks
and what paid it, both net, so every reader sees the same figures.

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

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from clientguard.domain import Invoice
from clientguard.errors import ConfigError, msg, refusal

if TYPE_CHECKING:
    from clientguard.contracts.repo import Void
    from clientguard.contracts.terms import FixedLateFee, SumCap
    from clientguard.store import Store

# (first overdue day of the stage, stage id); the next stage starts at the next row's day.
STAGES: tuple[tuple[int, str], ...] = ((1, "friendly"), (7, "firm"), (14, "formal_claim"))
# Days a formal claim leaves the client to answer before the next step (court, collection).
CLAIM_REPLY_DAYS = 10
#: Saturday and Sunday (``date.weekday()``): a due date on one of them moves to Monday.
WEEKEND = (5, 6)


def payable_by(due: date) -> date:
    """The last day an invoice due on ``due`` can be paid without being late.

    A due date on a Saturday or Sunday moves to the next Monday: the Russian Civil Code
    (art. 193) ends a term that falls on a non-working day on the next working day, and
    banks move no money at the weekend. An invoice due on Saturday and paid on Monday was
    "1 day overdue" with a day of late fee, a reminder stage, and "paid late" in the
    client's profile (QA pass 7). Public holidays are not counted (no calendar is kept).
    """
    while due.weekday() in WEEKEND:
        due += timedelta(days=1)
    return due


#: The earliest date an invoice or payment may carry; older ones are typos (``0001-01-01``
#: gave "739943 d overdue") and would make the day-by-day late fee walk centuries.
EARLIEST = date(1990, 1, 1)
#: How many years ahead of today a due or issue date may lie.
FUTURE_YEARS = 10
#: Payments within this much of the amount settle it (float sums of kopeks).
CENT = 0.005

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


def check_amount(amount: float, what: str = "invoice amount") -> float:
    """``amount`` as a float when it is a real sum of money: above 0 and within the bounds
    every amount shares (:func:`clientguard.contracts.validate.amount`: finite, at most a
    trillion). ``nan`` used to reach the database (a NOT NULL traceback) and ``inf`` made
    ``invoice list --json`` print ``Infinity``, which is not JSON."""
    from clientguard.contracts import validate

    if isinstance(amount, int | float) and math.isfinite(amount) and amount <= 0:
        raise ConfigError(msg("invoices.not_positive", what=what, amount=amount))
    try:
        value = validate.amount(amount)
    except ValueError as exc:
        raise ConfigError(msg("invoices.refused", what=what, reason=refusal(exc))) from exc
    # a sum of money has kopecks or cents at most: "--amount 0.001" stored a payment of a
    # tenth of a kopeck, and an invoice of 100.555 printed as 100,56 but summed as 100.555
    if abs(value * 100 - round(value * 100)) > 1e-6:
        raise ConfigError(msg("invoices.cents", what=what, value=value))
    return value


def check_currency(code: str) -> str:
    """An ISO 4217 code, as ``contract set --currency`` takes it ("руб." → RUB)."""
    from clientguard.contracts import validate

    try:
        return validate.currency(code)
    except ValueError as exc:
        raise ConfigError(msg("invoices.currency", reason=refusal(exc))) from exc


def check_number(number: str) -> str:
    """The invoice number, trimmed; empty ones and control characters are refused
    (``--id ""`` printed ``invoice : 300 RUB``, and could never be named again)."""
    trimmed = number.strip()
    if not trimmed:
        raise ConfigError(msg("invoices.number_empty"))
    if any(unicodedata.category(ch).startswith("C") for ch in trimmed):
        raise ConfigError(msg("invoices.number_control", number=trimmed))
    return trimmed


_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_number(taken: Sequence[str]) -> str:
    """The number ``invoice add`` gives when none is typed: one after the highest.

    The highest is compared as a number, not as text or a count ("12" then the next was
    "2" when the count of invoices was used, and "9" > "12" as text). A number ending in
    digits keeps what is before them and its zero padding ("INV-7" → "INV-8", "П-09" →
    "П-10"), so a user's own scheme continues; with no such number the first is "1".
    ``taken`` is in entry order: of two numbers with the same value ("7" and "INV-7"),
    the later one's form is continued. A number already taken is skipped.
    """
    best: tuple[int, str, int] | None = None  # value, prefix, digit count
    for number in taken:
        found = _TRAILING_DIGITS.match(number.strip())
        if found is None:
            continue
        value = int(found.group(2))
        if best is None or value >= best[0]:
            best = (value, found.group(1), len(found.group(2)))
    value, prefix, width = best if best is not None else (0, "", 1)
    used = set(taken)
    while True:
        value += 1
        candidate = f"{prefix}{value:0{width}d}"
        if candidate not in used:
            return candidate


def latest_date(today: date | None = None) -> date:
    """The last date an invoice may carry: the end of the year :data:`FUTURE_YEARS` ahead."""
    return date((today or date.today()).year + FUTURE_YEARS, 12, 31)


def check_date(value: date, what: str, today: date | None = None) -> date:
    """``value`` when it lies between :data:`EARLIEST` and :func:`latest_date`."""
    last = latest_date(today)
    if not EARLIEST <= value <= last:
        first, end, shown = EARLIEST.isoformat(), last.isoformat(), value.isoformat()
        raise ConfigError(msg("invoices.date_span", what=what, first=first, last=end, value=shown))
    return value


def check_payment_date(paid_on: date, issued: date, number: str, today: date | None = None) -> date:
    """A payment is dated between the invoice's issue date and today.

    A future payment counted in "paid" but not in "outstanding" (a 300 invoice showed
    200 paid and 200 due); one before the issue date is a typo of the year or the
    wrong invoice.
    """
    today = today or date.today()
    if paid_on < issued:
        raise ConfigError(
            msg(
                "invoices.paid_before_issued",
                number=number,
                issued=issued.isoformat(),
                paid=paid_on.isoformat(),
            )
        )
    if paid_on > today:
        raise ConfigError(
            msg("invoices.paid_in_future", number=number, paid=paid_on.isoformat(), today=today.isoformat())
        )
    return paid_on


@dataclass(frozen=True)
class Settlement:
    """What was paid of an invoice by a date, and what is still due then."""

    paid: float
    outstanding: float
    #: the day the invoice was paid in full, None while something is still due
    paid_on: date | None


def settle(
    amount: float, payments: Sequence[tuple[date, float]], as_of: date, issued: date | None = None
) -> Settlement:
    """Paid and outstanding amounts on ``as_of``, from the payments made by then.

    The one place both figures come from: ``invoice list``, ``invoice paid``, the
    profile's stored invoices and the reply facts all read them through here.
    ``amount`` is what the invoice asks after its credits and refunds (:func:`net_amount`)
    and ``payments`` what paid it net of refunds (:func:`net_payments`); an invoice
    credited in full with nothing paid asked nothing, so it is settled from ``issued``
    on (not overdue, no late fee, not "paid late").
    """
    made = sorted((d, a) for d, a in payments if d <= as_of)
    paid = round(sum(a for _, a in made), 2)
    outstanding = round(max(0.0, amount - paid), 2)
    if outstanding < CENT:
        return Settlement(paid, 0.0, made[-1][0] if made else issued)
    return Settlement(paid, outstanding, None)


def net_amount(amount: float, credits: float, refunds: float) -> float:
    """What an invoice asks once credits and refunds are taken off.

    A credit (уменьшение суммы счёта: a discount or credit note agreed after the invoice)
    lowers what is due. A refund (возврат) gives paid money back and lowers what the
    invoice asks by as much, so the money returned is not due again: the client paid
    60 000, the project stopped, 20 000 went back, and the invoice now stands at 40 000,
    paid. To also write off what is still unpaid, record a credit.
    """
    return round(max(0.0, amount - credits - refunds), 2)


def net_payments(payments: Sequence[tuple[date, float]], refunded: float) -> list[tuple[date, float]]:
    """The payments less ``refunded``, taken off the earliest payments first, in date order.

    The payments' sum drops by the refunds, as :func:`net_amount` drops the invoice's, so
    what is outstanding stays what it was; taking the refund off the earliest payments
    keeps the late fee of a late payment (a refund of part of the first, on-time payment
    would otherwise wipe out the fee the late one owed).
    """
    left = round(refunded, 2)
    out: list[tuple[date, float]] = []
    for day, value in sorted(payments):
        take = min(value, left)
        left = round(left - take, 2)
        if value - take >= CENT:
            out.append((day, round(value - take, 2)))
    return out


def with_settlement(invoice: Invoice, settlement: Settlement) -> Invoice:
    """``invoice`` with its paid amount and paid-in-full day as ``settlement`` has them."""
    return replace(
        invoice,
        paid_amount=settlement.paid or None,
        paid_on=settlement.paid_on.isoformat() if settlement.paid_on else None,
    )


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
    #: the last day to pay without being late: the due date, or Monday for a weekend one
    payable_by: date | None = None
    #: why and when the invoice was voided (``invoice void``): it counts in no figure
    void: Void | None = None
    #: taken off the invoice by credits (``invoice credit``) and refunds (``invoice refund``)
    #: by ``today``: ``invoice.amount`` is what it asks after them, and ``invoice.paid_amount``
    #: what was paid less the refunds
    credited: float = 0.0
    refunded: float = 0.0
    #: the contract's late fee as a sum per day or week (no rate): ``late_fee`` is that sum
    #: times the days (or full weeks) late, capped like a rate's fee
    late_fee_fixed: FixedLateFee | None = None
    #: the fixed fee is in another currency than the invoice: no sum computed, said so
    late_fee_other_currency: bool = False
    #: the rate's cap written as a sum ("не более 10 000 рублей"), in the invoice's currency
    #: (a cap in another is not converted and not applied); ``late_fee`` stops at it
    late_fee_cap_sum: SumCap | None = None

    @property
    def has_late_fee(self) -> bool:
        """Whether ``late_fee`` is the contract's fee (a rate, or a sum in the invoice's
        currency), rather than 0 for want of one."""
        return self.late_fee_rate is not None or (
            self.late_fee_fixed is not None and not self.late_fee_other_currency
        )

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0 and self.outstanding > 0

    @property
    def billed(self) -> float:
        """The invoice's amount as issued, before its credits and refunds."""
        if not (self.credited or self.refunded):
            return self.invoice.amount
        return round(self.invoice.amount + self.credited + self.refunded, 2)

    def as_json(self) -> dict[str, object]:
        inv = self.invoice
        return {
            "client": self.client,
            "id": inv.id,
            "amount": self.billed,
            "credited": self.credited,
            "refunded": self.refunded,
            "net_amount": inv.amount,
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
            "late_fee_fixed": None if self.late_fee_fixed is None else self.late_fee_fixed.as_json(),
            "late_fee_other_currency": self.late_fee_other_currency,
            "late_fee_cap_sum": None if self.late_fee_cap_sum is None else self.late_fee_cap_sum.as_json(),
            "stage": self.stage,
            "next_step": self.next_step,
            "next_step_on": self.next_step_on.isoformat() if self.next_step_on else None,
            "payable_by": self.payable_by.isoformat() if self.payable_by else None,
            "voided": self.void.as_json() if self.void else None,
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
    cap_sum: float | None = None,
) -> float:
    """Accrued late fee in money: Σ over overdue days of (unpaid that day) × rate / 100.

    A payment made on day D counts from D on (the fee for D is not charged on it). The
    cap is a percentage of the invoice amount, as Russian contracts usually phrase it,
    or a sum ("но не более 10 000 рублей"); with both the lower wins.
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
    if cap_sum is not None:
        total = min(total, cap_sum)
    return round(total, 2)


def fixed_late_fee(
    amount: float,
    due: date,
    today: date,
    payments: Sequence[tuple[date, float]],
    fixed: FixedLateFee,
    cap_percent: float | None = None,
) -> float:
    """Accrued late fee of a fixed sum per day or week: the sum for each day (each full
    week) the invoice was still unpaid after ``due``, up to ``today``.

    Unlike a rate it does not shrink with a partial payment: the contract charges the sum
    while any of it is unpaid. The cap, a percentage of the invoice amount, applies as to a
    rate's fee.
    """
    if today <= due:
        return 0.0
    last = today  # the last day still unpaid: the day before the payments first cover the amount
    paid = 0.0
    for day, sum_paid in sorted(payments):
        paid += sum_paid
        if amount - paid <= 0.005:
            last = min(today, day - timedelta(days=1))
            break
    total = fixed.accrued(max(0, (last - due).days))
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
    fixed: FixedLateFee | None = None,
    cap_sum: SumCap | None = None,
) -> InvoiceStatus:
    """Paid and outstanding amounts, days overdue, late fee, reminder stage and next step on
    ``today``. The status's invoice carries the paid amount as of ``today`` too, so every
    field of it describes the same day (payments after ``today`` count in none).

    ``fixed``, a late fee that is a sum per day or week, counts only when there is no rate
    (a rate beside it is the user's own, :mod:`clientguard.contracts.repo`) and only in
    its own currency: a "$25 a day" fee on a rouble invoice is not converted, the status
    says so (``late_fee_other_currency``) and its fee is 0. ``cap_sum``, a rate's cap
    written as a sum, limits the rate's fee on an invoice in its currency only.
    """
    due = payable_by(date.fromisoformat(invoice.due))
    made = [(d, a) for d, a in payments if d <= today]
    paid = settle(invoice.amount, made, today, date.fromisoformat(invoice.issued))
    inv = with_settlement(invoice, paid)
    fixed = fixed if rate_per_day is None else None
    other = fixed is not None and fixed.currency.upper() != (invoice.currency or "RUB").upper()
    if rate_per_day is None or (cap_sum is not None and not cap_sum.applies_to(invoice.currency)):
        cap_sum = None  # a rate's cap; in another currency than the invoice, not converted
    limit = None if cap_sum is None else cap_sum.amount

    def fee_until(end: date) -> float:
        if fixed is not None:
            return 0.0 if other else fixed_late_fee(invoice.amount, due, end, made, fixed, cap_percent)
        return late_fee(invoice.amount, due, end, made, rate_per_day, cap_percent, limit)

    if paid.paid_on is not None:
        # Paid in full: the fee ran until the last payment, and nothing is overdue now.
        st = InvoiceStatus(
            client, inv, 0.0, 0, fee_until(paid.paid_on), rate_per_day, cap_percent, None, None, None, due
        )
    else:
        days = max(0, (today - due).days)
        step, step_on = next_step(due, days)
        fee, rate, cap = fee_until(today), rate_per_day, cap_percent
        st = InvoiceStatus(
            client, inv, paid.outstanding, days, fee, rate, cap, stage_for(days), step, step_on, due
        )
    st = replace(st, late_fee_cap_sum=cap_sum) if cap_sum else st
    return replace(st, late_fee_fixed=fixed, late_fee_other_currency=other) if fixed else st


def overdue_invoices(store: Store, client: str | None, today: date | None = None) -> list[InvoiceStatus]:
    """Unpaid invoices past their due date, with late fee and stage, most overdue first.

    ``client`` None means every client.
    """
    return [s for s in invoice_statuses(store, client, today) if s.overdue]


def invoice_statuses(
    store: Store, client: str | None, today: date | None = None, *, include_voided: bool = False
) -> list[InvoiceStatus]:
    """Every invoice of a client (or of all clients) with its status on ``today``.

    Voided invoices are left out, or with ``include_voided`` listed with nothing
    outstanding, overdue or accruing (``void`` says why), after the ones that count.
    """
    from clientguard.contracts import repo

    today = check_date(today, "as-of date") if today else date.today()
    names = [client] if client else repo.client_names_with_invoices(store)
    out: list[InvoiceStatus] = []
    gone: list[InvoiceStatus] = []
    for name in names:
        record = repo.terms_record(store, name)
        shown = record.client if record else name
        rate = record.terms.late_fee_percent_per_day if record else None
        cap = record.late_fee_cap_percent if record else None
        pays = repo.invoice_payments(store, name, as_of=today)
        taken = repo.adjustment_totals(store, name, as_of=today)
        for inv in repo.invoices(store, name, payments=pays, as_of=today):
            dated = [(date.fromisoformat(d), a) for d, a in pays.get(inv.id, [])]
            fixed = record.late_fee_fixed if record else None
            cap_sum = record.late_fee_cap_sum if record else None
            st = invoice_status(shown, inv, today, dated, rate, cap, fixed, cap_sum)
            credited, refunded = taken.get(inv.id, (0.0, 0.0))
            out.append(replace(st, credited=credited, refunded=refunded) if credited or refunded else st)
        if include_voided:
            voided = repo.voids(store, name).invoices
            for inv in repo.invoices(store, name, payments={}, include_voided=True):
                if inv.id in voided:
                    nothing = (0.0, 0, 0.0, None, None, None, None, None)
                    gone.append(InvoiceStatus(shown, inv, *nothing, void=voided[inv.id]))
    ordered = sorted(out, key=lambda s: (-s.days_overdue, s.invoice.due, s.client))
    return ordered + sorted(gone, key=lambda s: (s.invoice.due, s.client))
