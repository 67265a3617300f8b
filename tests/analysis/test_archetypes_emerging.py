"""A client at high or critical risk whom no archetype describes gets the leading
pattern(s) named as *emerging*, with a lower confidence and the reason why.

Why: an archetype fires at one weighted unit in five of a person's messages. Abuse spread
over several patterns, each below that share, gave "no archetype" (read as "no problem
type") beside a critical risk.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from analysis_helpers import MSK, make_case, make_msg

from clientguard.analysis import build_profile
from clientguard.analysis.archetypes import MIN_RATE, Unit, emerging, leading
from clientguard.analysis.export import profile_to_dict
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.report import render_html

#: 30 messages in working hours, the signals spread so that none reaches 20 %.
SPREAD = (
    ["insult"] * 5 + ["manipulation"] * 4 + ["payment_delay"] * 3 + ["contract_avoidance"] * 2
    + ["discount_request"] * 2
)


def _messages(plan: list[str], n: int = 30) -> list[AnalyzedMessage]:
    monday = datetime(2025, 10, 6, 11, 0, tzinfo=MSK)
    days = [monday + timedelta(days=d) for d in range(21) if (monday + timedelta(days=d)).weekday() < 5]
    labels: list[str | None] = [*plan, *[None] * (n - len(plan))]
    return [
        make_msg(i + 1, days[i // 3] + timedelta(hours=i % 3), "текст", (lab,) if lab else ())
        for i, lab in enumerate(labels)
    ]


def _profile(plan: list[str], n: int = 30) -> ClientProfile:
    return build_profile(_messages(plan, n), make_case(), label_source="oracle")


def test_critical_client_with_spread_signals_gets_emerging_patterns() -> None:
    p = _profile(SPREAD)
    assert p.risk.level == "critical" and p.archetypes == ()
    # abuser carries 15 of the risk weight, manipulator 12 (at least half): both named;
    # bad_payer (9) would be a third, penny_pincher (4) is a trace
    assert [(a.id, a.confidence, a.rate) for a in p.emerging] == [
        ("abuser", 0.62, 0.167),
        ("manipulator", 0.5, 0.133),
    ]
    assert all(a.emerging and a.confidence < 0.75 for a in p.emerging)
    assert p.emerging[0].evidence == ("1", "2", "3", "4", "5")
    # the action is the rule table's for a high risk without archetype; the reasons say why
    assert p.recommendation.action == "set_boundaries"
    why = {r.id: r for r in p.recommendation.reasons}
    assert why["emerging:abuser"].evidence == ("1", "2", "3", "4", "5")
    assert "17% сообщений при пороге 20%" in why["emerging:abuser"].ru
    assert "not a confirmed archetype yet (17% of messages against the 20% threshold)" in why[
        "emerging:abuser"
    ].en


def test_reports_say_why_the_pattern_is_only_emerging() -> None:
    from rich.console import Console

    from clientguard.report.console import print_summary

    p = _profile(SPREAD)
    out = Console(record=True, width=400)
    print_summary(p, out, "ru")
    print_summary(p, out, "en")
    text = out.export_text()
    assert "устойчивых не найдено; ранние признаки: Грубиян 62% (17% сообщений при пороге 20%)" in text
    assert "none confirmed; emerging: Abuser 62% (17% of messages, threshold 20%)" in text
    en = render_html(p, "en")
    assert "Emerging patterns" in en and "No problem archetype found" not in en
    assert "yet no archetype reached the threshold of 20%" in en
    assert "Ранние признаки" in render_html(p, "ru")
    data = profile_to_dict(p, "en")
    assert data["archetypes"] == []
    assert [a["id"] for a in data["emerging_archetypes"]] == ["abuser", "manipulator"]
    assert all(a["emerging"] for a in data["emerging_archetypes"])


def test_no_emerging_beside_a_firm_archetype_or_below_high_risk() -> None:
    firm = _profile(["insult"] * 8 + ["manipulation"] * 2)
    assert [a.id for a in firm.archetypes] == ["abuser"] and firm.emerging == ()
    calm = _profile(["insult"] * 2 + ["discount_request"] * 2)
    assert calm.risk.level in ("low", "elevated") and calm.archetypes == () and calm.emerging == ()


def test_emerging_rule() -> None:
    """One primary unit is enough to be a candidate, at half the confidence of two;
    composite archetypes still need each group; a fired archetype is no candidate."""
    units = [Unit("1", frozenset({"insult"})), Unit("2", frozenset({"vague_requirements"}))]
    found = {h.id: (w, h) for w, h in emerging(units, 20)}
    assert set(found) == {"abuser"}  # chaotic needs deadline_pressure too
    weight, hit = found["abuser"]
    assert weight == 3.0 and hit.rate == 0.05
    assert hit.confidence == round(0.75 * (0.05 / MIN_RATE) * 0.5, 2)
    fired = [Unit(str(i), frozenset({"insult"})) for i in range(5)]
    assert emerging(fired, 10) == []
    # the heaviest per archetype across contacts; a second pattern needs half the weight
    haggling = emerging([Unit("x", frozenset({"discount_request"}))], 30)  # weight 2 (medium)
    assert [h.id for h in leading([*haggling, *found.values()])] == ["abuser", "penny_pincher"]
    light = emerging([Unit("y", frozenset({"indecision"}))], 30)  # weight 1 (low), under 3 / 2
    assert [h.id for h in leading([*light, *found.values()])] == ["abuser"]
