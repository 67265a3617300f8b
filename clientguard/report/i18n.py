"""Interface strings, Russian and English: the report's and the domain's names
(``data/strings.yaml``), the command line's sentences (``data/cli.yaml``) and the
messages of user errors (``data/errors.yaml``, worded by :class:`clientguard.errors.Msg`) and
why a passage is marked (``data/why.yaml``, read by :mod:`clientguard.report.why`).

The files are one table, section → id → lang → text; a section lives in one file only.
Counts go through :func:`plural`, so "1 проблема, 2 проблемы, 5 проблем" and
"1 problem, 2 problems" come from one rule per language, not from each caller.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from clientguard.analysis.model import AnalyzedMessage

LANGS = ("ru", "en")

#: The string files, in ``data/``; a section name may appear in one of them only.
FILES: tuple[str, ...] = ("strings.yaml", "cli.yaml", "errors.yaml", "why.yaml")


@cache
def strings() -> dict[str, dict[str, dict[str, str]]]:
    """All strings, loaded once: section → id → lang → text."""
    import yaml

    data: dict[str, Any] = {}
    for name in FILES:
        text = resources.files("clientguard.report").joinpath(f"data/{name}").read_text(encoding="utf-8")
        # libyaml's loader when present: the same data, ~9 ms instead of ~80 ms of every command
        part: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        clash = sorted(set(part) & set(data))
        if clash:  # a silent overwrite would hide half of a section
            raise ValueError(f"data/{name}: sections {clash} are already defined in another file")
        data |= part
    return data


def t(section: str, key: str, lang: str) -> str:
    """The text of ``section.key`` in ``lang``; the id itself when missing (never fails)."""
    entry = strings().get(section, {}).get(key)
    if not entry:
        return key
    return entry.get(lang) or entry.get("en") or key


def assumed_default(key: str, timezone: str, lang: str, specialist: str | None = None) -> str:
    """One default the profile assumed, in words; the time zone named is the one it used.

    The zone is not always Moscow: ``CLIENTGUARD_TZ`` sets it when the case names none.
    A guessed specialist is named (``specialist``): "identified automatically" alone left
    the user unable to see that the guess took the client for them.
    """
    text = t("defaults", key, lang).replace("{tz}", timezone)
    if key == "specialist_from_id" and specialist:
        text += ": " + quote(specialist, lang)
    return text


def quote(text: str, lang: str) -> str:
    """``text`` in the quotation marks of ``lang``: «Пенка» in Russian, “Penka” in English.

    English output quoted names with Russian guillemets («Penka»), which an English reader
    takes for a typo; the marks are data (``marks.quoted`` in ``data/strings.yaml``), and
    ``text`` is put in as is (braces in a client's name are not a format field).

    Quotes inside ``text`` take the inner marks (``marks.quoted_inner``): a name with its
    own «…» read «Кофейня «Пенка»», where Russian typography writes «Кофейня „Пенка“»
    (English: “Cafe ‘Penka’”). Only marks that pair up change (:func:`_inner_pairs`): an
    unbalanced one, an apostrophe or inches (12") stay as written.
    """
    pairs = _inner_pairs(text)
    if pairs:
        inner_open, _, inner_close = t("marks", "quoted_inner", lang).partition("{text}")
        chars = list(text)
        for start, end in pairs:
            chars[start], chars[end] = inner_open, inner_close
        text = "".join(chars)
    return t("marks", "quoted", lang).replace("{text}", text)


class Filling(string.Formatter):
    """``str.format`` that can quote: ``{client:q}`` puts the value through :func:`quote`.

    Tables wrote the marks around a placeholder themselves (``«{client}»``), so a client
    named «Кофейня «Пенка»» printed same-kind marks inside each other; ``{client:q}``
    quotes it once, in the marks of ``lang`` with the name's own marks made inner ones.
    ``{client:q ru}`` takes the Russian marks whatever the language; no English text uses
    it any more (errors.yaml's did, and an English line read «Кофейня „Пенка“» beside “Lotus”).
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "q" or format_spec.startswith("q "):
            return quote(str(value), format_spec[2:] or self.lang)
        return str(super().format_field(value, format_spec))


def fill(text: str, lang: str, /, **values: Any) -> str:
    """``text`` with its ``{placeholders}`` filled as :class:`Filling` does (``{name:q}``)."""
    return Filling(lang).vformat(text, (), values)


#: Double quotation marks a text may carry, by what they do: «…», „…“, “…”, "…".
_OPENING: Final = frozenset("«„")
_CLOSING: Final = frozenset("»”")
_STRAIGHT: Final = '"'
_AMBIGUOUS: Final = "“"  # opens in English (“…”), closes after „ (Russian/German „…“)
#: What a straight quote that opens follows (besides a space or the start of the text).
_BEFORE_OPENING: Final = "([{«„“—–-/"


def _inner_pairs(text: str) -> list[tuple[int, int]]:
    """The positions of the quotation marks in ``text`` that pair up, (opening, closing).

    A straight quote opens at the start or after a space or bracket and closes after a
    letter; a mark with no partner is not a quote pair (an unbalanced name, 12" pizza).
    """
    open_at: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        top = text[open_at[-1]] if open_at else ""
        if ch in _OPENING or (ch == _AMBIGUOUS and top != "„"):
            open_at.append(i)
        elif ch in _CLOSING or ch == _AMBIGUOUS:
            if open_at and top != _STRAIGHT:
                pairs.append((open_at.pop(), i))
        elif ch == _STRAIGHT:
            if before.isspace() or before in _BEFORE_OPENING:
                open_at.append(i)
            elif top == _STRAIGHT:
                pairs.append((open_at.pop(), i))
    return pairs


def specialist_name(messages: Iterable[AnalyzedMessage]) -> str | None:
    """The sender the profile read as the specialist, if any: the one with the most messages.

    In a group chat that does not say who the user is, everyone but the client counts as the
    specialist for the run, and the import saves only the one who wrote the most
    (``store.import_parties.weigh_guess``). Naming the first of them instead told the user
    «Brock» while «Misty» was the one saved. Ties go to the one who wrote first.
    """
    from clientguard.domain import Role

    counts: dict[str, int] = {}
    for m in messages:
        if m.role is Role.SPECIALIST and m.sender_name:
            counts[m.sender_name] = counts.get(m.sender_name, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None  # first key wins a tie


def number(value: float, lang: str, places: int = 6) -> str:
    """A plain number as people of ``lang`` write it: "0,1", "1 250,5" / "0.1", "1,250.5"
    (:func:`clientguard.numbers.number`, kept here for the many callers that import it)."""
    from clientguard.numbers import number as _number

    return _number(value, lang, places)


_MONTHS_SHORT = {
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def week_label(week: str, lang: str, with_year: bool = False) -> str:
    """An ISO week ("2025-W36") as the day it starts: "1 сен" / "Sep 1" ("1 сен 2025").

    Chart axes and the team table showed "25-W36" and "2025-W36", which nobody reads as a
    date (QA pass 7). ``with_year`` for a row of weeks that spans two years (see
    :func:`weeks_span_years`). A week that does not parse is shown as given.
    """
    monday = _monday(week)
    if monday is None:
        return week
    month = _MONTHS_SHORT["ru" if lang == "ru" else "en"][monday.month - 1]
    label = f"{monday.day} {month}" if lang == "ru" else f"{month} {monday.day}"
    return f"{label} {monday.year}" if with_year else label


def weeks_span_years(weeks: Iterable[str]) -> bool:
    """Whether ISO weeks start in more than one calendar year (their labels then say it)."""
    return len({d.year for d in map(_monday, weeks) if d is not None}) > 1


def _monday(week: str) -> date | None:
    try:
        year, num = week.split("-W")
        return date.fromisocalendar(int(year), int(num), 1)
    except ValueError:
        return None


def stage_text(stage: str, assumed_defaults: Iterable[str], lang: str) -> str:
    """The profile's stage in words, marked as assumed when no case file set it.

    The default stage is "contract" (``spec/signals.md`` §4); shown bare it read "Этап:
    договор" beside "договор неизвестен" for a client with no contract.
    """
    name = t("stages", stage, lang)
    if "stage" in assumed_defaults:
        return t("profile_stage", "assumed", lang).replace("{stage}", name)
    return name


def plural_form(n: int, lang: str) -> int:
    """Index of the word form a count takes: Russian one/few/many (0/1/2), English one/other.

    Russian: 1, 21, 101 → 0 ("проблема"); 2–4, 22–24 → 1 ("проблемы"); 0, 5–20, 11–14,
    25… → 2 ("проблем"). English: 1 → 0, anything else → 1.
    """
    n = abs(n)
    if lang != "ru":
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def plural(n: int, key: str, lang: str) -> str:
    """``n`` and the word ``plurals.key`` in the form the count takes: "5 проблем", "1 problem".

    The forms are one string, "проблема|проблемы|проблем" / "problem|problems"; a missing
    form falls back to the last one.
    """
    forms = t("plurals", key, lang).split("|")
    return f"{n} {forms[min(plural_form(n, lang), len(forms) - 1)]}"


#: ``discard_reason`` values of a call nobody answered (Telegram: missed, busy).
_UNANSWERED = frozenset({"missed", "busy"})


def call_time(detail: Mapping[str, str]) -> datetime | None:
    """The local time of a call named in ``SignalHit.details`` (None when unreadable)."""
    try:
        return datetime.fromisoformat(detail.get("at") or "")
    except ValueError:
        return None


def call_text(detail: Mapping[str, str], lang: str) -> str:
    """A call as people read it: "звонок в 02:14 (сб)" / "call at 02:14 (Sat)".

    Local hour and weekday, because "at night" and "on Saturday" are what make it count;
    a call nobody answered says so. Never fails: an unreadable time gives the bare word.
    """
    at = call_time(detail)
    if at is None:
        return t("calls", "call", lang)
    missed = detail.get("event") == "missed_call" or detail.get("discard_reason") in _UNANSWERED
    days = t("calls", "weekdays", lang).split()
    day = days[at.weekday()] if len(days) == 7 else str(at.weekday())
    key = "missed_call_at" if missed else "call_at"
    return t("calls", key, lang).format(time=at.strftime("%H:%M"), day=day)
