"""Days typed on the command line the way people write them (QA pass 6, CLI N16).

Every date option took ISO only, so a Russian user's 'invoice paid … --on 20.09.2025' or
'messages X --since 01.09.2025' ended in "expected a date like 2025-09-01". A dotted date
is day-first wherever it is written (ru, de, …), so it is unambiguous: 'DD.MM.YYYY' (also
'D.M.YYYY') is read beside ISO 'YYYY-MM-DD'. Two-digit years and slashes stay refused:
01/09/25 is a different day in the US.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

import typer

T = TypeVar("T")

_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DOTTED_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})([ T].*)$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")

#: What a date option expects, in every refusal: both spellings it reads.
EXPECTED = "expected a date like 2025-09-01 or 01.09.2025"


def day(text: str) -> date:
    """``text`` as a date: ISO '2025-09-20' or dotted day-first '20.09.2025'; else ValueError.

    The error says why: a day the calendar does not have ('31.02.2026') is named as such
    (it had been "expected YYYY-MM-DD" although the spelling was right, so the user looked
    for a typo in the format), anything else gets both accepted spellings.
    """
    m = _DOTTED.match(text) or _ISO.match(text)
    if m is None or (m.re is _ISO and m.end() != len(text.rstrip())):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"{EXPECTED}, got {text!r}") from None
    if m.re is _DOTTED:
        d, mo, y = (int(g) for g in m.groups())
    else:
        y, mo, d = (int(g) for g in m.groups())
    return _calendar_day(y, mo, d, text)


def _calendar_day(year: int, month: int, dom: int, text: str) -> date:
    """The day, or a ValueError naming what the calendar lacks (the month, the day)."""
    shown = text.strip()
    if not 1 <= month <= 12:
        raise ValueError(f"{shown!r} is not a date: there is no month {month}")
    if year < 1 or dom < 1:
        what = f"year {year}" if year < 1 else f"day {dom}"
        raise ValueError(f"{shown!r} is not a date: there is no {what}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= dom <= last:
        raise ValueError(f"{shown!r} is not a date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, dom)


def moment(text: str) -> datetime:
    """``text`` as a date-time: what :func:`datetime.fromisoformat` reads, or a dotted day
    with an optional time ('01.09.2025', '01.09.2025 10:00')."""
    m = _DOTTED_TIME.match(text)
    if m:
        head = day(f"{m.group(1)}.{m.group(2)}.{m.group(3)}").isoformat()
        return _time_of(head, m.group(4), text)
    if _DOTTED.match(text):
        return datetime.combine(day(text), datetime.min.time())
    iso = _ISO.match(text)
    if iso:
        y, mo, d = (int(g) for g in iso.groups())
        head = _calendar_day(y, mo, d, text).isoformat()  # an impossible day is named as such
        return _time_of(head, text[iso.end() :].rstrip(), text)
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{EXPECTED} (a time may follow: 01.09.2025 10:00), got {text!r}") from None


def _time_of(head: str, tail: str, text: str) -> datetime:
    try:
        return datetime.fromisoformat(head + tail)
    except ValueError:
        raise ValueError(f"{EXPECTED} (a time may follow: 01.09.2025 10:00), got {text!r}") from None


def _option(parse: Callable[[str], T], value: str | None, option: str) -> T | None:
    """``parse(value)`` (None when not given); a bad value is a usage error naming the option."""
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{option}'") from None


def day_option(value: str | None, option: str) -> date | None:
    """A date option's value (None when not given); a bad one is a usage error naming the option.

    Every date option of the CLI goes through here so that the same mistake gets the same
    message whichever command it is typed into.
    """
    return _option(day, value, option)


def moment_option(value: str | None, option: str) -> datetime | None:
    """:func:`day_option` for an option that also takes a time of day."""
    return _option(moment, value, option)
