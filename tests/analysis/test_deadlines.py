"""Deadlines and meeting times read against the clock: short deadlines and work off hours.

Every message below is written for this test (none from the tuning chats). The step is read
alone: messages start unlabelled, as if the detector saw nothing, so the checks do not move
with the detector. Times are local to the case (Europe/Moscow, Mon-Fri 10:00-19:00 unless a
test says otherwise); 2026-11-24 is a Tuesday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clientguard.analysis.case import CaseFile, CaseHours
from clientguard.analysis.conversation import working_hours_between
from clientguard.analysis.deadlines import OFF, RULE, SHORT, _cues, moments, timed_demands
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Role
from clientguard.errors import ConfigError

MSK = CaseFile()
CHICAGO = CaseFile(timezone="America/Chicago", working_hours=CaseHours(start="09:00", end="18:00"))
S, C = Role.SPECIALIST, Role.CLIENT


def _at(when: str, case: CaseFile = MSK) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(case.timezone))


def _msg(i: int, role: Role, when: datetime, text: str) -> AnalyzedMessage:
    return AnalyzedMessage(str(i), "s" if role is S else "c", "x", role, when, text)


def _rules(text: str, when: str, case: CaseFile = MSK) -> dict[str, str]:
    out = timed_demands([_msg(0, C, _at(when, case), text)], case)[0]
    return {s: ev[0].rule for s, ev in out.evidence.items()}


@pytest.mark.parametrize(
    ("text", "when", "want"),
    [
        # a deadline that leaves little of the working day
        ("Марина, презентацию к 16 пришлите", "2026-11-24 14:30", {SHORT: "short"}),
        ("can you have the deck ready by 3?", "2026-11-24 13:00", {SHORT: "short"}),
        ("макет к 19 нужен, типография ждёт", "2026-11-24 18:10", {SHORT: "short"}),
        ("надо через пару часов выложить", "2026-11-24 16:00", {SHORT: "short"}),
        ("need the banner within the hour, pls", "2026-11-24 12:00", {SHORT: "short"}),
        # wanted on Saturday, asked at 17:00 on Friday: two working hours are left
        ("пост нужен завтра", "2026-11-27 17:00", {SHORT: "short"}),
        # a meeting or a deadline before the day's start, on a day off, after its end
        ("завтра к 8 подъезжайте в студию", "2026-11-24 12:00", {OFF: "off_hours"}),
        ("Let's do the call at 7:30 tomorrow, before the shop opens", "2026-11-24 15:00", {OFF: "off_hours"}),
        ("к субботе 11:00 жду контент-план", "2026-11-25 12:00", {OFF: "off_hours"}),
        ("завтра в 9 утра жду пост", "2026-11-24 12:00", {OFF: "off_hours"}),
        # sent at night: the deadline before the start is off hours; whether it is also a short
        # one is left to the off-hours block and the detector
        ("к 9 нужен пост про открытие", "2026-11-24 23:30", {OFF: "off_hours"}),
    ],
)
def test_times_that_earn_a_label(text: str, when: str, want: dict[str, str]) -> None:
    got = _rules(text, when)
    assert got == {s: f"{RULE}.{r}" for s, r in want.items()}


def test_a_meeting_after_the_end_of_another_zones_day() -> None:
    assert _rules("can we meet at 6:30pm today?", "2026-11-24 11:00", CHICAGO) == {OFF: f"{RULE}.off_hours"}
    assert _rules("can we meet at 4:30pm today?", "2026-11-24 11:00", CHICAGO) == {}


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("Марина, презентацию к 16 пришлите", "2026-11-24 10:00"),  # six working hours: fine
        ("пришлю фото к 16", "2026-11-24 14:30"),  # the client's own commitment
        ("Созвонимся в четверг в 12?", "2026-11-24 11:00"),  # a meeting within the hours
        ("мастер-класс в субботу в 11, нужен анонс", "2026-11-24 11:00"),  # the event's time
        ("сделайте пост, что скидка до 12", "2026-11-24 10:30"),  # a time of the offer
        ("к 1 декабря нужен ролик", "2026-11-30 18:00"),  # a date, not one o'clock
        ("бюджет до 50 тыс, нужен план к пятнице", "2026-11-24 12:00"),
        ("Если успеете к 13 — супер, если нет, завтра", "2026-11-24 11:00"),  # offered, not imposed
        ("переход на 0:12 резкий, поправьте", "2026-11-24 11:00"),  # a place in the video
        ('Can you swap "4 am" to "5 am" in the caption?', "2026-11-24 11:00"),  # text of the post
        ("работаем с 10 до 21, надо указать в шапке", "2026-11-24 11:00"),  # opening hours
        ("Ну я же просила к 9", "2026-11-24 10:30"),  # the past
        ("Завтра 8 постов надо согласовать", "2026-11-24 11:00"),  # a count
    ],
)
def test_times_that_do_not(text: str, when: str) -> None:
    assert _rules(text, when) == {}


def test_a_time_the_specialist_proposed_is_agreement() -> None:
    t = _at("2026-11-24 12:00")
    proposed = [
        _msg(0, S, t, "Сделаю к 14:00, раньше не успею"),
        _msg(1, C, t + timedelta(minutes=30), "ок, к 14 жду"),
    ]
    assert timed_demands(proposed, MSK)[1].labels == ()
    imposed = [_msg(0, S, t, "Сделаю к 17:00"), _msg(1, C, t + timedelta(minutes=30), "нет, к 14 жду")]
    assert timed_demands(imposed, MSK)[1].labels == (SHORT,)


def test_specialist_messages_are_not_read() -> None:
    msgs = [_msg(0, S, _at("2026-11-24 14:30"), "Презентацию пришлю к 16, надо успеть")]
    assert timed_demands(msgs, MSK)[0].labels == ()


def test_moments_resolve_in_the_case_zone() -> None:
    # "к 7" is 19:00 (an hour below 8 with no "утра" is the afternoon one); "в 8" is 8:00 next day
    (seven,) = moments("афишу к 7 надо", _at("2026-11-24 17:45"), MSK)
    assert seven.when == _at("2026-11-24 19:00") and seven.deadline and seven.clock
    (eight,) = moments("в 8 созвон, будь на связи", _at("2026-11-24 14:00"), MSK)
    assert eight.when == _at("2026-11-25 08:00") and eight.meeting
    # "завтра" after midnight is the day that is coming
    (day,) = moments("нам надо такой же завтра", _at("2026-11-28 00:40"), MSK)
    assert day.when.date().isoformat() == "2026-11-28" and not day.clock
    text = "Марина, презентацию к 16 пришлите"
    (m,) = moments(text, _at("2026-11-24 14:30"), MSK)
    assert text[m.start : m.end] == "к 16"


def test_working_hours_between() -> None:
    # Friday 17:00 to Monday 11:00: two hours on Friday, one on Monday
    assert working_hours_between(_at("2026-11-27 17:00"), _at("2026-11-30 11:00"), MSK) == pytest.approx(3.0)
    # a Russian public holiday (4 November 2026, a Wednesday) is no working day
    assert working_hours_between(_at("2026-11-04 09:00"), _at("2026-11-04 20:00"), MSK) == 0.0
    assert working_hours_between(_at("2026-11-24 15:00"), _at("2026-11-24 14:00"), MSK) == 0.0


def test_a_bad_cue_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "none.yaml").write_text("petty_edits: {}\n")
    with pytest.raises(ConfigError, match="block 'deadlines' is missing"):
        _cues(tmp_path / "none.yaml")
    (tmp_path / "nums.yaml").write_text("deadlines: {max_days: x}\n")
    with pytest.raises(ConfigError, match=r"nums\.yaml: deadlines: needs min_working_hours"):
        _cues(tmp_path / "nums.yaml")
    base = (
        "deadlines:\n  min_working_hours: 3\n  max_days: 3\n  pm_below: 8\n  night_until: 5\n"
        "  lookback: 3\n  parts: {morning: start}\n"
    )
    (tmp_path / "clock.yaml").write_text(base + "  clock: {ru: ['(?P<h>\\d+)'], en: ['(?P<h>\\d+)']}\n")
    with pytest.raises(ConfigError, match=r"deadlines\.clock\.ru: pattern .* names no group"):
        _cues(tmp_path / "clock.yaml")
    (tmp_path / "part.yaml").write_text(base.replace("{morning: start}", "{morning: dawn}"))
    with pytest.raises(ConfigError, match=r"deadlines\.parts\.morning: expected start, end or HH:MM"):
        _cues(tmp_path / "part.yaml")
