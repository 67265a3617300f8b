"""Contract checker, contract terms, scope, revisions and invoices.

Public API::

    check_contract(path, lang=None, terms=None) -> ContractReport
    extract_terms(path, lang=None) -> ContractTerms
    match_scope(request_text, scope_items, lang=None) -> ScopeMatch
    find_out_of_scope(messages, scope_items) -> list[OutOfScope]   (out_of_scope_request)
    terms_for_client(store, client), overdue_invoices(store, client, today)  (repo / invoices)
    client_revisions(client, db=None, limit=None) -> Revisions     (revisions, as analysis counts them)

What a term may be (prices, hours, currencies …) is checked once, in :mod:`.validate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from clientguard.contracts.checker import ClauseResult, ContractReport, check_contract, extract_terms
    from clientguard.contracts.scope import OutOfScope, ScopeMatch, find_out_of_scope, match_scope
    from clientguard.contracts.terms import ExtractedTerms

# Lazy re-exports: the case-file loader needs only ``validate``, not the clause rules.
_WHERE = {
    "ClauseResult": "checker",
    "ContractReport": "checker",
    "check_contract": "checker",
    "extract_terms": "checker",
    "OutOfScope": "scope",
    "ScopeMatch": "scope",
    "find_out_of_scope": "scope",
    "match_scope": "scope",
    "ExtractedTerms": "terms",
}

__all__ = [
    "ClauseResult",
    "ContractReport",
    "ExtractedTerms",
    "OutOfScope",
    "ScopeMatch",
    "check_contract",
    "extract_terms",
    "find_out_of_scope",
    "match_scope",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"clientguard.contracts.{_WHERE[name]}"), name)
    raise AttributeError(name)
