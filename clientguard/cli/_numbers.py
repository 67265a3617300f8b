"""Numbers typed on the command line the way people write them.

Russian writes a decimal comma and groups thousands with spaces ("25 000,50"), which the
product itself prints; ``invoice add 25000,50`` was refused by click's float parser with
"Input should be a valid number" (QA5 pass 5). English groups with commas ("1,250,000.50").
"""

from __future__ import annotations

import re

import typer

from clientguard.cli._refused import OptionRefused
from clientguard.errors import msg

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$")  # 1,250 / 1,250,000.50
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")  # 25000,50 / 0,1 / ,5
# 1e3, 2.5E+4, 1,5e3: float() reads them, but nobody types a sum so; "1e12" was a
# trillion-rouble invoice from a slip of the finger (the web money forms refuse it too)
EXPONENT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)[eE][+-]?\d+")
# "1_000": float() reads Python's digit separator, but no one writes a sum so; a slip on a
# keyboard where _ sits beside the digits ("10_00") was stored as 1 000 unseen. Thousands are
# grouped with spaces (_SPACES) or English commas (_THOUSANDS), which the web forms read too.
UNDERSCORE = "_"


def decimal(text: str) -> float:
    """``text`` as a float: "25 000,50" and "0,1" (Russian) and "1,250,000.50" (English) too.

    A single comma is the decimal separator unless it groups thousands the English way
    ("25,000" is 25000; "0,125" starts with 0, so it is 0.125). Exponent notation ("1e3")
    and Python's digit separator ("1_000") are refused. Anything else goes to ``float`` as
    before (``nan``/``inf`` reach the validators, which name them).
    """
    if isinstance(text, int | float):
        return float(text)
    s = _SPACES.sub("", text)
    if EXPONENT.fullmatch(s):
        raise OptionRefused(msg("numbers.exponent", text=text))
    if UNDERSCORE in s:
        raise OptionRefused(msg("numbers.underscore", text=text))
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.match(s):
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        raise OptionRefused(msg("numbers.number", text=text)) from None


_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*$")  # 1:30, 0:45 (hours:minutes)


def hours(text: str) -> float:
    """Hours as typed: "1.5", "1,5" or "1:30" (hours and minutes, as timers show them).

    ``time add X 2:30`` was refused with the money examples "such as 25000, 25 000,50 or
    1,250.50", which say nothing about hours.
    """
    if isinstance(text, int | float):
        return float(text)
    m = _CLOCK.match(text)
    if m:
        return int(m.group(1)) + int(m.group(2)) / 60
    try:
        return decimal(text)
    except typer.BadParameter:
        raise OptionRefused(msg("numbers.hours", text=text)) from None
