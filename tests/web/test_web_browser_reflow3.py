"""The team page's load chart and the upload job's boxes at real widths (twenty-first session).

Headless Chromium at 1366, 1100, 1024, 960 and 420 px, in Russian and English:

- the team page's chart was an SVG with a 1100-unit viewBox scaled to its card: on a
  420 px phone its 10.5 px week and value labels were drawn 3.5 px high, at 960 px 8.4 px,
  and its legend of long member names ran past the card's edge. Now it is laid out in
  percent of its width, so the labels keep 12 px at every width, a phone names every third
  week, and the legend is an HTML list under the chart;
- the upload job page's red error box and the yellow offer under it touched (no gap)
  while every other box of the page stands apart from its neighbour.

Every check runs at every width, so a layout that fits one width by breaking another fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_web_browser_reflow import WIDTHS, _width
from tests.web.test_web_browser_reflow_team import _fill
from tests.web.web_helpers import ARTIFACTS, LiveServer, chrome

pytestmark = [pytest.mark.browser, pytest.mark.slow]


#: The members whose hours fill the chart; "me" is "Вы"/"You" on the page.
MEMBERS = ("me", "Анна Смирнова-Кондратьева", "Вячеслав Преображенский", "Екатерина Виноградова")

#: The chart's labels the reader sees: text, the size it is drawn at (its CSS size times the
#: SVG's scale), its box, and the box of the chart it is in.
LABELS = """
const out = [];
for (const t of document.querySelectorAll('.chart-wrap svg text')) {
  const r = t.getBoundingClientRect();
  if (!r.width || getComputedStyle(t).display === 'none') continue;
  const card = t.closest('.chart-wrap').getBoundingClientRect();
  out.push({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            left: r.left, right: r.right, axis: t.classList.contains('ax'),
            week: t.classList.contains('ax') && t.getAttribute('text-anchor') === 'middle',
            card: [card.left, card.right]});
}
return out;
"""

#: The page wider than the window.
WIDER = "const d = document.documentElement; return d.scrollWidth > d.clientWidth ? [d.scrollWidth] : []"
#: The names of the chart's legend (an HTML list, or the SVG's own legend before) inside their card.
LEGEND = """
return [...document.querySelectorAll('.chart-wrap li, .chart-wrap svg .lg')]
  .filter(e => e.getBoundingClientRect().right <= e.closest('.card').getBoundingClientRect().right)
  .map(e => e.textContent.trim());
"""


@pytest.fixture()
def driver() -> Iterator[Any]:
    with chrome("--window-size=1366,900") as d:
        yield d


@pytest.fixture()
def team_page(live_local: LiveServer, tmp_path: Path) -> LiveServer:
    """Five long-named clients and four members' hours over eight weeks (local mode)."""
    _fill(live_local.app.state.cg.store, tmp_path, MEMBERS, team=False)
    return live_local


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_team_chart_is_legible_at_every_width(team_page: LiveServer, driver: Any, lang: str) -> None:
    """Week and value labels at least 11 px, apart from each other, inside the card; every
    member named in the legend; nothing scrolls sideways."""
    problems: dict[int, Any] = {}
    you = {"ru": "Вы", "en": "You"}[lang]
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{team_page.url}/team?lang={lang}")
        labels = driver.execute_script(LABELS)
        weeks = sorted((x for x in labels if x["week"]), key=lambda x: x["left"])
        found: dict[str, Any] = {
            "small": [f"{x['text']}: {x['size']:.1f} px" for x in labels if x["size"] < 11],
            "overlap": [
                f"{a['text']} / {b['text']}"
                for a, b in itertools.pairwise(weeks)
                if b["left"] < a["right"] + 4
            ],
            "outside": [x["text"] for x in labels if x["left"] < x["card"][0] or x["right"] > x["card"][1]],
            "sideways": driver.execute_script(WIDER),
        }
        if len(weeks) < 3 or sum(x["axis"] and not x["week"] for x in labels) != 3:  # 0, the middle, the top
            found["labels"] = [x["text"] for x in labels]
        legend = driver.execute_script(LEGEND)
        if sorted(legend) != sorted((you, *MEMBERS[1:])):
            found["legend"] = legend
        found = {k: v for k, v in found.items() if v}
        if found:
            problems[width] = found
        if width in (960, 420):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            driver.find_element("css selector", ".chart-wrap").screenshot(
                str(ARTIFACTS / f"web_team_chart_{lang}_{width}.png")
            )
    assert not problems, problems


# -- the upload job's boxes -------------------------------------------------------------------

#: The gaps between the job box's boxes one under another (the head, the error, the offer,
#: the notes, "who is me", the client's button), and for each yellow box how far its first
#: line sits from its top and from its left edge.
GAPS = """
const shown = [...document.querySelectorAll('#job-box > *')].filter(e => e.getBoundingClientRect().height);
const name = e => e.id || e.className, gaps = [];
for (let i = 1; i < shown.length; i++) {
  const a = shown[i - 1].getBoundingClientRect(), b = shown[i].getBoundingClientRect();
  gaps.push([name(shown[i - 1]), name(shown[i]), Math.round(b.top - a.bottom)]);
}
const insets = [];
for (const box of shown.filter(e => e.classList.contains('note'))) {
  const first = [...box.children].find(e => e.getBoundingClientRect().height) || box;
  const range = document.createRange(), r = box.getBoundingClientRect();
  range.selectNodeContents(first);
  const line = range.getClientRects()[0];
  insets.push([name(box), Math.round(line.top - r.top), Math.round(line.left - r.left)]);
}
return {gaps, insets};
"""


def _boxes(driver: Any, url: str, lang: str) -> dict[int, Any]:
    """What is off in the job page at ``url`` at each width: boxes touching or apart by more
    or less than the others, a yellow box whose first line is further from its top than from
    its left edge (a paragraph's margin inside its padding)."""
    problems: dict[int, Any] = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{url}?lang={lang}")
        found = driver.execute_script(GAPS)
        gaps = [g for _, _, g in found["gaps"]]
        bad: dict[str, Any] = {}
        if min(gaps) < 8 or max(gaps) - min(gaps) > 1:
            bad["gaps"] = found["gaps"]
        insets = [(name, top, left) for name, top, left in found["insets"] if abs(top - left) > 3]
        if insets:
            bad["first line"] = insets
        if bad:
            problems[width] = bad
    return problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_upload_job_boxes_stand_one_gap_apart(
    live_local: LiveServer, driver: Any, tmp_path: Path, lang: str
) -> None:
    """The failed job (the error, the offer to skip the broken records) and, after the offer,
    the done job (skipped records, "who is me", the client's button)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.web.test_web_browser_skip_bad import _upload
    from tests.web.test_web_upload_skip_bad import BROKEN

    export = tmp_path / "chat.jsonl"
    export.write_bytes(BROKEN)
    wait = WebDriverWait(driver, 90)
    _width(driver, 1366)
    _upload(driver, live_local.url, export, tick=False)
    offer = wait.until(ec.visibility_of_element_located((By.ID, "job-again")))
    failed = offer.get_attribute("action").removesuffix("/again")
    problems = {"failed": _boxes(driver, failed, lang)}
    driver.get(f"{failed}?lang={lang}")
    driver.execute_script("document.getElementById('job-again-button').click()")
    wait.until(ec.visibility_of_element_located((By.ID, "job-notes")))
    assert driver.find_elements(By.ID, "who-is-me"), driver.current_url
    problems["done"] = _boxes(driver, driver.current_url.split("?")[0], lang)
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, problems
