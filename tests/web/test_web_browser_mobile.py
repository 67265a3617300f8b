"""The dashboard on a phone (390 px, QA pass 6 N2): every page fits the screen.

The top bar did not wrap, so at 390 px each page was 809 px wide (868 on the team page):
the whole page scrolled sideways, the language switch sat off screen and the client
page's cards were cut at the right edge. Now only a wide table scrolls, inside its card,
and a client's name in a narrow table breaks between words, not inside one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.web_helpers import (
    ARTIFACTS,
    SAMPLE_CHAT,
    LiveServer,
    chrome,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "/?lang=ru",
    "/clients/1?lang=ru",
    "/upload?lang=ru",
    "/presale?lang=en",
    "/contract?lang=ru",
    "/team?lang=en",
]

#: Elements past the right edge of the screen that no scrolling box of theirs clips.
OVERFLOWING = """
const width = document.documentElement.clientWidth, out = [];
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.right <= width + 1) continue;
  let clipped = false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible' && p.getBoundingClientRect().right <= width + 1) {
      clipped = true; break;
    }
  }
  if (!clipped) out.push(el.tagName.toLowerCase() + '.' + el.getAttribute('class'));
}
return out;
"""


@pytest.fixture()
def phone() -> Iterator[Any]:
    """Headless Chromium emulating a 390 px wide phone (a window cannot be that narrow)."""
    with chrome(mobile={"width": 390, "height": 844, "pixelRatio": 1}) as driver:
        yield driver


def test_every_page_fits_a_390px_screen(live_local: LiveServer, phone: Any) -> None:
    live_local.app.state.cg.store.import_paths([SAMPLE_CHAT])
    problems = {}
    for page in PAGES:
        phone.get(live_local.url + page)
        widths = phone.execute_script(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
        )
        outside = phone.execute_script(OVERFLOWING)
        if widths[1] > widths[0] or outside:
            problems[page] = (widths, outside[:5])
        if page.startswith("/clients"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            phone.save_screenshot(str(ARTIFACTS / "web_client_390px.png"))
    assert not problems, problems
    # Names in narrow tables break between words ("Геннади|й Кравец" broke inside one).
    from clientguard.contracts.repo import add_invoice
    from clientguard.web.timelog import add_time

    store = live_local.app.state.cg.store
    long_name = "Константин Константинопольский"
    store.import_paths([SAMPLE_CHAT], client=long_name)
    add_time(store, long_name, 7.25, "anna")
    add_invoice(store, long_name, 1250000.5, "2025-09-30", "2025-09-01", number="N1", currency="RUB")
    add_invoice(store, long_name, 1000, "2025-09-30", "2025-09-01", number="N2", currency="USD")
    phone.get(live_local.url + "/team?lang=ru")
    lines = phone.execute_script(
        "return [...document.querySelectorAll('.table.compact td:first-child a')]"
        ".map(a => [a.textContent, new Set([...a.getClientRects()].map(r => Math.round(r.top))).size])"
    )
    assert lines and all(n <= len(name.split()) for name, n in lines), lines
    # The language switch and every menu entry stay reachable.
    phone.get(live_local.url + "/?lang=ru")
    lang = phone.find_element("css selector", ".topbar .lang")
    assert lang.is_displayed() and lang.rect["x"] + lang.rect["width"] <= 390
