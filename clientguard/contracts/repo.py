"""Persistence of the contracts feature: a client's contract, terms, scope and invoices.

Reads and writes go through the ``Store``'s engine, one transaction per call, and return
domain objects (``ContractTerms``, ``Invoice``); ORM rows never leave this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select, update

from clientguard.domain import ContractTerms, Invoice, WorkingHours
from clientguard.errors import ConfigError, NotFoundError, msg
from clientguard.store.engine import SQLITE_BEGIN
from clientguard.store.lookup import find_client
from clientguard.store.models import ClientRow
from clientguard.store.models_contracts import (
    ContractRow,
    ContractTermsRow,
    InvoiceAdjustmentRow,
    InvoicePaymentRow,
    InvoiceRow,
    InvoiceVoidRow,
    ScopeItemRow,
    TermOriginRow,
)

if TYPE_CHECKING:
    from clientguard.contracts.checker import ContractReport
    from clientguard.contracts.terms import FixedLateFee, SumCap
    from clientguard.store import Store


@dataclass(frozen=True)
class StoredTerms:
    """A client's terms plus what ``ContractTerms`` has no field for."""

    client: str
    terms: ContractTerms
    late_fee_cap_percent: float | None
    source: str
    contract_path: str | None
    updated_at: datetime
    #: a late fee that is a sum per day or week; the calculation uses the rate when both are
    #: stored (a rate is only stored beside it when the user set one)
    late_fee_fixed: FixedLateFee | None = None
    #: a rate's cap written as a sum ("не более 10 000 рублей"); the lower of it and the
    #: percentage cap wins
    late_fee_cap_sum: SumCap | None = None


@contextmanager
def _write(store: Store) -> Iterator[Connection]:
    with store.engine.connect() as conn:
        conn = conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        with conn.begin():
            yield conn


def _recorded(conn: Connection, client_id: int, *written: tuple[str, int | None]) -> None:
    """Run the store's record hooks (the evidence log) inside the write that made the record.

    ``written``: (table, id) of each row the write made, id None for all the client's rows
    of that table (terms and scope), so the hooks read what was written, not everything.
    """
    from clientguard.store.hooks import Written, after_record_hooks

    rows = [Written(table, row_id) for table, row_id in written]
    for hook in after_record_hooks():
        hook(conn, client_id, rows)


def _checked(conn: Connection, client_id: int, *read: tuple[str, int | None]) -> None:
    """Run the store's pre-write checks (the evidence log) on the rows a write builds on.

    Called inside the write before it changes anything: a check raises to refuse it (a
    stored value edited behind the evidence log must not ride into a new logged version).
    ``read``: (table, id) as for :func:`_recorded`.
    """
    from clientguard.store.hooks import Written, before_record_checks

    rows = [Written(table, row_id) for table, row_id in read]
    for check in before_record_checks():
        check(conn, client_id, rows)


def _now() -> datetime:
    return datetime.now(UTC)


def _client_id(conn: Connection, name: str, create: bool = False) -> tuple[int, str]:
    found = find_client(conn, name)
    if found is not None:
        return found
    if not create:
        raise NotFoundError(msg("lookup.no_client", name=name, maybe="", hint=msg("lookup.hint_clients")))
    new_id = conn.execute(insert(ClientRow).values(name=name, created_at=_now())).inserted_primary_key
    assert new_id is not None  # an INSERT always has one
    return int(new_id[0]), name


def _hours_json(hours: WorkingHours | None) -> dict[str, Any] | None:
    if hours is None:
        return None
    return {"days": list(hours.days), "start": hours.start, "end": hours.end}


def _hours(value: dict[str, Any] | None) -> WorkingHours | None:
    if not value:
        return None
    return WorkingHours(days=tuple(int(d) for d in value["days"]), start=value["start"], end=value["end"])


def save_contract(
    store: Store, client: str, path: Path, report: ContractReport, shown_as: str | None = None
) -> StoredTerms:
    """Store the checked contract and make its extracted terms the client's terms.

    A term the contract does not state is unknown, not "unlimited", so it keeps the value
    the client had (set by hand, from a case file or an earlier contract): a contract with
    no extractable revision limit, or an addendum that names only a new price, used to erase
    every other term. The terms it states replace the stored ones. ``shown_as`` is the file
    name to record when ``path`` is a temporary copy (a web upload).
    """
    from clientguard.contracts.terms import reader_version

    ext = report.extracted
    new = ext.to_contract_terms(signed=True)
    cap = ext.late_fee_cap_percent
    fixed = ext.late_fee_fixed
    cap_sum = ext.late_fee_cap_sum
    stated = _stated(new, cap, ext.late_fee_unread, fixed, cap_sum)
    current = terms_record(store, client) if _has_client(store, client) else None
    if current is not None:
        new, cap = _kept(current, new, cap)
        cap_sum = cap_sum if cap_sum is not None else current.late_fee_cap_sum
        origins = term_origins(store, client)
        if ext.late_fee_unread and by_hand(origins, current, LATE_FEE):
            stated.remove(LATE_FEE)  # the clause gives no figure; the user's own rate stays
        elif ext.late_fee_unread or (fixed is not None and not by_hand(origins, current, LATE_FEE)):
            # A rate read by an older reader ("4% above the base rate" as 4% a day) must not
            # outlive the clause that now reads as no figure, or as a sum: it is not kept.
            new = replace(new, late_fee_percent_per_day=None)
        if fixed is None and ext.late_fee_percent_per_day is None:
            fixed = current.late_fee_fixed  # the contract says no late fee: unknown, kept
    with _write(store) as conn:
        client_id, name = _client_id(conn, client, create=True)
        _checked(conn, client_id, ("contract_terms", None), ("scope_items", None))
        contract_id = conn.execute(
            insert(ContractRow).values(
                client_id=client_id,
                path=shown_as or str(path),
                sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
                fmt=report.fmt,
                lang=report.lang,
                rules_version=report.rules_version,
                report=report.as_json(),
                added_at=_now(),
            )
        ).inserted_primary_key
        assert contract_id is not None
        terms_id = _put_terms(
            conn,
            client_id,
            new,
            cap=cap,
            source="contract",
            contract_id=int(contract_id[0]),
            fixed=fixed,
            cap_sum=cap_sum,
        )
        mark_origins(conn, terms_id, stated, "contract", reader_version())
        _recorded(
            conn,
            client_id,
            ("contracts", int(contract_id[0])),
            ("contract_terms", None),
            ("scope_items", None),
        )
    found = terms_record(store, name)
    assert found is not None
    return found


