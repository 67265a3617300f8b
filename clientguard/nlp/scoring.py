"""From fired rules to calibrated per-signal probabilities and labels.

Score = noisy-OR over the distinct rules that fired for a signal (each rule counted
once, at its weight), damped by guard rules (negative weight w multiplies the score by
1 + w).  A rule weight is therefore read as "the probability that this rule alone is
right", which is how the weights were set and checked against dev precision.  The
threshold rule: a signal is labelled when its score is ≥ its threshold (0.5 unless
``rules/thresholds.yaml`` says otherwise) — i.e. one confident rule, or two
moderately confident ones, are needed. Where ``rules/model_support.yaml`` enables it for
the message's language, one moderate rule also needs some weight from the models
(:class:`SupportGuard`); :func:`rule_scores` itself stays the plain noisy-OR.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from clientguard.errors import ConfigError
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


# --- A lone moderate rule needs the models' support -------------------------------------

MODEL_SUPPORT_FILE = Path(__file__).with_name("rules") / "model_support.yaml"
MODEL_PREFIX = "model."  # rule ids of the statistical and toxicity layers' hits


@dataclass(frozen=True)
class SupportGuard:
    """When ONE rule of weight ≤ ``max_weight`` is all the rule evidence for a signal and the
    models add less than ``min_support``, the signal's score is held at ``cap`` (unlabelled).

    Why: such a rule was written from a handful of messages; on fresh text most of the false
    positives on neutral messages are exactly this case (one pattern of weight 0.55-0.8 fired
    on a look-alike, and the statistical layer, which reads the whole message, saw nothing).
    A second rule or some model weight keeps the label. Messages under ``min_tokens`` tokens
    (the layer has too little to read there) and the ``exempt`` signals are never held.
    See ``rules/model_support.yaml``.
    """

    max_weight: float
    min_support: float
    cap: float
    min_tokens: int = 0
    exempt: frozenset[str] = frozenset()


def _support_enabled() -> bool:
    return os.environ.get("CLIENTGUARD_MODEL_SUPPORT", "").strip().lower() not in {"off", "0"}


@cache
def load_support_guards(path: Path = MODEL_SUPPORT_FILE) -> dict[str, SupportGuard]:
    """Per-language guards of ``rules/model_support.yaml`` ({} when absent or switched off)."""
    if not _support_enabled() or not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    langs = data.get("langs") if isinstance(data, dict) else None
    if not isinstance(langs, dict):
        raise ConfigError(f"{path}: expected a mapping 'langs' of language -> guard")
    out: dict[str, SupportGuard] = {}
    for lang, g in langs.items():
        where = f"{path}: langs.{lang}"
        if not isinstance(g, dict):
            raise ConfigError(f"{where}: expected a mapping with max_weight, min_support, cap")
        try:
            guard = SupportGuard(float(g["max_weight"]), float(g["min_support"]), float(g["cap"]),
                                 int(g.get("min_tokens", 0)), frozenset(g.get("exempt") or ()))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: expected numbers max_weight, min_support, cap, min_tokens "
                              f"and a list exempt ({exc!r})") from None
        unknown = sorted(guard.exempt - set(SIGNALS))
        if unknown:
            raise ConfigError(f"{where}.exempt: unknown signal ids {unknown}")
        if not (0.0 <= guard.cap < DEFAULT_THRESHOLD and 0.0 <= guard.min_support <= 1.0
                and 0.0 <= guard.max_weight <= 1.0):
            raise ConfigError(f"{where}: expected 0 <= cap < {DEFAULT_THRESHOLD} and weights within [0, 1], "
                              f"got {guard}")
        out[str(lang)] = guard
    return out


def lacks_support(hits: Iterable[Hit], signal: str, guard: SupportGuard) -> bool:
    """True when ``signal``'s only rule evidence is one rule of weight ≤ ``guard.max_weight``
    and no model hit for it reaches ``guard.min_support`` (the score is then held at the cap)."""
    rule: str | None = None
    weight = 0.0
    support = 0.0
    for h in hits:
        if h.signal != signal or h.weight <= 0:
            continue
        if h.rule.startswith(MODEL_PREFIX):
            if h.weight > support:
                support = h.weight
        elif rule is None:
            rule, weight = h.rule, h.weight
        elif h.rule != rule:
            return False  # two distinct rules agree
        elif h.weight > weight:
            weight = h.weight
    return rule is not None and weight <= guard.max_weight and support < guard.min_support


def unsupported(
    hits: list[Hit], labels: Iterable[str], guard: SupportGuard, exempt: frozenset[str]
) -> list[str]:
    """The signals of ``labels`` (those at or over their threshold) that :func:`lacks_support`.

    ``exempt`` ones (those no model votes on, e.g. obscenity) and ``guard.exempt`` ones are
    never held. Only labelled signals are looked at: a message has one or two, so the guard
    costs almost nothing on the hot path.
    """
    return [s for s in labels
            if s not in exempt and s not in guard.exempt and lacks_support(hits, s, guard)]
