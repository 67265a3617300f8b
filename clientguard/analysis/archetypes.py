"""Archetypes from evidence units: one stated rule for all eleven, as a table.

An *evidence unit* is one client message (its message-signal labels plus the
conversation signals it is evidence for) or one record (an overdue invoice, or one paid late). For each
archetype, ``spec/signals.md`` §3 names its main evidence; the table below splits it
into *primary* kinds (weight 1: the behaviour that defines the archetype) and
*supporting* kinds (weight 0.5: compatible, but common in other archetypes too).
A kind the spec lists for two archetypes counts only where it defines the behaviour:
``scope_creep`` (more work for the same money) supports ``insatiable`` (volume), not
``penny_pincher``, whose defining behaviour is haggling over the price.

Rule (same thresholds for every archetype, never tuned per conversation):

1. ``support`` = sum over units of the largest weight among the unit's kinds;
   ``primary`` = number of units that carry a primary kind.
2. The archetype fires when ``primary ≥ MIN_PRIMARY`` (a pattern, not one message),
   ``support / max(n_client_messages, MIN_BASE) ≥ MIN_RATE`` (one weighted unit in
   five of the person's messages), and, for composite archetypes (``all_of``), every listed group of kinds
   has at least one unit (chaotic = vague AND urgent; micromanager = petty edits AND
   control by calls or bursts).
3. Records are facts, not readings of text: ``MIN_PRIMARY`` primary *record* units
   (two overdue invoices) fire the archetype whatever the message share, and so does one
   record confirming ``MIN_PRIMARY`` primary messages (an invoice left unpaid by a client
   who twice put off or conditioned payment in writing: the books show what the chat says,
   and the pattern is there however long the rest of the chat is; one message and one
   record stay below it).
4. ``confidence`` = min(0.99, 0.5 + 0.5 · rate / (2 · MIN_RATE)) — 0.75 at the
   threshold share, 0.99 from twice it.

*Emerging* patterns (:func:`emerging`, :func:`leading`): when a person's risk is high or
critical and no archetype passed the rule, "no archetype" would read as "no problem type"
beside a critical risk (abuse spread over several patterns, each below one in five
messages). Then every archetype with at least one primary unit (composites still need
each group) is scored with the same support and share, and the pattern(s) carrying most
of the risk are named as *emerging*, never as firm archetypes (they change neither the
evaluation nor the action): the leading one, and the next if it carries at least half
its risk weight (the severities of ``risk.py``). Their confidence continues the rule's
below its thresholds, 0.75 · min(1, rate / MIN_RATE) · min(1, primary / MIN_PRIMARY), so
it is always below a firm archetype's 0.75.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from clientguard.analysis.model import ArchetypeHit

MIN_PRIMARY: Final = 2
MIN_RATE: Final = 0.20
MIN_BASE: Final = 6
PRIMARY_WEIGHT: Final = 1.0
SUPPORT_WEIGHT: Final = 0.5
#: Evidence kinds of records that are no signal of ``spec/signals.md``: an invoice paid in
#: full after its due date is not ``overdue_invoice`` (nothing is owed, and the invoice
#: table does not count it), yet it is how the client pays, so it stays bad_payer evidence.
RECORD_KINDS: Final = ("paid_late",)
#: Risk levels at which a person with no archetype gets its emerging pattern(s) named.
SEVERE_LEVELS: Final = frozenset({"high", "critical"})
#: At most this many emerging patterns, each carrying at least this share of the leading
#: one's risk weight (a second pattern half as heavy is part of the picture; a trace is not).
MAX_EMERGING: Final = 2
EMERGING_SHARE: Final = 0.5


@dataclass(frozen=True)
class ArchetypeRule:
    """One row of the table: which evidence kinds define and support an archetype."""

    id: str
    primary: tuple[str, ...]
    supporting: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()


RULES: Final[tuple[ArchetypeRule, ...]] = (
    ArchetypeRule("abuser", ("insult", "obscenity"), ("arrogance",)),
    ArchetypeRule("bad_payer", ("payment_delay", "overdue_invoice", "paid_late")),
    ArchetypeRule("know_it_all", ("expertise_dismissal",), ("arrogance",)),
    ArchetypeRule("all_nighter", ("off_hours_demand",), ("off_hours_message",)),
    ArchetypeRule("anti_contract", ("contract_avoidance",)),
    ArchetypeRule("indecisive", ("indecision",)),
    ArchetypeRule("penny_pincher", ("discount_request",)),
    ArchetypeRule(
        "insatiable",
        ("dissatisfaction", "revision_over_limit"),
        ("scope_creep", "unrealistic_expectations", "out_of_scope_request"),
    ),
    ArchetypeRule("manipulator", ("manipulation",)),
    ArchetypeRule(
        "micromanager",
        ("nitpicking", "meeting_pressure", "message_burst"),
        (),
        (("nitpicking",), ("meeting_pressure", "message_burst")),
    ),
    ArchetypeRule(
        "chaotic",
        ("vague_requirements", "deadline_pressure"),
        (),
        (("vague_requirements",), ("deadline_pressure",)),
    ),
)


@dataclass(frozen=True)
class Unit:
    """One evidence unit: an id (message id or ``invoice:…``) and the kinds it carries."""

    id: str
    kinds: frozenset[str]
    record: bool = False


def score_rule(rule: ArchetypeRule, units: Sequence[Unit], n_messages: int) -> ArchetypeHit | None:
    """Apply the stated rule to one archetype; None when it does not fire."""
    primary = set(rule.primary)
    supporting = set(rule.supporting)
    support = 0.0
    n_primary = 0
    n_records = 0
    evidence: list[str] = []
    backing: list[str] = []  # supporting evidence is listed after the primary
    kinds_seen: set[str] = set()
    for u in units:
        if u.kinds & primary:
            support += PRIMARY_WEIGHT
            n_primary += 1
            n_records += u.record
            evidence.append(u.id)
            kinds_seen |= u.kinds & primary
        elif u.kinds & supporting:
            support += SUPPORT_WEIGHT
            backing.append(u.id)
            kinds_seen |= u.kinds & supporting
    rate = support / max(n_messages, MIN_BASE)
    on_record = n_records >= MIN_PRIMARY or (n_records > 0 and n_primary - n_records >= MIN_PRIMARY)
    if n_primary < MIN_PRIMARY or (rate < MIN_RATE and not on_record):
        return None
    if any(not (set(group) & kinds_seen) for group in rule.all_of):
        return None
    # a pattern the records confirm is firm: at least the threshold's confidence
    share = max(rate, MIN_RATE * max(1.0, min(n_records, 4) / MIN_PRIMARY) if on_record else 0.0)
    confidence = round(min(0.99, 0.5 + 0.5 * share / (2 * MIN_RATE)), 2)
    return ArchetypeHit(
        rule.id,
        confidence,
        tuple(evidence + backing),
        round(support, 2),
        round(rate, 3),
        tuple(sorted(kinds_seen)),
    )


def _kind_weight(kind: str) -> float:
    """The risk weight of one evidence kind: a label's severity, a signal's or record's weight."""
    from clientguard.analysis.risk import SEVERITY_WEIGHTS, SIGNAL_WEIGHTS
    from clientguard.taxonomy import SEVERITY

    if kind in SEVERITY:
        return SEVERITY_WEIGHTS[SEVERITY[kind]]
    if kind in RECORD_KINDS:  # paid late: an invoice's weight, as the risk charges it
        return SIGNAL_WEIGHTS["overdue_invoice"]
    return SIGNAL_WEIGHTS.get(kind, 0.0)


