"""Headless Chromium: a client renamed and another merged into it on the dashboard, no CLI.

The manage page's forms (``clients rename``, ``clients merge --renumber``) in a real
browser: the rename lands on the client page under its new name; the other client, whose
invoice 1 clashes, is merged into it with the renumber box ticked, and its chats and
invoice arrive. The page stays within a narrow window.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from clientguard.contracts.repo import add_invoice
from clientguard.store import open_store
from tests.web.test_web_manage_clients import CALLS, A, B, all_verify, names, numbers
from tests.web.web_helpers import SAMPLE_CHAT, LiveServer, local_config

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The page a form leads to recomputes the client's profile (the write drops its cache);
#: on a loaded two-core machine that has taken well over 30 s (test_web_browser_money).
ANSWER_SECONDS = 120


def submit(browser: Any, form: str, values: dict[str, str], ticks: tuple[str, ...] = ()) -> str:
    """Fill ``form``'s fields by id with JS, tick ``ticks``, ``requestSubmit()`` it (the
    browser's own validation runs, ``required`` included) and return the "done" line of the
    page it leads to; a refusal fails with what the page said."""
    browser.set_page_load_timeout(ANSWER_SECONDS)
    old = browser.find_element(By.TAG_NAME, "html")
    for field, value in values.items():
        el = browser.find_element(By.ID, field)
        browser.execute_script("arguments[0].value = arguments[1]", el, value)
    for box in ticks:
        browser.execute_script("arguments[0].checked = true", browser.find_element(By.ID, box))
    started = time.monotonic()
    browser.execute_script("arguments[0].requestSubmit()", browser.find_element(By.ID, form))
    wait = WebDriverWait(browser, ANSWER_SECONDS)
    wait.until(ec.staleness_of(old), message=f"{form}: no new page within {ANSWER_SECONDS} s")
    wait.until(
        lambda b: b.find_elements(By.ID, "done-message") or b.find_elements(By.ID, "error-message"),
        message=f"{form}: {browser.current_url} shows neither a done line nor a refusal",
    )
    refused = browser.find_elements(By.ID, "error-message")
    if refused:
        pytest.fail(f"{form}: refused at {browser.current_url}: {refused[0].text}")
    print(f"{form}: answered in {time.monotonic() - started:.1f} s")
    return str(browser.find_element(By.ID, "done-message").text)


def test_a_client_renamed_and_another_merged_into_it_in_the_browser(tmp_home: Path, browser: Any) -> None:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=A)
        store.import_paths([CALLS], client=B)
        add_invoice(store, A, 300, "2025-09-20", "2025-09-01", "1")
        add_invoice(store, B, 1000, "2025-09-20", "2025-09-01", "1")
        ids = {c.name: c.id for c in store.clients()}
    with LiveServer(cfg) as server:
        wait = WebDriverWait(browser, 60)
        browser.get(f"{server.url}/clients/{ids[A]}?lang=ru")
        wait.until(ec.element_to_be_clickable((By.ID, "manage-link"))).click()
        wait.until(ec.visibility_of_element_located((By.ID, "rename-form")))
        done = submit(browser, "rename-form", {"rename-new": "Пенка"})
        assert "Клиент переименован" in done
        assert browser.current_url.endswith(f"/clients/{ids[A]}?done=renamed")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Пенка"

        browser.get(f"{server.url}/clients/{ids[B]}/manage")
        offered = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#merge-into option[value]")]
        assert "Пенка" in offered and A not in offered  # the new name, a live client
        # the narrow screen: no sideways scrolling on the manage page
        browser.set_window_size(420, 900)
        wide = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the manage page is {wide} px wider than a 420 px window"
        browser.set_window_size(1440, 1000)
        done = submit(
            browser,
            "merge-form",
            {"merge-into": str(ids[A])},
            ticks=("merge-renumber", "merge-confirm"),
        )
        assert "Клиенты объединены" in done and "-merged" in done
        assert f"/clients/{ids[A]}?done=merged_renumbered&merge=" in browser.current_url
        report = browser.find_element(By.ID, "merge-report").text  # what `clients merge` prints
        assert "счёт 1 → 1-merged" in report and "сообщений: 10" in report
        assert "37 сообщений" in browser.find_element(By.CSS_SELECTOR, ".hero-meta").text
        rows = [
            r.get_attribute("data-invoice")
            for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-invoice]")
        ]
        assert sorted(rows) == ["1", "1-merged"]
    assert names(cfg.db_url) == ["Пенка"] and numbers(cfg.db_url, "Пенка") == ["1", "1-merged"]
    all_verify(cfg.db_url)
