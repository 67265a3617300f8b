"""The upload page can skip broken records, as ``clientguard import --skip-bad`` does.

The CLI imports an export holding a few broken records (a line that is not JSON, a message
without a date) and lists what it left out; the upload form had no such choice, so one
broken record failed the whole job and the page could only say "fix that place and upload
the file again". Now the form has a "skip broken records" box (off, as in the CLI), passed
through the job (in-process or on the Redis queue) to the importer; a job that failed on a
broken record with the box off offers to run the same kept upload again with skipping on,
or, when the file is no longer kept, says to upload it again with the box ticked.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models import ImportRow
from clientguard.web.i18n import tr
from tests.web.web_helpers import TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

# Line 2 is not JSON (a comma missing), line 4 has no date: two records for --skip-bad.
BROKEN = (
    '{"timestamp": "2025-09-01T10:00:00", "sender": "Анна", "text": "привет, где макет?"}\n'
    '{"timestamp": "2025-09-01T10:01:00", "sender": "Анна" "text": "жду"}\n'
    '{"timestamp": "2025-09-01T10:02:00", "sender": "Иван", "text": "сегодня пришлю"}\n'
    '{"sender": "Анна", "text": "оплата на следующей неделе"}\n'
    '{"timestamp": "2025-09-01T10:04:00", "sender": "Иван", "text": "хорошо"}\n'
).encode()

SKIPPED = {
    "ru": [
        "Пропущено — 2 повреждённые записи:",
        "chat.jsonl:строка 2: повреждённый JSON: между значениями нет запятой «,» (столбец 55)",
        "chat.jsonl:строка 4: не хватает: timestamp",
    ],
    "en": [
        "Skipped 2 broken records:",
        "chat.jsonl:line 2: broken JSON: Expecting ',' delimiter: line 1 column 55 (char 54)",
        "chat.jsonl:line 4: missing timestamp",
    ],
}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(" :", ":")


def _notes(page: str) -> str:
    found = re.search(r'<ul class="job-notes" id="job-notes"[^>]*>(.*?)</ul>', page, re.S)
    assert found, page[-2000:]
    return _text(found.group(1))


def _csrf(client: TestClient) -> str:
    return client.cookies.get("cg_csrf") or ""


def _upload(client: TestClient, **data: str) -> str:
    r = client.post(
        "/upload",
        files={"file": ("chat.jsonl", BROKEN)},
        data={"csrf": _csrf(client), "client": "Анна", **data},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def _skipped_in_audit(db_url: str) -> list[int]:
    """What the store's import audit (the ``imports`` rows, as after ``clientguard import``) counts."""
    with open_store(db_url) as store, store.engine.connect() as conn:
        return list(conn.scalars(select(ImportRow.skipped).order_by(ImportRow.id)))


@pytest.mark.parametrize(
    ("lang", "label"), [("ru", "Пропускать повреждённые записи"), ("en", "Skip broken records")]
)
def test_the_upload_form_has_the_box_unticked(local_client: TestClient, lang: str, label: str) -> None:
    page = local_client.get(f"/upload?lang={lang}").text
    box = re.search(r'<label class="check"><input type="checkbox" name="skip_bad"[^>]*>([^<]*)</label>', page)
    assert box, page
    assert box.group(1).strip() == label
    assert "checked" not in box.group(0)  # off by default, as `clientguard import` without --skip-bad


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_ticked_box_imports_the_rest_and_lists_the_skipped_records(tmp_home: Path, lang: str) -> None:
    cfg = local_config(tmp_home)
    with TestClient(create_app(cfg)) as client:
        client.get("/")
        where = _upload(client, skip_bad="1")
        job = wait_job(client, where)
        assert job["status"] == "done", job
        assert job["result"]["messages_added"] == 3
        assert job["result"]["skip_bad"] is True
        assert [(s["file"], s["where"]) for s in job["result"]["skipped"]] == [
            ("chat.jsonl", "line 2"), ("chat.jsonl", "line 4"),
        ]  # fmt: skip
        page = client.get(f"{where}?lang={lang}").text
    shown = _notes(page)
    for line in SKIPPED[lang]:
        assert line in shown, shown
    assert 'id="job-again"' not in page
    # nothing left out unrecorded: the import's audit row counts them, as after the CLI's import
    assert _skipped_in_audit(cfg.db_url) == [2]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_broken_record_without_the_box_offers_the_same_upload_again(tmp_home: Path, lang: str) -> None:
    cfg = local_config(tmp_home)
    with TestClient(create_app(cfg)) as client:
        client.get("/")
        where = _upload(client)
        job = wait_job(client, where)
        assert job["status"] == "failed" and job["result"]["error"]["code"] == "E102", job
        page = client.get(f"{where}?lang={lang}").text
        error = re.search(r'<div class="error-message" id="job-error">(.*?)</div>', page, re.S)
        line = "строка" if lang == "ru" else "line"
        assert error and f"chat.jsonl:{line} 2" in _text(error.group(1))  # which record
        offer = re.search(r'<form method="post" action="(/jobs/\w+/again)"[^>]*id="job-again">(.*?)</form>',
                          page, re.S)  # fmt: skip
        assert offer, page[-3000:]
        assert tr("job_again_offer", lang) in html.unescape(offer.group(2))
        assert tr("job_again_button", lang) in html.unescape(offer.group(2))
        assert 'name="file"' not in offer.group(2)  # the kept upload, not a new pick
        assert _skipped_in_audit(cfg.db_url) == []  # all or nothing: the failed run left no row

        r = client.post(offer.group(1), data={"csrf": _csrf(client)}, follow_redirects=False)
        assert r.status_code == 303, r.text
        again = str(r.headers["location"])
        assert again != where
        rerun = wait_job(client, again)
        assert rerun["status"] == "done", rerun
        assert (rerun["filename"], rerun["client"]) == ("chat.jsonl", "Анна")
        assert rerun["result"]["messages_added"] == 3 and len(rerun["result"]["skipped"]) == 2
        shown = _notes(client.get(f"{again}?lang={lang}").text)
        for line in SKIPPED[lang]:
            assert line in shown, shown
        assert wait_job(client, where)["status"] == "failed"  # the first job stays as it was
    assert len(list((tmp_home / "uploads").iterdir())) == 1  # the same file, not a second copy
    assert _skipped_in_audit(cfg.db_url) == [2]


