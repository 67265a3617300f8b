"""The client page's word that stored terms are an older reading of the contract.

``contract show`` and ``contract check --client`` say so on stderr
(:func:`clientguard.cli.contract.warn_older_reading`); the client page said nothing while
its reply drafts claimed penalties at the stored rate ("4% above the base rate" once
stored as 4% a day), and then only of the late fee, when payment days or revision rounds
an older reader got wrong were as stale. Which terms are is the library's decision
(:func:`clientguard.contracts.older.older_terms`: the contract file is read only when some
term may be an older reading, once per file state); this module only words it in the
page's language.

The notice names the command and, for who may change the client's terms, leads to the
re-read's confirmation page (:mod:`clientguard.web.routes.reread`), which shows every
old → new before anything is written: a re-read may change more terms than it lists here
(a term whose reading today's reader also differs on), and writes a new version of the
terms on the evidence log.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clientguard.contracts.repo import FEE_CAP, FIXED_FEE, LATE_FEE
from clientguard.report.i18n import number
from clientguard.web.i18n import term, tr

if TYPE_CHECKING:
    from clientguard.contracts.reread import TermChange
    from clientguard.store import Store


@dataclass(frozen=True)
class TermLine:
    """One term, worded: "Срок оплаты, дней", "30", "14"."""

    #: the term as the terms lines name it, capitalised: "Пени, % в день"
    term: str
    #: the stored value and today's reading ("—" and why no figure for a late fee read as none)
    old: str
    new: str


@dataclass(frozen=True)
class OlderReading:
    """Every stored term an older reader read otherwise, worded for the page."""

    lines: tuple[TermLine, ...]
    #: the late fee's (or its cap's) line among them: the invoices' notice
    fee: TermLine | None
    #: the command to see and apply the re-read, ready to paste
    command: str
    #: the stored late fee has a rate: invoices' penalties are computed from it
    charged: bool

    @property
    def changes(self) -> str:
        """The lines in one run for the notice of several terms: "лимит правок: 3 → 2; …"."""
        return "; ".join(f"{x.term[:1].lower()}{x.term[1:]}: {x.old} → {x.new}" for x in self.lines)


def value_text(name: str, value: object, lang: str) -> str:
    """A stored or re-read term as the page shows it ("—" for unknown)."""
    from clientguard.contracts.drafts import format_hours
    from clientguard.contracts.terms import FixedLateFee, SumCap
    from clientguard.domain import WorkingHours

    if value is None or value == ():
        return "—"
    if isinstance(value, FixedLateFee | SumCap):
        return value.worded(lang)
    if isinstance(value, WorkingHours):
        return format_hours(value, lang)
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(float(value), lang, places=2 if name == "price" else 6)
    return str(value)


def term_line(change: TermChange, unread: str | None, lang: str) -> TermLine:
    """``change`` worded; a late fee today's reader reads as no figure says why."""
    new = value_text(change.field, change.new, lang)
    if change.field == LATE_FEE and change.new is None and unread:
        new += " " + tr(f"older_reading_{unread}", lang)
    named = term("terms", change.field, lang)
    return TermLine(named[:1].upper() + named[1:], value_text(change.field, change.old, lang), new)


def older_reading(store: Store, client: str, lang: str) -> OlderReading | None:
    """The notice for ``client``'s stored terms, or None when none is an older reading
    (today's reading, set by hand, or no stored contract)."""
    from clientguard.contracts.older import older_terms

    found = older_terms(store, client)
    if found is None:
        return None
    listed = (*found.changes, *found.kept)
    fee = next((c for c in listed if c.field in (LATE_FEE, FEE_CAP, FIXED_FEE)), None)
    # the stored rate: the changed one's old value, else unchanged in the planned terms
    rate = next((c.old for c in listed if c.field == LATE_FEE), found.terms.late_fee_percent_per_day)
    fixed = next((c.old for c in listed if c.field == FIXED_FEE), found.fixed)
    return OlderReading(
        lines=tuple(term_line(c, found.late_fee_unread, lang) for c in listed),
        fee=None if fee is None else term_line(fee, found.late_fee_unread, lang),
        command=f"clientguard contract reread {shlex.quote(found.client)} --dry-run",
        charged=rate is not None or fixed is not None,
    )
