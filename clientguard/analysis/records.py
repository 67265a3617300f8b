"""Record signals: revision rounds, overdue invoices and requests outside the scope.

These join the chat with the case's records (contract terms, invoices). Rules:

- revision rounds: a specialist *delivery* (an attachment, or delivery words, naming a
  deliverable from :mod:`lexicon`) opens a round on that deliverable; the client's first
  *change request* after it (change words or a ``nitpicking``/``indecision`` label)
  counts the round. A re-delivery after a counted round continues the same deliverable
  (one marked as a later version — "версия 3", "с правками", "2-й круг" — continues the
  deliverable awaiting it, whatever else it mentions, unless the mark is labelled with its
  own deliverable: "Carousel v2" revises the carousel); a delivery after an uncontested
  one starts a new deliverable (a new post is not a revision of the last). A delivery
  that states its round ("round 1 of 2", "2-й круг") has spent at least that many: a
  round asked for off the chat (on a call) counts too, without a message as evidence.
  Another change request on the same version is the same round, not a new one: a round
  is a version asked for, however many messages ask for it.
  ``revision_over_limit`` counts the rounds above the contract's ``revision_limit``
  (unknown limit → never over).
- ``overdue_invoice``: an invoice with something still unpaid past ``due`` as of the
  reference date (the last message's date, or ``now``); days are calendar days. Whether
  an invoice is paid, partly paid or overdue on a date comes from one function,
  :func:`clientguard.contracts.invoices.invoice_status`, which ``invoice list`` and the
  reply drafts read too, so the profile's "Overdue invoices: N" is the count the invoice
  table shows. An invoice paid in full after ``due`` is not overdue: it is *paid late*
  (:func:`paid_late_invoices`), a separate fact that still counts as evidence of a bad
  payer and weighs in the risk.
- ``out_of_scope_request``: a client message labelled ``scope_creep``; when a contract
  scope is known, also a request (request words) naming a deliverable that no scope
  item names (``clientguard.contracts.match_scope`` replaces this fallback when present).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from clientguard.analysis.case import CaseFile, CaseInvoice
from clientguard.analysis.lexicon import (
    CHANGE_LABELS,
    CHANGE_WORDS,
    DELIVERABLES,
    DELIVERY_WORDS,
    REQUEST_WORDS,
)
from clientguard.analysis.model import AnalyzedMessage, InvoiceStatus, RevisionRound, SignalHit
from clientguard.domain import AttachmentKind, Role

_STEM_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(s) for s, _ in sorted(DELIVERABLES, key=lambda x: -len(x[0]))) + ")",
)
_STEM_ID = {s: d for s, d in DELIVERABLES}


def deliverable_of(text: str) -> str | None:
    """The first deliverable a text names, or None."""
    m = _STEM_RE.search(text.lower())
    return _STEM_ID[m.group(1)] if m else None


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` occurs in ``text`` (substring, case-insensitive).

    Plain substring tests on the lower-cased text: several times faster here than one
    case-insensitive regex alternation, which Python does not compile to a trie.
    """
    low = text.lower()
    return any(w in low for w in words)


# A delivery that presents a new version of work already under revision.
_REVISION_MARK = re.compile(
    r"(?:верси\w*|вариант|version)\s*(?:№\s*)?[2-9]|(?:втор|трет|четв[её]рт)\w* (?:верси|вариант)"
    r"|с правками|\d-?й круг|круг правок|исправил|поправил|переделал|обновл\w* верси|revised|\bv[2-9]\b"
)


# A deliverable named right before the version mark is what the version is of: "Carousel v2",
# "Баннер, вариант 2", "пост с правками" (matched against the text before the mark).
_NAMED_VERSION = re.compile(_STEM_RE.pattern + r"\w*[\s,:—–-]{0,3}$")

