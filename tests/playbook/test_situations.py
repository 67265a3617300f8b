"""The situation registry and the mapping from recommendations to replies."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from clientguard.domain import WorkingHours
from clientguard.errors import ConfigError
from clientguard.playbook import (
    all_situations,
    facts_from_strings,
    payment_situation,
    situation_ids,
    situations_for,
)
from clientguard.playbook.facts import parse_fact_options
from clientguard.playbook.situations import LANGS
from clientguard.taxonomy import ACTIONS, CONVERSATION_SIGNALS, SIGNALS

STABLE_IDS = (
    "scope_boundary", "extra_work_offer", "revision_limit_reached", "polite_no", "de_escalation",
    "call_confirmation", "payment_reminder_friendly", "payment_reminder_firm", "payment_formal_claim",
    "off_hours_reply", "other_contact_request", "escalation_to_management", "pilot_proposal", "termination",
)


def test_ids_are_stable() -> None:
    assert situation_ids() == STABLE_IDS


def test_every_situation_has_both_templates() -> None:
    root = resources.files("clientguard.playbook").joinpath("templates")
    for sid in situation_ids():
        for lang in LANGS:
            assert root.joinpath(lang, f"{sid}.j2").is_file(), (sid, lang)


def test_titles_present() -> None:
    for s in all_situations():
        assert s.title("ru") and s.title("en")


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_replies(action: str) -> None:
    assert situations_for(action, [])


@pytest.mark.parametrize("signal", SIGNALS + CONVERSATION_SIGNALS)
def test_every_signal_has_replies(signal: str) -> None:
    assert situations_for(None, [signal])


def test_action_first_then_signals_without_duplicates() -> None:
    out = situations_for("set_boundaries", ["payment_delay", "scope_creep"])
    assert out[0] == "scope_boundary"
    assert "payment_reminder_friendly" in out
    assert len(out) == len(set(out))
    assert "termination" in situations_for("terminate", [])
    assert situations_for("decline", []) == ["polite_no"]


def test_unknown_ids_raise() -> None:
    with pytest.raises(ConfigError, match="unknown action"):
        situations_for("run_away", [])
    with pytest.raises(ConfigError, match="unknown signal"):
        situations_for(None, ["rudeness"])


def test_payment_ladder() -> None:
    assert payment_situation(3) == "payment_reminder_friendly"
    assert payment_situation(7) == "payment_reminder_firm"
    assert payment_situation(13) == "payment_reminder_firm"
    assert payment_situation(14) == "payment_formal_claim"
    assert payment_situation(40) == "payment_formal_claim"


def test_facts_from_strings_types() -> None:
    facts = facts_from_strings(
        {
            "contact_name": "Игорь",
            "amount": "45 000,50",
            "revision_limit": "2",
            "due_date": "2025-09-15",
            "reply_by": "2025-09-16T12:00",
            "agreed_points": "one; two ;",
            "working_hours": "mon-fri 10:00-19:00",
        }
    )
    assert facts.amount == 45000.5 and facts.revision_limit == 2
    assert facts.due_date == date(2025, 9, 15)
    assert facts.agreed_points == ("one", "two")
    assert facts.working_hours == WorkingHours((0, 1, 2, 3, 4), "10:00", "19:00")


def test_facts_from_strings_errors() -> None:
    with pytest.raises(ConfigError, match="unknown fact"):
        facts_from_strings({"colour": "red"})
    with pytest.raises(ConfigError, match="expected"):
        facts_from_strings({"amount": "lots"})
    with pytest.raises(ConfigError, match="key=value"):
        parse_fact_options(["novalue"])
