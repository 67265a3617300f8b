"""QA pass 6 follow-up in headless Chromium: the client header's hidden reasons (web W3)
open under "и ещё 3 причины" and fit the page at 1280 px and on a 390 px phone."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.web.test_web_browser_mobile import OVERFLOWING
from tests.web.test_web_qa6_followup import many_reasons
from tests.web.web_helpers import ARTIFACTS, SAMPLE_CHAT, LiveServer, chrome

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize(
    ("width", "lang", "summary"),
    [(1280, "ru", "и ещё 3 причины"), (390, "ru", "и ещё 3 причины"), (390, "en", "and 3 more reasons")],
)
def test_the_rest_of_the_reasons_open_and_fit(
    live_local: LiveServer, monkeypatch: pytest.MonkeyPatch, width: int, lang: str, summary: str
) -> None:
    many_reasons(monkeypatch, 7)
    live_local.app.state.cg.store.import_paths([SAMPLE_CHAT])
    args = ("--window-size=1280,900",) if width > 500 else ()
    mobile = {"width": width, "height": 844, "pixelRatio": 1} if width <= 500 else None
    with chrome(*args, mobile=mobile) as driver:
        driver.get(f"{live_local.url}/clients/1?lang={lang}")
        more = driver.find_element(By.ID, "reasons-more")
        hidden = more.find_elements(By.CSS_SELECTOR, "li")
        assert len(hidden) == 3 and not any(li.is_displayed() for li in hidden)
        toggle = more.find_element(By.TAG_NAME, "summary")
        assert toggle.text == summary and toggle.is_displayed()
        toggle.click()
        assert all(li.is_displayed() for li in hidden)
        assert driver.execute_script("return document.getElementById('reasons-more').open") is True
        widths = driver.execute_script(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
        )
        assert widths[1] <= widths[0], widths
        assert driver.execute_script(OVERFLOWING) == []
        # the rest reads as a continuation of the list: same left edge as the first four
        lefts = driver.execute_script(
            "return [...document.querySelectorAll('.reasons li')]"
            ".map(li => Math.round(li.getBoundingClientRect().left))"
        )
        assert len(set(lefts)) == 1, lefts
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.find_element(By.ID, "reasons").location_once_scrolled_into_view  # noqa: B018
        driver.save_screenshot(str(ARTIFACTS / f"web_reasons_more_{width}px_{lang}.png"))
