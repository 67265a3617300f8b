"""The upload job page lists skipped records with their reason in the page's language.

The job row kept each skipped record's English reason only (``summary.to_json()``), so a
Russian page read "Пропущено — 1 повреждённая запись:" followed by "broken JSON: Expecting
',' delimiter: line 1 column 52 (char 51)", and the record's place named our upload
folder. The job now keeps the reason in every language beside the English ``error``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from clientguard.store import Store
from tests.web.web_helpers import TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

BROKEN = (
    '{"timestamp": "2025-09-01T10:00:00", "sender": "Анна", "text": "привет"}\n'
    '{"timestamp": "2025-09-01T10:01:00", "sender": "Анна" "text": "где макет?"}\n'
    '{"timestamp": "2025-09-01T10:02:00", "sender": "Иван", "text": "сегодня"}\n'
).encode()


@pytest.fixture()
def skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    """The job's import with ``skip_bad``, as ``clientguard import --skip-bad`` runs it."""
    real = Store.import_paths

    def import_paths(self: Store, paths: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["skip_bad"] = True
        return real(self, paths, *args, **kwargs)

    monkeypatch.setattr(Store, "import_paths", import_paths)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Пропущено — 1 повреждённая запись:",
                "chat.jsonl:строка 2: повреждённый JSON: между значениями нет запятой «,» (столбец 55)"]),
        ("en", ["chat.jsonl:line 2: broken JSON: Expecting ',' delimiter: line 1 column 55 (char 54)"]),
    ],
)  # fmt: skip
def test_the_job_page_words_a_skipped_record_in_its_language(
    tmp_home: Path, skipping: None, lang: str, words: list[str]
) -> None:
    with TestClient(create_app(local_config(tmp_home))) as client:
        client.get("/")
        r = client.post(
            "/upload",
            files={"file": ("chat.jsonl", BROKEN)},
            data={"csrf": client.cookies.get("cg_csrf") or "", "client": "Анна"},
            follow_redirects=False,
        )
        job = wait_job(client, r.headers["location"])
        assert job["status"] == "done", job
        (row,) = job["result"]["skipped"]
        # the API keeps the English reason as before; the upload folder is not the user's
        assert row["error"] == "broken JSON: Expecting ',' delimiter: line 1 column 55 (char 54)"
        assert row["file"] == "chat.jsonl"
        page = client.get(f"{r.headers['location']}?lang={lang}").text
    notes = re.search(r'<ul class="job-notes" id="job-notes"[^>]*>(.*?)</ul>', page, re.S)
    assert notes, page[-2000:]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", "", notes.group(1))).split())
    for w in words:
        assert w in shown, shown
    if lang == "ru":
        assert "Expecting" not in shown and "broken" not in shown