#: The terms whose origin is kept (:class:`~clientguard.store.models_contracts.TermOriginRow`):
#: the ``ContractTerms`` fields a contract or the user sets, and the late fee's cap.
TRACKED_TERMS: tuple[str, ...] = (
    "revision_limit",
    "payment_due_days",
    "price",
    "currency",
    "scope",
    "working_hours",
    "late_fee_percent_per_day",
    "late_fee_cap_percent",
    "late_fee_fixed",
    "late_fee_cap_sum",
)
LATE_FEE = "late_fee_percent_per_day"
FEE_CAP = "late_fee_cap_percent"
FIXED_FEE = "late_fee_fixed"
CAP_SUM = "late_fee_cap_sum"


def stored_term(current: StoredTerms, name: str) -> object:
    """The stored value of the tracked term ``name``: a ``ContractTerms`` field, or one of
    the late fee's three the row keeps beside them (the caps, a fixed sum)."""
    if name == FEE_CAP:
        return current.late_fee_cap_percent
    if name == FIXED_FEE:
        return current.late_fee_fixed
    if name == CAP_SUM:
        return current.late_fee_cap_sum
    return getattr(current.terms, name)


def _stated(
    terms: ContractTerms,
    cap: float | None,
    late_fee_unread: str | None,
    fixed: FixedLateFee | None = None,
    cap_sum: SumCap | None = None,
) -> list[str]:
    """The terms a contract's reading states: a value, or a late-fee clause read as no figure."""
    extra: dict[str, object] = {FEE_CAP: cap, FIXED_FEE: fixed, CAP_SUM: cap_sum}
    values = {name: extra[name] if name in extra else getattr(terms, name) for name in TRACKED_TERMS}
    return [
        name
        for name, value in values.items()
        if value not in (None, ()) or (name == LATE_FEE and late_fee_unread is not None)
    ]


@dataclass(frozen=True)
class TermOrigin:
    """Where a stored term came from: ``manual``, or ``contract`` read by ``reader``."""

    origin: str
    reader: str | None


def mark_origins(
    conn: Connection, terms_id: int, names: list[str] | tuple[str, ...], origin: str, reader: str | None
) -> None:
    """Record that the terms ``names`` of a terms row were set by hand or read by ``reader``."""
    if not names:
        return
    table = TermOriginRow
    conn.execute(delete(table).where(table.terms_id == terms_id, table.field.in_(list(names))))
    now = _now()
    conn.execute(
        insert(table),
        [
            {"terms_id": terms_id, "field": n, "origin": origin, "reader": reader, "set_at": now}
            for n in names
        ],
    )


def _origins(conn: Connection, client_id: int) -> dict[str, TermOrigin]:
    query = (
        select(TermOriginRow.field, TermOriginRow.origin, TermOriginRow.reader)
        .join(ContractTermsRow, ContractTermsRow.id == TermOriginRow.terms_id)
        .where(ContractTermsRow.client_id == client_id)
    )
    return {str(f): TermOrigin(str(o), r) for f, o, r in conn.execute(query)}


