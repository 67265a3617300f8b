"""Data-driven checks of the en rule families and guards added in rule pass 10 (tune10).

The cases live in ``tests/fixtures/nlp/en_pass10_cases.jsonl``; every sentence was written
for this pass (none is copied from tune10, the tuning conversations or dev). Each row is
one of

* ``pos`` -- the family must put ``signal`` among the labels (sub-second and micro-list
  nitpicking, counter-offers, guilt and money-as-a-lever manipulation, "the money will
  come" payment delay, "you decide" vagueness, buzzword/authority expertise dismissal,
  status arrogance, taken-back approvals, holiday/wake-up/late-slot off-hours demands,
  only-slot meetings, refused explanations, no written confirmation, rival numbers,
  from-scratch-by-tomorrow deadlines);
* ``neg`` -- a plain or look-alike neutral message must get no label at all;
* ``not`` -- a look-alike that a guard must keep clean of ``signal`` (a reported insult,
  a swear word about the client's own slip, haggling refused, a one-day delay with a firm
  date, a lawyer reviewing the contract, choosing between options, an apologised rush,
  "nobody can guarantee results").

Rules only, so the check is deterministic and does not depend on the statistical model.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.nlp.capped_cases import CAPPED

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "nlp" / "en_pass10_cases.jsonl"


def _cases() -> list[dict[str, str | None]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _cases()


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


def test_fixture_is_well_formed() -> None:
    assert len(CASES) >= 90
    for c in CASES:
        assert c["kind"] in {"pos", "neg", "not"}
        assert (c["signal"] is None) == (c["kind"] == "neg")
    pos = Counter(c["signal"] for c in CASES if c["kind"] == "pos")
    assert len(pos) >= 14
    assert all(n >= 3 for n in pos.values()), pos
    assert sum(c["kind"] == "not" for c in CASES) >= 15
    assert sum(c["kind"] == "neg" for c in CASES) >= 10


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["kind"] == "pos" and (c["text"], c["signal"]) not in CAPPED],
    ids=lambda c: str(c["text"])[:40],
)
def test_family_fires(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert case["signal"] in analyze_text(case["text"], "en").labels


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "neg"], ids=lambda c: c["text"][:40])
def test_hard_neutral_stays_clean(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert analyze_text(case["text"], "en").labels == ()


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "not"], ids=lambda c: c["text"][:40])
def test_guard_keeps_signal_off(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert case["signal"] not in analyze_text(case["text"], "en").labels
