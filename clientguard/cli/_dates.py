"""Days typed on the command line the way people write them (QA pass 6, CLI N16).

Every date option took ISO only, so a Russian user's 'invoice paid … --on 20.09.2025' or
'messages X --since 01.09.2025' ended in "expected a date like 2025-09-01". A dotted date
is day-first wherever it is written (ru, de, …), so it is unambiguous: 'DD.MM.YYYY' (also
'D.M.YYYY') is read beside ISO 'YYYY-MM-DD'. Two-digit years stay refused.

Slashes are how a British (or any non-US English) user writes a day, '15/11/2025', and
every date option refused them with "expected a date like 2025-09-01" (helper 128's
English day). A slashed date is read when its order is certain: a first field over 12 is a
day, a second field over 12 is a day (US month-first, '11/25/2025'); when both are 12 or
less ('05/11/2025': 5 November in London, May 11 in New York) the locale's territory
decides (LC_ALL, LC_TIME, LANG as POSIX orders them: en_US month-first, en_GB and the rest
day-first), and without a territory (C, POSIX) it is refused naming both readings.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from clientguard.errors import Refusal, msg, refusal

T = TypeVar("T")

_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DOTTED_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})([ T].*)$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_SLASHED_TIME = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})([ T].*)$")

#: What a date option expects, in every refusal: the spellings it reads.
EXPECTED = "expected a date like 2025-09-01 or 01.09.2025 (or 20/09/2025)"

#: Territories whose people write a slashed date month first (CLDR short date pattern M/d/y).
#: A slashed date that could be read either way follows the locale's territory.
MONTH_FIRST_TERRITORIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"})

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def day(text: str) -> date:
    """``text`` as a date: ISO '2025-09-20', dotted day-first '20.09.2025' or slashed
    '20/09/2025' (order as the module's docstring says); else ValueError.

    The error says why: a day the calendar does not have ('31.02.2026') is named as such
    (it had been "expected YYYY-MM-DD" although the spelling was right, so the user looked
    for a typo in the format), anything else gets both accepted spellings.
    """
    slashed = _SLASHED.match(text)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        return _slashed_day(first, second, year, text)
    m = _DOTTED.match(text) or _ISO.match(text)
    if m is None or (m.re is _ISO and m.end() != len(text.rstrip())):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise Refusal(msg("dates.expected", text=text)) from None
    if m.re is _DOTTED:
        d, mo, y = (int(g) for g in m.groups())
    else:
        y, mo, d = (int(g) for g in m.groups())
    return _calendar_day(y, mo, d, text)


def locale_territory() -> str | None:
    """The territory of the locale that words dates ('GB' of en_GB.UTF-8), None for C/POSIX.

    POSIX order: LC_ALL, then LC_TIME, then LANG; the first one set decides.
    """
    import os

    for var in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(var)
        if value:
            m = re.match(r"^[A-Za-z]{2,3}_([A-Za-z]{2})\b", value)
            return m.group(1).upper() if m else None
    return None


def _slashed_day(first: int, second: int, year: int, text: str) -> date:
    """'15/11/2025', '11/25/2025' or, by the locale, '05/11/2025' (see the module's docstring)."""
    if first > 12 or second > 12:  # the order is proven (13/13 is named: there is no month 13)
        dom, month = (first, second) if first > 12 else (second, first)
        return _calendar_day(year, month, dom, text)
    if first == second or 0 in (first, second):  # one day either way, or no day at all
        return _calendar_day(year, second, first, text)
    territory = locale_territory()
    if territory is None:
        dmy, mdy = date(year, second, first), date(year, first, second)
        raise Refusal(msg(
            "dates.either_way", text=text.strip(), first=first, month2=_MONTHS[second - 1],
            month1=_MONTHS[first - 1], second=second, dmy=dmy.isoformat(), mdy=mdy.isoformat(),
        ))
    if territory in MONTH_FIRST_TERRITORIES:
        return _calendar_day(year, first, second, text)
    return _calendar_day(year, second, first, text)


def _calendar_day(year: int, month: int, dom: int, text: str) -> date:
    """The day, or a ValueError naming what the calendar lacks (the month, the day)."""
    shown = text.strip()
    if not 1 <= month <= 12:
        raise Refusal(msg("dates.no_month", text=shown, month=month))
    if year < 1:
        raise Refusal(msg("dates.no_year", text=shown, year=year))
    if dom < 1:
        raise Refusal(msg("dates.no_day", text=shown, day=dom))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= dom <= last:
        raise Refusal(msg("dates.short_month", text=shown, month=_MONTHS[month - 1], year=year, last=last))
    return date(year, month, dom)


def moment(text: str) -> datetime:
    """``text`` as a date-time: what :func:`datetime.fromisoformat` reads, or a dotted day
    with an optional time ('01.09.2025', '01.09.2025 10:00')."""
    m = _DOTTED_TIME.match(text)
    if m:
        head = day(f"{m.group(1)}.{m.group(2)}.{m.group(3)}").isoformat()
        return _time_of(head, m.group(4), text)
    m = _SLASHED_TIME.match(text)
    if m:
        head = day(f"{m.group(1)}/{m.group(2)}/{m.group(3)}").isoformat()
        return _time_of(head, m.group(4), text)
    if _DOTTED.match(text) or _SLASHED.match(text):
        return datetime.combine(day(text), datetime.min.time())
    iso = _ISO.match(text)
    if iso:
        y, mo, d = (int(g) for g in iso.groups())
        head = _calendar_day(y, mo, d, text).isoformat()  # an impossible day is named as such
        return _time_of(head, text[iso.end() :].rstrip(), text)
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise Refusal(msg("dates.expected_time", text=text)) from None


def _time_of(head: str, tail: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(head + tail)
    except ValueError:
        raise Refusal(msg("dates.expected_time", text=text)) from None


def _option(parse: Callable[[str], T], value: str | None, option: str) -> T | None:
    """``parse(value)`` (None when not given); a bad value is a usage error naming the option."""
    if value is None:
        return None
    from clientguard.cli._refused import OptionRefused

    try:
        return parse(value)
    except ValueError as exc:
        raise OptionRefused(refusal(exc), param_hint=f"'{option}'") from None


def day_option(value: str | None, option: str) -> date | None:
    """A date option's value (None when not given); a bad one is a usage error naming the option.

    Every date option of the CLI goes through here so that the same mistake gets the same
    message whichever command it is typed into.
    """
    return _option(day, value, option)


def moment_option(value: str | None, option: str) -> datetime | None:
    """:func:`day_option` for an option that also takes a time of day."""
    return _option(moment, value, option)