# The revision round a delivery says it is: "round 1 of 2", "2-й круг", "второй круг правок".
# Ordinals only: "2 раунда правок по договору" counts the contract's rounds, not this one.
_STATED_ROUND = re.compile(
    r"\bround\s*(?:№\s*)?(?P<a>[1-9])\b|\b(?P<b>[1-9])(?:st|nd|rd|th) round\b"
    r"|\b(?P<c>first|second|third|fourth|fifth) round\b"
    r"|(?<!\w)(?P<d>[1-9])-?(?:й|ой|ий|ый) (?:круг|раунд)\b|\b(?:круг|раунд) (?:№\s*)?(?P<e>[1-9])\b"
    r"|\b(?P<f>перв|втор|трет|четв[её]рт|пят)\w* (?:круг|раунд)\b"
)
# A round as the heading a version opens with: "Round 2: …", "2-й круг — …", "Круг 3: …";
# not a round named inside a sentence ("That was round 2", "это второй круг из двух, третий
# платный", "round 2 tomorrow"): those speak about rounds, they present none.
_ROUND_HEADING = re.compile(
    r"\s*(?:(?:round|раунд|круг)\s*(?:№\s*)?[1-9]|[1-9]-?(?:й|ой|ий|ый) (?:круг|раунд))\s*[:—–-]"
)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "четвёрт": 4, "пят": 5,
}  # fmt: skip


def stated_round(text: str) -> int | None:
    """The revision round a delivery says it is ("round 1 of 2" → 1), or None."""
    low = text.lower()
    if "круг" not in low and "раунд" not in low and "round" not in low:
        return None  # most deliveries: no regex
    m = _STATED_ROUND.search(low)
    if m is None:
        return None
    value = next(v for v in m.groups() if v is not None)
    return int(value) if value.isdigit() else _ORDINALS[value]


@dataclass
class _Chain:
    key: str
    rounds: int = 0
    counted: bool = False
    evidence: list[str] = field(default_factory=list)


def round_heading(text: str) -> bool:
    """Whether ``text`` opens with the round it presents ("Round 2: warmer font, …")."""
    return _ROUND_HEADING.match(text.lower()) is not None


def delivered(m: AnalyzedMessage, key: str | None, last_key: str | None) -> str | None:
    """The deliverable a specialist message hands over for approval, or None.

    A delivery is an attachment once some deliverable has been named (``key``: the one
    ``m`` names, ``deliverable_of(m.text)``, which the caller has already; or ``last_key``,
    the last one an earlier message of the specialist named), or delivery words naming
    one, or a version told in words under its round as a heading ("Round 2: warmer font,
    faster pour" once a deliverable is named: the file may come later or not be in the
    export, the version is presented all the same). One definition for the revision
    rounds and for the runs of petty edits (:mod:`.petty_edits`), so that "a new version
    closes the round" means the same there.
    """
    if m.attachment is not AttachmentKind.NONE and (key or last_key):
        return key or last_key
    if key is not None and _has(m.text, DELIVERY_WORDS):
        return key
    if (key or last_key) and round_heading(m.text):
        return key or last_key
    return None


