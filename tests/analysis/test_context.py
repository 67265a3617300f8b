"""In-context signals: a call for an answer sent at night is an off-hours demand.

Hand-written cases around the dev labelling convention ("Ау, ответь, это срочно" or
"Ты тут?" after midnight counts; a friendly late message or an ordinary request sent late
does not), plus the profile and evaluation wiring.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientguard.analysis.case import case_from_dict
from clientguard.analysis.context import in_context
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.profile import build_profile
from clientguard.domain import Role

CASE = case_from_dict({"client": {"name": "Ольга"}, "timezone": "Europe/Moscow"})
NIGHT = datetime(2026, 3, 11, 22, 40, tzinfo=UTC)  # Thursday 01:40 in Moscow
NOON = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # Wednesday 12:00 in Moscow


def msg(text: str, when: datetime, role: Role = Role.CLIENT, labels: tuple[str, ...] = ()) -> AnalyzedMessage:
    return AnalyzedMessage("1", "user1", "Ольга", role, when, text, labels=labels)


@pytest.mark.parametrize(
    "text",
    [
        "Ау, ответь, это срочно",
        "Ты тут?",
        "вы спите что ли",
        "Перезвоните мне",
        "You there??",
        "answer me please",
        "URGENT: the post is broken",
        "??",
        "Марина???",
        "hello??",
    ],
)
def test_a_call_for_an_answer_at_night_is_an_off_hours_demand(text: str) -> None:
    (got,) = in_context([msg(text, NIGHT)], CASE)
    assert "off_hours_demand" in got.labels
    ev = got.evidence["off_hours_demand"][0]
    assert ev.rule.startswith("context.off_hours") and 0 <= ev.start < ev.end <= len(text)
    assert got.scores["off_hours_demand"] >= 0.5


@pytest.mark.parametrize(
    ("text", "when", "role"),
    [
        ("Ау, ответь, это срочно", NOON, Role.CLIENT),  # working hours
        ("Ты тут?", NIGHT, Role.SPECIALIST),  # the user's own message
        ("Спасибо за пост, спокойной ночи!", NIGHT, Role.CLIENT),  # friendly, no demand
        ("Хештеги убери все, кроме первого", NIGHT, Role.CLIENT),  # a request, not a call
        ("Ответьте, когда будет время, не срочно", NIGHT, Role.CLIENT),  # it can wait
        ("no rush, answer tomorrow is fine", NIGHT, Role.CLIENT),
        ("??", NOON, Role.CLIENT),  # a ping in working hours
        ("а почему рилс без музыки??", NIGHT, Role.CLIENT),  # a real question, not a bare ping
    ],
)
def test_no_demand_without_all_three(text: str, when: datetime, role: Role) -> None:
    (got,) = in_context([msg(text, when, role)], CASE)
    assert "off_hours_demand" not in got.labels


def test_the_profile_reads_predicted_labels_in_context_but_not_gold_ones() -> None:
    night = msg("Ты тут?", NIGHT)
    predicted = build_profile([night], CASE, label_source="predicted")
    assert predicted.messages[0].labels == ("off_hours_demand",)
    oracle = build_profile([night], CASE, label_source="oracle")
    assert oracle.messages[0].labels == ()
