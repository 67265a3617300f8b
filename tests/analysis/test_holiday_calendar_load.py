"""The off-hours test reads one country's holidays without importing every country's.

``holidays.country_holidays`` reaches a country through the package ``holidays.countries``,
whose ``__init__`` imports all ~250 country modules (the German and Australian school
calendars among them): ~40 ms of every analysis's start-up for the Russian calendar.
:func:`clientguard.analysis.conversation._holiday_class` imports the one module. The days
must stay those ``country_holidays`` gives: compared here for the big four, a territory
whose module imports another country's (Guadeloupe's France), an alias, a market, and a
code ``holidays`` does not know.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import holidays
import pytest

from clientguard.analysis.conversation import _holiday_calendar

YEARS = range(2014, 2031)


def reference(code: str, year: int) -> frozenset[date]:
    """The days as the analysis read them before: through ``holidays.country_holidays``."""
    try:
        return frozenset(holidays.country_holidays(code, years=year).keys())
    except NotImplementedError:
        return frozenset()


@pytest.mark.parametrize("code", ["RU", "US", "GB", "DE", "UK", "RUS", "GP", "NYSE", "XX"])
def test_the_same_days_as_country_holidays(code: str) -> None:
    for year in YEARS:
        assert _holiday_calendar(code, year) == reference(code, year), (code, year)
    if code != "XX":
        assert _holiday_calendar(code, 2025), code  # a real calendar, not two empty sets


PROBE = """
import sys
from datetime import date
from clientguard.analysis.conversation import _holiday_calendar

assert date(2025, 1, 7) in _holiday_calendar("RU", 2025)  # Orthodox Christmas
assert date(2025, 7, 14) in _holiday_calendar("GP", 2025)  # Guadeloupe: France's 14 July
loaded = sorted(m for m in sys.modules if m == "holidays.countries" or m.startswith("holidays.countries."))
print(" ".join(loaded))
import holidays.countries  # the real package still imports afterwards, with the same class
assert holidays.countries.Russia is sys.modules["holidays.countries.russia"].Russia
assert holidays.country_holidays("DE", years=2025)
"""


def test_only_the_countries_asked_for_are_imported() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.split() == [
        "holidays.countries.france",
        "holidays.countries.guadeloupe",
        "holidays.countries.russia",
    ]
