"""Fixtures of the dashboard tests: app clients, a live loopback server, headless Chromium.

Team-mode fixtures need PostgreSQL and Redis: without them the tests are skipped with
the reason, except under ``CI=true`` where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # starlette warns about httpx at import; not our concern here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from clientguard.store import open_store
from clientguard.web.app import create_app
from clientguard.web.auth import add_user, grant
from clientguard.web.settings import WebConfig

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE_CHAT = ROOT / "examples" / "sample_chat.json"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_DEFAULT = "redis://127.0.0.1:6379/15"


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def local_config(tmp: Path, **extra: Any) -> WebConfig:
    values: dict[str, Any] = {
        "db_url": f"sqlite:///{tmp / 'web.sqlite3'}",
        "secret": "test-secret",
        "upload_dir": tmp / "uploads",
        "allowed_hosts": ("127.0.0.1", "localhost", "testserver"),
    }
    values.update(extra)
    return WebConfig(**values)


@pytest.fixture()
def local_client(tmp_home: Path) -> Iterator[TestClient]:
    with TestClient(create_app(local_config(tmp_home))) as client:
        client.get("/")  # sets the CSRF cookie
        yield client


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


@pytest.fixture()
def live_local(tmp_home: Path) -> Iterator[LiveServer]:
    with LiveServer(local_config(tmp_home)) as server:
        yield server


@pytest.fixture()
def browser() -> Iterator[Any]:
    """Headless Chromium through selenium; skipped visibly without chromium/chromedriver."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"headless Chromium not installed ({CHROMIUM}, {CHROMEDRIVER})")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cg-chrome-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1440,1000",
        f"--user-data-dir={profile}",
        "--lang=ru",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


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
def pg_url() -> str:
    return os.environ.get("CLIENTGUARD_TEST_PG", PG_DEFAULT)


def redis_url() -> str:
    return os.environ.get("CLIENTGUARD_TEST_REDIS", REDIS_DEFAULT)


@pytest.fixture()
def pg_url_schema() -> Iterator[str]:
    """A PostgreSQL URL in a fresh schema, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(pg_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        skip_or_fail(f"PostgreSQL not reachable at {pg_url()} ({type(exc).__name__})")
    schema = f"cg_web_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture()
def redis_ok() -> str:
    try:
        import redis

        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=2)
        client.ping()
        client.flushdb()
    except Exception as exc:
        skip_or_fail(f"Redis not reachable at {redis_url()} ({type(exc).__name__})")
    return redis_url()


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


PASSWORD = "correct horse battery"


@pytest.fixture()
def team_db(pg_url_schema: str) -> Iterator[dict[str, Any]]:
    """Client A; owner ``olga``, specialists ``ivan`` (granted client A) and ``petr`` (nothing)."""
    with open_store(pg_url_schema) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
        add_user(store, "olga", "owner", PASSWORD)
        add_user(store, "ivan", "specialist", PASSWORD)
        add_user(store, "petr", "specialist", PASSWORD)
        grant(store, "ivan", "Клиент А")
        cid = store.clients()[0].id
    yield {"url": pg_url_schema, "client_id": cid}
