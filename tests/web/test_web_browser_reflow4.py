"""The weekly signals chart legible on a phone: the client page and the HTML report (twenty-second session).

The chart (``report/charts.py`` ``timeline_svg``) was an SVG with a 760-unit viewBox scaled to
its card: on a 420 px phone its axis numbers, week labels and legend (10-11 units) were drawn
4-5 px high. It is now laid out in percent of its width like the team page's load chart
(``test_web_browser_reflow3.py``): labels 12 px at every width, a phone names fewer weeks (the
latest always), the y axis is an SVG of its own, the legend an HTML list that wraps.

Headless Chromium, Russian and English, with a client whose chat runs 28 weeks across New Year
(week labels carry the year, "29 дек 2025", the longest they get): the client page at 1366,
1100, 1024, 960 and 420 px, the standalone HTML report (``analyze --html``) at 1100 and 420 px.
Every check runs at every width, so a layout that fits one width by breaking another fails.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.test_web_browser_reflow import WIDTHS, _width
from tests.web.web_helpers import ARTIFACTS, LiveServer, chrome, sample_chat_as

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENT = "ООО «Северо-Западная торгово-промышленная компания»"
#: The four groups' names in the legend, per language (report/data/strings.yaml).
LEGEND_NAMES = {
    "ru": ("высокая тяжесть", "средняя тяжесть", "низкая тяжесть", "сигналы переписки"),
    "en": ("high severity", "medium severity", "low severity", "conversation signals"),
}

#: The chart's texts as the reader sees them (hidden week labels left out): text, the size it
#: is drawn at (its CSS size times the SVG's scale), its box, its anchor (the week labels are
#: centred, the axis values end at the axis); the legend's entries (an HTML list, or the SVG's
#: unanchored texts before), their size and whether each is inside the chart's box; that box.
CHART = """
const box = document.querySelector(arguments[0]), card = box.getBoundingClientRect(), texts = [];
for (const t of box.querySelectorAll('svg text')) {
  const r = t.getBoundingClientRect();
  if (!r.width || getComputedStyle(t).display === 'none') continue;
  texts.push({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
              left: r.left, right: r.right, top: r.top, bottom: r.bottom,
              anchor: t.getAttribute('text-anchor')});
}
const legend = [...box.querySelectorAll('li, svg text')]
  .filter(e => !e.closest('svg') || e.getAttribute('text-anchor') === null)
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize)
                        * (e.getScreenCTM ? e.getScreenCTM().a : 1),
                      inside: r.left >= card.left - 0.5 && r.right <= card.right + 0.5}; });
return {texts, legend, card: [card.left, card.right]};
"""
#: The page wider than the window.
WIDER = "const d = document.documentElement; return d.scrollWidth > d.clientWidth ? [d.scrollWidth] : []"


def _long_chat(tmp: Path) -> Path:
    """The sample chat (four weeks of a client's complaints, pressure and late payments)
    repeated seven times, four weeks apart, from September 2025 to March 2026."""
    data = json.loads(sample_chat_as(tmp, 0, CLIENT).read_text(encoding="utf-8"))
    messages = []
    for copy in range(7):
        for m in data["messages"]:
            when = datetime.fromisoformat(m["date"]) + timedelta(weeks=4 * copy)
            messages.append(
                {**m, "id": m["id"] + 100_000 * copy, "date": when.isoformat(),
                 "date_unixtime": str(int(when.timestamp()))}
            )  # fmt: skip
    data["messages"] = messages
    path = tmp / "long_chat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _problems(driver: Any, selector: str, lang: str) -> dict[str, Any]:
    """What is off in the chart at ``selector``: a text under 11 px, week labels overlapping
    (less than 4 px apart), a text or legend entry outside the chart's box, a legend entry
    missing, fewer than three week labels or other than three axis values, the page scrolling
    sideways."""
    found = driver.execute_script(CHART, selector)
    texts, left, right = found["texts"], *found["card"]
    weeks = sorted((x for x in texts if x["anchor"] == "middle"), key=lambda x: x["left"])
    values = [x for x in texts if x["anchor"] == "end"]
    legend = found["legend"]
    bad: dict[str, Any] = {
        "small": [f"{x['text']}: {x['size']:.1f} px" for x in [*texts, *legend] if x["size"] < 11],
        "overlap": [
            f"{a['text']} / {b['text']}" for a, b in itertools.pairwise(weeks) if b["left"] < a["right"] + 4
        ],
        "outside": [x["text"] for x in texts if x["left"] < left - 0.5 or x["right"] > right + 0.5]
        + [x["text"] for x in legend if not x["inside"]],
        "sideways": driver.execute_script(WIDER),
    }
    if sorted(x["text"] for x in legend) != sorted(LEGEND_NAMES[lang]):
        bad["legend"] = [x["text"] for x in legend]
    if len(weeks) < 3 or len(values) != 3:  # 0, the middle, the peak
        bad["labels"] = [x["text"] for x in texts]
    return {k: v for k, v in bad.items() if v}


@pytest.fixture()
def driver() -> Iterator[Any]:
    with chrome("--window-size=1366,900") as d:
        yield d


@pytest.fixture()
def client_page(live_local: LiveServer, tmp_path: Path) -> str:
    """The client page's address for a client with 28 weeks of messages."""
    store = live_local.app.state.cg.store
    store.import_paths([_long_chat(tmp_path)], client=CLIENT)
    client_id = next(c.id for c in store.clients() if c.name == CLIENT)
    return f"{live_local.url}/clients/{client_id}"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_client_page_timeline_is_legible_at_every_width(client_page: str, driver: Any, lang: str) -> None:
    problems: dict[int, Any] = {}
    for width in WIDTHS:
        _width(driver, width)
        driver.get(f"{client_page}?lang={lang}")
        found = _problems(driver, ".chart-wrap", lang)
        if found:
            problems[width] = found
        if width in (1366, 960, 420):
            _shot(driver, ".chart-wrap", f"web_timeline_{lang}_{width}.png")
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_html_report_timeline_is_legible(driver: Any, tmp_path: Path, lang: str) -> None:
    """The standalone report (inline CSS, no scripts) at a desktop's and a phone's width."""
    out = tmp_path / f"report_{lang}.html"
    args = ["analyze", str(_long_chat(tmp_path)), "--html", str(out), "--lang", lang,
            "--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]  # fmt: skip
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert "<script" not in out.read_text(encoding="utf-8")
    problems: dict[int, Any] = {}
    for width in (1100, 420):
        _width(driver, width)
        driver.get(out.as_uri())
        found = _problems(driver, ".timeline", lang)
        if found:
            problems[width] = found
        _shot(driver, ".timeline", f"report_timeline_{lang}_{width}.png")
    assert not problems, problems


def _shot(driver: Any, selector: str, name: str) -> None:
    """The chart's screenshot in tests/artifacts/, to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart = driver.find_element("css selector", selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    chart.screenshot(str(ARTIFACTS / name))
