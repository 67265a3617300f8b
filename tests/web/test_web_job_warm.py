"""An upload's job computes the touched clients' profiles, so the pages do not (QA pass 7).

The portfolio recomputed a stale client's profile inside the request: after a
376,000-message upload in team mode the first portfolio, and so every login that lands
on it, waited minutes. The job that imported the messages now computes the profiles once
it is done: the portfolio line goes to the database and the full profile to the server's
cache folder, where a page finds it under the same cache key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models_web import RiskSummaryRow
from clientguard.web import profiles
from clientguard.web.jobs import create_job, job_status, run_job
from clientguard.web.profiles import ProfileCache, cache_keys

CHAT = (
    "01.09.2025, 10:05 - Анна: Добрый день! Присылаю план\n"
    "01.09.2025, 10:07 - Игорь: Оплатим потом, сейчас денег нет\n"
    "02.09.2025, 02:10 - Игорь: Срочно переделайте всё, это ужас\n"
)


def _upload(tmp_path: Path, url: str, cache_dir: Path | None) -> None:
    file = tmp_path / "uploads" / "job1" / "chat.txt"
    file.parent.mkdir(parents=True)
    file.write_text(CHAT, encoding="utf-8")
    with open_store(url) as store:
        job = create_job(store, "chat", file.name, "Игорь", None)
    run_job(job, url, str(file), "chat", "Игорь", None, str(cache_dir) if cache_dir else None)
    with open_store(url) as store:
        status = job_status(store, job)
    assert status is not None and status["status"] == "done", status


def _no_compute(*_: object, **__: object) -> None:
    raise AssertionError("the page computed a profile the job should have computed")


def test_the_portfolio_after_an_upload_computes_nothing(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    cache_dir = tmp_path / "cache"
    _upload(tmp_path, url, cache_dir)
    with open_store(url) as store:
        keys = cache_keys(store)
        with store.engine.connect() as conn:
            lines = conn.execute(select(RiskSummaryRow.client_id, RiskSummaryRow.cache_key))
            saved = {int(c): str(k) for c, k in lines}
        assert saved == keys and saved  # the line is there, under the store's current key
        assert list(cache_dir.glob("profile-*.pickle"))
        monkeypatch.setattr(profiles, "compute_profile", _no_compute)
        page = ProfileCache(store, cache_dir)  # a fresh server process: nothing in memory
        rows = page.portfolio()
        assert [r.name for r in rows] == ["Игорь"]
        page.profile(rows[0].id, rows[0].name)  # the client page: from the cache folder


def test_without_a_cache_folder_the_portfolio_line_is_still_saved(tmp_path: Path, tmp_home: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    _upload(tmp_path, url, None)
    with open_store(url) as store, store.engine.connect() as conn:
        assert conn.execute(select(RiskSummaryRow.client_id)).scalars().all()


def test_a_failed_precompute_leaves_the_import_done(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiles, "compute_profile", _no_compute)
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    _upload(tmp_path, url, tmp_path / "cache")  # asserts the job is done
    with open_store(url) as store:
        assert [c.name for c in store.clients()] == ["Игорь"]


def test_a_re_upload_still_links_its_client(tmp_path: Path, tmp_home: Path) -> None:
    """A stored file uploaded again adds nothing; its job page still names whose chat it is.

    The job listed the clients that got new messages, so a re-upload without a client
    typed in the form showed "0 new messages" and no link (QA pass 7).
    """
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    file = tmp_path / "uploads" / "a" / "chat.txt"
    file.parent.mkdir(parents=True)
    file.write_text(CHAT, encoding="utf-8")
    results = []
    for _ in range(2):
        with open_store(url) as store:
            job = create_job(store, "chat", file.name, None, None)
        run_job(job, url, str(file), "chat", None, None, None)
        with open_store(url) as store:
            status = job_status(store, job)
        assert status is not None and status["status"] == "done", status
        results.append(status["result"])
    assert results[1]["messages_added"] == 0
    assert results[1]["clients"] == results[0]["clients"] and results[0]["clients"]


def test_two_threads_storing_one_profile_do_not_collide(tmp_path: Path, tmp_home: Path) -> None:
    """The upload's job and a page can store the same profile at once in one process: the
    temporary file was named by process only, so one thread renamed it from under the other
    (FileNotFoundError on the page)."""
    import threading

    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    cache_dir = tmp_path / "cache"
    _upload(tmp_path, url, cache_dir)
    errors: list[BaseException] = []
    with open_store(url) as store:
        cache = ProfileCache(store, cache_dir)
        cid = next(iter(cache_keys(store)))
        prof = cache.profile(cid, "Игорь")
        key = cache_keys(store)[cid]
        start = threading.Barrier(4)

        def dump() -> None:
            start.wait()
            try:
                for _ in range(200):
                    cache._dump(cid, key, prof)
            except BaseException as exc:  # collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=dump) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors[:1]
    assert [p.name for p in cache_dir.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.redis
def test_a_worker_imports_the_next_upload_before_the_last_ones_profiles(
    tmp_path: Path, tmp_home: Path, redis_ok: str
) -> None:
    """With one ``clientguard worker``, an upload queued behind a finished one waited while
    the finished job computed its profiles (about 8 s per 100,000 messages). The profiles
    now go to a second queue the worker serves only when no upload waits."""
    import redis
    from rq import Queue, Worker

    from clientguard.web.jobs import QUEUE_NAME, WARM_QUEUE, Runner
    from clientguard.web.worker import queues

    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    cache_dir = tmp_path / "cache"
    conn = redis.Redis.from_url(redis_ok)
    runner = Runner(url, redis_ok, cache_dir)
    jobs = []
    for n, name in enumerate(("Игорь", "Пётр")):
        file = tmp_path / "uploads" / f"job{n}" / "chat.txt"
        file.parent.mkdir(parents=True)
        file.write_text(CHAT.replace("Игорь", name), encoding="utf-8")
        with open_store(url) as store:
            jobs.append(create_job(store, "chat", file.name, name, None))
        runner.submit(jobs[-1], file, "chat", name)

    def one_job() -> None:  # what `clientguard worker` runs, one job at a time
        Worker(queues(conn), connection=conn).work(burst=True, max_jobs=1, logging_level="WARNING")

    def status(job: str) -> str:
        with open_store(url) as store:
            found = job_status(store, job)
        assert found is not None
        return str(found["status"])

    one_job()
    assert status(jobs[0]) == "done" and len(Queue(WARM_QUEUE, connection=conn)) == 1
    assert not list(cache_dir.glob("profile-*.pickle"))  # left for later, not computed in the job
    one_job()  # the waiting upload, not the first one's profiles
    assert status(jobs[1]) == "done" and len(Queue(WARM_QUEUE, connection=conn)) == 2
    assert len(Queue(QUEUE_NAME, connection=conn)) == 0
    Worker(queues(conn), connection=conn).work(burst=True, logging_level="WARNING")
    assert len(Queue(WARM_QUEUE, connection=conn)) == 0
    assert len(list(cache_dir.glob("profile-*.pickle"))) == 2
    with open_store(url) as store, store.engine.connect() as db:
        assert len(db.execute(select(RiskSummaryRow.client_id)).scalars().all()) == 2