def test_the_offer_when_the_upload_is_no_longer_kept(tmp_home: Path) -> None:
    """``clients forget`` (or a cleaned upload folder) removed the file: the page says to
    upload it again with the box ticked, and the form's address refuses instead of failing."""
    cfg = local_config(tmp_home)
    with TestClient(create_app(cfg)) as client:
        client.get("/")
        where = _upload(client)
        assert wait_job(client, where)["status"] == "failed"
        (kept,) = (tmp_home / "uploads").glob("*/chat.jsonl")
        kept.unlink()
        for lang in ("ru", "en"):
            page = client.get(f"{where}?lang={lang}").text
            hint = re.search(r'<p class="note job-again" id="job-again">(.*?)</p>', page, re.S)
            assert hint, page[-2000:]
            box = tr("skip_bad", lang)
            assert (f"«{box}»" if lang == "ru" else f"“{box}”") in html.unescape(hint.group(1))
            assert "/again" not in page
        r = client.post(f"{where}/again?lang=ru", data={"csrf": _csrf(client)}, follow_redirects=False)
        assert r.status_code == 409
        assert tr("job_again_unavailable", "ru") in html.unescape(r.text)


def test_a_file_cut_off_part_way_is_not_offered_skipping(local_client: TestClient) -> None:
    """--skip-bad never imports part of a cut-off file (E103/E104): no offer that cannot help."""
    cut = b'{"name": "x", "type": "personal_chat", "id": 1, "messages": [{"id": 1, '
    r = local_client.post(
        "/upload", files={"file": ("result.json", cut)}, data={"csrf": _csrf(local_client)},
        follow_redirects=False,
    )  # fmt: skip
    job = wait_job(local_client, r.headers["location"])
    assert job["status"] == "failed" and job["result"]["error"]["code"] in ("E103", "E104"), job
    assert 'id="job-again"' not in local_client.get(r.headers["location"]).text
    ticked = local_client.post(
        "/upload", files={"file": ("result.json", cut)}, data={"csrf": _csrf(local_client), "skip_bad": "1"},
        follow_redirects=False,
    )  # fmt: skip
    assert wait_job(local_client, ticked.headers["location"])["result"]["error"]["code"] in ("E103", "E104")
    # the box was tried already: a job run with skipping on offers nothing more
    box = _upload(local_client, skip_bad="1")
    assert wait_job(local_client, box)["status"] == "done"
    assert local_client.post(f"{box}/again", data={"csrf": _csrf(local_client)}).status_code == 409


def test_the_box_is_kept_when_the_form_comes_back(local_client: TestClient) -> None:
    """A contract without a client returns the form: the box stays as the user left it."""
    r = local_client.post(
        "/upload", files={"file": ("chat.jsonl", BROKEN)},
        data={"csrf": _csrf(local_client), "kind": "contract", "skip_bad": "1"},
    )  # fmt: skip
    assert r.status_code == 400
    assert re.search(r'<input type="checkbox" name="skip_bad"[^>]*checked', r.text), r.text[-2000:]


# -- team mode: the job runs on a `clientguard worker`, through the Redis queue ----------------
@pytest.mark.postgres
@pytest.mark.redis
def test_the_queue_carries_the_choice_to_the_worker(team_client: TestClient, redis_ok: str) -> None:
    from clientguard.web.worker import work
    from tests.web.test_web_team import csrf_of, login

    def upload(**data: str) -> str:
        page = team_client.get("/upload")
        r = team_client.post(
            "/upload", files={"file": ("chat.jsonl", BROKEN)},
            data={"csrf": csrf_of(page.text), "client": "Анна", **data}, follow_redirects=False,
        )  # fmt: skip
        assert r.status_code == 303, r.text
        return str(r.headers["location"])

    def finished(where: str) -> dict[str, Any]:
        work(redis_ok, burst=True)
        return wait_job(team_client, where)

    login(team_client, "olga")
    ticked = finished(upload(skip_bad="1"))
    assert ticked["status"] == "done" and len(ticked["result"]["skipped"]) == 2, ticked

    where = upload()
    job = finished(where)
    assert job["status"] == "failed" and job["result"]["error"]["code"] == "E102", job
    assert f'action="{where}/again"' in team_client.get(where).text

    # a specialist who cannot open the job cannot run it again
    team_client.post("/logout", data={"csrf": csrf_of(team_client.get("/").text)})
    login(team_client, "petr")
    token = csrf_of(team_client.get("/upload").text)
    assert team_client.post(f"{where}/again", data={"csrf": token}).status_code == 404
    team_client.post("/logout", data={"csrf": token})

    login(team_client, "olga")
    r = team_client.post(f"{where}/again", data={"csrf": csrf_of(team_client.get(where).text)},
                         follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    rerun = finished(r.headers["location"])
    assert rerun["status"] == "done" and rerun["result"]["skip_bad"] is True, rerun
    assert [s["where"] for s in rerun["result"]["skipped"]] == ["line 2", "line 4"]
