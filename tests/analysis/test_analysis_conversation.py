"""Conversation signals: off-hours (time zones, DST, weekends, holidays), bursts, questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import make_case, make_msg, series

from clientguard.analysis import conversation as conv
from clientguard.domain import Role

MSK = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("when", "off"),
    [
        (datetime(2025, 3, 5, 10, 0, tzinfo=MSK), False),  # Wednesday, start is inclusive
        (datetime(2025, 3, 5, 18, 59, tzinfo=MSK), False),
        (datetime(2025, 3, 5, 19, 0, tzinfo=MSK), True),  # end is exclusive
        (datetime(2025, 3, 5, 9, 59, tzinfo=MSK), True),
        (datetime(2025, 3, 8, 12, 0, tzinfo=MSK), True),  # Saturday (and 8 March)
        (datetime(2025, 3, 9, 12, 0, tzinfo=MSK), True),  # Sunday
        (datetime(2025, 1, 7, 12, 0, tzinfo=MSK), True),  # Tuesday, Orthodox Christmas (RU holiday)
        (datetime(2025, 5, 1, 12, 0, tzinfo=MSK), True),  # Thursday, 1 May
        (datetime(2025, 3, 5, 7, 30, tzinfo=UTC), False),  # 10:30 in Moscow
        (datetime(2025, 3, 5, 16, 30, tzinfo=UTC), True),  # 19:30 in Moscow
    ],
)
def test_off_hours_moscow(when: datetime, off: bool) -> None:
    assert conv.is_off_hours(when, make_case()) is off


def test_off_hours_follows_dst_of_the_case_zone() -> None:
    case = make_case(timezone="Europe/Berlin")
    # 08:30 UTC is 10:30 in summer (CEST, +2) but 09:30 in winter (CET, +1).
    assert conv.is_off_hours(datetime(2025, 7, 2, 8, 30, tzinfo=UTC), case) is False
    assert conv.is_off_hours(datetime(2025, 1, 8, 8, 30, tzinfo=UTC), case) is True
    # The DST switch day itself (Sunday 30 March 2025) is a weekend anyway; the Monday after is CEST.
    assert conv.is_off_hours(datetime(2025, 3, 31, 8, 0, tzinfo=UTC), case) is False


def test_country_comes_from_zone_or_field() -> None:
    assert conv.country_of(make_case(timezone="Europe/Berlin")) == "DE"
    assert conv.country_of(make_case(timezone="Asia/Novosibirsk")) == "RU"
    assert conv.country_of(make_case(timezone="Europe/Berlin", country="fr")) == "FR"
    # 3 October is a German holiday, not a Russian one.
    day = datetime(2025, 10, 3, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert conv.is_off_hours(day, make_case(timezone="Europe/Berlin")) is True
    assert conv.is_off_hours(day, make_case()) is False


def test_naive_timestamps_are_taken_as_local() -> None:
    assert conv.is_off_hours(datetime(2025, 3, 5, 12, 0), make_case(timezone="Asia/Tokyo")) is False


def test_custom_working_hours_and_days() -> None:
    case = make_case(working_hours={"days": [5, 6], "start": "08:00", "end": "12:00"})
    assert conv.is_off_hours(datetime(2025, 3, 15, 9, 0, tzinfo=MSK), case) is False
    assert conv.is_off_hours(datetime(2025, 3, 5, 9, 0, tzinfo=MSK), case) is True


def test_only_client_messages_count_as_off_hours() -> None:
    night = datetime(2025, 3, 5, 23, 0, tzinfo=MSK)
    msgs = [make_msg(1, night), make_msg(2, night, role=Role.SPECIALIST)]
    hit = conv.off_hours(msgs, make_case())
    assert hit.count == 1 and hit.evidence == ("1",)


START = datetime(2025, 3, 5, 12, 0, tzinfo=MSK)


@pytest.mark.parametrize(
    ("n", "span_seconds", "bursts"),
    [
        (8, 600, 1),  # exactly 8 in exactly 10 minutes
        (8, 601, 0),  # the window is 10 minutes, not a second more
        (7, 60, 0),  # seven is not enough
        (20, 600, 1),  # one long flood is one burst
    ],
)
def test_burst_edges(n: int, span_seconds: int, bursts: int) -> None:
    msgs = [make_msg(i, START + timedelta(seconds=span_seconds * i // (n - 1))) for i in range(n)]
    hit = conv.bursts(msgs)
    assert hit.count == bursts
    assert len(hit.evidence) == (n if bursts else 0)


def test_two_separate_bursts_and_specialist_messages_ignored() -> None:
    a = series(START, 8, timedelta(seconds=30))
    b = [make_msg(f"b{i}", START + timedelta(hours=2, seconds=30 * i)) for i in range(8)]
    spec = [make_msg(f"s{i}", START + timedelta(seconds=10 * i), role=Role.SPECIALIST) for i in range(10)]
    assert conv.bursts(a + b + spec).count == 2
    assert conv.bursts(spec).count == 0


def test_unanswered_questions() -> None:
    t0 = START
    msgs = [
        make_msg("q1", t0, "Пришлите, пожалуйста, логотип?", role=Role.SPECIALIST),
        make_msg("c1", t0 + timedelta(hours=1), "Вот"),  # answered
        make_msg("q2", t0 + timedelta(hours=2), "Согласуете текст?", role=Role.SPECIALIST),
        make_msg("c2", t0 + timedelta(days=4), "Делайте как хотите"),  # only after 4 days
        make_msg("q3", t0 + timedelta(days=5), "Какой бюджет?", role=Role.SPECIALIST),
        make_msg("c3", t0 + timedelta(days=5, hours=1), "Не задавайте вопросов", labels=("stonewalling",)),
        make_msg(
            "q4", t0 + timedelta(days=6), "Всё ок?", role=Role.SPECIALIST
        ),  # last message, still waiting
    ]
    hit = conv.unanswered(msgs)
    assert hit.evidence == ("q2", "q3")


def test_response_latency_is_median_hours() -> None:
    t0 = START
    msgs = [
        make_msg("s1", t0, "?", role=Role.SPECIALIST),
        make_msg("c1", t0 + timedelta(hours=1)),
        make_msg("s2", t0 + timedelta(hours=2), "?", role=Role.SPECIALIST),
        make_msg("c2", t0 + timedelta(hours=5)),
        make_msg("s3", t0 + timedelta(hours=6), "?", role=Role.SPECIALIST),
        make_msg("c3", t0 + timedelta(hours=8)),
    ]
    assert conv.response_latency_hours(msgs) == 2.0
    assert conv.response_latency_hours(msgs[:1]) is None