def term_origins(store: Store, client: str) -> dict[str, TermOrigin]:
    """Term name → where the client's stored value came from; a term stored before origins
    were kept (migration ``0005_contracts_term_origins``) has none."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        return _origins(conn, client_id)


def by_hand(origins: dict[str, TermOrigin], current: StoredTerms, name: str) -> bool:
    """Whether the stored term ``name`` is the user's own, which no contract reading replaces.

    A term with no origin was stored before origins were kept: it counts as the user's
    when the terms were last written by hand (``contract set``, a case file), since
    nothing says which of them the user gave. :mod:`~clientguard.contracts.reread` looks
    closer (the stored contract's extracted terms) before it calls one unknown.
    """
    found = origins.get(name)
    if found is not None:
        return found.origin == "manual"
    return current.source != "contract"


def _kept(current: StoredTerms, new: ContractTerms, cap: float | None) -> tuple[ContractTerms, float | None]:
    """``new`` with the terms it leaves unknown taken from ``current``."""
    from dataclasses import fields

    old, unknown = current.terms, (None, ())
    filled = {
        f.name: getattr(old, f.name)
        for f in fields(new)
        if f.name != "signed" and getattr(new, f.name) in unknown and getattr(old, f.name) not in unknown
    }
    return replace(new, **filled), cap if cap is not None else current.late_fee_cap_percent


def _put_terms(
    conn: Connection,
    client_id: int,
    terms: ContractTerms,
    cap: float | None,
    source: str,
    contract_id: int | None = None,
    fixed: FixedLateFee | None = None,
    cap_sum: SumCap | None = None,
) -> int:
    """Write the client's one terms row and its scope items; returns the terms row's id."""
    values: dict[str, Any] = {
        "signed": terms.signed,
        "revision_limit": terms.revision_limit,
        "price": terms.price,
        "currency": terms.currency,
        "payment_due_days": terms.payment_due_days,
        "working_hours": _hours_json(terms.working_hours),
        "late_fee_percent_per_day": terms.late_fee_percent_per_day,
        "late_fee_cap_percent": cap,
        "late_fee_fixed": None if fixed is None else fixed.as_json(),
        "late_fee_cap_sum": None if cap_sum is None else cap_sum.as_json(),
        "source": source,
        "updated_at": _now(),
    }
    exists = conn.execute(select(ContractTermsRow.id).where(ContractTermsRow.client_id == client_id)).first()
    if exists is None:
        conn.execute(insert(ContractTermsRow).values(client_id=client_id, contract_id=contract_id, **values))
    else:
        if contract_id is not None:
            values["contract_id"] = contract_id
        conn.execute(update(ContractTermsRow).where(ContractTermsRow.client_id == client_id).values(**values))
    conn.execute(delete(ScopeItemRow).where(ScopeItemRow.client_id == client_id))
    if terms.scope:
        conn.execute(
            insert(ScopeItemRow),
            [{"client_id": client_id, "position": i, "text": t} for i, t in enumerate(terms.scope)],
        )
    return int(
        conn.execute(select(ContractTermsRow.id).where(ContractTermsRow.client_id == client_id)).scalar_one()
    )


_UNSET: Any = object()


def set_terms(
    store: Store,
    client: str,
    *,
    revision_limit: int | None = _UNSET,
    payment_due_days: int | None = _UNSET,
    price: float | None = _UNSET,
    currency: str | None = _UNSET,
    scope: tuple[str, ...] | None = _UNSET,
    working_hours: WorkingHours | None = _UNSET,
    late_fee_percent_per_day: float | None = _UNSET,
    late_fee_cap_percent: float | None = _UNSET,
    signed: bool | None = _UNSET,
    late_fee_fixed: FixedLateFee | None = _UNSET,
    late_fee_cap_sum: SumCap | None = _UNSET,
) -> StoredTerms:
    """Correct some terms by hand; arguments left out keep their stored value.

    The terms given are recorded as the user's (:func:`mark_origins`), so ``contract
    reread`` keeps them whatever the contract reads as. A fixed late fee given (a sum per
    day or week) replaces a stored rate unless a rate is given too: the rate wins when
    both are stored, and a sum the user just typed must not be silently outranked by a
    rate read off the contract. ``late_fee_fixed=None`` clears the sum, and that too is
    the user's (a reread does not bring it back).
    """
    current = terms_record(store, client) if _has_client(store, client) else None
    base = current.terms if current else ContractTerms()
    cap = current.late_fee_cap_percent if current else None
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "revision_limit": revision_limit,
            "payment_due_days": payment_due_days,
            "price": price,
            "currency": currency.upper() if isinstance(currency, str) else currency,
            "scope": tuple(scope) if scope is not None and scope is not _UNSET else scope,
            "working_hours": working_hours,
            "late_fee_percent_per_day": late_fee_percent_per_day,
            "signed": signed,
        }.items()
        if v is not _UNSET
    }
    if changes.get("scope", ()) is None:
        changes["scope"] = ()
    by_user: list[str] = []  # cleared by hand: the user's too, though None
    if late_fee_fixed is not _UNSET:
        by_user.append(FIXED_FEE)
        if late_fee_fixed is not None and "late_fee_percent_per_day" not in changes:
            changes["late_fee_percent_per_day"] = None
            by_user.append(LATE_FEE)
    # a value given is the user's; None is "unknown" (a case file's term it does not state)
    given = [name for name in TRACKED_TERMS if changes.get(name) not in (None, ())]
    given += [name for name in by_user if name not in given]
    new = replace(base, **changes)
    if late_fee_cap_percent is not _UNSET:
        cap = late_fee_cap_percent
        given += [FEE_CAP] if cap is not None else []
    cap_sum = current.late_fee_cap_sum if current else None
    if late_fee_cap_sum is not _UNSET:
        cap_sum = late_fee_cap_sum
        given.append(CAP_SUM)  # cleared by hand ("none") is the user's too
    with _write(store) as conn:
        client_id, name = _client_id(conn, client, create=True)
        _checked(conn, client_id, ("contract_terms", None), ("scope_items", None))
        fixed = current.late_fee_fixed if current else None
        fixed = fixed if late_fee_fixed is _UNSET else late_fee_fixed
        terms_id = _put_terms(conn, client_id, new, cap=cap, source="manual", fixed=fixed, cap_sum=cap_sum)
        # what the user gave wins over any later reading of the contract (contract reread)
        mark_origins(conn, terms_id, given, "manual", None)
        _recorded(conn, client_id, ("contract_terms", None), ("scope_items", None))
    found = terms_record(store, name)
    assert found is not None
    return found


def terms_record(store: Store, client: str) -> StoredTerms | None:
    """The stored terms of a client with their origin, or None when none were stored."""
    with store.engine.connect() as conn:
        client_id, name = _client_id(conn, client)
        t = ContractTermsRow
        row = conn.execute(
            select(
                t.signed,
                t.revision_limit,
                t.price,
                t.currency,
                t.payment_due_days,
                t.working_hours,
                t.late_fee_percent_per_day,
                t.late_fee_cap_percent,
                t.source,
                t.updated_at,
                ContractRow.path,
                t.late_fee_fixed,
                t.late_fee_cap_sum,
            )
            .outerjoin(ContractRow, ContractRow.id == t.contract_id)
            .where(t.client_id == client_id)
        ).first()
        if row is None:
            return None
        scope = tuple(
            str(s)
            for s in conn.scalars(
                select(ScopeItemRow.text)
                .where(ScopeItemRow.client_id == client_id)
                .order_by(ScopeItemRow.position)
            )
        )
    from clientguard.contracts.terms import FixedLateFee, SumCap

    signed, limit, price, currency, due_days, hours, rate, cap, source, updated_at, path, fixed, cap_sum = row
    terms = ContractTerms(
        signed=bool(signed),
        scope=scope,
        revision_limit=limit,
        price=price,
        currency=currency,
        payment_due_days=due_days,
        working_hours=_hours(hours),
        late_fee_percent_per_day=rate,
    )
    updated = updated_at if updated_at.tzinfo else updated_at.replace(tzinfo=UTC)
    return StoredTerms(
        name, terms, cap, str(source), path, updated, FixedLateFee.from_json(fixed), SumCap.from_json(cap_sum)
    )


def terms_for_client(store: Store, client: str) -> ContractTerms | None:
    """The terms analysis holds the client to, or None when there is no contract on file."""
    record = terms_record(store, client)
    return None if record is None else record.terms


@dataclass(frozen=True)
class StoredContract:
    """The contract a client's terms were last read from, as stored (for ``contract reread``).

    The file itself is not stored, only its path and hash; ``report`` is the checker's
    verdict as JSON (clauses with their quotes, and the extracted terms but the late fee).
    """

    id: int
    path: str
    sha256: str
    lang: str
    report: dict[str, Any]
    added_at: datetime


def contract_on_file(store: Store, client: str) -> StoredContract | None:
    """The contract the client's terms name (else the client's latest), or None."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        named = conn.execute(
            select(ContractTermsRow.contract_id).where(ContractTermsRow.client_id == client_id)
        ).scalar()
        c = ContractRow
        query = select(c.id, c.path, c.sha256, c.lang, c.report, c.added_at).where(c.client_id == client_id)
        query = query.where(c.id == named) if named is not None else query.order_by(c.id.desc()).limit(1)
        row = conn.execute(query).first()
    if row is None:
        return None
    added = row[5] if row[5].tzinfo else row[5].replace(tzinfo=UTC)
    return StoredContract(int(row[0]), str(row[1]), str(row[2]), str(row[3]), dict(row[4] or {}), added)


class TermsChanged(ConfigError):
    """A re-read refused: the client's terms were written after the re-read was planned."""


