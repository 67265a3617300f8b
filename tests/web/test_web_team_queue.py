"""QA pass 7, team mode: what the upload and its job page say when the queue cannot run it.

A real agency hits these: nobody started ``clientguard worker``, the worker was killed in
the middle of an import (OOM, a hard restart), Redis is down when a file is uploaded.
Before, the page span for ever ("В очереди" / "Импорт…") or answered 500 (ConnectionError).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from clientguard.store import open_store
from clientguard.store.models_web import JobRow
from clientguard.web.app import create_app
from clientguard.web.i18n import tr
from clientguard.web.jobs import QUEUE_NAME
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, team_config, wait_job

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
DEAD_REDIS = "redis://127.0.0.1:1/15"  # nothing listens on port 1: connection refused at once


def _upload(client: TestClient, tmp_path: Path, name: str = "Новый Клиент") -> Any:
    page = client.get("/upload")
    export = tmp_path / f"{uuid.uuid4().hex}.json"
    export.write_text(
        SAMPLE_CHAT.read_text(encoding="utf-8").replace("Игорь Пенкин", name), encoding="utf-8"
    )
    with export.open("rb") as fh:
        return client.post(
            "/upload",
            files={"file": ("new.json", fh)},
            data={"csrf": csrf_of(page.text), "client": name},
            follow_redirects=False,
        )


def _json(client: TestClient, location: str) -> dict[str, Any]:
    data: dict[str, Any] = client.get(location, headers={"accept": "application/json"}).json()
    return data


def test_queued_job_says_no_worker_is_running(team_client: TestClient, tmp_path: Path, redis_ok: str) -> None:
    """The job waits (it is imported once a worker starts) and the page says why it waits."""
    import redis
    from rq import Queue, Worker

    from clientguard.web.worker import work

    login(team_client, "olga")
    where = _upload(team_client, tmp_path).headers["location"]
    assert _json(team_client, where)["waiting"] == "no_worker"
    page = team_client.get(where).text
    assert 'id="job-waiting"' in page and tr("job_no_worker", "ru").split(":")[0] in page
    assert "`" not in page  # a command is quoted as text, not in Markdown backticks the page shows raw
    assert 'delay:5s' in page  # no 400 ms polling of a queue nobody serves
    english = team_client.get(where + "?lang=en").text
    assert tr("job_no_worker", "en").split(":")[0] in english

    # A worker that is up (registered on the queue) but busy: the job simply waits.
    conn = redis.Redis.from_url(redis_ok)
    idle = Worker([Queue(QUEUE_NAME, connection=conn)], connection=conn)
    idle.register_birth()
    try:
        assert _json(team_client, where)["waiting"] is None
        assert 'id="job-waiting"' not in team_client.get(where).text
    finally:
        idle.register_death()
    work(redis_ok, burst=True)
    job = wait_job(team_client, where)
    assert job["status"] == "done" and job["waiting"] is None


def test_job_whose_worker_was_killed_fails_and_says_so(
    team_client: TestClient, team_db: dict[str, Any], tmp_path: Path, redis_ok: str
) -> None:
    """rq marks a job failed when its work horse dies (kill -9, OOM); the row said "Импорт…"
    for ever. Now the job fails with the reason, and nothing was stored (all-or-nothing)."""
    import redis
    from rq.job import Job, JobStatus

    login(team_client, "olga")
    where = _upload(team_client, tmp_path).headers["location"]
    job_id = where.rsplit("/", 1)[1]
    # What the dead worker left: the row says running (run_job started), rq says failed.
    with open_store(team_db["url"]) as store, store.engine.begin() as conn:
        conn.execute(update(JobRow).where(JobRow.id == job_id).values(status="running"))
    Job.fetch(job_id, connection=redis.Redis.from_url(redis_ok)).set_status(JobStatus.FAILED)

    data = _json(team_client, where)
    assert data["status"] == "failed" and data["result"]["error"]["reason"] == "worker_lost"
    page = team_client.get(where).text
    assert tr("job_worker_lost", "ru") in page and 'hx-get' not in page
    assert tr("job_worker_lost", "en") in team_client.get(where + "?lang=en").text
    assert "Новый Клиент" not in team_client.get("/").text


def test_job_that_redis_lost_fails(
    team_client: TestClient, team_db: dict[str, Any], tmp_path: Path, redis_ok: str
) -> None:
    """A queued job that Redis no longer holds (flushed, restarted without persistence)."""
    import redis

    login(team_client, "olga")
    where = _upload(team_client, tmp_path).headers["location"]
    job_id = where.rsplit("/", 1)[1]
    assert _json(team_client, where)["status"] == "queued"  # just uploaded: not called lost
    redis.Redis.from_url(redis_ok).flushdb()
    with open_store(team_db["url"]) as store, store.engine.begin() as conn:
        conn.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(created_at=datetime.now(UTC) - timedelta(minutes=5))
        )
    assert _json(team_client, where)["result"]["error"]["reason"] == "worker_lost"


def test_upload_with_redis_down_is_refused_clearly(team_db: dict[str, Any], tmp_path: Path) -> None:
    """Redis down at upload time: one clear 503 naming the queue, no job left "queued"."""
    with TestClient(create_app(team_config(tmp_path, team_db["url"], DEAD_REDIS))) as client:
        assert login(client, "olga").status_code == 303  # the login limit falls back to memory
        r = _upload(client, tmp_path)
        assert r.status_code == 503, r.text[:300]
        assert "Redis" in r.text and "127.0.0.1:1/15" in r.text and "ConnectionError" not in r.text
        with open_store(team_db["url"]) as store, store.engine.connect() as conn:
            statuses = list(conn.execute(select(JobRow.status)).scalars())
        assert statuses == ["failed"]
        assert list((tmp_path / "uploads").rglob("*.json")) == []  # the refused file is not kept

        # A job that finished before Redis went away still shows (it was a 500).
        done_id = uuid.uuid4().hex
        with open_store(team_db["url"]) as store, store.engine.begin() as conn:
            conn.execute(
                insert(JobRow).values(
                    id=done_id, kind="chat", status="done", user_id=None, filename="old.json",
                    client=None, progress=3, created_at=datetime.now(UTC),
                    result={"messages_added": 3, "messages_existing": 0, "clients": []},
                )
            )  # fmt: skip
        page = client.get(f"/jobs/{done_id}")
        assert page.status_code == 200 and "old.json" in page.text


def test_login_works_while_redis_is_down(team_db: dict[str, Any], redis_ok: str, tmp_path: Path) -> None:
    """Redis up at start-up, gone later: logging in was a 500 page (the rate limit's
    counter is in Redis); now the limit holds in memory until Redis is back."""
    import redis

    app = create_app(team_config(tmp_path, team_db["url"], redis_ok))
    app.state.cg.limiter._redis = redis.Redis.from_url(DEAD_REDIS, socket_connect_timeout=1)
    with TestClient(app) as client:
        assert login(client, "olga").status_code == 303
        client.cookies.clear()
        codes = [login(client, "ivan", "wrong password").status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