def revision_rounds(messages: Sequence[AnalyzedMessage], limit: int | None) -> tuple[RevisionRound, ...]:
    """Deliverables with at least one revision round (see module rules)."""
    done: list[_Chain] = []
    open_chains: dict[str, _Chain] = {}
    current: str | None = None
    last_spec_key: str | None = None
    for m in messages:
        if m.role is Role.SPECIALIST:
            key = deliverable_of(m.text)
            got = delivered(m, key, last_spec_key)
            if key:
                last_spec_key = key
            if got is None:
                continue
            k = got
            low = m.text.lower()
            awaiting = [c.key for c in open_chains.values() if c.counted]
            mark = (_REVISION_MARK.search(low) or _ROUND_HEADING.match(low)) if awaiting else None
            if mark is not None:
                # "Версия 3", "с правками", "2-й круг": a new version of work under revision,
                # whatever else the message happens to mention; unless the mark is labelled
                # with its deliverable ("Carousel v2"), which then is the one revised.
                labelled = _NAMED_VERSION.search(low[: mark.start()])
                if labelled is not None:
                    k = _STEM_ID[labelled.group(1)]
                else:
                    k = key if key in awaiting else awaiting[-1]
            stated = stated_round(m.text)
            chain = open_chains.get(k)
            if chain is None or not (chain.counted or stated is not None):
                if chain is not None and chain.rounds:
                    done.append(chain)
                chain = _Chain(k)
                open_chains[k] = chain
            if stated is not None and stated > chain.rounds:
                # "Carousel v2 (round 1 of 2)" as the chat's first delivery of it: the round
                # was asked for off the chat (a call), but it is spent all the same.
                chain.rounds = stated
            chain.counted = False
            current = k
        elif m.role is Role.CLIENT and current is not None:
            named = deliverable_of(m.text)
            k = named if named in open_chains else current
            chain = open_chains[k]
            if chain.counted:
                continue
            if _has(m.text, CHANGE_WORDS) or CHANGE_LABELS & set(m.labels):
                chain.rounds += 1
                chain.counted = True
                chain.evidence.append(m.id)
    done.extend(c for c in open_chains.values() if c.rounds)
    return tuple(RevisionRound(c.key, c.rounds, limit, tuple(c.evidence)) for c in done)


def revision_over_limit(rounds: Sequence[RevisionRound]) -> SignalHit:
    over = [r for r in rounds if r.limit is not None and r.rounds > r.limit]
    count = sum(r.rounds - (r.limit or 0) for r in over)
    # The latest requests are the rounds over the limit; rounds a delivery stated (asked for
    # off the chat) have no message and come first.
    evidence = tuple(
        mid for r in over for mid in r.evidence[max(0, len(r.evidence) - (r.rounds - (r.limit or 0))) :]
    )
    details = tuple(
        {"deliverable": r.deliverable, "rounds": str(r.rounds), "limit": str(r.limit)} for r in over
    )
    return SignalHit("revision_over_limit", count, evidence, details)


def _d(value: str) -> date:
    return date.fromisoformat(value[:10])


def _payments(inv: CaseInvoice) -> list[tuple[date, float]]:
    """The dated payments of a case invoice; ``paid_on`` settles what the parts left."""
    parts = [(_d(p.date), p.amount) for p in inv.partial_payments]
    if inv.paid_on:
        rest = round(inv.amount - sum(a for _, a in parts), 2)
        if rest > 0:
            parts.append((_d(inv.paid_on), rest))
        elif not parts:
            parts.append((_d(inv.paid_on), inv.amount))
    return parts


def invoice_status(case: CaseFile, as_of: date) -> tuple[InvoiceStatus, ...]:
    """Every invoice of the case as of ``as_of`` (payments after it count in none of it).

    Read through :func:`clientguard.contracts.invoices.invoice_status`, the function
    behind ``invoice list``: the profile had its own rule and counted an invoice paid
    late as overdue, so the report said "Overdue invoices: 3" beside a table of 2.
    """
    from clientguard.contracts.invoices import invoice_status as standing
    from clientguard.contracts.invoices import payable_by
    from clientguard.domain import Invoice

    out: list[InvoiceStatus] = []
    for inv in case.invoices:
        due = payable_by(_d(inv.due))  # a weekend due date moves to Monday, as invoice list has it
        domain = Invoice(inv.id, inv.amount, inv.issued, inv.due, None, inv.currency)
        st = standing(case.client.name or "", domain, as_of, _payments(inv))
        paid_amount = round(st.invoice.paid_amount or 0.0, 2)
        paid_on = st.invoice.paid_on
        if paid_on is not None:
            late = max(0, (_d(paid_on) - due).days)
            status = "paid_late" if late else "paid"
            out.append(
                InvoiceStatus(
                    inv.id, inv.amount, inv.currency, inv.due, paid_on, paid_amount, 0, late, status
                )
            )
            continue
        if st.overdue:
            status = "partly_paid_overdue" if paid_amount else "overdue"
        else:
            status = "partly_paid" if paid_amount else "open"
        days = st.days_overdue if st.overdue else 0
        out.append(
            InvoiceStatus(inv.id, inv.amount, inv.currency, inv.due, None, paid_amount, days, 0, status)
        )
    return tuple(out)


