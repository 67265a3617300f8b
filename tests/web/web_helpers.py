"""Plain helpers of the dashboard tests: configs, job polling, a live server, screenshots.

A uniquely named module, not the conftest: test modules import from here
(``from tests.web.web_helpers import …``); the fixtures stay in ``conftest.py``.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette warns about httpx at import; not our concern here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from suite_helpers import ROOT, SHARED

from clientguard.web.app import create_app
from clientguard.web.settings import WebConfig

__all__ = [
    "ARTIFACTS",
    "CHROMEDRIVER",
    "CHROMIUM",
    "PASSWORD",
    "ROOT",
    "SAMPLE_CHAT",
    "SHARED",
    "LiveServer",
    "TestClient",
    "chrome",
    "free_port",
    "local_config",
    "screenshot",
    "team_config",
    "wait_job",
]

ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE_CHAT = ROOT / "examples" / "sample_chat.json"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"


def local_config(tmp: Path, **extra: Any) -> WebConfig:
    values: dict[str, Any] = {
        "db_url": f"sqlite:///{tmp / 'web.sqlite3'}",
        "secret": "test-secret",
        "upload_dir": tmp / "uploads",
        "allowed_hosts": ("127.0.0.1", "localhost", "testserver"),
    }
    values.update(extra)
    return WebConfig(**values)


def wait_job(client: TestClient, location: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data: dict[str, Any] = client.get(location, headers={"accept": "application/json"}).json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving an app on a free loopback port in a daemon thread."""

    def __init__(self, cfg: WebConfig) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(cfg)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def screenshot(driver: Any, name: str, full: bool = True) -> Path:
    """Save a screenshot to tests/artifacts/ (full page height when ``full``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"web_{name}.png"
    if full:
        height = driver.execute_script("return Math.max(document.body.scrollHeight, 900)")
        driver.set_window_size(1440, min(int(height) + 40, 4000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1440, 1000)
    return path


# -- team mode ------------------------------------------------------------------------
# The Redis URL comes from the ``redis_ok`` fixture (a database claimed for this process,
# see ``tests/redis_claim.py``), never from a fixed default that two runs would share.
def team_config(tmp: Path, db_url: str, redis: str, **extra: Any) -> WebConfig:
    values: dict[str, Any] = {
        "db_url": db_url,
        "team": True,
        "secret": "test-secret",
        "redis_url": redis,
        "upload_dir": tmp / "uploads",
        "login_per_minute": 5,
        "allowed_hosts": ("127.0.0.1", "localhost", "testserver"),
    }
    values.update(extra)
    return WebConfig(**values)


@contextmanager
def chrome(*args: str, mobile: dict[str, int] | None = None) -> Iterator[Any]:
    """Headless Chromium through selenium in a throw-away profile; skipped visibly without it.

    ``args`` are added to the common switches; ``mobile`` gives device metrics to emulate
    (a window cannot be made narrower than about 500 px).
    """
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"headless Chromium not installed ({CHROMIUM}, {CHROMEDRIVER})")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cg-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    common = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run")
    for arg in (*common, *args, f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    if mobile is not None:
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": mobile})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


#: Pieces of text matching the regular expression arguments[1] inside the elements matching
#: arguments[0] that the browser laid out on more than one line (a sum, a date or a name broken).
SPLIT = """
const out = [];
for (const el of document.querySelectorAll(arguments[0])) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const re = new RegExp(arguments[1], 'g'); let m;
    while ((m = re.exec(n.data))) {
      const r = document.createRange();
      r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
}
return out;
"""


def sample_chat_as(tmp: Path, k: int, name: str) -> Path:
    """The sample chat as if with ``name`` (its own chat id and sender), so each client has a risk."""
    import json

    data = json.loads(SAMPLE_CHAT.read_text(encoding="utf-8"))
    data["name"], data["id"] = name, 7_770_000 + k
    for m in data["messages"]:
        if m.get("from_id") == "user5550002":
            m["from"], m["from_id"] = name, f"user777{k:04d}"
        m["id"] += 10_000 * k
    path = tmp / f"chat_{k}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
