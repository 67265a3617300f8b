"""The dev set of ../shared: the floor reached there must hold (skips visibly without it)."""

from __future__ import annotations

from pathlib import Path

from clientguard.contracts.evaluate import evaluate_dir


def test_dev_floor(shared_dir: Path) -> None:
    result = evaluate_dir(shared_dir / "data" / "contracts" / "dev")
    assert not result.errors
    assert result.overall.files == 22
    for score in (result.overall, *result.by_format.values()):
        assert score.clause_macro_f1 >= 0.95, score
        assert score.terms_scalar_exact >= 0.9, score
    assert result.consistent_copies == result.copies_compared == 6
