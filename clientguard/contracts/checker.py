"""The contract checker: file → blocks → party names → sentences → clause verdicts → terms → drafts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from clientguard.contracts.clauses import Why, check_clauses, detect_lang, load_rules, split_sentences
from clientguard.contracts.drafts import render_draft
from clientguard.contracts.parties import find_parties
from clientguard.contracts.reader import read_contract
from clientguard.contracts.terms import ExtractedTerms, extract
from clientguard.domain import ContractTerms
from clientguard.errors import ConfigError


@dataclass(frozen=True)
class ClauseResult:
    """One row of the report: a clause id of spec/contracts.md and its verdict.

    ``quote`` and ``suggestion`` are in the contract's language (evidence, and a clause to
    paste into it); ``why`` holds the explanation in both interface languages, and whoever
    shows the row words it in the reader's: ``why.text(lang)``.
    """

    id: str
    status: str
    quote: str | None
    location: str | None
    why: Why
    suggestion: str | None
    rule: str | None = None
    trap: bool = False

    def as_json(self, lang: str) -> dict[str, object]:
        """The row as JSON, its ``why`` in ``lang`` (the other keys are language-free or quotes)."""
        return {
            "id": self.id,
            "status": self.status,
            "quote": self.quote,
            "location": self.location,
            "why": self.why.text(lang),
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class ContractReport:
    """Everything ``contract check`` shows; ``rules_version`` says which rule data decided."""

    path: str
    fmt: str
    lang: str
    rules_version: str
    clauses: tuple[ClauseResult, ...]
    extracted: ExtractedTerms
    # The language the text reads as; differs from ``lang`` only when ``--lang`` forced
    # the other rule set (a Russian contract checked as English finds no clause at all).
    detected_lang: str = ""

    def status(self, clause: str) -> str:
        return next(c.status for c in self.clauses if c.id == clause)

    def as_json(self, lang: str | None = None) -> dict[str, object]:
        """The report as JSON; the ``why`` texts in ``lang``, by default the contract's own.

        The default keeps what was stored before explanations became bilingual (a saved
        contract's report); ``contract check --json`` passes the interface language.
        """
        why_lang = lang or self.lang
        return {
            "clauses": [c.as_json(why_lang) for c in self.clauses],
            "extracted": self.extracted.as_json(),
        }


def merge_terms(user: ContractTerms | None, extracted: ExtractedTerms) -> ContractTerms:
    """The user's own terms win; gaps are filled from what the contract says."""
    base = extracted.to_contract_terms()
    if user is None:
        return base
    return replace(
        user,
        scope=user.scope or base.scope,
        revision_limit=user.revision_limit if user.revision_limit is not None else base.revision_limit,
        price=user.price if user.price is not None else base.price,
        currency=user.currency or base.currency,
        payment_due_days=user.payment_due_days
        if user.payment_due_days is not None
        else base.payment_due_days,
        working_hours=user.working_hours or base.working_hours,
        late_fee_percent_per_day=(
            user.late_fee_percent_per_day
            if user.late_fee_percent_per_day is not None
            else base.late_fee_percent_per_day
        ),
    )


def check_contract(path: Path, lang: str | None = None, terms: ContractTerms | None = None) -> ContractReport:
    """Check one contract file for the 15 protective clauses of spec/contracts.md.

    ``lang`` forces the rule set (otherwise detected from the script ratio); ``terms``
    are the user's own terms, used to fill in the draft clauses.
    """
    if lang is not None and lang not in ("ru", "en"):
        raise ConfigError(f"--lang: expected ru or en, got {lang!r}")
    text = read_contract(Path(path))
    detected = detect_lang(text.text)
    lang = lang or detected
    parties = find_parties(text.blocks)
    rules = load_rules(lang, parties.contractor, parties.client)
    sentences = split_sentences(text.blocks)
    hits = check_clauses(sentences, rules)
    extracted = extract(text.blocks, sentences, hits, rules)
    fill = merge_terms(terms, extracted)
    results = tuple(
        ClauseResult(
            id=h.clause,
            status=h.status,
            quote=h.quote,
            location=str(h.location) if h.location is not None and str(h.location) else None,
            why=h.why,
            suggestion=None
            if h.status == "present"
            else render_draft(h.clause, lang, fill, extracted.late_fee_cap_percent),
            rule=h.rule,
            trap=h.trap,
        )
        for h in hits
    )
    return ContractReport(str(path), text.fmt, lang, rules.version, results, extracted, detected)


def extract_terms(path: Path, lang: str | None = None) -> ContractTerms:
    """Only the terms of a contract, as the :class:`ContractTerms` analysis uses."""
    return check_contract(path, lang).extracted.to_contract_terms()
