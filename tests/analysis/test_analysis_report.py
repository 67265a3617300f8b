"""The HTML report: self-contained, bounded in size, readable in a real browser."""

from __future__ import annotations

import re
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import DEV, make_case, make_msg

from clientguard.analysis import build_profile
from clientguard.analysis.model import AnalyzedMessage
from clientguard.domain import Evidence, Role
from clientguard.report import render_html

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
_EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_LABELS = [(), ("insult",), (), ("nitpicking", "deadline_pressure"), (), ("payment_delay",), (), ()]


def big_chat(n: int) -> list[AnalyzedMessage]:
    """``n`` messages over about a year, every fourth a client message with a label mix."""
    t0 = datetime(2024, 1, 8, 9, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    out: list[AnalyzedMessage] = []
    for i in range(n):
        role = Role.CLIENT if i % 2 == 0 else Role.SPECIALIST
        labels = _LABELS[(i // 2) % len(_LABELS)] if role is Role.CLIENT else ()
        text = f"Сообщение {i}: сделайте к утру, это срочно, и ещё баннер переделайте"
        m = make_msg(
            i,
            t0 + timedelta(minutes=53 * i),
            text,
            labels=labels,
            role=role,
            sender="user1" if i % 6 else "user2",
        )
        if labels:
            m = AnalyzedMessage(**{**m.__dict__, "evidence": {labels[0]: (Evidence(14, 24, "rule"),)}})
        out.append(m)
    return out


def assert_self_contained(html: str) -> None:
    assert not _EXTERNAL.search(html), _EXTERNAL.search(html)
    assert "<script" not in html.lower()
    assert "@import" not in html


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_report_is_self_contained_and_translated(lang: str) -> None:
    case = make_case(
        contract={"signed": True, "scope": ["12 постов"], "revision_limit": 2},
        contacts=[{"name": "A", "from_id": "user1"}, {"name": "B", "from_id": "user2"}],
    )
    html = render_html(build_profile(big_chat(400), case), lang, case)
    assert_self_contained(html)
    assert "<svg" in html and "<mark" in html
    assert ("Рекомендация" in html) is (lang == "ru")
    assert ("Recommendation" in html) is (lang == "en")


def test_report_escapes_message_text() -> None:
    case = make_case()
    msgs = [
        make_msg(
            i,
            datetime(2025, 3, 3, 12, i, tzinfo=ZoneInfo("Europe/Moscow")),
            '<img src="https://evil.example/x.png"> бездари',
            labels=("insult",),
        )
        for i in range(3)
    ]
    html = render_html(build_profile(msgs, case), "ru", case)
    assert '<img src="https://evil' not in html and "&lt;img" in html


def test_report_of_10000_messages_is_small_and_fast() -> None:
    case = make_case(contract={"signed": True, "scope": ["12 постов"], "revision_limit": 2})
    profile = build_profile(big_chat(10_000), case)
    t = time.process_time()  # CPU time: wall time on a shared, busy machine is not the report's
    html = render_html(profile, "ru", case)
    elapsed = time.process_time() - t
    size = len(html.encode("utf-8"))
    assert size < 5 * 1024 * 1024, size
    assert elapsed < 2.0, elapsed
    assert_self_contained(html)


def _chromium() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("headless Chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    return browser, driver


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_screenshot_in_headless_chromium(shared_dir: Path, tmp_path: Path, lang: str) -> None:
    browser, driver_path = _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from clientguard.analysis.dataset import load_conversation
    from clientguard.analysis.evaluate import analyzed

    conv = load_conversation(shared_dir.joinpath(*DEV, "dev-conv-13.json"))
    profile = build_profile(analyzed(conv, oracle=True), conv.case, label_source="oracle")
    page = tmp_path / f"report_{lang}.html"
    page.write_text(render_html(profile, lang, conv.case), encoding="utf-8")

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1100,1600",
    ):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        drv.get(page.as_uri())
        assert drv.find_element(By.CSS_SELECTOR, ".timeline svg.tl-plot").is_displayed()
        heading = drv.find_element(By.CSS_SELECTOR, "#recommendation h3").text
        assert heading == ("Подключить руководство" if lang == "ru" else "Escalate")
        assert "Роман Гусев" in drv.find_element(By.CSS_SELECTOR, ".switch").text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"report_dev-conv-13_{lang}.png"
        assert drv.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000
    finally:
        drv.quit()
