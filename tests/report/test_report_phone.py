"""The HTML report read on a phone (QA pass 7).

At 390 px the contacts and invoice tables of the report pushed the page to 454 px (604 px
for a Russian report with archetypes): the page scrolled sideways and the last columns
("Archetypes", "Days overdue") were cut off the screen. A table now scrolls inside its own
box and the page keeps the phone's width; quote times are not broken across lines.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    """Headless Chromium emulating a 390 px wide phone; skipped visibly without it."""
    browser = shutil.which("chromium") or CHROMIUM
    driver_path = shutil.which("chromedriver") or CHROMEDRIVER
    if not (Path(browser).exists() and Path(driver_path).exists()):
        pytest.skip("headless Chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cg-report-phone-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844,
                                                                        "pixelRatio": 1.0}})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_report_keeps_the_phones_width(phone: Any, tmp_path: Path, tmp_home: Path, lang: str) -> None:
    page = tmp_path / f"report_{lang}.html"
    r = CliRunner().invoke(build_app(), [
        "--lang", lang, "analyze", str(EXAMPLES / "sample_chat.json"),
        "--case", str(EXAMPLES / "sample_case.yaml"), "--html", str(page),
    ])  # fmt: skip
    assert r.exit_code == 0, r.output
    phone.get(page.as_uri())
    page_width, view_width = phone.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert view_width <= 390 and page_width <= view_width, (page_width, view_width)
    # every table is reachable: its box is on the screen, the table scrolls inside it
    boxes = phone.execute_script(
        "return Array.from(document.querySelectorAll('table'))"
        ".map(t => t.parentElement.getBoundingClientRect().right)"
    )
    assert boxes and all(right <= view_width for right in boxes), boxes
    # a quote's time is one piece ("2025-09-" on one line, "05 02:13" on the next was hard to read)
    lines = phone.execute_script(
        "return Array.from(document.querySelectorAll('blockquote .meta')).map(m => {"
        " const r = document.createRange(); const t = m.lastChild; r.selectNodeContents(t);"
        " return r.getClientRects().length; })"
    )
    assert lines and max(lines) == 1, lines
