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
EVENING = datetime(2026, 3, 11, 20, 50, tzinfo=UTC)  # Wednesday 23:50 in Moscow


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
        ("а почему рилс без музыки??", EVENING, Role.CLIENT),  # a real question before midnight
        ("можно сторис пораньше поставить, на 4е?", EVENING, Role.CLIENT),
        ("оплатил, у нас уже день вовсю)", NIGHT, Role.CLIENT),  # deep night, but no question
        ("что по акции? не срочно, утром ответь", NIGHT, Role.CLIENT),  # it can wait
    ],
)
def test_no_demand_without_all_three(text: str, when: datetime, role: Role) -> None:
    (got,) = in_context([msg(text, when, role)], CASE)
    assert "off_hours_demand" not in got.labels


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("что по акции?", "что по акции?"),
        ("teaser still on for tomorrow? 🙏", "teaser still on for tomorrow?"),
        ("Посмотрела план. А рилс почему без музыки??", " А рилс почему без музыки??"),
    ],
)
def test_a_question_deep_in_the_night_asks_for_an_answer_then(text: str, span: str) -> None:
    (got,) = in_context([msg(text, NIGHT)], CASE)
    ev = got.evidence["off_hours_demand"][0]
    assert ev.rule == "context.off_hours.night_question" and text[ev.start : ev.end] == span


@pytest.mark.parametrize(
    ("text", "labels", "when", "expected"),
    [
        # a deadline within the coming night, sent at night: work asked for off hours
        ("к 9 желательно чтобы люди с утра увидели", ("deadline_pressure",), NIGHT, True),
        ("the carousel needs to be out tomorrow 9am regardless", ("deadline_pressure",), NIGHT, True),
        ("still the same music. fix it tonight", ("dissatisfaction",), NIGHT, True),
        ("удали этот коммент сейчас же", (), NIGHT, True),
        ("Тимуууур", (), NIGHT, True),
        ("Олееег!", (), NIGHT, True),
        ("helloooo", (), NIGHT, True),
        # the same words by day, a deadline days away, or a cue without its signal
        # (by day, "к 9" itself is a deadline before the day's start: the deadlines reader's case,
        # tests/analysis/test_deadlines.py; a deadline within the working day stays plain)
        ("к 17 желательно чтобы люди с работы увидели", ("deadline_pressure",), NOON, False),
        ("Тимуууур", (), NOON, False),
        ("нужен пост к пятнице, не забудь", ("deadline_pressure",), NIGHT, False),
        ("сдать надо до 15 мая", ("deadline_pressure",), NIGHT, False),
        ("утром посмотрела пост, всё хорошо", (), NIGHT, False),
        ("Тимур, отличный пост", (), NIGHT, False),
        ("the draft from this morning looks great", (), NIGHT, False),
    ],
)
def test_a_deadline_within_the_night_or_a_stretched_call(
    text: str, labels: tuple[str, ...], when: datetime, expected: bool
) -> None:
    (got,) = in_context([msg(text, when, labels=labels)], CASE)
    assert ("off_hours_demand" in got.labels) is expected
    if expected:
        ev = got.evidence["off_hours_demand"][0]
        assert ev.rule.startswith("context.off_hours") and text[ev.start : ev.end].strip()


def test_the_profile_reads_predicted_labels_in_context_but_not_gold_ones() -> None:
    night = msg("Ты тут?", NIGHT)
    predicted = build_profile([night], CASE, label_source="predicted")
    assert predicted.messages[0].labels == ("off_hours_demand",)
    oracle = build_profile([night], CASE, label_source="oracle")
    assert oracle.messages[0].labels == ()


def test_the_profile_reads_a_reply_under_a_quote_as_haggling() -> None:
    price = "Фотосессия в пакет не входит: 14 000 ₽ за выезд"
    quote = AnalyzedMessage("1", "me", "Я", Role.SPECIALIST, NOON, price)
    reply = AnalyzedMessage("2", "user1", "Ольга", Role.CLIENT, NOON, "давайте за 8 и по рукам")
    got = build_profile([quote, reply], CASE, label_source="predicted").messages[1]
    assert "discount_request" in got.labels
    assert got.evidence["discount_request"][0].rule == "context.quote_replies.counter"
