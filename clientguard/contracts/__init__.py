"""Contract checker, contract terms, scope, revisions and invoices.

Public API::

    check_contract(path, lang=None, terms=None) -> ContractReport
    extract_terms(path, lang=None) -> ContractTerms
    match_scope(request_text, scope_items, lang=None) -> ScopeMatch
"""

from clientguard.contracts.checker import ClauseResult, ContractReport, check_contract, extract_terms
from clientguard.contracts.scope import ScopeMatch, match_scope
from clientguard.contracts.terms import ExtractedTerms

__all__ = [
    "ClauseResult",
    "ContractReport",
    "ExtractedTerms",
    "ScopeMatch",
    "check_contract",
    "extract_terms",
    "match_scope",
]
