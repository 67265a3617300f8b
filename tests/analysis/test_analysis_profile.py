"""Profiles: archetype rule, risk and trend, per-contact separation, recommendations, JSON."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import make_case, make_msg

from clientguard.analysis import build_profile
from clientguard.analysis.archetypes import RECORD_KINDS, RULES, Unit, detect
from clientguard.analysis.export import profile_to_dict
from clientguard.analysis.model import AnalyzedMessage, Risk
from clientguard.analysis.recommend import Situation, decide, playbook
from clientguard.analysis.risk import level_of, score_of
from clientguard.domain import Role
from clientguard.report.i18n import strings
from clientguard.taxonomy import ACTIONS, ARCHETYPES, CONVERSATION_SIGNALS, SIGNALS

MSK = ZoneInfo("Europe/Moscow")
T0 = datetime(2025, 3, 3, 11, 0, tzinfo=MSK)  # a Monday


def chat(
    labels: list[tuple[str, ...]],
    sender: str = "user1",
    start: datetime = T0,
    prefix: str = "m",
    step: timedelta = timedelta(hours=5),
) -> list[AnalyzedMessage]:
    """One client message per entry, working hours only, with a specialist reply between."""
    out: list[AnalyzedMessage] = []
    t = start
    for i, labs in enumerate(labels):
        while t.weekday() >= 5 or not (11 <= t.hour < 17):
            t += timedelta(hours=1)
        out.append(make_msg(f"{prefix}{i}", t, "текст", labels=labs, sender=sender, name=sender))
        out.append(make_msg(f"{prefix}{i}s", t + timedelta(minutes=20), "ок", role=Role.SPECIALIST))
        t += step
    return out


def test_table_names_only_taxonomy_ids() -> None:
    assert {r.id for r in RULES} == set(ARCHETYPES)
    known = set(SIGNALS) | set(CONVERSATION_SIGNALS) | set(RECORD_KINDS)
    for r in RULES:
        assert set(r.primary) | set(r.supporting) <= known
    pb = playbook()
    assert set(pb["actions"]) == set(ACTIONS)
    assert set(pb["archetype_steps"]) <= set(ARCHETYPES)
    assert set(ARCHETYPES) <= set(pb["reasons"])
    s = strings()
    assert set(s["archetypes"]) == set(ARCHETYPES) and set(s["actions"]) == set(ACTIONS)
    assert set(SIGNALS) | set(CONVERSATION_SIGNALS) <= set(s["signals"])


@pytest.mark.parametrize(
    ("units", "n", "fires"),
    [
        ([{"insult"}, {"obscenity"}], 10, True),  # 2 primary in 10 = 0.2
        ([{"insult"}], 3, False),  # one message is never a pattern
        ([{"insult"}, {"insult"}], 11, False),  # 2/11 < one in five
        ([{"insult"}, {"insult"}], 2, True),  # tiny chats use a base of 6: 2/6
        ([{"arrogance"}] * 5, 10, False),  # supporting kinds alone never fire
    ],
)
def test_abuser_rule(units: list[set[str]], n: int, fires: bool) -> None:
    hits = detect([Unit(str(i), frozenset(k)) for i, k in enumerate(units)], n)
    assert ("abuser" in {h.id for h in hits}) is fires


def test_composite_archetypes_need_both_behaviours() -> None:
    only_urgent = [Unit(str(i), frozenset({"deadline_pressure"})) for i in range(5)]
    assert "chaotic" not in {h.id for h in detect(only_urgent, 10)}
    both = [*only_urgent, Unit("v", frozenset({"vague_requirements"}))]
    assert "chaotic" in {h.id for h in detect(both, 10)}
    edits = [Unit(str(i), frozenset({"nitpicking"})) for i in range(6)]
    assert "micromanager" not in {h.id for h in detect(edits, 10)}
    assert "micromanager" in {h.id for h in detect([*edits, Unit("b", frozenset({"message_burst"}))], 10)}


def test_confidence_grows_with_share() -> None:
    low = detect([Unit(str(i), frozenset({"manipulation"})) for i in range(2)], 10)[0]
    high = detect([Unit(str(i), frozenset({"manipulation"})) for i in range(8)], 10)[0]
    assert 0.5 <= low.confidence < high.confidence <= 0.99


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "low"),
        (24, "low"),
        (25, "elevated"),
        (50, "high"),
        (74, "high"),
        (75, "critical"),
        (100, "critical"),
    ],
)
def test_levels(score: int, level: str) -> None:
    assert level_of(score) == level


def test_score_is_monotonic_and_bounded() -> None:
    values = [score_of(d / 10) for d in range(0, 80)]
    assert values == sorted(values) and values[0] == 0 and values[-1] <= 100


def test_clean_client_proceeds() -> None:
    p = build_profile(chat([()] * 12), make_case())
    assert p.risk.level == "low" and p.archetypes == () and p.recommendation.action == "proceed"


def test_recent_turn_for_the_worse_shows_as_rising_even_when_total_is_low() -> None:
    calm = chat([()] * 40, step=timedelta(days=1))
    last = calm[-1].timestamp
    assert last is not None
    bad = chat([("insult",), ("arrogance",)], start=last + timedelta(days=1), prefix="x")
    p = build_profile(calm + bad, make_case())
    assert p.risk.level in ("low", "elevated")
    assert p.risk.trend == "rising"


def test_falling_trend() -> None:
    bad = chat([("insult", "obscenity")] * 6, step=timedelta(days=1))
    last = bad[-1].timestamp
    assert last is not None
    calm = chat([()] * 6, start=last + timedelta(days=10), prefix="x", step=timedelta(hours=6))
    assert build_profile(bad + calm, make_case()).risk.trend == "falling"


def test_trend_needs_enough_messages_and_days_on_both_sides() -> None:
    """QA pass 6 F2: one older message made the client "растёт ↑" beside a weekly chart
    that fell from 24.5 to 9.5: the earlier level was the smoothing of one message. A side
    with fewer than TREND_MIN_MESSAGES messages or TREND_MIN_DAYS days says so instead."""
    from rich.console import Console

    from clientguard.analysis.risk import TREND_MIN_DAYS, TREND_MIN_MESSAGES
    from clientguard.report import render_html
    from clientguard.report.console import print_summary
    from clientguard.web.i18n import term

    assert TREND_MIN_MESSAGES >= 2 and TREND_MIN_DAYS >= 2
    old = chat([("insult",)], start=T0)
    recent = chat(
        [("nitpicking",), ("insult",), (), ("arrogance",)] * 3,
        start=T0 + timedelta(days=14),
        prefix="r",
        step=timedelta(hours=2),
    )
    assert recent[-1].timestamp - recent[0].timestamp < timedelta(days=7)  # type: ignore[operator]
    p = build_profile(old + recent, make_case())
    assert p.risk.trend == "insufficient_data"
    assert not any(r.id == "rising" for r in p.recommendation.reasons)
    assert profile_to_dict(p, "en")["risk"]["trend"] == "insufficient_data"
    assert "недостаточно данных" in render_html(p, "ru") and "not enough data" in render_html(p, "en")
    console = Console(record=True, width=200)
    print_summary(p, console, "ru")
    assert "Тренд: недостаточно данных" in console.export_text()
    assert term("trends", "insufficient_data", "en") == "not enough data"
    # enough on both sides: compared as before
    older = chat([()] * 6, start=T0, step=timedelta(days=1), prefix="o")
    assert build_profile(older + recent, make_case()).risk.trend == "rising"
    # many messages, but all in one afternoon, are not a level to compare with
    burst = chat([()] * 6, start=T0, step=timedelta(minutes=10), prefix="b")
    assert build_profile(burst + recent, make_case()).risk.trend == "insufficient_data"


def _two_contacts() -> list[AnalyzedMessage]:
    rude = chat([("insult", "obscenity"), ("insult",), ("arrogance",), ()] * 2, sender="user1")
    kind = chat([()] * 6, sender="user2", prefix="k", start=T0 + timedelta(minutes=30))
    return rude + kind


def test_contacts_are_profiled_separately_and_switch_is_advised() -> None:
    case = make_case(
        contacts=[{"name": "Грубый", "from_id": "user1"}, {"name": "Вежливый", "from_id": "user2"}]
    )
    p = build_profile(_two_contacts(), case)
    by = {c.from_id: c for c in p.contacts}
    assert [a.id for a in by["user1"].archetypes] == ["abuser"]
    assert by["user2"].archetypes == () and by["user2"].risk.level == "low"
    assert by["user1"].risk.score > by["user2"].risk.score
    assert [a.id for a in p.archetypes] == ["abuser"]
    rec = p.recommendation
    assert rec.action == "escalate"
    assert rec.switch_to_contact == "Вежливый"
    assert (
        rec.steps[0].id == "move_to_contact"
        and "Вежливый" in rec.steps[0].ru
        and "Вежливый" in rec.steps[0].en
    )


def test_no_switch_when_everyone_is_fine_or_alone() -> None:
    case = make_case(contacts=[{"name": "A", "from_id": "user1"}, {"name": "B", "from_id": "user2"}])
    fine = chat([()] * 5) + chat([()] * 5, sender="user2", prefix="k")
    assert build_profile(fine, case).recommendation.switch_to_contact is None
    alone = chat([("insult",)] * 5)
    assert build_profile(alone, make_case()).recommendation.switch_to_contact is None


RISK_LOW = Risk(5, "low", "stable", 0, 0)
RISK_HIGH = Risk(60, "high", "stable", 0, 0)


@pytest.mark.parametrize(
    ("stage", "archetypes", "risk", "action"),
    [
        ("contract", {"abuser", "know_it_all"}, RISK_HIGH, "terminate"),
        ("contract", {"manipulator"}, RISK_HIGH, "escalate"),
        ("contract", {"bad_payer"}, RISK_HIGH, "renegotiate"),
        ("contract", {"insatiable", "penny_pincher"}, RISK_HIGH, "renegotiate"),
        ("contract", {"all_nighter", "micromanager"}, RISK_HIGH, "set_boundaries"),
        ("contract", set(), RISK_HIGH, "set_boundaries"),
        ("contract", set(), RISK_LOW, "proceed"),
        ("presale", {"penny_pincher", "anti_contract"}, RISK_HIGH, "decline"),
        ("presale", {"abuser"}, RISK_HIGH, "decline"),
        ("presale", {"chaotic"}, RISK_HIGH, "pilot_first"),
        ("presale", {"know_it_all"}, RISK_HIGH, "proceed_with_safeguards"),
        ("presale", set(), RISK_HIGH, "pilot_first"),
        ("presale", set(), RISK_LOW, "proceed"),
    ],
)
def test_recommendation_table(stage: str, archetypes: set[str], risk: Risk, action: str) -> None:
    assert decide(Situation(stage, frozenset(archetypes), risk))[1] == action


@pytest.mark.parametrize(
    ("archetypes", "other_contact", "action"),
    [
        ({"abuser"}, False, "terminate"),  # the only person writing: nobody to turn to
        ({"abuser"}, True, "escalate"),  # one rude contact, another fine: go to them
        ({"manipulator"}, False, "escalate"),  # pressure, not abuse: management first
        ({"abuser", "manipulator"}, True, "terminate"),
    ],
)
def test_an_abuser_alone_is_terminated_one_of_several_is_escalated(
    archetypes: set[str], other_contact: bool, action: str
) -> None:
    situation = Situation("contract", frozenset(archetypes), RISK_HIGH, other_contact)
    assert decide(situation)[1] == action


def test_a_lone_abuser_in_a_chat_is_terminated() -> None:
    alone = chat([("insult", "obscenity"), ("insult",), ("arrogance",), ()] * 2)
    rec = build_profile(alone, make_case()).recommendation
    assert rec.action == "terminate" and rec.rule == "contract.abuser_alone"


def test_record_signals_feed_the_profile() -> None:
    case = make_case(
        contract={"signed": True, "scope": ["12 постов"], "revision_limit": 2, "payment_due_days": 5},
        invoices=[
            {"id": "I1", "amount": 1, "issued": "2025-03-01", "due": "2025-03-06", "paid_on": None},
            {"id": "I2", "amount": 1, "issued": "2025-02-01", "due": "2025-02-06", "paid_on": "2025-02-20"},
        ],
    )
    msgs = chat([("payment_delay",), (), ("payment_delay",), ()] * 2, step=timedelta(days=1))
    p = build_profile(msgs, case)
    sig = {s.id: s for s in p.conversation_signals}
    # I2 was paid late: not overdue (QA pass 6, F1), but still bad_payer evidence
    assert sig["overdue_invoice"].count == 1
    bad_payer = next(a for a in p.archetypes if a.id == "bad_payer")
    assert {"invoice:I1", "invoice:I2"} <= set(bad_payer.evidence)
    assert p.recommendation.action == "renegotiate"
    assert any(r.id == "overdue_invoice" for r in p.recommendation.reasons)


def test_json_shape() -> None:
    case = make_case(
        contacts=[{"name": "Грубый", "from_id": "user1"}, {"name": "Вежливый", "from_id": "user2"}]
    )
    d = json.loads(json.dumps(profile_to_dict(build_profile(_two_contacts(), case), "en")))
    assert {
        "client",
        "risk",
        "archetypes",
        "recommendation",
        "contacts",
        "conversation_signals",
        "messages",
    } <= set(d)
    assert isinstance(d["client"], str)
    assert isinstance(d["risk"]["score"], int) and d["risk"]["level"] in (
        "low",
        "elevated",
        "high",
        "critical",
    )
    assert d["risk"]["trend"] in ("rising", "stable", "falling", "insufficient_data")
    for a in d["archetypes"]:
        assert isinstance(a["id"], str) and isinstance(a["confidence"], float)
        assert all(isinstance(e, str) for e in a["evidence"])
    rec = d["recommendation"]
    assert rec["action"] in ACTIONS and rec["reasons"] and rec["steps"]
    for c in d["contacts"]:
        assert {"from_id", "name", "risk", "archetypes"} <= set(c) and isinstance(c["risk"]["score"], int)
    assert {s["id"] for s in d["conversation_signals"]} == set(CONVERSATION_SIGNALS)
    for s in d["conversation_signals"]:
        assert isinstance(s["count"], int) and isinstance(s["evidence"], list)
    ids = {m["id"] for m in d["messages"]}
    assert "m0" in ids and all(isinstance(m["labels"], list) for m in d["messages"])


def test_empty_and_undated_chats_still_profile() -> None:
    from clientguard.analysis import default_case
    from clientguard.report import render_html

    empty = build_profile([], default_case())
    assert empty.recommendation.action == "proceed" and empty.risk.score == 0
    undated = [AnalyzedMessage("1", "u", "U", Role.CLIENT, None, "hi", ("insult",))]
    p = build_profile(undated, default_case())
    assert p.weekly == () and p.risk.trend == "insufficient_data"
    for profile in (empty, p):
        assert "<html" in render_html(profile, "en")
        json.dumps(profile_to_dict(profile))


def test_playbook_texts_are_our_own_words(shared_dir: object) -> None:
    """No 5-word run of the playbook or report texts appears in the seed articles."""
    import re
    from pathlib import Path

    seeds = sorted((Path(str(shared_dir)) / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("seed articles not found")

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

    seed_runs: set[tuple[str, ...]] = set()
    for path in seeds:
        seed_runs |= shingles(path.read_text(encoding="utf-8"))
    root = Path(__file__).resolve().parents[2] / "clientguard"
    ours = (root / "analysis" / "data" / "playbook.yaml").read_text(encoding="utf-8")
    ours += (root / "report" / "data" / "strings.yaml").read_text(encoding="utf-8")
    assert not (shingles(ours) & seed_runs)
