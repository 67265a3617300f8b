"""What a contract term may be: one set of rules for every way terms get in.

Terms reach the store from a case file (:mod:`clientguard.analysis.case`) and from
``clientguard contract set``. Each had its own checks, and each let through what the
other refused: ``contract set`` stored "99:99" working hours that crashed every later
``analyze``, a case file stored a revision limit of -3 and working days ``[9, -1]``
(QA F4, F5, F21). So every rule lives here once, as a small function that returns the
clean value or raises :class:`ValueError` with "expected X, got Y". Pydantic validators
and Typer options both turn that into their own error, so a user reads the same words
whichever way the value came in.

The bounds are about typos, not about law: a late fee of 500 % a day or a price of
1e20 is a slip of the keyboard, and ``inf``/``nan`` cannot be written as JSON at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from clientguard.errors import Refusal, msg

if TYPE_CHECKING:
    from clientguard.contracts.terms import FixedLateFee, SumCap

# A trillion of any currency: more is a typo, and float amounts lose kopecks beyond it.
MAX_AMOUNT: Final = 1e12
# Late fees in Russian and English contracts are 0.01–1 % a day; 5 % a day (over 1,800 %
# a year) is already far past anything a court upholds, so more is a mistyped number.
MAX_LATE_FEE_PERCENT_PER_DAY: Final = 5.0
# A cap on late fees is a share of the overdue amount.
MAX_FEE_CAP_PERCENT: Final = 100.0
MAX_REVISION_LIMIT: Final = 100
MAX_PAYMENT_DUE_DAYS: Final = 365

DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_CURRENCIES = Path(__file__).resolve().parent / "rules" / "currencies.yaml"


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refusal(msg("validate.number", value=value))
    if not math.isfinite(value):
        raise Refusal(msg("validate.finite", value=value))
    return float(value)


# The messages do not name the term: the caller's place does ("contract.price: …",
# "Invalid value for '--price': …").
def amount(value: Any) -> float:
    """A price, fee or invoice amount: finite, not negative, at most :data:`MAX_AMOUNT`."""
    v = _number(value)
    if v < 0:
        raise Refusal(msg("validate.negative", value=v))
    if v > MAX_AMOUNT:
        # written out as typed ("2,000,000,000,000"), not "2e+12": the user looks for their number
        raise Refusal(msg("validate.too_big", limit=MAX_AMOUNT, value=v))
    return v


def count(value: Any, maximum: int) -> int:
    """A whole number of rounds or days from 0 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(msg("validate.whole", value=value))
    if not 0 <= value <= maximum:
        raise Refusal(msg("validate.whole_range", maximum=maximum, value=value))
    return value


def revision_limit(value: Any) -> int:
    """Revision rounds included in the price."""
    return count(value, MAX_REVISION_LIMIT)


def payment_due_days(value: Any) -> int:
    """Days the client has to pay an invoice."""
    return count(value, MAX_PAYMENT_DUE_DAYS)


def percent(value: Any, maximum: float, usual: str = "") -> float:
    """A percentage from 0 to ``maximum``; ``usual`` is a hint for the message."""
    v = _number(value)
    if not 0 <= v <= maximum:
        hint = msg("validate.usual", usual=usual) if usual else ""
        raise Refusal(msg("validate.percent", maximum=maximum, hint=hint, value=v))
    return v


def late_fee(value: Any) -> float:
    """Late fee, percent of the overdue amount per day."""
    return percent(value, MAX_LATE_FEE_PERCENT_PER_DAY, "0.1 per day")


def fee_cap(value: Any) -> float:
    """Cap on late fees, percent of the overdue amount."""
    return percent(value, MAX_FEE_CAP_PERCENT, "10")


@cache
def _currency_table() -> tuple[frozenset[str], dict[str, str]]:
    import yaml

    data = yaml.safe_load(_CURRENCIES.read_text(encoding="utf-8"))
    codes = frozenset(str(c) for c in data["codes"])
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    unknown = sorted(set(aliases.values()) - codes)
    if unknown:
        from clientguard.errors import ModelError

        raise ModelError(msg("models.currency_aliases", file=_CURRENCIES.name, codes=str(unknown)))
    return codes, aliases


def currency(value: Any) -> str:
    """An ISO 4217 code; common names and signs ("руб.", "р.", "₽", "$", "евро") map to theirs."""
    if not isinstance(value, str):
        raise Refusal(msg("validate.currency_type", value=value))
    codes, aliases = _currency_table()
    text = value.strip()
    code = text.upper()
    if code in codes:
        return code
    alias = aliases.get(text.lower().rstrip("."))
    if alias is not None:
        return alias
    raise Refusal(msg("validate.currency", value=value))


def clock(value: Any) -> str:
    """``HH:MM`` from 00:00 to 23:59, or 24:00 for the end of the day; "9:00" → "09:00"."""
    m = _CLOCK.match(value) if isinstance(value, str) else None
    if m is None:
        raise Refusal(msg("validate.clock", value=value))
    hour, minute = int(m.group(1)), int(m.group(2))
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise Refusal(msg("validate.clock_range", value=value))
    return f"{hour:02d}:{minute:02d}"


def weekdays(days: Any) -> tuple[int, ...]:
    """Working days as numbers 0–6 (Monday = 0), at least one, sorted, each once."""
    if isinstance(days, str | bytes) or not isinstance(days, Iterable):
        raise Refusal(msg("validate.days_list", value=days))
    items = list(days)
    bad = [d for d in items if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6]
    if bad:
        raise Refusal(msg("validate.days", value=items))
    if not items:
        raise Refusal(msg("validate.no_days"))
    return tuple(sorted(set(items)))


