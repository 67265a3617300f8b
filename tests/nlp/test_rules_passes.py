"""Data-driven checks of the rule families and guards added in the rule passes 9 to 21.

Each pass wrote its own cases (``tests/fixtures/nlp/<lang>_pass<N>_cases.jsonl``); every
sentence was written for that pass, none copied from its tuning set, the tuning
conversations or dev. Each row is one of

* ``pos``  -- the family must put ``signal`` among the labels;
* ``neg``  -- a hard-neutral look-alike (shared vocabulary, spec hard negatives) must get
  no label at all;
* ``not``  -- a look-alike that a guard must keep clean of ``signal`` (it may legitimately
  carry another signal: refusing to read in order to demand a call is meeting pressure,
  not stonewalling; mat that is not aimed at the work is not an insult; a reported insult,
  haggling refused, a one-day delay with a firm date, "nobody can guarantee results").

Rules only, so the check is deterministic and does not depend on the statistical model.
Rows whose family was capped as over-reaching (``capped_cases``) are not required to fire.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.nlp.capped_cases import CAPPED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"


@dataclass(frozen=True)
class CaseFile:
    """One pass's cases and the least it must hold (so a truncated file fails)."""

    name: str
    lang: str
    min_rows: int
    min_signals: int = 1
    min_not: int = 0
    min_neg: int = 0


FILES = (
    CaseFile("ru_pass9", "ru", 200),
    CaseFile("ru_pass10", "ru", 60),
    CaseFile("en_pass10", "en", 90, min_signals=14, min_not=15, min_neg=10),
    CaseFile("ru_pass11", "ru", 25, min_not=5, min_neg=4),
    CaseFile("en_pass11", "en", 20, min_not=5, min_neg=3),
    CaseFile("ru_pass12", "ru", 55, min_not=10, min_neg=4),
    CaseFile("en_pass12", "en", 40, min_not=5, min_neg=2),
    CaseFile("ru_pass13", "ru", 25, min_not=5, min_neg=3),
    CaseFile("en_pass13", "en", 7, min_not=1, min_neg=2),
    CaseFile("ru_pass16", "ru", 16, min_not=3, min_neg=6),
    CaseFile("en_pass16", "en", 25, min_not=15, min_neg=3),
    CaseFile("ru_pass16b", "ru", 32, min_not=8, min_neg=8),
    CaseFile("en_pass16b", "en", 29, min_not=4, min_neg=8),
    CaseFile("ru_pass20", "ru", 16, min_not=6, min_neg=2),
    CaseFile("en_pass20", "en", 12, min_not=5, min_neg=1),
    CaseFile("ru_pass21", "ru", 43, min_not=16, min_neg=3),
    CaseFile("en_pass21", "en", 38, min_not=11, min_neg=2),
)


def _rows(f: CaseFile) -> list[dict[str, str | None]]:
    with (FIXTURES / f"{f.name}_cases.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ROWS = [(f, row) for f in FILES for row in _rows(f)]


def _of(kind: str) -> list[tuple[str, str, str | None]]:
    return [(f.lang, str(r["text"]), r["signal"]) for f, r in ROWS if r["kind"] == kind]


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


@pytest.mark.parametrize("f", FILES, ids=lambda f: f.name)
def test_fixture_is_well_formed(f: CaseFile) -> None:
    rows = _rows(f)
    assert len(rows) >= f.min_rows
    for c in rows:
        assert c["kind"] in {"pos", "neg", "not"}
        assert (c["signal"] is None) == (c["kind"] == "neg")
    pos = Counter(c["signal"] for c in rows if c["kind"] == "pos")
    assert len(pos) >= f.min_signals
    if f.min_signals > 1:
        assert all(n >= 3 for n in pos.values()), pos
    assert sum(c["kind"] == "not" for c in rows) >= f.min_not
    assert sum(c["kind"] == "neg" for c in rows) >= f.min_neg


@pytest.mark.parametrize(
    ("lang", "text", "signal"),
    [c for c in _of("pos") if (c[1], c[2]) not in CAPPED],
    ids=lambda v: str(v)[:40],
)
def test_family_fires(lang: str, text: str, signal: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert signal in analyze_text(text, lang).labels


@pytest.mark.parametrize(("lang", "text", "signal"), _of("neg"), ids=lambda v: str(v)[:40])
def test_hard_neutral_stays_clean(lang: str, text: str, signal: None) -> None:
    from clientguard.nlp.api import analyze_text

    assert analyze_text(text, lang).labels == ()


@pytest.mark.parametrize(("lang", "text", "signal"), _of("not"), ids=lambda v: str(v)[:40])
def test_guard_keeps_signal_off(lang: str, text: str, signal: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert signal not in analyze_text(text, lang).labels
