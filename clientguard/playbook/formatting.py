"""Language-aware formatting of facts for the reply templates.

Templates receive already formatted strings (or ``None`` for an unknown fact), so all
knowledge of Russian month genitives, plural forms and thousands separators lives here,
tested once, instead of being repeated in 28 templates.

A number is set as a careful writer sets it in a letter: its thousands, its currency and a
date's day, month and year are joined by a no-break space (:data:`NBSP`), so a messenger or
a mail client that wraps the draft never leaves "12" at the end of one line and "345 ₽" at
the start of the next. Sums are written by :mod:`clientguard.numbers`, as everywhere else in
the product (it says why U+00A0 and not U+202F); this module adds what only letters need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from clientguard.domain import WorkingHours
from clientguard.numbers import NBSP as NBSP  # re-exported: the templates tie with it
from clientguard.numbers import money as _money
from clientguard.numbers import number

_MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DAYS_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
_DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TZ_NAMES = {
    "Europe/Moscow": ("по московскому времени", "Moscow time"),
}


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """Russian plural form: 1 правка, 2 правки, 5 правок, 21 правка, 11 правок."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def plural_en(n: int, one: str, many: str) -> str:
    return one if abs(n) == 1 else many


def money(amount: float, currency: str | None, lang: str) -> str:
    """``45 000 ₽`` / ``45,000 RUB`` (:func:`clientguard.numbers.money`); a draft whose facts
    name no currency speaks of roubles."""
    return _money(amount, currency or "RUB", lang)


_AND = {"ru": "и", "en": "and"}


def money_sums(sums: Sequence[tuple[str | None, float]], lang: str) -> str:
    """Sums in several currencies as one phrase: ``40 000 ₽ и 1 000 USD``,
    ``40 000 ₽, 1 000 USD и 500 EUR`` / ``40,000 RUB and 1,000 USD``.

    Roubles and dollars do not add up, so a debt in two currencies is named as one sum
    per currency, in the order given.
    """
    parts = [money(v, cur, lang) for cur, v in sums]
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {_AND.get(lang, 'and')} {parts[-1]}"


def day(d: date, lang: str) -> str:
    """``15 сентября 2025`` / ``15 September 2025``, one line (no-break spaces)."""
    months = _MONTHS_RU if lang == "ru" else _MONTHS_EN
    return f"{d.day}{NBSP}{months[d.month - 1]}{NBSP}{d.year}"


def count(n: int, word: str) -> str:
    """``30 дней`` / ``12 days``: a number stays on the line of the word it counts."""
    return f"{n}{NBSP}{word}"


def percent(value: float, lang: str) -> str:
    """``0,1 %`` / ``0.05%``: Russian separates the sign (no-break), English does not."""
    body = number(value, lang)
    return f"{body}{NBSP}%" if lang == "ru" else f"{body}%"


def moment(dt: datetime, lang: str) -> str:
    """A date with its time: ``16 сентября 2025, 12:00``."""
    return f"{day(dt.date(), lang)}, {dt:%H:%M}"


def _day_span(days: tuple[int, ...], lang: str) -> str:
    names = _DAYS_RU if lang == "ru" else _DAYS_EN
    ds = sorted(set(days))
    if not ds:
        return ""
    if len(ds) > 2 and ds == list(range(ds[0], ds[-1] + 1)):
        return f"{names[ds[0]]}–{names[ds[-1]]}"
    return ", ".join(names[d] for d in ds)


def hours(wh: WorkingHours, tz: str | None, lang: str, tie: str = " ") -> str:
    """``пн–пт с 10:00 до 19:00 по московскому времени`` / ``Mon–Fri, 10:00–19:00 Moscow time``.

    ``tie`` is the space after "с" and "до": the drafts pass :data:`NBSP` so a line never ends
    on "до" with the hour on the next one; pages and tables, which wrap by their own cells,
    keep a plain space.
    """
    span = _day_span(wh.days, lang)
    if lang == "ru":
        times = f"с{tie}{wh.start} до{tie}{wh.end}"
        text = f"{span} {times}" if span else times
    else:
        text = f"{span}, {wh.start}–{wh.end}" if span else f"{wh.start}–{wh.end}"
    if tz:
        ru, en = _TZ_NAMES.get(tz, (f"({tz})", f"({tz})"))
        text = f"{text} {ru if lang == 'ru' else en}"
    return text


_BREAKING_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def flatten(text: str) -> str:
    """``text`` on one line: line breaks and runs of spaces become one space, ends trimmed.

    ``" ".join(text.split())`` did that and also broke every no-break space a user typed
    (Python's ``split`` takes U+00A0 for a space): those are kept, they hold a number whole.
    """
    return _BREAKING_SPACES.sub(" ", text).strip(" ")


def quote(text: str, limit: int = 220) -> str:
    """One line of the client's message, shortened at a word boundary (never inside a
    no-break space: "50 000 ₽" as the client typed it stays whole)."""
    flat = flatten(text)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:—- ") + "…"