def put_rereads(store: Store, plans: list[Any]) -> None:
    """Write the new terms of every re-read in ``plans`` in one transaction, or none of them.

    ``plans`` are :class:`~clientguard.contracts.reread.Reread`. Each client's terms must
    still be the ones the plan was made from (``updated_at``): a ``contract set`` in
    between would otherwise be overwritten by a reading made before it. A plan that
    changes terms writes them like ``contract set`` does (the record hook logs the new
    version on the evidence log); every term read again, changed or not, gets today's
    reader as its origin, so the notice of an older reading stops.
    """
    from clientguard.contracts.terms import reader_version
    from clientguard.errors import msg

    with _write(store) as conn:
        for plan in plans:
            client_id, name = _client_id(conn, plan.client)
            stamp = conn.execute(
                select(ContractTermsRow.updated_at).where(ContractTermsRow.client_id == client_id)
            ).scalar()
            if stamp is None or _aware(stamp) != _aware(plan.updated_at):
                raise TermsChanged(msg("reread.changed", client=name))
            read = [c.field for c in plan.changes] + list(plan.confirmed)
            if plan.changes:
                _checked(conn, client_id, ("contract_terms", None), ("scope_items", None))
                terms_id = _put_terms(
                    conn,
                    client_id,
                    plan.terms,
                    cap=plan.cap,
                    source=plan.source,
                    fixed=plan.fixed,
                    cap_sum=plan.cap_sum,
                )
                mark_origins(conn, terms_id, read, "contract", reader_version())
                _recorded(conn, client_id, ("contract_terms", None), ("scope_items", None))
            else:
                terms_id = int(
                    conn.execute(
                        select(ContractTermsRow.id).where(ContractTermsRow.client_id == client_id)
                    ).scalar_one()
                )
                mark_origins(conn, terms_id, read, "contract", reader_version())


# --------------------------------------------------------------------------- invoices


def _day(value: date | str, what: str) -> date:
    """A date from a ``date`` or a string, within the range an invoice may carry.

    A string is read as the CLI's date options read one (:func:`clientguard.cli._dates.day`:
    ISO, dotted day-first, slashed by the locale), so a case file, the web and the command
    line take the same spellings; a bad one is named with what the calendar lacks.
    """
    from clientguard.cli._dates import day
    from clientguard.contracts.invoices import check_date
    from clientguard.errors import msg, refusal

    if isinstance(value, str):
        try:
            value = day(value)
        except ValueError as exc:
            raise ConfigError(msg("invoices.refused", what=what, reason=refusal(exc))) from None
    return check_date(value, what)


def add_invoice(
    store: Store,
    client: str,
    amount: float,
    due: date | str,
    issued: date | str | None = None,
    number: str | None = None,
    currency: str | None = None,
) -> Invoice:
    """Record an invoice; the currency defaults to the contract's, then RUB.

    Amount, number, dates and currency are checked here (:mod:`.invoices`), so the CLI
    and case files refuse the same impossible values before anything is written.
    """
    from clientguard.contracts.invoices import check_amount, check_currency, check_number, next_number

    value = check_amount(amount)
    given = check_number(number) if number is not None else None
    due_d = _day(due, "due date")
    issued_d = _day(issued, "issue date") if issued is not None else date.today()
    if due_d < issued_d:
        raise ConfigError(msg("invoices.due_before_issued", due=str(due_d), issued=str(issued_d)))
    terms = terms_for_client(store, client) if _has_client(store, client) else None
    cur = check_currency(currency) if currency else ((terms.currency if terms else None) or "RUB").upper()
    with _write(store) as conn:
        client_id, _ = _client_id(conn, client, create=True)
        taken = list(
            conn.scalars(
                select(InvoiceRow.number).where(InvoiceRow.client_id == client_id).order_by(InvoiceRow.id)
            )
        )
        if given is None:
            given = next_number(taken)  # one after the highest: 12 → 13, INV-7 → INV-8
        elif given in taken:
            raise ConfigError(msg("invoices.number_taken", number=given, client=client))
        invoice_id = conn.execute(
            insert(InvoiceRow).values(
                client_id=client_id,
                number=given,
                amount=value,
                currency=cur,
                issued=issued_d.isoformat(),
                due=due_d.isoformat(),
                created_at=_now(),
            )
        ).inserted_primary_key
        assert invoice_id is not None
        _recorded(conn, client_id, ("invoices", int(invoice_id[0])))
    return Invoice(id=given, amount=value, issued=issued_d.isoformat(), due=due_d.isoformat(), currency=cur)


def _digits(value: float) -> str:
    """An amount with every digit, grouped as the English error texts are ("1,250,000.50")."""
    from clientguard.numbers import amount

    return amount(value, "en")


def _has_client(store: Store, client: str) -> bool:
    try:
        with store.engine.connect() as conn:
            _client_id(conn, client)
    except NotFoundError:
        return False
    return True


def pay_invoice(
    store: Store, client: str, number: str, on: date | str | None = None, amount: float | None = None
) -> Invoice:
    """Record a payment; without ``amount`` the rest of the invoice is paid.

    The payment is dated between the invoice's issue date and today, and is at most what
    is still due (:func:`~clientguard.contracts.invoices.check_payment_date`).
    """
    from clientguard.contracts.invoices import CENT, check_amount, check_payment_date

    number = number.strip()
    paid_on = _day(on, "payment date") if on is not None else date.today()
    with _write(store) as conn:
        client_id, _ = _client_id(conn, client)
        row = conn.execute(
            select(InvoiceRow.id, InvoiceRow.amount, InvoiceRow.issued, InvoiceRow.currency).where(
                InvoiceRow.client_id == client_id, InvoiceRow.number == number
            )
        ).first()
        if row is None:
            raise UnknownInvoice("no_invoice", number=number, client=client)
        invoice_voids, payment_voids = _voids(conn, client_id)
        if int(row[0]) in invoice_voids:
            raise VoidRefused("pay_voided", number=number, reason=invoice_voids[int(row[0])].reason)
        of_invoice = InvoicePaymentRow.invoice_id == row[0]
        earlier = conn.execute(select(InvoicePaymentRow.id, InvoicePaymentRow.amount).where(of_invoice)).all()
        adjusted = _invoice_adjustments(conn, client_id, int(row[0]))
        # What is due comes from the invoice's amount less its payments and credits: none
        # of them may be a row edited or inserted behind the evidence log (a forged payment
        # or credit would otherwise shrink what the new, properly logged payment settles).
        _checked(
            conn,
            client_id,
            ("invoices", int(row[0])),
            *(("invoice_payments", int(pay_id)) for pay_id, _ in earlier),
            *(("invoice_adjustments", a.id) for a in adjusted.rows),
        )
        check_payment_date(paid_on, date.fromisoformat(str(row[2])), number)
        paid = sum(
            float(amount)
            for pay_id, amount in earlier
            if int(pay_id) not in payment_voids  # a voided payment paid nothing
        )
        # a refund lowers what was paid and what the invoice asks alike: it cancels out here
        rest = round(float(row[1]) - adjusted.credited - float(paid), 2)
        if rest < CENT:
            raise ConfigError(msg("invoices.paid_in_full", number=number))
        value = rest if amount is None else check_amount(amount, "payment")
        if value > rest + CENT:
            # every digit ({x:money}): "%g" said "expected at most the 1.25e+06 still due, got
            # 1.25e+06" of a payment of 1 250 000.50 on an invoice of 1 250 000 (QA pass 7)
            raise ConfigError(msg("invoices.over_due", rest=rest, currency=row[3], value=value))
        payment_id = conn.execute(
            insert(InvoicePaymentRow).values(invoice_id=row[0], amount=value, paid_on=paid_on.isoformat())
        ).inserted_primary_key
        assert payment_id is not None
        _recorded(conn, client_id, ("invoice_payments", int(payment_id[0])))
    return next(i for i in invoices(store, client) if i.id == number)


