"""QA pass 6 in headless Chromium: the language switch after a live search (web N9), keyboard
focus on the file pickers (web N18)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.web_helpers import SAMPLE_CHAT, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_language_switch_after_a_live_search_keeps_it(live_local: LiveServer, browser: Any) -> None:
    """The search filters rows in place (htmx) and pushes ?q= to the address; the switch,
    rendered before the search, sent the user to the whole unfiltered portfolio."""
    live_local.app.state.cg.store.import_paths([SAMPLE_CHAT])
    browser.get(f"{live_local.url}/?lang=ru")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("Пенк")
    WebDriverWait(browser, 20).until(lambda d: "q=" in d.current_url)
    browser.find_element(By.CSS_SELECTOR, ".topbar a.lang").click()
    WebDriverWait(browser, 20).until(lambda d: "lang=en" in d.current_url)
    query = parse_qs(urlparse(browser.current_url).query)
    assert query["q"] == ["Пенк"] and query["lang"] == ["en"]
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "Пенк"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


@pytest.mark.parametrize("page", ["/upload?lang=ru", "/contract?lang=en"])
def test_keyboard_focus_on_the_file_picker_shows(live_local: LiveServer, browser: Any, page: str) -> None:
    """N18: the file input is an invisible 1 px box inside the drop zone, so tabbing to it
    showed no focus anywhere; the zone now takes the focus ring."""
    from selenium.webdriver.common.keys import Keys

    browser.get(live_local.url + page)
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(30):  # Tab until the file input has the focus, as a keyboard user does
        body = browser.switch_to.active_element
        if body.get_attribute("type") == "file":
            break
        body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("type") == "file"
    style = browser.execute_script(
        "const z = document.activeElement.closest('.dropzone'); const s = getComputedStyle(z);"
        "return [s.outlineStyle, s.outlineWidth];"
    )
    assert style[0] != "none" and style[1] != "0px", style
