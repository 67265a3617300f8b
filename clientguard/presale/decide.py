"""The presale decision: severity of red flags × brief completeness → one action.

The rule (thresholds in ``rules/policy.yaml``), applied in this order:

1. ``decline`` — two or more distinct high-severity flags, or a flag score of 6 or more
   (high 3, medium 2, low 1 point each, times the detector's confidence; rules and
   labels count in full), or "needed yesterday" with no inputs (the presale phrase
   rule, or unreasonable urgency together with vague requirements);
2. ``pilot_first`` — an unclear goal or expectations (vague requirements, indecision,
   unrealistic targets), a flag no contract term neutralises (contract refusal,
   manipulation), goal or channels missing, or a practically absent brief (fewer than
   3 of 9 parts);
3. ``proceed_with_safeguards`` — any other flag with points, or fewer than 8 parts;
4. ``proceed`` — otherwise.

Only *sure* flags move a lead a whole step (steps 1–2 by flag kind): a detector flag
below ``sure_confidence`` still adds its weighted points to the score and its clauses
to the terms, but cannot on its own send a workable lead to a pilot or count as one of
the high flags of a decline. One weak detector hit (score just over the detector's 0.5
threshold) is the commonest false alarm on clean leads, and pilot_first for a clean
lead loses the project, while safeguards cost little. Missing brief parts beyond goal
and channels are gaps the contract closes (the labels' "notable gaps" →
``proceed_with_safeguards``), so they change the terms, not the action.

Safeguards are concrete: a prepayment share (100 % when the lead delays or conditions
payment, avoids a contract or manipulates, and for every pilot; else 50 %), a paid pilot
for ``pilot_first`` (2 weeks, 4 posts on one channel) and the contract clauses to insist
on, derived from the flags and the gaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from clientguard.presale.model import BriefPart, RedFlag, Safeguards
from clientguard.presale.rules import load_yaml
from clientguard.taxonomy import CLAUSES


@dataclass(frozen=True)
class Policy:
    """The decision thresholds and the term tables of ``rules/policy.yaml``."""

    version: str
    weights: Mapping[str, int]
    decline_high_count: int
    decline_score: int
    decline_signals: frozenset[str]
    decline_combos: tuple[frozenset[str], ...]
    sure_confidence: float
    pilot_signals: frozenset[str]
    unneutralisable: frozenset[str]
    pilot_key_parts: tuple[str, ...]
    pilot_below_parts: int
    proceed_min_parts: int
    prepayment_percent: int
    full_prepayment_signals: frozenset[str]
    pilot_weeks: int
    pilot_posts: int
    base_clauses: tuple[str, ...]
    clauses_for_flag: Mapping[str, tuple[str, ...]]
    clauses_for_missing: Mapping[str, tuple[str, ...]]


@cache
def load_policy() -> Policy:
    """The shipped policy, read once per process."""
    text = resources.files("clientguard.presale").joinpath("rules").joinpath("policy.yaml").read_text("utf-8")
    d: dict[str, Any] = load_yaml(text)
    return Policy(
        version=str(d["version"]),
        weights={str(k): int(v) for k, v in d["weights"].items()},
        decline_high_count=int(d["decline_high_count"]),
        decline_score=int(d["decline_score"]),
        decline_signals=frozenset(d["decline_signals"]),
        decline_combos=tuple(frozenset(c) for c in d.get("decline_combos") or ()),
        sure_confidence=float(d.get("sure_confidence", 0.0)),
        pilot_signals=frozenset(d["pilot_signals"]),
        unneutralisable=frozenset(d["unneutralisable"]),
        pilot_key_parts=tuple(d["pilot_key_parts"]),
        pilot_below_parts=int(d["pilot_below_parts"]),
        proceed_min_parts=int(d["proceed_min_parts"]),
        prepayment_percent=int(d["prepayment_percent"]),
        full_prepayment_signals=frozenset(d["full_prepayment_signals"]),
        pilot_weeks=int(d["pilot_weeks"]),
        pilot_posts=int(d["pilot_posts"]),
        base_clauses=tuple(d["base_clauses"]),
        clauses_for_flag={str(k): tuple(v) for k, v in d["clauses_for_flag"].items()},
        clauses_for_missing={str(k): tuple(v) for k, v in d["clauses_for_missing"].items()},
    )


@dataclass(frozen=True)
class Verdict:
    """The action with the facts behind it; ``why`` holds reason keys for the language pack."""

    action: str
    score: float
    why: tuple[tuple[str, dict[str, Any]], ...]
    prepayment_percent: int | None
    pilot_weeks: int | None
    pilot_posts: int | None
    clauses: tuple[str, ...]


def decide(flags: Sequence[RedFlag], parts: Sequence[BriefPart], policy: Policy | None = None) -> Verdict:
    """Apply the rule of the module docstring; see ``rules/policy.yaml`` for numbers."""
    p = policy or load_policy()
    signals = {f.signal for f in flags}
    sure = {f.signal for f in flags if f.confidence >= p.sure_confidence}
    unsure = sorted(signals - sure)
    scored = [f for f in flags if p.weights.get(f.severity, 0) > 0]
    score = round(sum(p.weights.get(f.severity, 0) * f.confidence for f in flags), 1)
    highs = sorted(f.signal for f in flags if f.severity == "high" and f.signal in sure)
    found = [x.id for x in parts if x.found]
    missing = [x.id for x in parts if not x.found]
    why: list[tuple[str, dict[str, Any]]] = []

    combos = [sorted(c) for c in p.decline_combos if c <= sure]
    if len(highs) >= p.decline_high_count or score >= p.decline_score or sure & p.decline_signals or combos:
        action = "decline"
        if len(highs) >= p.decline_high_count:
            why.append(("many_high", {"signals": highs}))
        if score >= p.decline_score:
            why.append(("score", {"score": score, "limit": p.decline_score}))
        for s in sorted(sure & p.decline_signals):
            why.append(("decline_signal", {"signal": s, "missing": missing}))
        for c in combos:
            why.append(("combo", {"signals": c}))
    else:
        unclear = sorted(sure & p.pilot_signals)
        hard = sorted(sure & p.unneutralisable)
        key_missing = [k for k in p.pilot_key_parts if k in missing]
        if unclear or hard or key_missing or len(found) < p.pilot_below_parts:
            action = "pilot_first"
            if unclear:
                why.append(("unclear", {"signals": unclear}))
            if hard:
                why.append(("unneutralisable", {"signals": hard}))
            if key_missing:
                why.append(("key_missing", {"parts": key_missing}))
            if len(found) < p.pilot_below_parts:
                why.append(("thin_brief", {"found": len(found), "limit": p.pilot_below_parts}))
        elif scored or len(found) < p.proceed_min_parts:
            action = "proceed_with_safeguards"
            if scored:
                why.append(("neutralisable", {"signals": sorted(f.signal for f in scored)}))
            if len(found) < p.proceed_min_parts:
                why.append(("gaps", {"found": len(found), "missing": missing}))
        else:
            action = "proceed"
            why.append(("clean", {}))
    if unsure and action != "decline":
        why.append(("unsure", {"signals": unsure, "limit": p.sure_confidence}))
    why.append(("brief", {"found": len(found), "missing": missing}))
    for f in flags:
        why.append(("flag", {"signal": f.signal, "quote": f.evidence.text if f.evidence else None}))

    prepay: int | None = None
    weeks: int | None = None
    posts: int | None = None
    clauses: tuple[str, ...] = ()
    if action in ("proceed_with_safeguards", "pilot_first"):
        prepay = (
            100 if (signals & p.full_prepayment_signals or action == "pilot_first") else p.prepayment_percent
        )
        wanted = set(p.base_clauses)
        for s in signals:
            wanted.update(p.clauses_for_flag.get(s, ()))
        for m in missing:
            wanted.update(p.clauses_for_missing.get(m, ()))
        if action == "pilot_first":
            wanted.add("stages_reporting")
            weeks, posts = p.pilot_weeks, p.pilot_posts
        clauses = tuple(c for c in CLAUSES if c in wanted)
    return Verdict(action, score, tuple(why), prepay, weeks, posts, clauses)


def with_contract(verdict: Verdict, statuses: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The clauses to insist on with a draft contract: (to insist on, already present).

    The verdict's clauses the draft already has are dropped; every clause the draft has
    weak or missing is added, whatever the action, because that draft is what the lead
    will sign ("the reply insists on its weak/missing clauses"; a clean lead got none of
    them, QA F12). A declined lead gets no terms at all.
    """
    present = tuple(c for c in verdict.clauses if statuses.get(c) == "present")
    if verdict.action == "decline":
        return (), present
    insist = tuple(
        c
        for c in CLAUSES
        if (c in verdict.clauses and statuses.get(c, "missing") != "present")
        or statuses.get(c) in ("weak", "missing")
    )
    return insist, present


def safeguards_of(
    verdict: Verdict, pilot_text: str | None, notes: Sequence[str] = (), clauses: Sequence[str] | None = None
) -> Safeguards:
    """The :class:`Safeguards` of a verdict, with the pilot described in the lead's language.

    ``clauses`` replaces the verdict's (a draft contract's gaps, :func:`with_contract`).
    """
    return Safeguards(
        prepayment_percent=verdict.prepayment_percent,
        pilot=pilot_text if verdict.pilot_weeks else None,
        pilot_weeks=verdict.pilot_weeks,
        clauses=tuple(clauses) if clauses is not None else verdict.clauses,
        notes=tuple(notes),
    )