def invoice_payments(
    store: Store, client: str, *, include_voided: bool = False, as_of: date | None = None
) -> dict[str, list[tuple[str, float]]]:
    """Payments per invoice number, in date order: (paid_on, amount), net of refunds.

    Voided payments and the payments of voided invoices are left out (they count in no
    figure) unless ``include_voided``, which lists every payment as stored. Otherwise the
    refunds dated by ``as_of`` (default: all) are taken off the earliest payments
    (:func:`~clientguard.contracts.invoices.net_payments`), so these payments add up to
    what the client is out of pocket, against :func:`invoices`' amount net of refunds.
    """
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        voids = None if include_voided else _voids(conn, client_id)
        made = None if include_voided else _adjustment_rows(conn, client_id)
        return _payments_of(conn, client_id, voids, made, as_of)


def _payments_of(
    conn: Connection,
    client_id: int,
    voids: tuple[dict[int, Void], dict[int, Void]] | None,
    made: list[Adjustment] | None,
    as_of: date | None,
) -> dict[str, list[tuple[str, float]]]:
    """:func:`invoice_payments` on an open connection, from the client's voids and
    adjustments already read (None: every payment as stored, nothing taken off)."""
    from clientguard.contracts.invoices import net_payments

    invoice_voids, payment_voids = voids or ({}, {})
    refunds = {} if made is None else _totals(made, as_of)
    rows = conn.execute(
        select(
            InvoiceRow.id,
            InvoiceRow.number,
            InvoicePaymentRow.id,
            InvoicePaymentRow.paid_on,
            InvoicePaymentRow.amount,
        )
        .join(InvoicePaymentRow, InvoicePaymentRow.invoice_id == InvoiceRow.id)
        .where(InvoiceRow.client_id == client_id)
        .order_by(InvoicePaymentRow.paid_on, InvoicePaymentRow.id)
    )
    out: dict[str, list[tuple[str, float]]] = {}
    for invoice_id, number, payment_id, paid_on, amount in rows:
        if int(invoice_id) in invoice_voids or int(payment_id) in payment_voids:
            continue
        out.setdefault(str(number), []).append((str(paid_on), float(amount)))
    for number, (_credited, refunded) in refunds.items():
        if refunded and number in out:
            dated = [(date.fromisoformat(d), a) for d, a in out[number]]
            out[number] = [(d.isoformat(), a) for d, a in net_payments(dated, refunded)]
            if not out[number]:
                del out[number]
    return out


def invoices(
    store: Store,
    client: str,
    *,
    payments: dict[str, list[tuple[str, float]]] | None = None,
    as_of: date | None = None,
    include_voided: bool = False,
) -> list[Invoice]:
    """The client's invoices, oldest due date first, with what was paid by ``as_of``
    (default today): ``paid_amount`` and, once fully paid, ``paid_on``.

    Both come from :func:`~clientguard.contracts.invoices.settle`, as ``invoice list``'s
    outstanding amount does, so a payment dated after ``as_of`` counts in neither.
    ``payments`` is :func:`invoice_payments` when the caller already read it (so the
    payments table is read once per profile, not twice). Voided invoices are left out
    (every reader of figures goes through here) unless ``include_voided``, for the views
    of history (``invoice list --all``, the numbers a case file must not bring back).

    ``amount`` is what the invoice asks after the credits and refunds dated by ``as_of``
    (:func:`~clientguard.contracts.invoices.net_amount`) and ``paid_amount`` what was
    paid less the refunds: the profile, the risk, the drafts and the totals all read the
    net figures from here (``invoice list`` shows the amount as issued beside them).
    """
    from clientguard.contracts.invoices import net_amount, settle, with_settlement

    day = as_of or date.today()
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        voids = _voids(conn, client_id)
        invoice_voids = voids[0]
        made = _adjustment_rows(conn, client_id)
        taken = _totals(made, day)
        if payments is None:  # read on this connection, from the voids and refunds just read
            payments = _payments_of(conn, client_id, voids, made, day)
        rows = conn.execute(
            select(
                InvoiceRow.id,
                InvoiceRow.number,
                InvoiceRow.amount,
                InvoiceRow.issued,
                InvoiceRow.due,
                InvoiceRow.currency,
            )
            .where(InvoiceRow.client_id == client_id)
            .order_by(InvoiceRow.due, InvoiceRow.id)
        ).all()
    out: list[Invoice] = []
    for invoice_id, number, amount, issued, due, currency in rows:
        voided = int(invoice_id) in invoice_voids
        if voided and not include_voided:
            continue
        # a voided invoice is listed as issued: nothing of it counts, its refunds neither
        credited, refunded = (0.0, 0.0) if voided else taken.get(str(number), (0.0, 0.0))
        net = net_amount(float(amount), credited, refunded)
        inv = Invoice(id=str(number), amount=net, issued=str(issued), due=str(due), currency=str(currency))
        pays = [(date.fromisoformat(d), a) for d, a in payments.get(inv.id, [])]
        out.append(with_settlement(inv, settle(inv.amount, pays, day, date.fromisoformat(inv.issued))))
    return out


# --------------------------------------------------------------------------- voids


@dataclass(frozen=True)
class Void:
    """Why and when an invoice or a payment was voided."""

    reason: str
    voided_at: datetime

    def as_json(self) -> dict[str, str]:
        return {"reason": self.reason, "voided_at": self.voided_at.isoformat(timespec="seconds")}


@dataclass(frozen=True)
class Voids:
    """A client's voids: of invoices by number, of payments by payment id."""

    invoices: dict[str, Void]
    payments: dict[int, Void]


@dataclass(frozen=True)
class PaymentRecord:
    """One stored payment with its id (what ``invoice void-payment --payment`` names)."""

    id: int
    invoice: str
    paid_on: str
    amount: float
    void: Void | None


class VoidRefused(ConfigError):
    """A void (or a payment of a voided invoice) the tool refuses.

    ``key`` and ``values`` are the message in ``invoice_cli`` of the interface strings, so
    the CLI words it in the user's language; the English text is the exception's own.
    """

    def __init__(self, key: str, **values: Any) -> None:
        from clientguard.report.i18n import t

        super().__init__(t("invoice_cli", key, "en").format(**shown_values(values)))
        self.key, self.values = key, values


