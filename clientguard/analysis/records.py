"""Record signals: revision rounds, overdue invoices and requests outside the scope.

These join the chat with the case's records (contract terms, invoices). Rules:

- revision rounds: a specialist *delivery* (an attachment, or delivery words, naming a
  deliverable from :mod:`lexicon`) opens a round on that deliverable; the client's first
  *change request* after it (change words or a ``nitpicking``/``indecision`` label)
  counts the round. A re-delivery after a counted round continues the same deliverable
  (one marked as a later version — "версия 3", "с правками", "2-й круг" — continues the
  deliverable awaiting it, whatever else it mentions); a delivery after an uncontested
  one starts a new deliverable (a new post is not a revision of the last).
  ``revision_over_limit`` counts the rounds above the contract's ``revision_limit``
  (unknown limit → never over).
- ``overdue_invoice``: an invoice unpaid past ``due`` as of the reference date (the last
  message's date, or ``now``), or one that was paid after ``due``; days are calendar days.
- ``out_of_scope_request``: a client message labelled ``scope_creep``; when a contract
  scope is known, also a request (request words) naming a deliverable that no scope
  item names (``clientguard.contracts.match_scope`` replaces this fallback when present).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from clientguard.analysis.case import CaseFile
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


@dataclass
class _Chain:
    key: str
    rounds: int = 0
    counted: bool = False
    evidence: list[str] = field(default_factory=list)


def delivered(m: AnalyzedMessage, key: str | None, last_key: str | None) -> str | None:
    """The deliverable a specialist message hands over for approval, or None.

    A delivery is an attachment once some deliverable has been named (``key``: the one
    ``m`` names, ``deliverable_of(m.text)``, which the caller has already; or ``last_key``,
    the last one an earlier message of the specialist named), or delivery words naming
    one. One definition for the revision rounds and for the runs of petty edits
    (:mod:`.petty_edits`), so that "a new version closes the round" means the same there.
    """
    if m.attachment is not AttachmentKind.NONE and (key or last_key):
        return key or last_key
    if key is not None and _has(m.text, DELIVERY_WORDS):
        return key
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
            awaiting = [c.key for c in open_chains.values() if c.counted]
            if awaiting and _REVISION_MARK.search(m.text.lower()):
                # "Версия 3", "с правками", "2-й круг": a new version of work under revision,
                # whatever else the message happens to mention.
                k = key if key in awaiting else awaiting[-1]
            chain = open_chains.get(k)
            if chain is None or not chain.counted:
                if chain is not None and chain.rounds:
                    done.append(chain)
                chain = _Chain(k)
                open_chains[k] = chain
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
    evidence = tuple(mid for r in over for mid in r.evidence[r.limit or 0 :])
    details = tuple(
        {"deliverable": r.deliverable, "rounds": str(r.rounds), "limit": str(r.limit)} for r in over
    )
    return SignalHit("revision_over_limit", count, evidence, details)


def _d(value: str) -> date:
    return date.fromisoformat(value[:10])


def invoice_status(case: CaseFile, as_of: date) -> tuple[InvoiceStatus, ...]:
    out: list[InvoiceStatus] = []
    for inv in case.invoices:
        due = _d(inv.due)
        paid_amount = inv.amount if inv.paid_on else sum(p.amount for p in inv.partial_payments)
        if inv.paid_on:
            late = max(0, (_d(inv.paid_on) - due).days)
            out.append(
                InvoiceStatus(
                    inv.id,
                    inv.amount,
                    inv.currency,
                    inv.due,
                    inv.paid_on,
                    paid_amount,
                    0,
                    late,
                    "paid_late" if late else "paid",
                )
            )
            continue
        overdue = max(0, (as_of - due).days)
        status = (
            ("partly_paid_overdue" if paid_amount else "overdue")
            if overdue
            else ("partly_paid" if paid_amount else "open")
        )
        out.append(
            InvoiceStatus(inv.id, inv.amount, inv.currency, inv.due, None, paid_amount, overdue, 0, status)
        )
    return tuple(out)


def overdue_invoices(statuses: Sequence[InvoiceStatus]) -> SignalHit:
    bad = [s for s in statuses if s.days_overdue > 0 or s.days_late > 0]
    details = tuple(
        {"invoice": s.id, "days_overdue": str(s.days_overdue or s.days_late), "status": s.status} for s in bad
    )
    return SignalHit("overdue_invoice", len(bad), tuple(f"invoice:{s.id}" for s in bad), details)


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


def reference_date(messages: Sequence[AnalyzedMessage], now: datetime | None) -> date:
    """The date records are judged at: ``now`` if given, else the last message's date."""
    if now is not None:
        return now.date()
    stamps = [m.timestamp for m in messages if m.timestamp]
    return max(stamps).date() if stamps else date.today()
