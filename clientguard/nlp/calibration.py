"""Map raw signal scores to calibrated probabilities, without moving any decision.

The raw score of a signal is a noisy-OR of rule weights (:mod:`scoring`), plus the
statistical and toxicity layers' shares. Weights were set so that 0.5 is the decision
line, but a weak lone hit was labelled far less often than its raw value says (measured on
never-tuned text: mean raw 0.08, share labelled 0.01), and strong hits were right more often
than theirs. Users read the score as "how sure", so the reported score is
``sigmoid(a · logit(raw))``, with one temperature ``a`` below the threshold and one above,
fitted by maximum likelihood on labelled messages the rules were not written from
(:func:`fit`; the YAML records which).

Why this shape: it is strictly increasing and sends 0.5 to 0.5, so a score is labelled
exactly when its calibrated value is ≥ 0.5 — labels, evidence and every downstream decision
are the same with or without it. Two parameters, not an isotonic step function: on split
halves of the fitting set both generalised alike (ECE 0.010-0.019 vs 0.010-0.014), and the
smooth map keeps the order of scores readable instead of flattening them onto plateaus.
The parameters live in ``rules/calibration.yaml`` (data, not code);
``CLIENTGUARD_CALIBRATION=off`` reports raw scores (the fitting run uses it).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from clientguard.errors import ConfigError

CALIBRATION_FILE = Path(__file__).with_name("rules") / "calibration.yaml"
PIVOT = 0.5  # the decision threshold; the map keeps it fixed
_BOUNDS = (0.2, 6.0)  # temperatures outside this are a fitting accident, not a calibration


@dataclass(frozen=True)
class Calibration:
    """``sigmoid(a · logit(raw))``: ``low`` is ``a`` below the threshold, ``high`` above."""

    low: float
    high: float

    def __post_init__(self) -> None:
        lo, hi = _BOUNDS
        for name, a in (("low_temperature", self.low), ("high_temperature", self.high)):
            if not lo <= a <= hi:
                raise ConfigError(f"calibration: {name} must be within [{lo}, {hi}], got {a}")

    def __call__(self, raw: float) -> float:
        """The calibrated value of ``raw``; 0.0 (and -0.0) and 1.0 stay as they are."""
        if raw <= 0.0 or raw >= 1.0:
            return raw if raw <= 0.0 else 1.0
        a = self.low if raw < PIVOT else self.high
        return 1.0 / (1.0 + math.pow((1.0 - raw) / raw, a))


def _enabled() -> bool:
    return os.environ.get("CLIENTGUARD_CALIBRATION", "").strip().lower() not in {"off", "0", "raw"}


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    """The shipped map, or None when switched off or when no file exists (raw scores)."""
    if not _enabled() or not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        low, high = float(data["low_temperature"]), float(data["high_temperature"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        want = "expected numbers 'low_temperature' and 'high_temperature'"
        raise ConfigError(f"{path}: {want} ({exc})") from exc
    return Calibration(low, high)


def fit(raw: Sequence[float], gold: Sequence[bool]) -> Calibration:
    """Maximum-likelihood temperature on each side of the threshold (identity: too few points)."""
    from scipy.optimize import minimize_scalar  # training-time only

    temps: list[float] = []
    for below in (True, False):
        pts = [(r, g) for r, g in zip(raw, gold, strict=True) if 0.0 < r < 1.0 and (r < PIVOT) == below]
        if len(pts) < 10:
            temps.append(1.0)
            continue
        logits = [math.log(r / (1.0 - r)) for r, _ in pts]

        def nll(a: float, pts: list[tuple[float, bool]] = pts, logits: list[float] = logits) -> float:
            total = 0.0
            for (_, g), z in zip(pts, logits, strict=True):
                p = 1.0 / (1.0 + math.exp(-a * z))
                total -= math.log(max(p if g else 1.0 - p, 1e-12))
            return total

        temps.append(round(float(minimize_scalar(nll, bounds=_BOUNDS, method="bounded").x), 3))
    return Calibration(temps[0], temps[1])


def expected_calibration_error(scores: Sequence[float], gold: Sequence[bool], bins: int = 5) -> float:
    """Count-weighted gap between mean score and share labelled, over equal-width bins."""
    acc = [[0, 0.0, 0] for _ in range(bins)]
    for s, g in zip(scores, gold, strict=True):
        b = acc[min(int(s * bins), bins - 1)]
        b[0] += 1
        b[1] += s
        b[2] += int(g)
    total = sum(b[0] for b in acc) or 1
    return sum(b[0] / total * abs(b[2] / b[0] - b[1] / b[0]) for b in acc if b[0])


def scored_pairs(files: Sequence[Path]) -> tuple[list[float], list[bool]]:
    """(score, labelled?) for every (message, signal) with a score above 0, over labelled files."""
    from clientguard.nlp.api import analyze_texts
    from clientguard.nlp.evaluate import read_labelled
    from clientguard.taxonomy import SIGNALS

    scores: list[float] = []
    gold: list[bool] = []
    for f in files:
        recs = read_labelled(f)
        got = analyze_texts([r["text"] for r in recs], [r.get("lang") for r in recs])
        for r, a in zip(recs, got, strict=True):
            for sig in SIGNALS:
                if a.scores[sig] > 0:
                    scores.append(a.scores[sig])
                    gold.append(sig in r["labels"])
    return scores, gold


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m clientguard.nlp.calibration LABELLED.jsonl ... [--out FILE]``: refit the temperatures."""
    import argparse
    import datetime as dt

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=CALIBRATION_FILE)
    ap.add_argument("--note", default="", help="why these files (kept in the YAML)")
    args = ap.parse_args(argv)
    os.environ["CLIENTGUARD_CALIBRATION"] = "off"  # fit on raw scores
    load_calibration.cache_clear()
    raw, gold = scored_pairs(args.files)
    cal = fit(raw, gold)
    after = [cal(x) for x in raw]
    doc = {
        "why": "Reported signal scores = this monotone map of the raw noisy-OR score; 0.5 stays 0.5, "
               "so labels never change (clientguard/nlp/calibration.py).",
        "fitted_on": [f.name for f in args.files],
        "fitted": dt.date.today().isoformat(),
        "note": args.note,
        "pairs": len(raw),
        "ece_in_sample": {"raw": round(expected_calibration_error(raw, gold), 3),
                          "calibrated": round(expected_calibration_error(after, gold), 3)},
        "command": "python -m clientguard.nlp.calibration " + " ".join(str(f) for f in args.files),
        "low_temperature": cal.low,
        "high_temperature": cal.high,
    }
    args.out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    print(f"wrote {args.out}: {len(raw)} scored pairs, in-sample ECE {doc['ece_in_sample']}")


if __name__ == "__main__":
    main()