class UnknownInvoice(NotFoundError):
    """No invoice (or payment) of that number for the client; worded as :class:`VoidRefused`."""

    def __init__(self, key: str, **values: Any) -> None:
        from clientguard.report.i18n import t

        super().__init__(t("invoice_cli", key, "en").format(**shown_values(values)))
        self.key, self.values = key, values


class AdjustmentRef(NamedTuple):
    """One refund or credit a refusal lists (``which_adjustment``): worded by
    :func:`shown_values` in the reader's language, its kind included."""

    id: int
    kind: str  # REFUND or CREDIT
    on: str
    amount: float


def shown_values(
    values: dict[str, Any], amount: Callable[[float], str] = _digits, lang: str = "en"
) -> dict[str, Any]:
    """Amounts (floats) of a refusal with every digit, as the English texts write them;
    the CLI words them in the interface language instead (``cli.invoice._worded`` passes
    its ``amount``). A list of payments, ``(id, date, amount)`` each, is one text:
    "4 (2025-09-20, 1,000), 5 (…)" (it was written in English figures in Russian too).
    A list of refunds and credits (:class:`AdjustmentRef`) names each one's kind in
    ``lang`` (the Russian line said "(refund 2025-09-20, 1 000)")."""
    from clientguard.report.i18n import quote, t

    def shown(v: Any) -> Any:
        if isinstance(v, float):
            return amount(v)
        if isinstance(v, tuple) and v and all(isinstance(x, AdjustmentRef) for x in v):
            line = t("invoice_cli", "adjustment_ref", lang)
            return ", ".join(
                line.format(
                    id=x.id,
                    kind=t("invoice_cli", f"adjustment_kind_{x.kind}", lang),
                    on=x.on,
                    amount=amount(x.amount),
                )
                for x in v
            )
        if isinstance(v, tuple) and all(isinstance(x, tuple) and len(x) == 3 for x in v):
            return ", ".join(f"{i} ({d}, {amount(a)})" for i, d, a in v)
        return v

    out = {k: shown(v) for k, v in values.items()}
    if "number" in values:
        # The invoice number in its quotes: «7» in Russian (it read '7', as Python quotes);
        # the English texts keep the '7' they have always had (scripts match them).
        number = str(values["number"])
        out["quoted_number"] = repr(number) if lang == "en" else quote(number, lang)
    return out


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _voids(conn: Connection, client_id: int) -> tuple[dict[int, Void], dict[int, Void]]:
    """The client's voids: of invoices by invoice row id, of payments by payment row id."""
    v = InvoiceVoidRow
    invoice_voids: dict[int, Void] = {}
    payment_voids: dict[int, Void] = {}
    rows = conn.execute(
        select(v.invoice_id, v.payment_id, v.reason, v.voided_at)
        .where(v.client_id == client_id)
        .order_by(v.id)
    )
    for invoice_id, payment_id, reason, voided_at in rows:
        void = Void(str(reason), _aware(voided_at))
        if payment_id is None:
            invoice_voids.setdefault(int(invoice_id), void)
        else:
            payment_voids.setdefault(int(payment_id), void)
    return invoice_voids, payment_voids


def voids(store: Store, client: str) -> Voids:
    """The client's voided invoices (by number) and payments (by id)."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        invoice_voids, payment_voids = _voids(conn, client_id)
        numbers = dict(
            (int(i), str(n))
            for i, n in conn.execute(
                select(InvoiceRow.id, InvoiceRow.number).where(InvoiceRow.client_id == client_id)
            )
        )
    return Voids({numbers[i]: v for i, v in invoice_voids.items() if i in numbers}, payment_voids)


def payment_records(store: Store, client: str) -> list[PaymentRecord]:
    """Every stored payment of the client, voided ones included, in the order recorded."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        _, payment_voids = _voids(conn, client_id)
        rows = conn.execute(
            select(
                InvoicePaymentRow.id, InvoiceRow.number, InvoicePaymentRow.paid_on, InvoicePaymentRow.amount
            )
            .join(InvoiceRow, InvoiceRow.id == InvoicePaymentRow.invoice_id)
            .where(InvoiceRow.client_id == client_id)
            .order_by(InvoicePaymentRow.id)
        ).all()
    return [PaymentRecord(int(i), str(n), str(d), float(a), payment_voids.get(int(i))) for i, n, d, a in rows]


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise VoidRefused("reason_required")
    return text


def _unvoided_invoice(
    conn: Connection, client: str, number: str, refusal: str
) -> tuple[int, int, dict[int, Void]]:
    """(client id, invoice row id, the client's payment voids) of an invoice not voided yet.

    A voided one is refused with ``refusal`` (its reason quoted), an unknown number with
    ``no_invoice``: what both void commands check before they write.
    """
    client_id, _ = _client_id(conn, client)
    row = conn.execute(
        select(InvoiceRow.id).where(InvoiceRow.client_id == client_id, InvoiceRow.number == number)
    ).first()
    if row is None:
        raise UnknownInvoice("no_invoice", number=number, client=client)
    invoice_voids, payment_voids = _voids(conn, client_id)
    if int(row[0]) in invoice_voids:
        raise VoidRefused(refusal, number=number, reason=invoice_voids[int(row[0])].reason)
    return client_id, int(row[0]), payment_voids


def void_invoice(store: Store, client: str, number: str, reason: str) -> Void:
    """Void a wrong invoice: it stays stored and logged, and counts in no figure from now on.

    A new ``invoice_voids`` row chained in the evidence log in the same transaction,
    never an edit of the invoice (its every column is hashed: an edit is tampering). The
    number stays taken: a corrected invoice gets a new number, so a letter or a claim
    that named the old one still means the one that was voided.
    """
    text, number = _reason(reason), number.strip()
    with _write(store) as conn:
        client_id, invoice_id, _ = _unvoided_invoice(conn, client, number, "already_voided")
        return _insert_void(conn, client_id, invoice_id, None, text)