def emerging(units: Sequence[Unit], n_messages: int) -> list[tuple[float, ArchetypeHit]]:
    """Every archetype with a primary unit that did not fire, with the risk weight it carries.

    See the module docstring: for a person at high or critical risk with no archetype.
    """
    out: list[tuple[float, ArchetypeHit]] = []
    for rule in RULES:
        if score_rule(rule, units, n_messages) is not None:
            continue
        primary, supporting = set(rule.primary), set(rule.supporting)
        n_primary = 0
        support = weight = 0.0
        evidence: list[str] = []
        backing: list[str] = []
        seen: set[str] = set()
        for u in units:
            if u.kinds & primary:
                n_primary += 1
                support += PRIMARY_WEIGHT
                weight += max(_kind_weight(k) for k in u.kinds & primary)
                evidence.append(u.id)
                seen |= u.kinds & primary
            elif u.kinds & supporting:
                support += SUPPORT_WEIGHT
                weight += SUPPORT_WEIGHT * max(_kind_weight(k) for k in u.kinds & supporting)
                backing.append(u.id)
                seen |= u.kinds & supporting
        if not n_primary or any(not (set(group) & seen) for group in rule.all_of):
            continue
        rate = support / max(n_messages, MIN_BASE)
        confidence = 0.75 * min(1.0, rate / MIN_RATE) * min(1.0, n_primary / MIN_PRIMARY)
        hit = ArchetypeHit(
            rule.id,
            round(min(confidence, 0.74), 2),
            tuple(evidence + backing),
            round(support, 2),
            round(rate, 3),
            tuple(sorted(seen)),
            emerging=True,
        )
        out.append((weight, hit))
    return out


def leading(candidates: Iterable[tuple[float, ArchetypeHit]]) -> tuple[ArchetypeHit, ...]:
    """The emerging pattern(s) to name: the heaviest, and the next if it weighs half as much.

    ``candidates`` may hold one archetype several times (one per contact): its heaviest counts.
    """
    best: dict[str, tuple[float, ArchetypeHit]] = {}
    for weight, hit in candidates:
        if hit.id not in best or weight > best[hit.id][0]:
            best[hit.id] = (weight, hit)
    ranked = sorted(best.values(), key=lambda wh: (-wh[0], -wh[1].confidence, wh[1].id))
    if not ranked or ranked[0][0] <= 0:
        return ()
    top = ranked[0][0]
    return tuple(h for w, h in ranked[:MAX_EMERGING] if w >= top * EMERGING_SHARE)


def detect(units: Sequence[Unit], n_messages: int) -> tuple[ArchetypeHit, ...]:
    """Every archetype that fires, strongest first."""
    hits = [h for r in RULES if (h := score_rule(r, units, n_messages)) is not None]
    return tuple(sorted(hits, key=lambda h: -h.confidence))


def build_units(
    message_kinds: Mapping[str, Iterable[str]], records: Mapping[str, Iterable[str]]
) -> list[Unit]:
    """Units from per-message kinds and per-record kinds (kinds empty → no unit)."""
    units = [Unit(mid, frozenset(k)) for mid, k in message_kinds.items()]
    units += [Unit(rid, frozenset(k), record=True) for rid, k in records.items()]
    return [u for u in units if u.kinds]
