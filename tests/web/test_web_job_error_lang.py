"""A failed job's own error line is shown in the viewer's language.

The job row keeps the English (``error``: the API, logs and scripts read it); the page put
that English under the Russian explanation: a specialist's refused upload read "E600: the
file touches a client you have no access to; nothing was imported" on a Russian page, and
an unrecognised file "E101: junk.bin: no importer recognises this content". The record now
holds the line in each language (``result.error.text``) and the page shows the viewer's.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from clientguard.store import open_store
from clientguard.web import jobs
from clientguard.web.auth import add_user
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

RU = "E600: файл затрагивает клиента, к которому у вас нет доступа; ничего не импортировано"
EN = "E600: the file touches a client you have no access to; nothing was imported"


def _box(page: str) -> str:
    found = re.search(r'id="job-error">(.*?)</div>', page, re.S)
    assert found, page[-800:]
    return html.unescape(found.group(1))


@pytest.mark.parametrize(("lang", "line", "other"), [("ru", RU, EN), ("en", EN, RU)])
def test_a_specialist_s_refused_upload_is_worded_in_the_viewer_s_language(
    tmp_path: Path, tmp_home: Path, lang: str, line: str, other: str
) -> None:
    cfg = local_config(tmp_home)
    upload = tmp_path / "uploads" / "chat.json"
    upload.parent.mkdir()
    shutil.copy(SAMPLE_CHAT, upload)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client="Кофейня «Пенка»")  # not granted to the specialist
        spec = add_user(store, "spec", "specialist", "password-123")
        job = jobs.create_job(store, "chat", "chat.json", None, spec.id)
    jobs.run_job(job, cfg.db_url, str(upload), "chat", None, None)
    with open_store(cfg.db_url) as store:
        row = jobs.job_status(store, job)
    assert row is not None and row["status"] == "failed"
    assert row["error"] == EN  # the API and the logs keep the English, as before
    with TestClient(create_app(cfg)) as web:
        box = _box(web.get(f"/jobs/{job}?lang={lang}").text)
    assert line in box and other not in box
    assert "Пенка" not in box  # the other client's name stays untold (QA7)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("ru", "E101: junk.bin: ни один импорт не узнаёт это содержимое"),
     ("en", "E101: junk.bin: no importer recognises this content")],
)  # fmt: skip
def test_an_input_error_s_details_are_in_the_viewer_s_language(
    tmp_path: Path, tmp_home: Path, lang: str, line: str
) -> None:
    cfg = local_config(tmp_home)
    junk = tmp_path / "uploads" / "junk.bin"
    junk.parent.mkdir()
    junk.write_bytes(b"\x00\x01\x02\xff\xfe junk \x89PNG")
    with open_store(cfg.db_url) as store:
        job = jobs.create_job(store, "chat", "junk.bin", None, None)
    jobs.run_job(job, cfg.db_url, str(junk), "chat", None, None)
    with TestClient(create_app(cfg)) as web:
        box = _box(web.get(f"/jobs/{job}?lang={lang}").text)
    details = re.search(r"<details.*?</details>", box, re.S)
    assert details and line in details.group(0), box
