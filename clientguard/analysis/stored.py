"""The one adapter between case files and the store's contract terms and invoices.

Both directions live here so that ``clientguard analyze`` and the dashboard
(:mod:`clientguard.web.profiles`) hold a client to the same facts:

* :func:`remember_case` writes a case file's terms and invoices into the store, never
  over what the user stored or corrected there (``contract set``, ``invoice paid``);
* :func:`with_stored_records` puts the stored terms and invoices into a case, so a
  profile over the stored history also sees payments recorded after the case was
  written; :func:`case_for` is the case of a stored client that has no case file.

The contracts feature is optional: without it, cases pass through unchanged.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from clientguard import config
from clientguard.analysis.case import (
    CaseContract,
    CaseFile,
    CaseHours,
    CaseInvoice,
    default_case,
)

if TYPE_CHECKING:
    from clientguard.store import Store


def remember_case(store: Store, client: str, case: CaseFile) -> None:
    """Keep the case file's contract terms, invoices and time zone for the client in the store.

    So that ``reply``, ``invoice list``, ``revisions`` and the dashboard see the same
    facts the analysis used. Never overrides what the user already stored or corrected
    (``contract set``, ``invoice paid``): terms are written only when none are stored,
    invoices only when their number is new.
    """
    from clientguard.contracts import repo

    stored = _stored(store, client)
    terms = case.terms()
    if terms is not None and (not stored or repo.terms_for_client(store, client) is None):
        repo.set_terms(store, client, **{f.name: getattr(terms, f.name) for f in fields(terms)})
    # a voided invoice's number too: the case file must not bring back what the user voided
    known = (
        {i.id for i in repo.invoices(store, client, payments={}, include_voided=True)}
        if _stored(store, client)
        else set()
    )
    for inv in case.invoices:
        if inv.id in known:
            continue
        repo.add_invoice(
            store, client, inv.amount, inv.due, issued=inv.issued, number=inv.id, currency=inv.currency
        )
        for part in inv.partial_payments:
            repo.pay_invoice(store, client, inv.id, on=part.date, amount=part.amount)
        if inv.paid_on and not inv.partial_payments:
            repo.pay_invoice(store, client, inv.id, on=inv.paid_on)
    named = "timezone" not in case.assumed  # the case file named its zone: later profiles use it
    if named and (stored or _stored(store, client)) and store.client_timezone(client) != case.timezone:
        store.set_client_timezone(client, case.timezone)


def with_stored_records(case: CaseFile, store: Store, client: str) -> CaseFile:
    """``case`` with the client's stored terms and invoices, which win over the case's.

    The store is where corrections accumulate (a payment recorded last week, a revision
    limit fixed by hand), so a profile of the stored history must not repeat a stale
    case file. Stored invoices replace the case's ones of the same number; invoices only
    the case names (the store was not written) are kept.
    """
    if not _stored(store, client):
        return case
    case = with_stored_timezone(case, store, client)
    try:
        from clientguard.contracts.repo import invoice_payments, invoices, terms_record, voids
    except ImportError:  # contracts feature absent: the case as it is
        return case
    updates: dict[str, Any] = {}
    record = terms_record(store, client)
    if record is not None:
        t = record.terms
        updates["contract"] = CaseContract.from_domain(t)
        assumed = {"contract"}
        if t.signed and case.stage == "contract":
            assumed.add("stage")  # a signed contract on file: the default stage is a fact
        if t.working_hours is not None:
            updates["working_hours"] = CaseHours.from_domain(t.working_hours)
            assumed.add("working_hours")
        updates["assumed"] = tuple(a for a in case.assumed if a not in assumed)
    pays = invoice_payments(store, client)
    stored = tuple(
        CaseInvoice.from_domain(i, pays.get(i.id, ())) for i in invoices(store, client, payments=pays)
    )
    # a voided number hides the case's invoice of that number too (the store's void wins)
    numbers = {i.id for i in stored} | set(voids(store, client).invoices)
    updates["invoices"] = stored + tuple(i for i in case.invoices if i.id not in numbers)
    return case.model_copy(update=updates)


def with_stored_timezone(case: CaseFile, store: Store, client: str) -> CaseFile:
    """``case`` in the zone a case file named for the client, unless this case names one.

    ``analyze FILE --case`` read the chat in the case's zone, a later ``analyze --client``
    and the dashboard in the default one: 7 off-hours messages instead of 8, risk 94
    instead of 95, for the same client (QA pass 7).
    """
    if "timezone" not in case.assumed:
        return case
    zone = store.client_timezone(client)
    if zone is None:
        return case
    assumed = tuple(a for a in case.assumed if a != "timezone")
    return case.model_copy(update={"timezone": zone, "assumed": assumed})


def _stored(store: Store, client: str) -> bool:
    """Whether the store knows the client (records of an unknown one are simply none)."""
    from clientguard.errors import NotFoundError

    try:
        store.client(client)
    except NotFoundError:
        return False
    return True


def base_case(client: str = "") -> CaseFile:
    """The case of a client without a case file: the defaults, in the configured time zone."""
    return default_case(client).model_copy(update={"timezone": config.get("tz")})


def case_for(store: Store, client: str) -> CaseFile:
    """The case of a stored client: defaults plus the stored contract terms and invoices."""
    return with_stored_records(base_case(client), store, client)