def void_payment(
    store: Store, client: str, number: str, reason: str, payment_id: int | None = None
) -> tuple[PaymentRecord, Void]:
    """Void a payment recorded by mistake (a wrong amount, date or invoice).

    ``payment_id`` names it (``invoice list --json`` lists the ids); without it the
    invoice's only payment still counted is voided, and an invoice with several is an
    error listing their ids, so the tool never guesses which one.
    """
    from clientguard.contracts.invoices import CENT

    text, number = _reason(reason), number.strip()
    with _write(store) as conn:
        client_id, invoice_id, payment_voids = _unvoided_invoice(conn, client, number, "invoice_voided")
        pays = conn.execute(
            select(InvoicePaymentRow.id, InvoicePaymentRow.paid_on, InvoicePaymentRow.amount)
            .where(InvoicePaymentRow.invoice_id == invoice_id)
            .order_by(InvoicePaymentRow.id)
        ).all()
        live = [p for p in pays if int(p[0]) not in payment_voids]
        if payment_id is None:
            if not live:
                raise VoidRefused("no_payments", number=number)
            if len(live) > 1:
                ids = tuple((int(p[0]), str(p[1]), float(p[2])) for p in live)
                raise VoidRefused("which_payment", number=number, ids=ids)
            chosen = live[0]
        else:
            found = next((p for p in pays if int(p[0]) == payment_id), None)
            if found is None:
                raise UnknownInvoice("no_payment", id=payment_id, number=number)
            if payment_id in payment_voids:
                raise VoidRefused(
                    "payment_already_voided", id=payment_id, reason=payment_voids[payment_id].reason
                )
            chosen = found
        # money given back came out of the payments: voiding one must leave enough paid to
        # cover the refunds, or the client would have got back more than they paid
        refunded = _invoice_adjustments(conn, client_id, invoice_id).refunded
        kept = sum(float(p[2]) for p in live if int(p[0]) != int(chosen[0]))
        if refunded and kept < refunded - CENT:
            raise VoidRefused("payment_refunded", id=int(chosen[0]), number=number, refunded=refunded)
        void = _insert_void(conn, client_id, invoice_id, int(chosen[0]), text)
    return PaymentRecord(int(chosen[0]), number, str(chosen[1]), float(chosen[2]), void), void


def _insert_void(
    conn: Connection, client_id: int, invoice_id: int, payment_id: int | None, reason: str
) -> Void:
    """The void row, chained in the evidence log in the same transaction (``_recorded``)."""
    # a void of an invoice edited behind the log would vouch for the edited version
    _checked(conn, client_id, ("invoices", invoice_id))
    when = _now()
    new_id = conn.execute(
        insert(InvoiceVoidRow).values(
            client_id=client_id, invoice_id=invoice_id, payment_id=payment_id, reason=reason, voided_at=when
        )
    ).inserted_primary_key
    assert new_id is not None
    _recorded(conn, client_id, ("invoice_voids", int(new_id[0])))
    return Void(reason, when)


# --------------------------------------------------------------------------- refunds, credits

#: Kinds of ``invoice_adjustments`` rows: money given back, an amount taken off, and the
#: void of one of those recorded by mistake.
REFUND, CREDIT, VOID = "refund", "credit", "void"


@dataclass(frozen=True)
class Adjustment:
    """A refund or credit of an invoice (what ``invoice list --json`` lists with its id)."""

    id: int
    invoice: str
    kind: str  # REFUND or CREDIT
    amount: float
    on: str  # the day it happened, ISO
    reason: str
    recorded_at: datetime
    void: Void | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "amount": self.amount,
            "date": self.on,
            "reason": self.reason,
            "voided": self.void.as_json() if self.void else None,
        }


@dataclass(frozen=True)
class _Adjusted:
    """One invoice's adjustment rows (every id, voids included: what a write builds on)
    and the sums of its refunds and credits that count (not voided)."""

    rows: list[Adjustment]
    ids: list[int]
    credited: float
    refunded: float


def _adjustment_rows(conn: Connection, client_id: int, invoice_id: int | None = None) -> list[Adjustment]:
    """The client's refunds and credits (of one invoice when given), in the order recorded,
    each with its void; the void rows themselves are folded into them."""
    return _adjustments_and_ids(conn, client_id, invoice_id)[0]


def _adjustments_and_ids(
    conn: Connection, client_id: int, invoice_id: int | None = None
) -> tuple[list[Adjustment], list[int]]:
    """:func:`_adjustment_rows` and the ids of every row read, voids included (one query)."""
    a = InvoiceAdjustmentRow
    query = (
        select(a.id, InvoiceRow.number, a.kind, a.amount, a.date, a.reason, a.void_of, a.recorded_at)
        .join(InvoiceRow, InvoiceRow.id == a.invoice_id)
        .where(a.client_id == client_id)
        .order_by(a.id)
    )
    if invoice_id is not None:
        query = query.where(a.invoice_id == invoice_id)
    made: dict[int, Adjustment] = {}
    voided: dict[int, Void] = {}
    ids: list[int] = []
    for row_id, number, kind, amount, on, reason, void_of, recorded_at in conn.execute(query):
        ids.append(int(row_id))
        if kind == VOID and void_of is not None:
            voided.setdefault(int(void_of), Void(str(reason), _aware(recorded_at)))
        elif kind in (REFUND, CREDIT) and amount is not None:
            made[int(row_id)] = Adjustment(
                int(row_id), str(number), str(kind), float(amount), str(on), str(reason), _aware(recorded_at)
            )
    rows = [
        Adjustment(**{**vars(x), "void": voided.get(x.id)}) if x.id in voided else x for x in made.values()
    ]
    return rows, ids


def _totals(rows: list[Adjustment], as_of: date | None = None) -> dict[str, tuple[float, float]]:
    """(credited, refunded) per invoice number, of the rows not voided dated by ``as_of``."""
    out: dict[str, tuple[float, float]] = {}
    for x in rows:
        if x.void is not None or (as_of is not None and x.on > as_of.isoformat()):
            continue
        credited, refunded = out.get(x.invoice, (0.0, 0.0))
        if x.kind == CREDIT:
            credited = round(credited + x.amount, 2)
        else:
            refunded = round(refunded + x.amount, 2)
        out[x.invoice] = (credited, refunded)
    return out


def _invoice_adjustments(conn: Connection, client_id: int, invoice_id: int) -> _Adjusted:
    rows, ids = _adjustments_and_ids(conn, client_id, invoice_id)
    live = [x for x in rows if x.void is None]
    credited = round(sum(x.amount for x in live if x.kind == CREDIT), 2)
    refunded = round(sum(x.amount for x in live if x.kind == REFUND), 2)
    return _Adjusted(rows, ids, credited, refunded)


