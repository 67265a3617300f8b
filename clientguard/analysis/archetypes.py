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
   (two overdue invoices) fire the archetype whatever the message share.
4. ``confidence`` = min(0.99, 0.5 + 0.5 · rate / (2 · MIN_RATE)) — 0.75 at twice the
   threshold share, saturating near 1 at four times it.
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
    if n_primary < MIN_PRIMARY or (rate < MIN_RATE and n_records < MIN_PRIMARY):
        return None
    if any(not (set(group) & kinds_seen) for group in rule.all_of):
        return None
    share = max(rate, MIN_RATE * min(n_records, 4) / MIN_PRIMARY)
    confidence = round(min(0.99, 0.5 + 0.5 * share / (2 * MIN_RATE)), 2)
    return ArchetypeHit(
        rule.id,
        confidence,
        tuple(evidence + backing),
        round(support, 2),
        round(rate, 3),
        tuple(sorted(kinds_seen)),
    )


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
