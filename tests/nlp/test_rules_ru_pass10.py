"""Data-driven checks of the ru rule families and guards added in rule pass 10.

The cases live in ``tests/fixtures/nlp/ru_pass10_cases.jsonl``; every sentence was written
for this pass (none is copied from tune10, dev or the conversation tune sets). Each row is one of

* ``pos``  -- the family must put ``signal`` among the labels;
* ``neg``  -- a hard-neutral look-alike (shared vocabulary, spec hard negatives) must get
  no label at all;
* ``not``  -- a look-alike that a guard must keep clean of ``signal`` (it may legitimately
  carry another signal, e.g. refusing to read in order to demand a call is meeting
  pressure, not stonewalling; mat that is not aimed at the work is not an insult).

Rules only, so the check is deterministic and does not depend on the statistical model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.nlp.capped_cases import CAPPED

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "nlp" / "ru_pass10_cases.jsonl"


def _cases() -> list[dict[str, str | None]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = _cases()


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


def test_fixture_is_well_formed() -> None:
    assert len(CASES) >= 60
    for c in CASES:
        assert c["kind"] in {"pos", "neg", "not"}
        assert (c["signal"] is None) == (c["kind"] == "neg")


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c["kind"] == "pos" and (c["text"], c["signal"]) not in CAPPED],
    ids=lambda c: str(c["text"])[:40],
)
def test_family_fires(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert case["signal"] in analyze_text(case["text"], "ru").labels


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "neg"], ids=lambda c: c["text"][:40])
def test_hard_neutral_stays_clean(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert analyze_text(case["text"], "ru").labels == ()


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "not"], ids=lambda c: c["text"][:40])
def test_guard_keeps_signal_off(case: dict[str, str]) -> None:
    from clientguard.nlp.api import analyze_text

    assert case["signal"] not in analyze_text(case["text"], "ru").labels
