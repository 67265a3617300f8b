"""Conversation signals read from timestamps and turn-taking, not from the text's labels.

Each detector is a small pure function over the analysed messages and the case; it
returns a :class:`SignalHit` whose evidence is the SOURCE message ids. The rules:

- ``off_hours_message``: a client message whose local time (case time zone, DST-aware
  via zoneinfo) falls on a non-working day, a public holiday of the case's country
  (``holidays`` package) or outside ``[start, end)`` of the working hours; and, by the
  same test, a call made by the client's side (:mod:`.calls`: a call is how a client
  reaches the specialist, missed or not). Calls are named in ``details``, messages in
  ``evidence``; ``count`` is both.
- ``message_burst``: ≥ ``BURST_MIN`` client messages with at most ``BURST_WINDOW``
  between the first and the last (sliding window; overlapping windows merge into one
  burst).
- ``unanswered_questions``: a specialist question (``?`` or an explicit ask such as
  "подтвердите" / "please confirm") after which the client writes nothing within
  ``ANSWER_WINDOW`` (or never, while the chat runs on past the window), or whose first
  client answer is ``stonewalling``.
- client response latency: the median time from the end of a specialist turn to the
  next client message (a statistic for the report, not a signal).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo

from clientguard.analysis.calls import call_detail, client_calls
from clientguard.analysis.case import DEFAULT_COUNTRY, CaseFile
from clientguard.analysis.model import AnalyzedMessage, CallEvent, SignalHit
from clientguard.domain import Role

BURST_MIN = 8
BURST_WINDOW = timedelta(minutes=10)
ANSWER_WINDOW = timedelta(hours=48)

# Explicit asks that expect an answer even without a question mark.
_ASK = re.compile(
    r"\?|\b(подтверд\w*|пришлите|пришли|согласуйте|напишите,? пожалуйста|ответьте|"
    r"please (confirm|send|let me know|reply)|could you)\b",
    re.IGNORECASE,
)


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO country from the system ``zone.tab`` (empty when not installed)."""
    table: dict[str, str] = {}
    for base in TZPATH:
        path = Path(base) / "zone.tab"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    if len(parts) >= 3:
                        table[parts[2]] = parts[0]
            break
    return table


def country_of(case: CaseFile) -> str:
    """The case's country: explicit ``country``, else from the time zone, else RU."""
    if case.country:
        return case.country.upper()
    return _zone_countries().get(case.timezone, DEFAULT_COUNTRY)