def adjustments(store: Store, client: str) -> list[Adjustment]:
    """Every refund and credit of the client, voided ones included (marked), in the order recorded."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        return _adjustment_rows(conn, client_id)


def adjustment_totals(store: Store, client: str, as_of: date | None = None) -> dict[str, tuple[float, float]]:
    """(credited, refunded) per invoice number, of the refunds and credits that count by ``as_of``."""
    with store.engine.connect() as conn:
        client_id, _ = _client_id(conn, client)
        return _totals(_adjustment_rows(conn, client_id), as_of)


def refund_invoice(
    store: Store, client: str, number: str, amount: float, on: date | str, reason: str
) -> Adjustment:
    """Record money given back to the client on an invoice (возврат: a dispute, a cancelled project).

    A refund is a real event, not a correction: the payments stay as they were, and a row
    of its own says that ``amount`` went back on ``on``, why, chained in the evidence log
    in the same transaction. At most what was paid by ``on`` less the earlier refunds
    (an invoice nothing was paid on has nothing to give back). What was paid and what
    the invoice asks both drop by the refund, so the money returned is not due again
    (:func:`~clientguard.contracts.invoices.net_amount`).
    """
    return _adjust(store, client, number, REFUND, amount, on, reason)


def credit_invoice(
    store: Store, client: str, number: str, amount: float, on: date | str, reason: str
) -> Adjustment:
    """Take ``amount`` off what an invoice asks (уменьшение суммы счёта: a discount or credit
    note agreed after it was issued; корректировочный счёт-фактура for a VAT payer).

    The invoice stays as issued; what is due drops, and an invoice credited down to what
    was paid is settled (not overdue, no late fee, which accrues on what it asks after the
    credit). At most what is still due: money already paid goes back as a refund.
    """
    return _adjust(store, client, number, CREDIT, amount, on, reason)


def _adjust(
    store: Store, client: str, number: str, kind: str, amount: float, on: date | str, reason: str
) -> Adjustment:
    """A refund or credit row, checked against the invoice, its payments and earlier adjustments."""
    from clientguard.contracts.invoices import CENT, check_amount, check_payment_date

    text, number = _reason(reason), number.strip()
    value = check_amount(amount, kind)
    day = _day(on, f"{kind} date")
    with _write(store) as conn:
        client_id, invoice_id, payment_voids = _unvoided_invoice(conn, client, number, f"{kind}_voided")
        invoice_amount, issued, currency = conn.execute(
            select(InvoiceRow.amount, InvoiceRow.issued, InvoiceRow.currency).where(
                InvoiceRow.id == invoice_id
            )
        ).one()
        pays = conn.execute(
            select(InvoicePaymentRow.id, InvoicePaymentRow.paid_on, InvoicePaymentRow.amount).where(
                InvoicePaymentRow.invoice_id == invoice_id
            )
        ).all()
        adjusted = _invoice_adjustments(conn, client_id, invoice_id)
        # every figure below comes from these rows: none may be edited or inserted behind the log
        _checked(
            conn,
            client_id,
            ("invoices", invoice_id),
            *(("invoice_payments", int(p[0])) for p in pays),
            *(("invoice_adjustments", i) for i in adjusted.ids),
        )
        check_payment_date(day, date.fromisoformat(str(issued)), number)
        live = [(str(d), float(a)) for i, d, a in pays if int(i) not in payment_voids]
        if kind == REFUND:
            paid_by = round(sum(a for d, a in live if d <= day.isoformat()) - adjusted.refunded, 2)
            if paid_by < CENT:
                raise VoidRefused("refund_unpaid", number=number, on=day.isoformat())
            if value > paid_by + CENT:
                raise VoidRefused(
                    "refund_over",
                    number=number,
                    paid=paid_by,
                    currency=currency,
                    amount=value,
                )
        else:
            rest = round(float(invoice_amount) - adjusted.credited - sum(a for _d, a in live), 2)
            if rest < CENT:
                raise VoidRefused("credit_nothing_due", number=number)
            if value > rest + CENT:
                raise VoidRefused("credit_over", number=number, rest=rest, currency=currency, amount=value)
        when = _now()
        new_id = conn.execute(
            insert(InvoiceAdjustmentRow).values(
                client_id=client_id,
                invoice_id=invoice_id,
                kind=kind,
                amount=value,
                date=day.isoformat(),
                reason=text,
                recorded_at=when,
            )
        ).inserted_primary_key
        assert new_id is not None
        _recorded(conn, client_id, ("invoice_adjustments", int(new_id[0])))
    return Adjustment(int(new_id[0]), number, kind, value, day.isoformat(), text, when)


def void_adjustment(
    store: Store, client: str, number: str, reason: str, adjustment_id: int | None = None
) -> tuple[Adjustment, Void]:
    """Void a refund or credit recorded by mistake (``invoice void-refund``), as
    :func:`void_payment` voids a payment: a row of its own, the refund or credit stays
    stored and logged and counts nowhere. ``adjustment_id`` names it (``invoice list
    --json``); without it the invoice's only one still counting is voided.

    Voiding a refund gives the invoice back what the refund took off, so it is always
    possible; voiding a credit raises what is due again.
    """
    text, number = _reason(reason), number.strip()
    with _write(store) as conn:
        client_id, invoice_id, _ = _unvoided_invoice(conn, client, number, "invoice_voided")
        adjusted = _invoice_adjustments(conn, client_id, invoice_id)
        live = [x for x in adjusted.rows if x.void is None]
        if adjustment_id is None:
            if not live:
                raise VoidRefused("no_adjustments", number=number)
            if len(live) > 1:
                refs = tuple(AdjustmentRef(x.id, x.kind, x.on, x.amount) for x in live)
                raise VoidRefused("which_adjustment", number=number, ids=refs)
            chosen = live[0]
        else:
            found = next((x for x in adjusted.rows if x.id == adjustment_id), None)
            if found is None:
                raise UnknownInvoice("no_adjustment", id=adjustment_id, number=number)
            if found.void is not None:
                raise VoidRefused("adjustment_already_voided", id=adjustment_id, reason=found.void.reason)
            chosen = found
        # the void vouches for the invoice and the row it cancels as logged
        _checked(conn, client_id, ("invoices", invoice_id), ("invoice_adjustments", chosen.id))
        when = _now()
        new_id = conn.execute(
            insert(InvoiceAdjustmentRow).values(
                client_id=client_id,
                invoice_id=invoice_id,
                kind=VOID,
                amount=None,
                date=when.date().isoformat(),
                reason=text,
                void_of=chosen.id,
                recorded_at=when,
            )
        ).inserted_primary_key
        assert new_id is not None
        _recorded(conn, client_id, ("invoice_adjustments", int(new_id[0])))
    void = Void(text, when)
    return Adjustment(**{**vars(chosen), "void": void}), void


def client_names_with_invoices(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(ClientRow.name).join(InvoiceRow, InvoiceRow.client_id == ClientRow.id).distinct()
        )
        return sorted(str(r[0]) for r in rows)


def client_names_with_contracts(store: Store) -> list[str]:
    """Every client with a stored contract (``contract reread --all``)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(ClientRow.name).join(ContractRow, ContractRow.client_id == ClientRow.id).distinct()
        )
        return sorted(str(r[0]) for r in rows)
