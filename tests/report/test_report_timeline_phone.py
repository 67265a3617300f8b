"""The weekly signals chart is laid out in percent of its width, not in a viewBox.

A 760-unit viewBox scaled to a 420 px phone drew the chart's labels 4-5 px high; the browser
checks are in ``tests/web/test_web_browser_reflow4.py``. These check the markup both the client
page and the HTML report get, without a browser: no viewBox, 12 px labels, the legend an HTML
list, which weeks a desktop and a phone name, and the report's inline CSS for them.
"""

from __future__ import annotations

import re
from datetime import datetime

from clientguard.analysis import build_profile
from clientguard.analysis.model import WeekPoint
from clientguard.report.charts import timeline_svg
from clientguard.report.html import render_html
from tests.analysis.analysis_helpers import MSK, make_case, make_msg

LABELS = {"high": "high severity", "medium": "medium severity", "low": "low severity", "metadata": "metadata"}


def _weeks(first: int, count: int) -> list[WeekPoint]:
    return [WeekPoint(f"2025-W{n:02d}", 3, 1.0, {"insult": 1, "night_message": n % 3}) for n in
            range(first, first + count)]  # fmt: skip


def test_no_viewbox_labels_12_px_and_a_legend_list() -> None:
    html = timeline_svg(_weeks(10, 6), LABELS, lang="en")
    assert "viewBox" not in html
    assert set(re.findall(r'<text [^>]*font-size="(\d+)"', html)) == {"12"}
    assert re.findall(r"<li>.*?</span>([^<]+)</li>", html) == list(LABELS.values())
    assert re.search(r'<rect x="[\d.]+%"[^>]* width="[\d.]+%"', html)


def test_a_phone_names_a_subset_of_the_weeks_the_latest_always() -> None:
    html = timeline_svg(_weeks(10, 26), LABELS, lang="ru")
    named = re.findall(r'class="tl-week( tl-narrow)?" text-anchor="middle">([^<]+)</text>', html)
    phone = [label for hidden, label in named if not hidden]
    assert 3 <= len(phone) < len(named) <= 10
    assert named[-1] == ("", "25 авг")  # ISO week 35 of 2025, the latest, is named on a phone too


def test_the_report_carries_the_charts_css_inline() -> None:
    profile = build_profile([make_msg("c1", datetime(2025, 9, 1, 11, tzinfo=MSK), labels=("nitpicking",))],
                            make_case())  # fmt: skip
    html = render_html(profile, "en")
    assert '<div class="timeline">' in html
    style = html[html.index("<style>") : html.index("</style>")]
    assert ".timeline svg text { font-size: 12px;" in style
    assert ".timeline .tl-narrow { display: none; }" in style
