"""Gold label files that do not fit their schema: one clear error naming file and field.

``eval contracts`` and ``eval leads`` used to crash with ``TypeError``/``KeyError``
tracebacks on such files (QA F11); each case below failed that way.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.contracts.evaluate import evaluate_dir
from clientguard.errors import InputError
from clientguard.presale.evaluate import evaluate_leads
from clientguard.taxonomy import CLAUSES

GOOD_CLAUSES = {c: {"status": "missing", "quote": None} for c in CLAUSES}

CONTRACT_CASES = [
    ('{"clauses": 5}', "clauses: Input should be a valid dictionary"),
    (json.dumps({"clauses": {**GOOD_CLAUSES, "scope": {"status": "great"}}}), "clauses.scope.status"),
    (json.dumps({"clauses": {k: v for k, v in GOOD_CLAUSES.items() if k != "conduct"}}),
     "missing ['conduct']"),
    (json.dumps({"clauses": GOOD_CLAUSES, "extracted": {"scope": "all"}}), "scope: expected a list"),
    (json.dumps({"clauses": GOOD_CLAUSES, "lang": "de"}), "lang"),
    ("[1, 2]", "expected a JSON object, got list"),
    ('{"clauses": ', "invalid JSON"),
]


@pytest.mark.parametrize(("labels", "message"), CONTRACT_CASES)
def test_bad_contract_labels(tmp_path: Path, labels: str, message: str) -> None:
    (tmp_path / "c.labels.json").write_text(labels, encoding="utf-8")
    (tmp_path / "c.md").write_text("Договор оказания услуг", encoding="utf-8")
    with pytest.raises(InputError) as err:
        evaluate_dir(tmp_path)
    assert message in str(err.value) and "c.labels.json" in str(err.value)


LEAD_CASES = [
    ("{}", "brief: Field required"),
    ('{"brief": {"goal": true}}', "expected_recommendation: Field required"),
    ('{"brief": {"goal": "yes please"}, "expected_recommendation": "proceed"}', "brief.goal"),
    ('{"brief": {"mood": true}, "expected_recommendation": "proceed"}', "unknown brief parts ['mood']"),
    ('{"brief": {}, "expected_recommendation": "run away"}', "expected one of"),
    ('{"brief": {}, "expected_recommendation": "decline", "signals": ["rudeness"]}', "unknown signal ids"),
]


@pytest.mark.parametrize(("labels", "message"), LEAD_CASES)
def test_bad_lead_labels(tmp_path: Path, labels: str, message: str) -> None:
    lead = tmp_path / "l1"
    lead.mkdir()
    (lead / "labels.json").write_text(labels, encoding="utf-8")
    (lead / "messages.txt").write_text("Здравствуйте, нужен SMM", encoding="utf-8")
    with pytest.raises(InputError) as err:
        evaluate_leads(tmp_path, detector=False)
    assert message in str(err.value) and "labels.json" in str(err.value)
