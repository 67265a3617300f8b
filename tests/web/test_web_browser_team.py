"""Browser test of team mode: log in, see own client, get 403 on another user's client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.web_helpers import PASSWORD, LiveServer, screenshot, team_config

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_login_and_access_denied(
    team_db: dict[str, Any],
    redis_ok: str,
    tmp_path: Path,
    browser: Any,
) -> None:
    with LiveServer(team_config(tmp_path, team_db["url"], redis_ok)) as server:
        browser.get(f"{server.url}/clients/{team_db['client_id']}?lang=ru")
        wait = WebDriverWait(browser, 30)
        wait.until(ec.visibility_of_element_located((By.ID, "username")))
        screenshot(browser, "login_ru", full=False)
        browser.find_element(By.ID, "username").send_keys("petr")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "login-button").click()
        message = wait.until(ec.visibility_of_element_located((By.ID, "error-message")))
        assert "Нет доступа" in message.text
        assert "403" in browser.find_element(By.CLASS_NAME, "error-code").text
        screenshot(browser, "access_denied_ru", full=False)
        browser.get(f"{server.url}/")
        assert "Клиент А" not in browser.page_source
        # log out, log in as the owner: the same page opens
        browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait.until(ec.visibility_of_element_located((By.ID, "username"))).send_keys("olga")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "login-button").click()
        wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "a.client-link")))
        screenshot(browser, "portfolio_owner_ru", full=False)
