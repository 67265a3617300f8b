"""Draft clauses for missing and weak clauses, rendered from Jinja2 templates (data files).

Templates live in ``templates/<lang>.yaml``; this module only builds the variables
from what is known (the user's :class:`ContractTerms` first, then what the checker read
off the contract) and renders them. Unknown values are left to the template, which shows a
bracketed suggestion the user can edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.domain import ContractTerms, WorkingHours
from clientguard.errors import ModelError
from clientguard.taxonomy import CLAUSES

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

_DAY_RU = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")
_DAY_RU_TO = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
_DAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: A currency's name in a Russian clause, in the three forms a number takes (one, few, many):
#: "1 рубль", "2 рубля", "5 рублей", "21 рубль" (:func:`currency_word_ru`).
_CURRENCY_FORMS_RU: dict[str, tuple[str, str, str]] = {
    "RUB": ("рубль", "рубля", "рублей"),
    "USD": ("доллар США", "доллара США", "долларов США"),
    "EUR": ("евро", "евро", "евро"),
    "GBP": ("фунт стерлингов", "фунта стерлингов", "фунтов стерлингов"),
}


def currency_word_ru(amount: float, currency: str) -> str | None:
    """The currency's name after ``amount`` in a Russian clause; None for a currency without one.

    Every sum said "рублей", so a clause read "21 рублей" or "2 рублей": the word agrees
    with the number now (1, 21, 1 001 рубль; 2–4, 22 рубля; 0, 5–20, 111 рублей), and a sum
    with kopecks takes the genitive singular, as "40 000,50 рубля" is read ("сорок тысяч
    целых пятьдесят сотых рубля").
    """
    forms = _CURRENCY_FORMS_RU.get(currency.upper())
    if forms is None:
        return None
    cents = round(float(amount), 2)
    if not cents.is_integer():
        return forms[1]
    from clientguard.report.i18n import plural_form

    return forms[plural_form(int(cents), "ru")]


@dataclass(frozen=True)
class DraftSet:
    """The compiled templates of one language."""

    lang: str
    version: str
    clauses: dict[str, Any]
    offer: Any


@cache
def load_drafts(lang: str) -> DraftSet:
    """Load ``templates/<lang>.yaml``; every clause id must have a template."""
    from jinja2 import Environment, StrictUndefined

    path = TEMPLATES_DIR / f"{lang}.yaml"
    if not path.is_file():
        raise ModelError(f"no draft templates for language {lang!r}")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    env = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)
    clauses = data.get("clauses") or {}
    missing = [c for c in CLAUSES if c not in clauses]
    unknown = [c for c in clauses if c not in CLAUSES]
    if missing or unknown:
        raise ModelError(f"{path.name}: templates missing for {missing}, unknown ids {unknown}")
    return DraftSet(
        lang=lang,
        version=str(data.get("version", f"drafts-{lang}")),
        clauses={c: env.from_string(t) for c, t in clauses.items()},
        offer=env.from_string(data["offer"]),
    )


def format_money(amount: float, currency: str | None, lang: str) -> str:
    """85000, RUB → "85 000 рублей"; 2400, USD → "2,400 USD" (:func:`clientguard.numbers.money`).

    Written as the replies and pages write a sum: thousands and the currency tied by
    no-break spaces (a clause wrapped "85" | "000 рублей"), the currency after the number in
    English too (it said "USD 2,400" beside a reply's "2,400 USD"). A clause names roubles,
    dollars and euros by their words, in the form the number takes ("21 рубль", "2 рубля",
    "85 000 рублей": :func:`currency_word_ru`), not "₽"; an English clause, and a currency
    the words do not know, keep the ISO code.
    """
    from clientguard.numbers import money

    if lang == "ru":
        cur = (currency or "RUB").upper()
        word = currency_word_ru(amount, cur)
        return money(amount, cur, lang, names={cur: word} if word else {})
    return money(amount, currency, lang, names={})


def _week_run(days: list[int]) -> tuple[int, int] | None:
    """(first, last) when ``days`` are one run through the week (Fri-Mon wraps), else None."""
    if len(days) < 2:
        return None
    if len(days) == 7:
        return 0, 6
    # The run starts at the one day whose previous day is not worked.
    starts = [d for d in days if (d - 1) % 7 not in days]
    if len(starts) != 1:
        return None
    first = starts[0]
    return first, (first + len(days) - 1) % 7


def format_hours(hours: WorkingHours, lang: str) -> str:
    """WorkingHours → "с понедельника по пятницу с 10:00 до 19:00" / "Monday to Friday, 10:00 to 19:00".

    Days outside 0–6 (stored before they were checked, QA F5) are left out instead of
    raising IndexError; "Fri-Mon" reads as Friday to Monday.
    """
    days = sorted({d for d in hours.days if isinstance(d, int) and 0 <= d <= 6})
    run = _week_run(days)
    if lang == "ru":
        if run is not None:
            span = f"с {_DAY_RU[run[0]]} по {_DAY_RU_TO[run[1]]}"
        elif days:
            span = "по дням: " + ", ".join(_DAY_RU_TO[d] for d in days)
        else:
            span = "дни не указаны,"
        return f"{span} с {hours.start} до {hours.end}"
    if run is not None:
        span = f"{_DAY_EN[run[0]]} to {_DAY_EN[run[1]]}"
    elif days:
        span = ", ".join(_DAY_EN[d] for d in days)
    else:
        span = "no working days given"
    return f"{span}, {hours.start} to {hours.end}"


def _number(value: float | None, lang: str) -> str | None:
    """A late fee or its cap as the language writes a number ("0,1" / "0.1")."""
    if value is None:
        return None
    from clientguard.numbers import number

    return number(value, lang)


def draft_context(terms: ContractTerms | None, lang: str, cap: float | None = None) -> dict[str, Any]:
    """Template variables from the terms; every key exists, unknown ones are None/empty."""
    t = terms or ContractTerms()
    return {
        "revision_limit": t.revision_limit,
        "payment_due_days": t.payment_due_days,
        "price_text": format_money(t.price, t.currency, lang) if t.price is not None else None,
        "currency": t.currency,
        # after a bracketed rate the user edits ("[2 000] рублей за час"): the form of "many"
        "currency_word": _CURRENCY_FORMS_RU.get((t.currency or "RUB").upper(), ("", "", t.currency or ""))[2],
        "monthly": False,
        "hours_text": format_hours(t.working_hours, lang) if t.working_hours else None,
        "late_fee": _number(t.late_fee_percent_per_day, lang),
        "cap": _number(cap, lang),
        "scope": list(t.scope),
        "request": None,
    }


def render_draft(clause: str, lang: str, terms: ContractTerms | None = None, cap: float | None = None) -> str:
    """The suggested wording of one clause, filled with what is known."""
    drafts = load_drafts(lang)
    return str(drafts.clauses[clause].render(**draft_context(terms, lang, cap))).strip()


def render_offer(request_text: str, lang: str) -> str:
    """The additional-agreement (допсоглашение) offer for an out-of-scope request."""
    drafts = load_drafts(lang)
    ctx = draft_context(None, lang)
    ctx["request"] = request_text.strip()[:120] or None
    return str(drafts.offer.render(**ctx)).strip()
