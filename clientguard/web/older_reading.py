"""The client page's word that a stored late fee is an older reading of the contract.

``contract show``, ``invoice list`` and ``contract check --client`` say so on stderr
(:func:`clientguard.cli.contract.warn_older_late_fee`); the client page said nothing
while its reply drafts claimed penalties at the stored rate ("4% above the base rate"
once stored as 4% a day). Whether to say it is the library's decision
(:func:`clientguard.contracts.reread.older_late_fee`); this module only words it in the
page's language.

The page names the command rather than offering a button: a re-read reads the whole
contract file again and may change other terms than the late fee, and ``contract reread
--dry-run`` shows every old → new before anything is written (on the evidence log),
which a one-click form would skip.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clientguard.contracts.repo import FEE_CAP, LATE_FEE
from clientguard.report.i18n import number
from clientguard.web.i18n import term, tr

if TYPE_CHECKING:
    from clientguard.store import Store


@dataclass(frozen=True)
class OlderReading:
    """One stored late-fee term an older reader gave, worded for the page."""

    #: the term as the terms lines name it, capitalised: "Пени, % в день"
    term: str
    #: the stored value ("4") and today's reading ("—" and why no figure)
    old: str
    new: str
    #: the command to see and apply the re-read, ready to paste
    command: str
    #: the stored late fee has a rate: invoices' penalties are computed from it
    charged: bool


def _value(value: object, lang: str) -> str:
    return number(float(value), lang) if isinstance(value, int | float) else "—"


def older_reading(store: Store, client: str, lang: str) -> OlderReading | None:
    """The notice for ``client``'s stored late fee, or None when it is today's reading,
    set by hand, or there is no stored contract."""
    from clientguard.contracts.reread import older_late_fee

    found = older_late_fee(store, client)
    if found is None:
        return None
    read = {c.field: c for c in (*found.changes, *found.kept) if c.why != "manual"}
    fee = read.get(LATE_FEE) or read[FEE_CAP]  # older_late_fee found one of them
    new = _value(fee.new, lang)
    if fee.field == LATE_FEE and fee.new is None and found.late_fee_unread:
        new += " " + tr(f"older_reading_{found.late_fee_unread}", lang)
    named = term("terms", fee.field, lang)
    # the stored rate: the changed one's old value, else unchanged in the planned terms
    rate = read[LATE_FEE].old if LATE_FEE in read else found.terms.late_fee_percent_per_day
    return OlderReading(
        term=named[:1].upper() + named[1:],
        old=_value(fee.old, lang),
        new=new,
        command=f"clientguard contract reread {shlex.quote(found.client)} --dry-run",
        charged=rate is not None,
    )
