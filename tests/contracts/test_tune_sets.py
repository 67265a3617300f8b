"""The tuning set (tests/fixtures/tune_sets/contracts): floors that keep the checker general.

The tuning set was written without seeing the code: other heading styles, clauses hidden
in other sections, legal paraphrases, weak versions and decoys. Its figures are floors,
per clause and overall, so a rule tightened for one contract cannot quietly lose another;
decoys are checked one by one (the checker must say ``missing`` AND quote what it
rejected). The held-out set (tests/fixtures/holdout_sets/) is deliberately not read here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from clientguard.contracts.checker import ContractReport, check_contract
from clientguard.contracts.evaluate import EvalResult, evaluate_dir
from clientguard.taxonomy import CLAUSES

TUNE = Path(__file__).resolve().parents[1] / "fixtures" / "tune_sets" / "contracts"
LABELS = sorted(TUNE.glob("*.labels.json"))

# Floors a little under what the checker reaches, so a real regression fails and noise
# in one borderline call does not.
CLAUSE_FLOOR = 0.85
MACRO_F1_FLOOR = 0.95
ACCURACY_FLOOR = 0.95
SCALAR_TERMS_FLOOR = 0.95
TERMS_FLOOR = 0.85


@cache
def _result() -> EvalResult:
    return evaluate_dir(TUNE)


@cache
def _checked(stem: str) -> tuple[dict[str, Any], ContractReport]:
    labels: dict[str, Any] = json.loads((TUNE / f"{stem}.labels.json").read_text(encoding="utf-8"))
    return labels, check_contract(TUNE / f"{stem}.md", lang=labels["lang"])


def _stems() -> list[str]:
    return [p.name[: -len(".labels.json")] for p in LABELS]


def _decoys() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in LABELS:
        labels = json.loads(path.read_text(encoding="utf-8"))
        for clause, gold in labels["clauses"].items():
            if gold["status"] == "missing" and gold["quote"]:
                out.append((path.name[: -len(".labels.json")], clause))
    return out


def test_tune_set_is_there() -> None:
    assert len(LABELS) == 10
    assert not _result().errors


def test_overall_floors() -> None:
    overall = _result().overall
    assert overall.clause_macro_f1 >= MACRO_F1_FLOOR, overall
    assert overall.clause_accuracy >= ACCURACY_FLOOR, overall
    assert overall.terms_scalar_exact >= SCALAR_TERMS_FLOOR, overall
    assert overall.terms_exact >= TERMS_FLOOR, overall


@pytest.mark.parametrize("clause", CLAUSES)
def test_clause_floor(clause: str) -> None:
    assert _result().overall.per_clause_f1[clause] >= CLAUSE_FLOOR, _result().overall.per_clause_f1


@pytest.mark.parametrize("stem", _stems())
def test_contract_mostly_right(stem: str) -> None:
    """No single contract may fall apart (a heading style the reader does not know)."""
    labels, report = _checked(stem)
    wrong = [
        f"{c.id}: {labels['clauses'][c.id]['status']}≠{c.status}"
        for c in report.clauses
        if labels["clauses"][c.id]["status"] != c.status
    ]
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize(("stem", "clause"), _decoys())
def test_decoy_is_seen_and_rejected(stem: str, clause: str) -> None:
    """A decoy (unlimited revisions, client-only penalty, client's hours…) is quoted as rejected."""
    labels, report = _checked(stem)
    result = next(c for c in report.clauses if c.id == clause)
    gold = labels["clauses"][clause]["quote"]
    assert result.status == "missing"
    assert result.trap
    assert result.quote is not None and (gold in result.quote or result.quote in gold), result.quote


@pytest.mark.parametrize("stem", _stems())
def test_scalar_terms(stem: str) -> None:
    labels, report = _checked(stem)
    got = report.extracted.as_json()
    for field in ("revision_limit", "payment_due_days", "price", "currency", "working_hours"):
        assert got[field] == labels["extracted"][field], (field, got[field])
