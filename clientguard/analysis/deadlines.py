"""In-context ``deadline_pressure`` and ``off_hours_demand``: the times a client names, read
against the clock.

Why: "афишу к 7 надо" names no urgency word, and "завтра к 8 приезжай" is polite. The specialist
reads them against when they were sent and the agreed working time: the first, sent at 17:45,
leaves an hour and a quarter of the working day (an unreasonably short deadline); the second
sets a meeting two hours before the agreed start of the day (work off hours). The detector
reads a message alone and has no clock; this step, run by :func:`.context.in_context`, has.

What a time means (cues and numbers are data, ``analysis/data/context.yaml``, block
``deadlines``, where the borderlines are spelled out): each clock time, part of the day, span
("через час") or day ("сегодня") a client names in a clause that demands work or a meeting is
resolved to a moment in the case's time zone, relative to the send time. Work demanded by a
moment that leaves fewer than ``min_working_hours`` of working time is ``deadline_pressure``
(rule ``context.deadlines.short``); work or a meeting demanded at a clock time outside the
working time is ``off_hours_demand`` (``context.deadlines.off_hours``). A time the specialist
named just before is agreement, and a sentence with a ``veto`` (the client's own commitment,
the past, "если рано") is no demand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from clientguard.analysis.case import CaseFile
from clientguard.analysis.conversation import (
    country_of,
    is_off_hours,
    is_working_day,
    local_time,
    off_hours,
    working_hours_between,
    working_window,
)
from clientguard.analysis.cues import CONTEXT_FILE, context_data, language_blocks, lowered
from clientguard.analysis.model import AnalyzedMessage
from clientguard.analysis.replies import labelled
from clientguard.domain import Evidence, Role
from clientguard.errors import ConfigError

BLOCK = "deadlines"
SHORT = "deadline_pressure"
OFF = "off_hours_demand"
RULE = "context.deadlines"
SHORT_RULE, OFF_RULE = f"{RULE}.short", f"{RULE}.off_hours"
#: The evidence rule ids this step writes (:func:`.context.rule_ids`; each has a "why" to show).
RULE_IDS = (SHORT_RULE, OFF_RULE)
#: Sentences (day words and vetoes are read in one) and clauses (a time and its demand are read in one).
_SENTENCE = re.compile(r"[^.!?\n]+")
_CLAUSE = re.compile(r"[^.!?\n,;—–]+")
#: What every clock the ``clock`` patterns accept holds: a number after a preposition, with
#: minutes, or with a half of the day ("к 7", "8:30", "9am", "5 утра"); a bare number does not.
_DIGITS = re.compile(r"\d+")
_CLOCK_BEFORE = re.compile(r"(?:\bк|\bдо|\bв|\bна|позже|позднее|\bby|\bbefore|\bat|\bfor|\bthan)\s+$")
_CLOCK_AFTER = re.compile(
    r"[:.]\d\d|\s*(?:a\.?m|p\.?m|утра|вечера|дня|ночи|in the (?:morning|evening)|at night|tonight)"
)


def _clockish(low: str) -> bool:
    """Whether ``low`` holds a number the ``clock`` patterns could read as a time.

    Why by hand: one alternation tried at every position cost 14 µs a message (a third of the
    reader on a 100,000-message chat); looking around each run of digits costs a fraction.
    """
    for hit in _DIGITS.finditer(low):
        if _CLOCK_AFTER.match(low, hit.end()) or _CLOCK_BEFORE.search(
            low, max(0, hit.start() - 16), hit.start()
        ):
            return True
    return False


#: Text before a clock that makes it the end of a range ("с 10 до 19", "9-18"): opening hours.
_RANGE = re.compile(r"(?:\bс|\bfrom)\s*\d{1,2}(?:[:.]\d\d)?\s*$|\d\s*[-–]\s*$")


@dataclass(frozen=True)
class _Cues:
    min_working_hours: float
    max_days: int
    pm_below: int
    night_until: int
    lookback: int
    parts: dict[str, str]
    clock: dict[str, tuple[re.Pattern[str], ...]]
    deadline_prep: dict[str, re.Pattern[str]]
    am: dict[str, re.Pattern[str]]
    part: dict[str, dict[str, re.Pattern[str]]]
    within: dict[str, tuple[re.Pattern[str], ...]]
    days: dict[str, tuple[tuple[int | str, re.Pattern[str]], ...]]
    demand: dict[str, re.Pattern[str]]
    expect: dict[str, re.Pattern[str]]
    content: dict[str, re.Pattern[str]]
    meeting: dict[str, re.Pattern[str]]
    veto: dict[str, re.Pattern[str]]
    #: a part of the day, span or day word; with no clock-like number either, a message names no time
    gate: dict[str, re.Pattern[str]]
    #: any demand or meeting cue: a message without one asks for nothing by a time
    cue_gate: dict[str, re.Pattern[str]]


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern ({exc})") from exc


def _per_language(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    block = data.get(key)
    if not isinstance(block, dict) or set(block) != {"ru", "en"}:
        raise ConfigError(f"{where}.{key} must list 'ru' and 'en'")
    return block


@cache
def _cues(path: Path = CONTEXT_FILE) -> _Cues:
    data = context_data(path).get(BLOCK)
    where = f"{path}: {BLOCK}"
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: block '{BLOCK}' is missing or not a mapping")
    try:
        numbers = [int(data[k]) for k in ("max_days", "pm_below", "night_until", "lookback")]
        min_hours = float(data["min_working_hours"])
        parts = {str(k): str(v) for k, v in data["parts"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"{where}: needs min_working_hours, max_days, pm_below, night_until, lookback and parts ({exc})"
        ) from exc
    for name, value in parts.items():
        if value not in ("start", "end") and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ConfigError(f"{where}.parts.{name}: expected start, end or HH:MM, got {value!r}")

    def patterns(key: str, groups: tuple[str, ...]) -> dict[str, tuple[re.Pattern[str], ...]]:
        out = {}
        for lang, pats in _per_language(data, key, where).items():
            compiled = tuple(_compile(p, f"{where}.{key}.{lang}") for p in pats)
            for p in compiled:
                missing = [g for g in groups if g not in p.groupindex]
                if missing:
                    raise ConfigError(f"{where}.{key}.{lang}: pattern {p.pattern!r} names no group {missing}")
            out[lang] = compiled
        return out

    def single(key: str) -> dict[str, re.Pattern[str]]:
        return {
            lang: _compile(rf"^(?:{p})$", f"{where}.{key}.{lang}")
            for lang, p in _per_language(data, key, where).items()
        }

    clock = patterns("clock", ("h", "m", "half", "prep"))
    part: dict[str, dict[str, re.Pattern[str]]] = {}
    for lang, block in _per_language(data, "part", where).items():
        unknown = set(block) - set(parts)
        if unknown:
            raise ConfigError(f"{where}.part.{lang}: {sorted(unknown)} not in parts")
        part[lang] = {name: _compile(p, f"{where}.part.{lang}.{name}") for name, p in block.items()}
    days: dict[str, tuple[tuple[int | str, re.Pattern[str]], ...]] = {}
    for lang, block in _per_language(data, "day", where).items():
        found: list[tuple[int | str, re.Pattern[str]]] = []
        for name in ("today", "tomorrow", "after_tomorrow"):
            found.append((name, _compile(block[name], f"{where}.day.{lang}.{name}")))
        weekdays = block.get("weekdays")
        if not isinstance(weekdays, list) or len(weekdays) != 7:
            raise ConfigError(f"{where}.day.{lang}.weekdays must list seven patterns, Monday first")
        found += [
            (i, _compile(rf"\b(?:{p})", f"{where}.day.{lang}.weekdays")) for i, p in enumerate(weekdays)
        ]
        days[lang] = tuple(found)
    within = patterns("within", ("unit",))
    blocks = language_blocks(data, ("demand", "expect", "content", "meeting", "veto"), where)
    gate = {
        lang: re.compile(
            "|".join(
                [p.pattern for p in part[lang].values()]
                + [re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in within[lang]]
                + [p.pattern for _, p in days[lang]]
            )
        )
        for lang in ("ru", "en")
    }
    # the cues a clause must hold, searched once over the whole message; a pattern anchored to a
    # clause's start ("^send …") is searched anywhere, so the gate never drops what a clause holds
    cue_gate = {
        lang: re.compile(
            "|".join(
                "(?:" + p.removeprefix("^") + ")" for key in ("demand", "meeting") for p in data[key][lang]
            )
        )
        for lang in ("ru", "en")
    }
    return _Cues(
        min_hours,
        numbers[0],
        numbers[1],
        numbers[2],
        numbers[3],
        parts,
        clock,
        single("deadline_prep"),
        single("am"),
        part,
        within,
        days,
        blocks["demand"],
        blocks["expect"],
        blocks["content"],
        blocks["meeting"],
        blocks["veto"],
        gate,
        cue_gate,
    )


@dataclass(frozen=True)
class Moment:
    """A time a client named, resolved: its span in the text and the local moment it means.

    ``clock``: named by the clock ("к 7", "at 8am"), the only kind that can put a meeting or a
    deadline off hours; ``deadline``: the clause asks for work by it (not a meeting at it).
    """

    start: int
    end: int
    when: datetime
    clock: bool
    deadline: bool
    meeting: bool


@dataclass(frozen=True)
class _Clock:
    start: int
    end: int
    hour: int
    minute: int
    deadline_prep: bool
    until: bool  # "до"/"until": also the end of a span of the content ("скидка до 12")


def _clocks(text: str, lang: str) -> Iterator[_Clock]:
    cues = _cues()
    for pattern in cues.clock[lang]:
        for hit in pattern.finditer(text):
            prep = hit.group("prep")
            if prep is None and hit.group("m") is None and hit.group("half") is None:
                continue  # a bare number: "уберите 1500", "5 абзацев"
            if prep in ("на", "for") and hit.group("m") is None:
                continue  # "на 3", "for 2": a count, not a time
            if _RANGE.search(text[: hit.start("h") if prep is None else hit.start()]):
                continue
            h = int(hit.group("h"))
            m = int(hit.group("m") or 0)
            half = hit.group("half")
            if half is not None:
                if cues.am[lang].match(half):
                    h = 0 if h == 12 else h
                elif h < 12:
                    h += 12
            elif 0 < h < cues.pm_below:
                h += 12
            elif h == 0:
                continue  # "на 0:12": a place in a video
            deadline = prep is not None and bool(cues.deadline_prep[lang].match(prep))
            yield _Clock(hit.start(), hit.end(), h, m, deadline, prep in ("до", "until"))


def _day(sentence: str, offset: int, sent: datetime, lang: str) -> date | None:
    """The day a sentence names (the nearest day word to ``offset``), or None."""
    cues = _cues()
    best: tuple[int, date] | None = None
    night = sent.hour < cues.night_until
    for key, pattern in cues.days[lang]:
        for hit in pattern.finditer(sentence):
            if isinstance(key, int):
                ahead = (key - sent.weekday()) % 7
            else:
                ahead = {"today": 0, "tomorrow": 1, "after_tomorrow": 2}[key]
                ahead = max(ahead - 1, 0) if night and ahead else ahead
            distance = abs(hit.start() - offset)
            if best is None or distance < best[0]:
                best = (distance, sent.date() + timedelta(days=ahead))
    return best[1] if best else None


def _at(day: date, clock: time, case: CaseFile) -> datetime:
    return datetime.combine(day, clock, tzinfo=case.tz)


def _next(sent: datetime, clock: time, day: date | None, case: CaseFile) -> datetime | None:
    """``clock`` on ``day``, or its next occurrence after ``sent``; None when that is past."""
    if day is not None:
        when = _at(day, clock, case)
        return when if when > sent else None
    when = _at(sent.date(), clock, case)
    return when if when > sent else _at(sent.date() + timedelta(days=1), clock, case)


def _part_time(name: str, day: date, case: CaseFile) -> time:
    value = _cues().parts[name]
    if value in ("start", "end"):
        lo, hi = working_window(day, case)
        return (lo if value == "start" else hi).timetz().replace(tzinfo=None)
    h, m = (int(x) for x in value.split(":"))
    return time(h, m)


def _day_end(day: date, sent: datetime, case: CaseFile, country: str) -> datetime:
    """The end of the working time a deadline "on ``day``" leaves: that day's end, or, on a day
    off, the end of the last working day before it (work wanted by Saturday is done by Friday)."""
    probe = day
    for _ in range(14):
        if is_working_day(probe, case, country):
            return working_window(probe, case)[1]
        probe -= timedelta(days=1)
    return working_window(day, case)[1]


def _span_minutes(hit: re.Match[str]) -> float:
    n = hit.groupdict().get("n")
    unit = hit.group("unit")
    count = 1.0
    if n:
        if n.isdigit():
            count = float(n)
        elif n.startswith(("пол", "half")):
            count = 0.5
        else:  # "пару", "пары", "a couple of"
            count = 2.0
    return count * (60 if unit.startswith(("ч", "h")) else 1)


def moments(text: str, sent: datetime, case: CaseFile, country: str | None = None) -> list[Moment]:
    """The times ``text`` (a client's message sent at ``sent``) names in a clause that demands
    work or a meeting, resolved in the case's time zone; a sentence with a veto names none."""
    cues = _cues()
    country = country or country_of(case)
    low, lang = lowered(text)
    if not ((cues.gate[lang].search(low) or _clockish(low)) and cues.cue_gate[lang].search(low)):
        return []
    local = local_time(sent, case.tz)
    out: list[Moment] = []
    for sm in _SENTENCE.finditer(low):
        sentence = sm.group()
        if cues.veto[lang].search(sentence):
            continue
        found_time = False
        for cm in _CLAUSE.finditer(sentence):
            clause = cm.group()
            meeting = cues.meeting[lang].search(clause) is not None
            demand = cues.demand[lang].search(clause) is not None
            if not (meeting or demand):
                continue
            base = sm.start() + cm.start()
            expect = cues.expect[lang].search(clause) is not None
            for c in _clocks(clause, lang):
                found_time = True
                if c.until and cues.content[lang].search(clause):
                    continue
                when = _next(
                    local, time(c.hour, c.minute), _day(sentence, cm.start() + c.start, local, lang), case
                )
                if when is not None:
                    # "к 7 надо", "жду пост в 9", "needs to be out 9am": work by then; "созвон в 8" is a
                    # meeting, and "мастер-класс в 11, нужен анонс" the time of an event
                    deadline = demand and (c.deadline_prep or expect)
                    out.append(Moment(base + c.start, base + c.end, when, True, deadline, meeting))
            for name, pattern in cues.part[lang].items():
                for hit in pattern.finditer(clause):
                    found_time = True
                    if not demand:
                        continue
                    day = _day(sentence, cm.start() + hit.start(), local, lang)
                    when = None
                    for ahead in range(0, 3) if day is None else (0,):
                        d = (day or local.date()) + timedelta(days=ahead)
                        when = _next(local, _part_time(name, d, case), d, case)
                        if when is not None:
                            break
                    if when is not None:
                        out.append(Moment(base + hit.start(), base + hit.end(), when, False, True, meeting))
            for pattern in cues.within[lang]:
                for hit in pattern.finditer(clause):
                    found_time = True
                    if demand:
                        when = local + timedelta(minutes=_span_minutes(hit))
                        out.append(Moment(base + hit.start(), base + hit.end(), when, False, True, meeting))
        if found_time:
            continue
        for cm in _CLAUSE.finditer(sentence):  # a day alone: "пост нужен сегодня"
            clause = cm.group()
            if not cues.demand[lang].search(clause):
                continue
            for _key, pattern in cues.days[lang]:
                named = pattern.search(clause)
                if named is None:
                    continue
                day = _day(clause, named.start(), local, lang)
                if day is None:
                    continue
                when = _day_end(day, local, case, country)
                if when > local or not is_working_day(day, case, country):
                    base = sm.start() + cm.start()
                    out.append(
                        Moment(base + named.start(), base + named.end(), max(when, local), False, True, False)
                    )
    return out


@lru_cache(maxsize=4096)  # the specialist's message is read again for each client reply after it
def _named_clocks(text: str) -> frozenset[tuple[int, int]]:
    low, lang = lowered(text)
    return frozenset((c.hour, c.minute) for c in _clocks(low, lang))


def _agreed(messages: Sequence[AnalyzedMessage], i: int, clock: tuple[int, int]) -> bool:
    """Whether the specialist named ``clock`` in one of the few messages before ``i``."""
    for m in messages[max(0, i - _cues().lookback) : i]:
        if m.role is Role.SPECIALIST and m.text.strip() and clock in _named_clocks(m.text):
            return True
    return False


def _off_target(mo: Moment, case: CaseFile, country: str) -> bool:
    """Whether ``mo`` asks for work off hours: a meeting at any time outside the working time,
    a deadline on a day off or before the day's start ("к 9" when work starts at 10). A deadline
    at 21:00 on a working day can be met within the day, so it is no off-hours demand."""
    if not is_off_hours(mo.when, case, country):
        return False
    if not mo.deadline:
        return mo.meeting  # an event's time ("мастер-класс в субботу в 11") asks nothing off hours
    day = mo.when.date()
    return not is_working_day(day, case, country) or mo.when < working_window(day, case)[0]


def timed_demands(
    messages: Sequence[AnalyzedMessage], case: CaseFile, off_hours_ids: Iterable[str] | None = None
) -> list[AnalyzedMessage]:
    """``messages`` with ``deadline_pressure`` and ``off_hours_demand`` added where a time the
    client names leaves too little working time, or lies outside it.

    ``off_hours_ids``: the client messages sent outside working time, when the caller already
    has them (:func:`.context.in_context` does), so "off hours" is decided once, by one function.
    """
    cues = _cues()
    country = country_of(case)
    if off_hours_ids is None:
        off_hours_ids = off_hours(messages, case).evidence
    off = frozenset(off_hours_ids)
    out = list(messages)
    for i, m in enumerate(messages):
        if m.role is not Role.CLIENT or m.timestamp is None or not m.text.strip():
            continue
        found: dict[str, Evidence] = {}
        # A night message is already read by the off-hours block; whether its "к 9 утра" is also
        # a short deadline is where the labelled sets disagree with each other, so it is left be.
        sent_off = m.id in off
        for mo in moments(m.text, m.timestamp, case, country):
            if mo.clock and _agreed(messages, i, (mo.when.hour, mo.when.minute)):
                continue
            if mo.when - local_time(m.timestamp, case.tz) > timedelta(days=cues.max_days):
                continue
            if (
                SHORT not in found
                and mo.deadline
                and not sent_off
                and working_hours_between(m.timestamp, mo.when, case, country) < cues.min_working_hours
            ):
                found[SHORT] = Evidence(mo.start, mo.end, SHORT_RULE)
            if OFF not in found and mo.clock and _off_target(mo, case, country):
                found[OFF] = Evidence(mo.start, mo.end, OFF_RULE)
        if found:
            out[i] = labelled(m, found)
    return out