def hours_span(start: str, end: str) -> tuple[str, str]:
    """Start and end of the working day; the start must come first.

    Analysis tests ``start <= t < end`` within one day, so "22:00-06:00" would mark every
    message off-hours without a word; it is refused instead.
    """
    s, e = clock(start), clock(end)
    if s >= e:
        # "Mon-Fri 9-5", as English says nine to five, is read as 09:00-05:00: name the fix
        hour = int(e[:2])
        pm = f"{hour + 12:02d}:{e[3:]}"
        hint = msg("validate.pm_hint", hour=hour, pm=pm) if 1 <= hour < 12 and pm > s else ""
        raise Refusal(msg("validate.hours_order", start=s, end=e, hint=hint))
    return s, e


def day_range(first: int, last: int) -> tuple[int, ...]:
    """Days from ``first`` to ``last`` going forward through the week: Fri-Mon = Fri, Sat, Sun, Mon."""
    first, last = weekdays([first])[0], weekdays([last])[0]
    return tuple(sorted((first + i) % 7 for i in range((last - first) % 7 + 1)))


# `contract set --late-fee-fixed`: how people name the period after the slash, lower-case and
# trimmed ("500 RUB/day", "500 ₽/день", "25 USD/week", "25 USD/full week"). "week" is every
# week begun, as "за каждую неделю" is in a contract; "full week" only full ones
# (terms.FIXED_FEE_PERIODS).
_FEE_PERIODS: Final = {
    "day": "day", "d": "day", "день": "day", "дн": "day", "сутки": "day",
    "week": "week_started", "w": "week_started", "неделя": "week_started", "неделю": "week_started",
    "нед": "week_started",
    "full week": "week", "full-week": "week", "full_week": "week",
    "полная неделя": "week", "полную неделю": "week", "полная-неделя": "week",
}  # fmt: skip
# "500 RUB/day", "1 500,50 ₽ / день", "25 USD/week, max 300", "500 руб/день, не более 10 000"
_FIXED_FEE = re.compile(
    r"^\s*(?P<amount>\d[\d\s\u00a0\u202f.,]*?)\s*(?P<currency>[^\d\s/,;][^/]*?)?\s*/\s*(?P<per>[^,;/]+?)\s*"
    r"(?:[,;]?\s*(?:max|cap|up to|не более|до|максимум)\s*(?P<cap>\d[\d\s\u00a0\u202f.,]*?))?\s*$",
    re.IGNORECASE,
)
#: What clears a fixed late fee: `--late-fee-fixed none`.
NO_FIXED_FEE: Final = frozenset({"none", "нет", "-", "—"})


def _typed_amount(text: str) -> float | None:
    """ "10 000", "1,500.50", "1 500,50" as a float, or None: the ways a sum is typed."""
    s = re.sub(r"[\s\u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d{1,2})?", s):
        return None
    return float(s)


def fixed_late_fee(value: Any, default_currency: str | None = None) -> FixedLateFee | None:
    """A late fee that is a sum per day or week as typed ("500 RUB/day", "25 USD/week, max
    300"), or None for "none" (the fee is cleared). The currency may be left out
    ("500/day"): ``default_currency``, the terms' own, or RUB.

    Anything else is refused with the value and an example, in words the user reads in
    either language: a fee read wrong would be charged on every overdue invoice.
    """
    from clientguard.contracts.terms import FixedLateFee

    if not isinstance(value, str):
        raise Refusal(msg("validate.fixed_late_fee", value=value))
    if value.strip().lower() in NO_FIXED_FEE:
        return None
    m = _FIXED_FEE.match(value)
    per = _FEE_PERIODS.get(re.sub(r"\s+", " ", m.group("per").strip().lower().rstrip("."))) if m else None
    fee = _typed_amount(m.group("amount")) if m else None
    if m is None or per is None or fee is None or fee <= 0:
        raise Refusal(msg("validate.fixed_late_fee", value=value))
    cap = None
    if m.group("cap"):
        cap = _typed_amount(m.group("cap"))
        if cap is None or cap <= 0:
            raise Refusal(msg("validate.fixed_late_fee", value=value))
        cap = amount(cap)
    code = currency(m.group("currency")) if m.group("currency") else (default_currency or "RUB").upper()
    return FixedLateFee(amount(fee), per, code, cap)


# `contract set --late-fee-cap-sum`: "10000", "10 000 RUB", "500 USD", "$500"
_CAP_SUM = re.compile(
    r"^\s*(?:(?P<pre>[^\d\s][^\d]*?)\s*)?(?P<amount>\d[\d\s\u00a0\u202f.,]*?)\s*(?P<post>[^\d\s].*?)?\s*$"
)


def fee_cap_sum(value: Any, default_currency: str | None = None) -> SumCap | None:
    """A rate's cap written as a sum as typed ("10000", "10 000 RUB", "$500"), or None for
    "none" (the cap is cleared). The currency may be left out: ``default_currency``, the
    terms' own, or RUB. Anything else is refused with the value and an example."""
    from clientguard.contracts.terms import SumCap

    if not isinstance(value, str):
        raise Refusal(msg("validate.fee_cap_sum", value=value))
    if value.strip().lower() in NO_FIXED_FEE:
        return None
    m = _CAP_SUM.match(value)
    cap = _typed_amount(m.group("amount")) if m else None
    if m is None or cap is None or cap <= 0 or (m.group("pre") and m.group("post")):
        raise Refusal(msg("validate.fee_cap_sum", value=value))
    named = m.group("pre") or m.group("post")
    try:
        code = currency(named) if named else (default_currency or "RUB").upper()
    except ValueError:
        raise Refusal(msg("validate.fee_cap_sum", value=value)) from None
    return SumCap(amount(cap), code)
