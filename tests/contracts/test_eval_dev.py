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
    # issue #5: all six terms, scope compared strictly (same strings, same order)
    assert result.overall.terms_exact >= 0.85, result.overall
    assert result.overall.scope_item_f1 >= 0.95, result.overall
    for score in (result.overall, *result.by_format.values()):
        # the normalised comparison only forgives wording, so it never scores below strict
        assert score.scope_normalised >= score.per_field_exact["scope"], score
        assert score.terms_normalised >= score.terms_exact, score
