"""Contract checker, contract terms, scope, revisions and invoices.

Public API::

    check_contract(path, lang=None, terms=None) -> ContractReport
    extract_terms(path, lang=None) -> ContractTerms
    match_scope(request_text, scope_items, lang=None) -> ScopeMatch
    find_out_of_scope(messages, scope_items) -> list[OutOfScope]   (out_of_scope_request)
    terms_for_client(store, client), overdue_invoices(store, client, today)  (repo / invoices)
    count_rounds(messages, limit) -> list[Deliverable]                      (revisions)
"""

from clientguard.contracts.checker import ClauseResult, ContractReport, check_contract, extract_terms
from clientguard.contracts.scope import OutOfScope, ScopeMatch, find_out_of_scope, match_scope
from clientguard.contracts.terms import ExtractedTerms

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