def overdue_invoices(statuses: Sequence[InvoiceStatus]) -> SignalHit:
    """``overdue_invoice``: invoices with something unpaid past due (:attr:`InvoiceStatus.overdue`)."""
    bad = [s for s in statuses if s.overdue]
    details = tuple({"invoice": s.id, "days_overdue": str(s.days_overdue), "status": s.status} for s in bad)
    return SignalHit("overdue_invoice", len(bad), tuple(f"invoice:{s.id}" for s in bad), details)


def paid_late_invoices(statuses: Sequence[InvoiceStatus]) -> tuple[InvoiceStatus, ...]:
    """Invoices paid in full, but after their due date.

    Not overdue (nothing is owed), yet a fact about how the client pays: the ``bad_payer``
    archetype and the risk weigh them as before, as the kind ``paid_late``.
    """
    return tuple(s for s in statuses if s.days_late > 0)


ScopeMatcher = Callable[[str, Sequence[str]], bool]


def _scope_matcher() -> ScopeMatcher | None:
    """``clientguard.contracts.match_scope`` adapted to (text, scope) → in scope."""
    try:
        from clientguard.contracts import match_scope
    except ImportError:
        return None

    def matcher(text: str, scope: Sequence[str]) -> bool:
        return bool(match_scope(text, scope).in_scope)

    return matcher


def _is_request(text: str) -> bool:
    """A request for a named deliverable: request words plus a deliverable noun."""
    return _has(text, REQUEST_WORDS) and deliverable_of(text) is not None


def _fallback_in_scope(text: str, scope: Sequence[str]) -> bool:
    """Local rule: a requested deliverable is in scope iff some scope item names it."""
    key = deliverable_of(text)
    return any(deliverable_of(item) == key or (key or "") in item.lower() for item in scope)


def out_of_scope(messages: Sequence[AnalyzedMessage], case: CaseFile) -> SignalHit:
    scope = case.contract.scope if case.contract else ()
    matcher = _scope_matcher() if scope else None
    ids: list[str] = []
    for m in messages:
        if m.role is not Role.CLIENT:
            continue
        if "scope_creep" in m.labels:
            ids.append(m.id)
            continue
        if not scope or not m.text or not _is_request(m.text):
            continue
        in_scope: bool | None = None
        if matcher is not None:
            try:
                in_scope = matcher(m.text, scope)
            except (OSError, LookupError, ValueError, TypeError, AttributeError):
                # The contracts matcher is optional here; its failure must not stop a profile.
                matcher = None
        if in_scope is None:
            in_scope = _fallback_in_scope(m.text, scope)
        if not in_scope:
            ids.append(m.id)
    return SignalHit("out_of_scope_request", len(ids), tuple(ids))


def reference_date(
    messages: Sequence[AnalyzedMessage], now: datetime | None, case: CaseFile | None = None
) -> date:
    """The date records are judged at: ``now`` if given, else the latest dated fact known.

    That is the last message's date, or a later payment of the case's invoices (never after
    today): a payment recorded today, after the chat went quiet, left its invoice overdue in
    the profile and on the dashboard until the client wrote again (helper-109's finding).
    """
    if now is not None:
        return now.date()
    stamps = [m.timestamp.date() for m in messages if m.timestamp]
    if case is not None:
        today = date.today()
        paid = (d for inv in case.invoices for d, _amount in _payments(inv))
        stamps += [d for d in paid if d <= today]
    return max(stamps) if stamps else date.today()
