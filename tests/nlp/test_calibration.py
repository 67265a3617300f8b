"""The reported-score calibration: monotone, 0.5 fixed, labels untouched, better-calibrated."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from clientguard.errors import ConfigError
from clientguard.nlp import calibration as cal_mod
from clientguard.nlp.api import analyze_texts
from clientguard.nlp.calibration import (
    CALIBRATION_FILE,
    Calibration,
    expected_calibration_error,
    fit,
    load_calibration,
    scored_pairs,
)
from clientguard.nlp.evaluate import read_labelled
from clientguard.taxonomy import SIGNALS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"


@pytest.fixture
def raw_scores(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Analyses in this block report raw (uncalibrated) scores."""
    monkeypatch.setenv("CLIENTGUARD_CALIBRATION", "off")
    load_calibration.cache_clear()
    yield
    monkeypatch.delenv("CLIENTGUARD_CALIBRATION")
    load_calibration.cache_clear()


def test_shipped_map_is_strictly_increasing_and_fixes_the_threshold() -> None:
    load_calibration.cache_clear()
    cal = load_calibration()
    assert cal is not None, f"expected the shipped map at {CALIBRATION_FILE}"
    grid = [i / 1000 for i in range(1001)]
    vals = [cal(x) for x in grid]
    assert all(b > a for a, b in itertools.pairwise(vals))
    assert cal(0.5) == 0.5 and cal(1.0) == 1.0 and cal(0.0) == 0.0 and cal(-0.0) == 0.0
    assert all((v >= 0.5) == (x >= 0.5) for x, v in zip(grid, vals, strict=True))


@pytest.mark.parametrize("name", ["holdout5_ru", "holdout5_en", "tune6_ru", "tune6_en"])
def test_labels_identical_with_and_without_calibration(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recs = read_labelled(FIXTURES / f"{name}.jsonl")
    texts, langs = [r["text"] for r in recs], [r.get("lang") for r in recs]
    load_calibration.cache_clear()
    calibrated = analyze_texts(texts, langs)
    monkeypatch.setenv("CLIENTGUARD_CALIBRATION", "off")
    load_calibration.cache_clear()
    raw = analyze_texts(texts, langs)
    monkeypatch.delenv("CLIENTGUARD_CALIBRATION")
    load_calibration.cache_clear()
    changed = 0
    for a, b in zip(calibrated, raw, strict=True):
        assert a.labels == b.labels and a.evidence == b.evidence
        for s in SIGNALS:
            assert (a.scores[s] > 0) == (b.scores[s] > 0)
            assert (a.scores[s] >= 0.5) == (s in a.labels), (a.scores[s], a.labels)
            changed += a.scores[s] != b.scores[s]
    assert changed > 0  # the map is really applied


def _pairs(names: list[str]) -> tuple[list[float], list[bool]]:
    return scored_pairs([FIXTURES / f"{name}.jsonl" for name in names])


def test_calibration_improves_reliability_on_the_never_tuned_set(raw_scores: None) -> None:
    """holdout5 took no part in the fit: its ECE must drop, not just the fitting set's."""
    raw, gold = _pairs(["holdout5_ru", "holdout5_en"])
    data = yaml.safe_load(CALIBRATION_FILE.read_text(encoding="utf-8"))
    cal = Calibration(float(data["low_temperature"]), float(data["high_temperature"]))
    before = expected_calibration_error(raw, gold)
    after = expected_calibration_error([cal(x) for x in raw], gold)
    assert after < before - 0.02, (before, after)


def test_fit_recovers_a_known_temperature_and_keeps_the_pivot() -> None:
    rng = random.Random(7)
    raw = [rng.random() for _ in range(6000)]
    # True probability: sharper than the raw score below the pivot (a = 2), as stated above.
    truth = Calibration(2.0, 1.0)
    gold = [rng.random() < truth(x) for x in raw]
    cal = fit(raw, gold)
    assert cal(0.5) == 0.5
    assert cal.low == pytest.approx(2.0, abs=0.25)
    assert cal.high == pytest.approx(1.0, abs=0.25)
    assert expected_calibration_error([cal(x) for x in raw], gold) < expected_calibration_error(raw, gold)


def test_fit_with_too_few_points_is_the_identity_on_that_side() -> None:
    cal = fit([0.9, 0.95], [True, False])
    assert cal.low == 1.0 and cal(0.25) == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("low_temperature: 1.2\n", "expected numbers"),
        ("low_temperature: x\nhigh_temperature: 1\n", "expected numbers"),
        ("low_temperature: 40\nhigh_temperature: 1\n", "must be within"),
        ("[1, 2]\n", "expected numbers"),
    ],
)
def test_bad_calibration_file_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "calibration.yaml"
    path.write_text(body, encoding="utf-8")
    load_calibration.cache_clear()
    try:
        with pytest.raises(ConfigError, match=message) as err:
            load_calibration(path)
        assert message == "must be within" or str(path) in str(err.value)
    finally:
        load_calibration.cache_clear()


def test_switched_off_means_raw_scores(raw_scores: None) -> None:
    assert load_calibration() is None
    assert cal_mod.load_calibration(CALIBRATION_FILE) is None
