"""The decision rule: severity of flags × brief completeness, and the concrete terms."""

from __future__ import annotations

import pytest

from clientguard.presale.decide import decide, load_policy, with_contract
from clientguard.presale.flags import severity
from clientguard.presale.model import BriefPart, RedFlag
from clientguard.taxonomy import ACTIONS, BRIEF_PARTS, CLAUSES


def parts(missing: tuple[str, ...] = ()) -> list[BriefPart]:
    return [BriefPart(p, p not in missing) for p in BRIEF_PARTS]


def flags(*signals: str) -> list[RedFlag]:
    return [RedFlag(s, severity(s), None) for s in signals]


@pytest.mark.parametrize(
    ("signals", "missing", "action"),
    [
        ((), (), "proceed"),
        ((), ("kpi",), "proceed"),  # 8 of 9 parts is nearly complete
        (("night_first_contact",), (), "proceed"),  # metadata only: no points
        ((), ("kpi", "approver"), "proceed_with_safeguards"),  # notable gaps
        (("discount_request",), (), "proceed_with_safeguards"),
        (("payment_delay",), (), "proceed_with_safeguards"),  # a single high flag a term can fix
        (("meeting_pressure",), ("kpi", "baseline"), "proceed_with_safeguards"),
        (("vague_requirements",), (), "pilot_first"),
        (("unrealistic_kpi",), (), "pilot_first"),
        (("contract_avoidance",), (), "pilot_first"),  # no contract term fixes a refusal to sign
        ((), ("channels",), "pilot_first"),
        # Gaps beyond goal and channels are "notable gaps" (safeguards), not a reason for a pilot.
        ((), ("kpi", "audience", "materials", "approver"), "proceed_with_safeguards"),  # 5 of 9
        (("scope_creep",), ("kpi", "timeline", "approver"), "proceed_with_safeguards"),  # 6 of 9
        ((), ("kpi", "audience", "timeline", "materials", "approver", "baseline"), "proceed_with_safeguards"),
        # ... but a practically absent brief (2 of 9) leaves nothing to scope a contract on.
        ((), ("kpi", "audience", "budget", "timeline", "materials", "approver", "baseline"), "pilot_first"),
        (("indecision",), ("kpi", "audience", "timeline", "materials", "approver"), "pilot_first"),
        # Unreasonable urgency with no brief ("needed yesterday", the chaotic archetype).
        (("deadline_pressure", "vague_requirements"), (), "decline"),
        (("deadline_pressure",), (), "proceed_with_safeguards"),
        (("manipulation",), (), "pilot_first"),
        (("insult", "obscenity"), (), "decline"),
        (("payment_delay", "manipulation"), (), "decline"),
        (("arrogance", "stonewalling", "expertise_dismissal"), (), "decline"),  # score 6
        (("urgent_without_inputs",), (), "decline"),
        (
            ("deadline_pressure", "vague_requirements", "unrealistic_expectations", "off_hours_demand"),
            (),
            "decline",
        ),
    ],
)
def test_action(signals: tuple[str, ...], missing: tuple[str, ...], action: str) -> None:
    assert decide(flags(*signals), parts(missing)).action == action


def test_actions_are_taxonomy_ids() -> None:
    assert {"proceed", "proceed_with_safeguards", "pilot_first", "decline"} <= set(ACTIONS)


def test_safeguards_terms() -> None:
    v = decide(flags("scope_creep"), parts())
    assert v.prepayment_percent == 50
    assert v.pilot_weeks is None
    assert {"scope", "change_procedure", "extra_work_payment"} <= set(v.clauses)
    v = decide(flags("payment_delay"), parts(("approver",)))
    assert v.prepayment_percent == 100
    assert {"late_payment_penalty", "suspension", "communication_rules"} <= set(v.clauses)


def test_pilot_terms() -> None:
    v = decide(flags("indecision"), parts(("goal",)))
    assert v.action == "pilot_first"
    assert (v.prepayment_percent, v.pilot_weeks, v.pilot_posts) == (100, 2, 4)
    assert "stages_reporting" in v.clauses


@pytest.mark.parametrize("action_signals", [(), ("insult", "obscenity")])
def test_no_terms_for_proceed_or_decline(action_signals: tuple[str, ...]) -> None:
    v = decide(flags(*action_signals), parts())
    assert v.prepayment_percent is None and not v.clauses


def test_policy_names_only_known_ids() -> None:
    p = load_policy()
    for ids in [p.base_clauses, *p.clauses_for_flag.values(), *p.clauses_for_missing.values()]:
        assert set(ids) <= set(CLAUSES)
    assert set(p.clauses_for_missing) <= set(BRIEF_PARTS)


def test_draft_contract_narrows_clauses() -> None:
    v = decide(flags("scope_creep"), parts())
    insist, present = with_contract(v, {"scope": "present", "change_procedure": "weak"})
    assert "scope" not in insist and "scope" in present
    assert "change_procedure" in insist and "extra_work_payment" in insist


def flag(signal: str, confidence: float) -> RedFlag:
    return RedFlag(signal, severity(signal), None, "signals", confidence)


@pytest.mark.parametrize(
    ("found_flags", "action"),
    [
        # One weak detector hit on a clean lead gives safeguards, not a pilot ...
        ([flag("vague_requirements", 0.59)], "proceed_with_safeguards"),
        ([flag("manipulation", 0.6)], "proceed_with_safeguards"),
        # ... a sure one still sends it to a pilot.
        ([flag("vague_requirements", 0.82)], "pilot_first"),
        ([flag("manipulation", 0.9)], "pilot_first"),
        # An unsure high flag is not one of the "two high flags" of a decline ...
        ([flag("payment_delay", 0.99), flag("contract_avoidance", 0.55)], "proceed_with_safeguards"),
        # ... and two sure ones are.
        ([flag("payment_delay", 0.99), flag("contract_avoidance", 0.9)], "decline"),
        # Presale rules and gold labels count in full.
        ([RedFlag("vague_requirements", "low", None, "labels")], "pilot_first"),
    ],
)
def test_unsure_detector_flags_do_not_move_the_lead_alone(found_flags: list[RedFlag], action: str) -> None:
    v = decide(found_flags, parts())
    assert v.action == action
    unsure = [f for f in found_flags if f.confidence < load_policy().sure_confidence]
    if action == "proceed_with_safeguards" and unsure:
        assert any(key == "unsure" for key, _ in v.why)
        # The uncertain flag still shapes the terms.
        for f in found_flags:
            assert set(load_policy().clauses_for_flag[f.signal]) <= set(v.clauses)


def test_gaps_are_named_as_the_reason() -> None:
    v = decide([], parts(("kpi", "approver")))
    assert v.action == "proceed_with_safeguards"
    assert ("gaps", {"found": 7, "missing": ["kpi", "approver"]}) in v.why
    assert {"stages_reporting", "communication_rules", "acceptance"} <= set(v.clauses)
