"""Facts of a reply read from the store: client, contacts, contract terms, invoices, a message.

An adapter at the border: it turns store records (and, when the contracts feature is
installed, its terms and invoices) into a :class:`ReplyFacts`, so the templates never
see the database. Anything the store does not know stays ``None``; the CLI then fills
it from ``--fact`` options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clientguard import config
from clientguard.errors import NotFoundError, msg
from clientguard.playbook.facts import FixedFeeFact, InvoiceFact, ReplyFacts, invoice_number

if TYPE_CHECKING:
    from clientguard.store import Store


def _zone() -> ZoneInfo:
    try:
        return ZoneInfo(config.get("tz"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _contract_facts(store: Store, client: str, invoice_id: str | None = None) -> dict[str, Any]:
    try:
        from clientguard.contracts.invoices import invoice_statuses
        from clientguard.contracts.repo import terms_for_client, voids
    except ImportError:  # the contracts feature is optional
        return {}
    out: dict[str, Any] = {}
    terms = terms_for_client(store, client)
    if terms is not None:
        out |= {
            # A signed contract on file lets the drafts say "по договору"; terms set by hand
            # without one (``contract set``) were agreed in the chat, not in a contract.
            "contract_signed": terms.signed,
            "scope_items": tuple(terms.scope),
            "revision_limit": terms.revision_limit,
            "currency": terms.currency,
            "working_hours": terms.working_hours,
            "penalty_percent_per_day": terms.late_fee_percent_per_day,
        }
    # The figures of `invoice list` (one engine, as of today): the late fee accrues day by
    # day on what was unpaid that day and stops at the contract's cap. The drafts had
    # recomputed it as rest × rate × days, so a claim asked 1 900 ₽ where the list said
    # 2 050 ₽ after a part payment, and ignored the cap (QA pass 5, N9).
    statuses = invoice_statuses(store, client)
    unpaid = [r for r in statuses if r.invoice.paid_on is None]
    named = (
        None
        if invoice_id is None
        else _named_invoice(statuses, client, invoice_id, voids(store, client).invoices)
    )
    if named is not None or unpaid:
        # The invoice the user named (--fact invoice_id=2), else the oldest debt, the one to
        # chase. Every figure comes from that one invoice: the dates of the oldest beside the
        # number of another made a letter about an invoice that does not exist (G2).
        st = named if named is not None else min(unpaid, key=lambda r: r.invoice.due)
        inv = st.invoice
        out |= {
            "invoice_id": inv.id,
            "amount": st.outstanding,
            "paid_amount": inv.paid_amount or None,
            "currency": inv.currency,
            "invoice_date": date.fromisoformat(inv.issued),
            "due_date": date.fromisoformat(inv.due),
            "days_overdue": st.days_overdue or None,
        }
        fixed = st.late_fee_fixed
        if fixed is not None:
            # "пени 500 рублей в день": quoted as the contract says it, the sum from the list
            # (none when the invoice is in another currency: the fee is quoted, not summed)
            out["penalty_fixed"] = FixedFeeFact(fixed.amount, fixed.per, fixed.currency)
        if st.has_late_fee and st.days_overdue > 0:
            out["penalty_amount"] = st.late_fee
        if st.late_fee_cap_percent is not None:
            # 0,5 % a day for 34 days is not the 10 % a claim asks: the cap must be named
            # beside the rate, or the figures contradict each other (QA6 CLI N12)
            out["penalty_cap_percent"] = st.late_fee_cap_percent
    # Two overdue invoices: a claim naming only the oldest asked for half the debt (QA
    # pass 6 F4). Each is listed, oldest first, and the drafts claim the total: one per
    # currency when they are in several (G3; roubles and dollars had left only the oldest).
    overdue = sorted((r for r in unpaid if r.overdue), key=lambda r: r.invoice.due)
    if named is None and len(overdue) >= 2:
        out["overdue_invoices"] = tuple(_invoice_fact(r) for r in overdue)
    return out


def _bare_id(text: str) -> str:
    """An invoice number as compared: "№ 2", "#2", "No. 2" and " 2 " are invoice "2"
    (:func:`~clientguard.playbook.facts.invoice_number`, the reading ``--fact`` gets too)."""
    return invoice_number(text).casefold()


def _named_invoice(
    statuses: Sequence[Any], client: str, invoice_id: str, voids: Mapping[str, Any] | None = None
) -> Any:
    """The ``invoice list`` row of the invoice the user named; one error naming the client's
    invoices when there is no such invoice (a draft about an invoice not on file would
    mix the named number with another invoice's dates and sums) or it is voided
    (``voids``: the client's voided invoices by number, which ``statuses`` leave out)."""
    voids = voids or {}
    wanted = _bare_id(invoice_id)
    for st in statuses:
        if _bare_id(str(st.invoice.id)) == wanted:
            return st
    ids = ", ".join(str(st.invoice.id) for st in statuses)
    wanted_id = invoice_id.strip()
    known = msg("reply_facts.its_invoices", ids=ids) if ids else msg("reply_facts.no_invoices")
    voided = next((v for n, v in voids.items() if _bare_id(n) == wanted), None)
    if voided is not None:
        # a letter about a voided invoice would claim a debt the user cancelled
        said = msg("reply_facts.voided", id=wanted_id, client=client, reason=voided.reason, known=known)
        raise NotFoundError(said)
    raise NotFoundError(msg("reply_facts.no_invoice", id=wanted_id, client=client, known=known))


def _invoice_fact(st: Any) -> InvoiceFact:
    """An ``invoice list`` row (:class:`clientguard.contracts.invoices.InvoiceStatus`) as a fact."""
    inv = st.invoice
    return InvoiceFact(
        id=inv.id,
        issued=date.fromisoformat(inv.issued) if inv.issued else None,
        due=date.fromisoformat(inv.due) if inv.due else None,
        total=inv.amount,
        paid=inv.paid_amount or None,
        outstanding=st.outstanding,
        days_overdue=st.days_overdue,
        late_fee=st.late_fee if st.has_late_fee else None,
        currency=inv.currency,
    )


def addressable(name: str | None) -> bool:
    """Whether a sender name can open a letter: not only a number ("+7 999 123-45-67") or
    an e-mail address (the patterns are :mod:`clientguard.playbook.address`'s data)."""
    from clientguard.playbook.address import addressable as _addressable

    return _addressable(name)


def revision_facts(rows: Sequence[Any], lang: str) -> dict[str, Any]:
    """The deliverable a "revision limit reached" reply is about, as reply facts.

    The one furthest over its limit (the later one on a tie), else one whose limit is just
    used up (then without a count: the draft only says the limit is used up); nothing when
    no deliverable has reached its limit, so the draft stays general. Deliverables are named in the
    draft's language ("контент-план", not the id ``content_plan``).
    """
    from clientguard.report.i18n import t

    def name(row: Any) -> str:
        return str(getattr(row, "deliverable", None) or getattr(row, "name", ""))

    reached = [r for r in rows if r.limit is not None and r.rounds >= r.limit]
    if not reached:
        return {}
    best = max(enumerate(reached), key=lambda p: (p[1].rounds - p[1].limit, p[0]))[1]
    out = {"deliverable": t("deliverables", name(best), lang), "revision_limit": best.limit}
    if best.rounds > best.limit:  # "уже о 3-м раунде" only when the count is past the limit
        out["revision_count"] = best.rounds
    return out


#: How many of the client's latest messages decide the language a draft is written in.
LANG_SAMPLE = 50


def client_language(store: Store, client: str) -> str | None:
    """The language the client writes in (``ru``/``en``): of the letters of its latest
    :data:`LANG_SAMPLE` messages, as :func:`clientguard.nlp.lang.detect_lang` decides it for
    a message; None when the client has written nothing with letters.

    A draft goes to the client: a Russian-speaking freelancer's ``reply`` to an American
    client was written in Russian ("Здравствуйте, Sarah!") because the interface is.
    """
    from collections import deque

    from clientguard.nlp.lang import detect_lang

    found = store.client(client)
    latest: deque[str] = deque(maxlen=LANG_SAMPLE)
    for stored in store.iter_messages(found.name):
        if stored.message.role.value == "client" and stored.message.text:
            latest.append(stored.message.text)
    lang = detect_lang("\n".join(latest), default="")
    return lang or None


def facts_from_store(
    store: Store, client: str, message_id: int | None = None, invoice_id: str | None = None
) -> ReplyFacts:
    """What the store knows about the case; raises :class:`NotFoundError` for a foreign message
    or an invoice ``invoice_id`` the client does not have.

    With ``invoice_id`` (``--fact invoice_id=…``) the invoice facts are all that invoice's,
    never the oldest overdue one's.
    """
    found = store.client(client)
    # A WhatsApp contact saved under no name is its number: "Здравствуйте, +7 999 123-45-67!"
    # greets nobody, so such a name is left out and the draft says just "Здравствуйте!".
    people = [c for c in found.contacts if c.role != "other" and addressable(c.name)]
    values: dict[str, Any] = {"client_name": found.name}
    if people:
        values["contact_name"] = people[0].name
    values |= {k: v for k, v in _contract_facts(store, found.name, invoice_id).items() if v not in (None, ())}
    if message_id is not None:
        quoted = next((m for m in store.iter_messages(found.name) if m.id == message_id), None)
        if quoted is None:
            raise NotFoundError(msg("reply_facts.no_message", id=message_id, client=found.name))
        values["quoted_message"] = quoted.message.text
        ts: datetime | None = quoted.message.timestamp
        if ts is not None:
            values["quoted_message_date"] = ts.astimezone(_zone())
        if addressable(quoted.message.sender.name) and quoted.message.role.value == "client":
            values["contact_name"] = quoted.message.sender.name
    # The other person is someone else: one man writing by e-mail and in WhatsApp is two
    # contacts of one name, and "подключить … ещё одного человека: Игорь Петров" to Игорь
    # himself is nonsense (QA6 CLI N4).
    addressee = _same_person(values.get("contact_name"))
    other = next((c.name for c in people if _same_person(c.name) != addressee), None)
    if other is not None:
        values["other_contact_name"] = other
    return ReplyFacts(**values)


def _same_person(name: str | None) -> str:
    """A contact name as compared for "the same person": case, ё and spacing ignored."""
    return " ".join((name or "").casefold().replace("ё", "е").split())
