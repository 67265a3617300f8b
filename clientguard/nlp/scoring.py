"""From fired rules to calibrated per-signal probabilities and labels.

Score = noisy-OR over the distinct rules that fired for a signal (each rule counted
once, at its weight), damped by guard rules (negative weight w multiplies the score by
1 + w).  A rule weight is therefore read as "the probability that this rule alone is
right", which is how the weights were set and checked against dev precision.  The
threshold rule: a signal is labelled when its score is ≥ its threshold (0.5 unless
``rules/thresholds.yaml`` says otherwise) — i.e. one confident rule, or two
moderately confident ones, are needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from clientguard.nlp.rules import Hit
from clientguard.taxonomy import SIGNALS

THRESHOLDS_FILE = Path(__file__).with_name("rules") / "thresholds.yaml"
DEFAULT_THRESHOLD = 0.5


@cache
def thresholds() -> dict[str, float]:
    """Per-signal thresholds (defaults to 0.5)."""
    out = dict.fromkeys(SIGNALS, DEFAULT_THRESHOLD)
    if THRESHOLDS_FILE.exists():
        data = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8")) or {}
        for k, v in (data.get("thresholds") or {}).items():
            if k in out:
                out[k] = float(v)
    return out


def rule_scores(hits: Iterable[Hit]) -> dict[str, float]:
    """Noisy-OR of positive rule weights, damped by guards, per signal.

    Hot path (every message, ~5 hits): ``max``/``min`` calls are written as the
    comparisons they make (``max(a, b)`` is ``b if b > a else a``, ``min(a, b)`` is
    ``b if b < a else a``), so every result, NaN included, is the same.
    """
    best: dict[tuple[str, str], float] = {}
    get = best.get
    for h in hits:
        key = (h.signal, h.rule)
        w = h.weight
        b = get(key, 0.0)
        if w >= 0:
            best[key] = w if w > b else b
        else:
            best[key] = w if w < b else b
    out = dict.fromkeys(SIGNALS, 0.0)
    if not best:
        return out
    miss: dict[str, float] = {}
    damp: dict[str, float] = {}
    for (sig, _), w in best.items():
        if w >= 0:
            miss[sig] = miss.get(sig, 1.0) * (1.0 - (0.99 if w > 0.99 else w))
        else:
            damp[sig] = damp.get(sig, 1.0) * (1.0 + (-1.0 if w < -1.0 else w))
    for sig, m in miss.items():
        out[sig] = (1.0 - m) * damp.get(sig, 1.0)
    return out
