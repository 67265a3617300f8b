"""Which of a client's stored terms are an older reading that today's reader reads otherwise.

The notices (``contract show``, ``contract check --client``, the client page) used to look
at the late fee alone (:func:`~clientguard.contracts.reread.older_late_fee`), read again
from the clause's stored quote. Any term a contract gives — revision rounds, payment
days, price, currency, scope, working hours, the late fee and its cap — is stored with the
reader version that read it (``contract_term_origins``), and a term an older reader read
may read differently today: ``contract reread --dry-run`` showed it, nothing before it did.

Cheap first: the contract file is read only when some term may be an older reading
(:func:`suspects`: read by another reader version, or stored before origins were kept),
so a client whose terms today's reader read, or the user set, costs three small queries
and no file. When one is, the file is read once per file state and reader version
(:func:`~clientguard.contracts.reread.plan` with ``cached``), not on every page build.
Told, not fixed: what is listed is exactly what ``contract reread`` would change, or
would keep as possibly the user's (``unsure``); a term set by hand is never listed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from clientguard.contracts.repo import (
    TRACKED_TERMS,
    StoredTerms,
    TermOrigin,
    contract_on_file,
    stored_term,
    term_origins,
    terms_record,
)

if TYPE_CHECKING:
    from clientguard.contracts.reread import Reread
    from clientguard.store import Store


def _stored(current: StoredTerms, name: str) -> object:
    return stored_term(current, name)


def suspects(current: StoredTerms, origins: dict[str, TermOrigin], version: str) -> set[str]:
    """The terms that may be an older reading, from the store alone (no file read).

    A term read by another reader version is one. A term with no origin was stored
    before origins were kept when it holds a value (every write since records one for a
    value); an unknown one (None, no scope) is one only while no term of the client was
    read by today's reader: once one was, the contract was read today and left it unknown.
    """
    today = any(o.origin == "contract" and o.reader == version for o in origins.values())
    found: set[str] = set()
    for name in TRACKED_TERMS:
        origin = origins.get(name)
        if origin is not None:
            if origin.origin == "contract" and origin.reader != version:
                found.add(name)
        elif _stored(current, name) not in (None, ()) or not today:
            found.add(name)
    return found


def older_terms(store: Store, client: str) -> Reread | None:
    """The client's re-read narrowed to the terms that are an older reading today's reader
    reads otherwise (``changes``, and ``kept`` as ``unsure``); None when there is none,
    no stored contract, or every such term was set by hand.

    The narrowed plan is for telling only: write a plan made by
    :func:`~clientguard.contracts.reread.plan` (the confirmation's), never this one.
    """
    from clientguard.contracts.reread import plan
    from clientguard.contracts.terms import reader_version

    current = terms_record(store, client)
    if current is None:
        return None
    maybe = suspects(current, term_origins(store, client), reader_version())
    if not maybe or contract_on_file(store, client) is None:
        return None
    found = plan(store, client, cached=True)
    if found is None:
        return None
    changes = tuple(c for c in found.changes if c.field in maybe)
    kept = tuple(c for c in found.kept if c.field in maybe and c.why == "unsure")
    if not changes and not kept:
        return None
    return replace(found, changes=changes, kept=kept)
