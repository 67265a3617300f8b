"""Browser tests in headless Chromium: upload → risk visible → evidence opened → reply copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.web_helpers import ROOT, SAMPLE_CHAT, SHARED, LiveServer, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shared_export() -> Path | None:
    path = SHARED / "fixtures" / "formats" / "telegram_json" / "langchain-community" / "telegram.json"
    return path if path.exists() else None


def upload(driver: Any, base: str, path: str) -> None:
    driver.get(f"{base}/upload")
    driver.find_element(By.ID, "file-input").send_keys(path)
    driver.find_element(By.ID, "upload-button").click()


def test_upload_risk_evidence_copy(live_local: LiveServer, browser: Any) -> None:
    base = live_local.url
    browser.get(f"{base}/?lang=ru")
    screenshot(browser, "portfolio_empty_ru")
    upload(browser, base, str(SAMPLE_CHAT))
    wait = WebDriverWait(browser, 90)
    link = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "a.open-client")))
    screenshot(browser, "upload_done_ru", full=False)
    link.click()
    score = wait.until(ec.visibility_of_element_located((By.ID, "risk-score")))
    assert int(score.find_element(By.CLASS_NAME, "score").text) > 0
    level = browser.find_element(By.ID, "risk-level").text
    assert level in ("низкий", "повышенный", "высокий", "критический")
    screenshot(browser, "client_ru")

    card = browser.find_element(By.CSS_SELECTOR, "article.arch details.evidence")
    card.find_element(By.TAG_NAME, "summary").click()
    quote = card.find_element(By.CSS_SELECTOR, "blockquote.quote")
    assert quote.is_displayed()
    assert card.find_elements(By.TAG_NAME, "mark"), "evidence spans are highlighted"
    card.find_element(By.CSS_SELECTOR, "blockquote.quote footer a").click()
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#context .msg.focus")))

    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    button = browser.find_element(By.CSS_SELECTOR, "#replies button.copy")
    reply_id = button.get_attribute("data-copy")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    wait.until(lambda d: button.get_attribute("data-copied") == "true")
    copied = browser.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERR ' + e));"
    )
    expected = browser.find_element(By.ID, reply_id).text
    assert copied.strip() == expected.strip()
    screenshot(browser, "client_evidence_opened_ru", full=False)

    # a contract for the same client, through the same upload page
    contract = ROOT / "tests" / "contracts" / "data" / "video_ru.md"
    if contract.exists():
        client_url = browser.current_url
        browser.get(f"{base}/upload")
        browser.find_element(By.ID, "file-input").send_keys(str(contract))
        browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=contract]").click()
        browser.find_element(By.ID, "client").send_keys("Игорь Пенкин")
        browser.find_element(By.ID, "upload-button").click()
        wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "a.open-client")))
        browser.get(client_url)
        assert browser.find_elements(By.CSS_SELECTOR, "ul.clauses li")
        screenshot(browser, "client_with_contract_ru")

    browser.get(f"{base}/?lang=en")
    assert "Client portfolio" in browser.page_source
    screenshot(browser, "portfolio_en")
    from clientguard.web.timelog import add_time

    store = live_local.app.state.cg.store
    other = shared_export()
    if other is not None:
        store.import_paths([other], client="ООО Спокойный клиент")
    client = store.clients()[0].name
    for member, hours in (("anna", 14.5), ("boris", 6.0)):
        add_time(store, "Игорь Пенкин", hours, member)
        if other is not None:
            add_time(store, "ООО Спокойный клиент", 20 - hours, member)
    from clientguard.contracts.repo import add_invoice

    add_invoice(store, "Игорь Пенкин", 60000, due="2025-09-30", issued="2025-09-01")
    if other is not None:
        add_invoice(store, "ООО Спокойный клиент", 90000, due="2025-10-15", issued="2025-09-15")
    assert client
    browser.get(f"{base}/team")
    screenshot(browser, "team_en")


def test_bad_file_names_the_place(live_local: LiveServer, browser: Any, tmp_path: Any) -> None:
    bad = tmp_path / "result.json"
    bad.write_text(
        '{"name": "x", "type": "personal_chat", "id": 1, "messages": [{"id": 1, ', encoding="utf-8"
    )
    upload(browser, live_local.url, str(bad))
    error = WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "job-error")))
    assert "result.json" in error.text
    assert "messages[0]" in error.text  # the place inside the file, not just its name
    screenshot(browser, "upload_error", full=False)


def test_presale_and_contract_pages(live_local: LiveServer, browser: Any) -> None:
    base = live_local.url
    browser.get(f"{base}/presale?lang=ru")
    browser.find_element(By.ID, "messages").send_keys(
        "2025-03-01 23:40 | Добрый вечер! Нужен SMM, срочно, запуск завтра.\n\n"
        "2025-03-01 23:45 | Бюджет обсудим потом, договор не нужен, мы же свои люди. "
        "Другие делают за полцены."
    )
    browser.find_element(By.CSS_SELECTOR, "form[action='/presale'] button").click()
    result = WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "presale-result")))
    assert result.text
    screenshot(browser, "presale_ru")
    contract = ROOT / "tests" / "contracts" / "data" / "video_ru.md"
    if contract.exists():
        browser.get(f"{base}/contract")
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(contract))
        browser.find_element(By.CSS_SELECTOR, "form[action='/contract'] button").click()
        WebDriverWait(browser, 60).until(ec.visibility_of_element_located((By.ID, "contract-report")))
        screenshot(browser, "contract_ru")
