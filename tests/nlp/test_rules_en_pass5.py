"""Data-driven checks of the en rule families added in rule pass 5 (tune9-guided).

The phrasings in ``tests/fixtures/nlp/en_pass5_cases.jsonl`` are our own wording, NOT
tune9/dev sentences: several paraphrases per family (UK/AU slang, non-native English,
formal register, masked profanity), hard negatives that share the vocabulary of a guard
(a payment reference, a contract term, a metric-driven revert, a callback announcement),
and plain neutral client messages. Rules only, so the check is deterministic and does
not depend on the statistical or toxicity models.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "nlp" / "en_pass5_cases.jsonl"
CASES = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
POSITIVE = [(c["text"], c["signal"]) for c in CASES if c["kind"] == "positive"]
HARD_NEGATIVE = [(c["text"], c["signal"]) for c in CASES if c["kind"] == "hard_negative"]
NEUTRAL = [c["text"] for c in CASES if c["kind"] == "neutral"]


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


def test_fixture_shape() -> None:
    from clientguard.taxonomy import SIGNALS

    pos = Counter(s for _, s in POSITIVE)
    for s in SIGNALS:
        assert pos[s] >= 3, s
    assert len(HARD_NEGATIVE) >= 30
    assert len(NEUTRAL) >= 30


@pytest.mark.parametrize(("text", "signal"), POSITIVE)
def test_family_fires(text: str, signal: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert signal in analyze_text(text, "en").labels


@pytest.mark.parametrize(("text", "signal"), HARD_NEGATIVE)
def test_guarded_look_alike_not_flagged(text: str, signal: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert signal not in analyze_text(text, "en").labels


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_stays_clean(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert analyze_text(text, "en").labels == ()
