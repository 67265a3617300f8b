"""Weeks are shown as the day they start, not as ISO week ids (QA pass 7).

The report's timeline axis read "25-W36", the team chart "22-W25" over a table of
"2022-W25": nobody reads those as dates, and on a phone they were the only hint of when.
"""

from __future__ import annotations

import re

import pytest

from clientguard.analysis.model import WeekPoint
from clientguard.report.charts import timeline_svg
from clientguard.report.i18n import week_label, weeks_span_years
from clientguard.web.svg import bars


@pytest.mark.parametrize(
    ("week", "lang", "with_year", "label"),
    [
        ("2025-W36", "ru", False, "1 сен"),
        ("2025-W36", "en", False, "Sep 1"),
        ("2020-W01", "ru", True, "30 дек 2019"),  # ISO week 1 of 2020 starts in 2019
        ("2023-W01", "en", True, "Jan 2 2023"),
        ("not a week", "ru", False, "not a week"),
    ],
)
def test_week_label(week: str, lang: str, with_year: bool, label: str) -> None:
    assert week_label(week, lang, with_year) == label


def test_weeks_span_years() -> None:
    assert not weeks_span_years(["2025-W36", "2025-W37"])
    assert weeks_span_years(["2022-W52", "2023-W01"])


def _axis(svg: str) -> list[str]:
    return re.findall(r'text-anchor="middle">([^<]+)</text>', svg)


def test_the_report_timeline_axis_names_days() -> None:
    weeks = [WeekPoint(f"2025-W{n}", 3, 1.0, {"insult": 1}) for n in (36, 37)]
    assert _axis(timeline_svg(weeks, {}, lang="ru")) == ["1 сен", "8 сен"]
    assert _axis(timeline_svg(weeks, {}, lang="en")) == ["Sep 1", "Sep 8"]


def test_the_team_chart_axis_names_days_with_the_year_across_new_year() -> None:
    svg = str(bars([("ivan", [1.0, 2.0])], ["2022-W52", "2023-W01"], ["#000"], "load", lang="ru"))
    assert _axis(svg) == ["26 дек 2022", "2 янв 2023"]
    assert "(2022-W52)" in svg  # the ISO week stays in the bar's tooltip
