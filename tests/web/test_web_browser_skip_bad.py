"""Headless Chromium: the upload form's "skip broken records" box and the job page's offer.

An export with a broken line and a message without a date: uploaded with the box off, the
job fails naming the record and offers to import the rest; one click runs the same kept
upload again, and the page lists both skipped records. Ticked, the upload does so at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.test_web_upload_skip_bad import BROKEN, SKIPPED
from tests.web.web_helpers import LiveServer, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _click(driver: Any, element: Any) -> None:
    """A JS click in the middle of the view: the sticky header takes clicks near the top."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def _upload(driver: Any, base: str, path: Path, tick: bool) -> None:
    driver.get(f"{base}/upload?lang=ru")
    driver.find_element(By.ID, "file-input").send_keys(str(path))
    box = driver.find_element(By.ID, "skip-bad")
    assert box.is_displayed() and not box.is_selected()  # off unless the user ticks it
    if tick:
        _click(driver, box)
        assert box.is_selected()
    _click(driver, driver.find_element(By.ID, "upload-button"))


def test_skip_broken_records_from_the_upload_page(
    live_local: LiveServer, browser: Any, tmp_path: Path
) -> None:
    export = tmp_path / "chat.jsonl"
    export.write_bytes(BROKEN)
    wait = WebDriverWait(browser, 90)

    _upload(browser, live_local.url, export, tick=False)
    error = wait.until(ec.visibility_of_element_located((By.ID, "job-error")))
    assert "E102" in error.text and "chat.jsonl:строка 2" in error.text
    again = wait.until(ec.visibility_of_element_located((By.ID, "job-again-button")))
    assert again.text == "Импортировать, пропустив повреждённые записи"
    screenshot(browser, "upload_skip_bad_offer_ru")
    _click(browser, again)
    notes = wait.until(ec.visibility_of_element_located((By.ID, "job-notes")))
    shown = " ".join(notes.text.split())
    for line in SKIPPED["ru"]:  # the count, then each record's place and reason
        assert line in shown, shown
    assert browser.find_element(By.CSS_SELECTOR, "a.open-client").is_displayed()
    screenshot(browser, "upload_skip_bad_rerun_ru", full=False)

    _upload(browser, live_local.url, export, tick=True)
    notes = wait.until(ec.visibility_of_element_located((By.ID, "job-notes")))
    assert "Пропущено — 2 повреждённые записи:" in notes.text
    assert not browser.find_elements(By.ID, "job-error")
