"""Headless Chromium: a contract an older reader read, re-read from the client page.

The notice names every term, its button opens the confirmation page with old → new, and
the confirmation's button writes it: the page comes back saying so, with no notice left.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from clientguard.contracts.repo import terms_record
from clientguard.store import open_store
from tests.contracts.test_older_terms import stored_by_an_older_reader
from tests.web.test_web_browser_money import ANSWER_SECONDS, submitted
from tests.web.web_helpers import SAMPLE_CHAT, LiveServer, local_config

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_contract_is_read_again_from_the_client_page(
    tmp_home: Path, tmp_path: Path, browser: Any
) -> None:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
        cid = store.clients()[0].id
        stored_by_an_older_reader(store, tmp_path, "Клиент А")
    with LiveServer(cfg) as server:
        wait = WebDriverWait(browser, ANSWER_SECONDS)
        browser.set_page_load_timeout(ANSWER_SECONDS)
        browser.get(f"{server.url}/clients/{cid}?lang=ru")
        notice = wait.until(ec.visibility_of_element_located((By.ID, "contract-older-reading"))).text
        assert "лимит правок: 3 → 2; срок оплаты, дней: 30 → 14" in notice
        browser.find_element(By.ID, "reread-button").click()
        changes = wait.until(ec.visibility_of_element_located((By.ID, "reread-changes")))
        assert [li.text for li in changes.find_elements(By.TAG_NAME, "li")] == [
            "Лимит правок: 3 → 2",
            "Срок оплаты, дней: 30 → 14",
        ]
        with open_store(cfg.db_url) as store:
            before = terms_record(store, "Клиент А")
        assert before is not None and before.terms.payment_due_days == 30  # the page wrote nothing
        assert "Договор перечитан" in submitted(browser, "reread-confirm-button")
        assert browser.find_elements(By.ID, "contract-older-reading") == []
        assert "#contract" in browser.current_url
    with open_store(cfg.db_url) as store:
        after = terms_record(store, "Клиент А")
    assert after is not None and (after.terms.revision_limit, after.terms.payment_due_days) == (2, 14)