@cache
def _holiday_calendar(country: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` in ``year``; none for a code ``holidays`` lacks.

    The same days as ``holidays.country_holidays(country, years=year)`` (defaults alike:
    observed days in, no subdivision), from the one class :func:`_holiday_class` loads.
    """
    calendar = _holiday_class(country)
    return frozenset(calendar(years=year).keys()) if calendar is not None else frozenset()


@cache
def _holiday_class(code: str) -> Callable[..., Mapping[date, str]] | None:
    """The ``holidays`` class of a country (or market) code or alias, its module alone imported.

    Why not ``holidays.country_holidays``: it reaches the class through the package
    ``holidays.countries``, whose ``__init__`` (holidays 0.109) imports all ~250 country
    modules, the German and Australian school calendars among them: ~40 ms of every
    analysis's start-up, to read one country's days. ``holidays.registry`` names the
    module of each code (``"russia": ("Russia", "RU", "RUS")``); that module is imported
    with a bare ``holidays.countries`` package standing in while it loads (its
    ``__path__`` only, the ``__init__`` not run), so it and the modules it imports itself
    (Guadeloupe's France) load one by one. The stand-in is removed at once: a later
    ``import holidays.countries`` runs the real ``__init__``, which finds the loaded
    module in ``sys.modules`` and binds the same class. Under the registry's own import
    lock, so its lazy loaders never see the stand-in. The names ``country_holidays``
    accepted are the registry's (``getattr(holidays, code)``); anything else, as a
    country it does not know, has no holidays.
    """
    import importlib
    import importlib.util
    import sys

    from holidays.registry import COUNTRIES, FINANCIAL, IMPORT_LOCK

    for package, registry in (("holidays.countries", COUNTRIES), ("holidays.financial", FINANCIAL)):
        for module, names in registry.items():
            if code not in names:
                continue
            name = f"{package}.{module}"
            with IMPORT_LOCK:
                if name in sys.modules or package in sys.modules:
                    loaded = importlib.import_module(name)
                else:
                    spec = importlib.util.find_spec(package)
                    assert spec is not None, package  # holidays is installed: it was imported above
                    stand_in = sys.modules[package] = importlib.util.module_from_spec(spec)
                    try:
                        loaded = importlib.import_module(name)
                    finally:
                        if sys.modules.get(package) is stand_in:
                            del sys.modules[package]
            found: Callable[..., Mapping[date, str]] = getattr(loaded, code)  # RU is a subclass of Russia
            return found
    return None


@cache
def _hm(value: str) -> time:
    h, m = (int(x) for x in value.split(":"))
    return time(23, 59, 59, 999999) if h == 24 else time(h, m)


def local_time(ts: datetime, tz: ZoneInfo) -> datetime:
    """``ts`` in the case's zone; naive stamps are taken as already local."""
    return ts.replace(tzinfo=tz) if ts.tzinfo is None else ts.astimezone(tz)


def is_off_hours(ts: datetime, case: CaseFile, country: str | None = None) -> bool:
    """Whether ``ts`` is outside the agreed working time of the case."""
    local = local_time(ts, case.tz)
    if not is_working_day(local.date(), case, country):
        return True
    wh = case.working_hours
    return not (_hm(wh.start) <= local.time() < _hm(wh.end))


def is_working_day(day: date, case: CaseFile, country: str | None = None) -> bool:
    """Whether ``day`` (local) is one of the agreed working days and no public holiday."""
    return day.weekday() in case.working_hours.days and day not in _holiday_calendar(
        country or country_of(case), day.year
    )


def working_window(day: date, case: CaseFile) -> tuple[datetime, datetime]:
    """The agreed working time of ``day`` as local moments ``[start, end)``."""
    wh = case.working_hours
    return (
        datetime.combine(day, _hm(wh.start), tzinfo=case.tz),
        datetime.combine(day, _hm(wh.end), tzinfo=case.tz),
    )


def working_hours_between(a: datetime, b: datetime, case: CaseFile, country: str | None = None) -> float:
    """Hours of the agreed working time from ``a`` to ``b`` (0 when ``b`` is not later).

    Why hours and not days: "к 7" sent at 17:45 and "к 7" sent at 10:00 name one deadline, but
    leave an hour and a quarter and nine hours of the working day for the work.
    """
    tz = case.tz
    start, end = local_time(a, tz), local_time(b, tz)
    country = country or country_of(case)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if is_working_day(day, case, country):
            lo, hi = working_window(day, case)
            lo, hi = max(lo, start), min(hi, end)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return total


def _client(messages: Sequence[AnalyzedMessage]) -> list[AnalyzedMessage]:
    return [m for m in messages if m.role is Role.CLIENT]


def off_hours_calls(
    calls: Sequence[CallEvent], messages: Sequence[AnalyzedMessage], case: CaseFile
) -> list[CallEvent]:
    """The client's calls outside the agreed working time (see :mod:`.calls`)."""
    country = country_of(case)
    return [
        c
        for c in client_calls(calls, messages, case)
        if c.timestamp is not None and is_off_hours(c.timestamp, case, country)
    ]


def off_hours(
    messages: Sequence[AnalyzedMessage], case: CaseFile, calls: Sequence[CallEvent] = ()
) -> SignalHit:
    """Client messages (evidence) and client calls (details) outside working time."""
    country = country_of(case)
    ids = tuple(m.id for m in _client(messages) if m.timestamp and is_off_hours(m.timestamp, case, country))
    rang = off_hours_calls(calls, messages, case)
    details = tuple(call_detail(c, case) for c in rang)
    return SignalHit("off_hours_message", len(ids) + len(rang), ids, details)


def bursts(messages: Sequence[AnalyzedMessage]) -> SignalHit:
    """Bursts of client messages; the count is the number of merged bursts."""
    timed = sorted((m for m in _client(messages) if m.timestamp), key=lambda m: m.timestamp or datetime.min)
    windows: list[list[int]] = []
    lo = 0
    for hi in range(len(timed)):
        while timed[hi].timestamp - timed[lo].timestamp > BURST_WINDOW:  # type: ignore[operator]
            lo += 1
        if hi - lo + 1 >= BURST_MIN:
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi  # overlapping windows are one burst
            else:
                windows.append([lo, hi])
    ids = tuple(timed[i].id for a, b in windows for i in range(a, b + 1))
    return SignalHit("message_burst", len(windows), ids)


def unanswered(messages: Sequence[AnalyzedMessage]) -> SignalHit:
    """Specialist questions the client left without an answer (see module rules).

    The latest ask of a specialist turn waits for the client's next message; media or
    short follow-ups in the same turn do not cancel it.
    """
    ordered = [m for m in messages if m.timestamp]
    ids: list[str] = []
    pending: AnalyzedMessage | None = None
    for m in ordered:
        if m.role is Role.SPECIALIST:
            if _ASK.search(m.text):
                if pending is not None and m.timestamp - pending.timestamp > ANSWER_WINDOW:  # type: ignore[operator]
                    ids.append(pending.id)  # asked again after the window: the first was ignored
                pending = m
        elif m.role is Role.CLIENT and pending is not None:
            late = m.timestamp - pending.timestamp > ANSWER_WINDOW  # type: ignore[operator]
            if late or "stonewalling" in m.labels:
                ids.append(pending.id)
            pending = None
    if pending is not None and ordered[-1].timestamp - pending.timestamp > ANSWER_WINDOW:  # type: ignore[operator]
        ids.append(pending.id)  # no client message since, and the chat ran on past the window
    return SignalHit("unanswered_questions", len(ids), tuple(ids))


def response_latency_hours(messages: Sequence[AnalyzedMessage]) -> float | None:
    """Median hours from the end of a specialist turn to the client's next message."""
    deltas: list[float] = []
    last_spec: datetime | None = None
    for m in messages:
        if m.timestamp is None:
            continue
        if m.role is Role.SPECIALIST:
            last_spec = m.timestamp
        elif m.role is Role.CLIENT and last_spec is not None:
            deltas.append((m.timestamp - last_spec).total_seconds() / 3600)
            last_spec = None
    return round(statistics.median(deltas), 2) if deltas else None
