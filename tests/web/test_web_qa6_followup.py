"""QA pass 6 follow-up on the dashboard: what the upload job and the client header left unsaid.

* W1 upload job page: it showed only counts, none of the notes ``clientguard import``
  prints: a file read as Windows-1251, Saved Messages left out of a full export, a guessed
  day/month order, skipped records, a chat filed under the client of the same chat.
* W3 client page header: it showed the first 4 reasons of the recommendation and dropped
  the rest without a word.
* W2 upload: a file over the size limit was refused with "Файл слишком большой. (≤ 0 MB)":
  no file named, and a limit under 1 MB read as 0.
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import pytest

from clientguard.web.fields import upload_name
from clientguard.web.import_notes import job_notes
from tests.web.web_helpers import ROOT, SAMPLE_CHAT, TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")


@pytest.mark.parametrize(
    ("form", "filename", "lang", "json", "words"),
    [
        ("upload", "big.txt", "ru", False, "Файл «big.txt» больше 98 КБ, а это предел размера загрузки."),
        ("upload", "переписка.json", "en", False, "The file “переписка.json” is larger than 98 KB"),
        ("upload", "big.txt", "en", True, "The file “big.txt” is larger than 98 KB"),
        ("contract", "договор.docx", "ru", False, "Файл «договор.docx» больше 98 КБ"),
    ],
)
def test_an_oversize_upload_names_the_file_and_the_limit(
    tmp_home: Path, form: str, filename: str, lang: str, json: bool, words: str
) -> None:
    """W2: "Файл слишком большой. (≤ 0 MB)" named neither the file nor a readable limit."""
    with TestClient(create_app(local_config(tmp_home, max_upload_bytes=100_000))) as client:
        client.get("/")
        r = client.post(
            f"/{form}?lang={lang}",
            files={"file": (filename, b"x" * 300_000)},
            data={"csrf": client.cookies.get("cg_csrf") or "", "client": "Игорь"},
            headers={"accept": "application/json" if json else "text/html"},
        )
    assert r.status_code == 413
    text = r.json()["error"]["message"] if json else html.unescape(re.sub(r"<[^>]+>", " ", r.text))
    assert words in text, text[-1500:]
    assert "0 MB" not in text


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc\r\n--b\r\n'
         b'Content-Disposition: form-data; name="file"; filename="chat.json"\r\n', "chat.json"),
        ('Content-Disposition: form-data; name="file"; filename="чат.txt"\r\n'.encode(), "чат.txt"),
        (b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%D1%87.txt\r\n", "ч.txt"),
        (b'Content-Disposition: form-data; name="file"; filename="C:\\Users\\a\\big.zip"\r\n', "big.zip"),
        (b'Content-Disposition: form-data; name="file"; filename="cut-of', ""),  # not all read yet
        (b'Content-Disposition: form-data; name="csrf"\r\n\r\nabc', ""),
    ],
)  # fmt: skip
def test_upload_name_is_read_from_the_start_of_the_body(head: bytes, name: str) -> None:
    assert upload_name(head) == name


CP1251_CHAT = "01.10.2025, 10:00 - Анна: Добрый день\n01.10.2025, 10:05 - Игорь: ок\n".encode("cp1251")
SLASH_CHAT = "01/02/2025, 10:00 - Анна: Добрый день\n01/03/2025, 10:05 - Игорь: ок\n".encode()
FULL_EXPORT = ROOT / "tests" / "fixtures" / "ingest" / "telegram_full.json"


@pytest.fixture()
def app_client(tmp_home: Path) -> TestClient:
    client = TestClient(create_app(local_config(tmp_home)))
    client.__enter__()
    client.get("/")  # the CSRF cookie
    yield client  # type: ignore[misc]
    client.__exit__(None, None, None)


def _upload(client: TestClient, filename: str, data: bytes, name: str, lang: str) -> str:
    """Upload ``data`` as ``filename``; the finished job's page as text."""
    r = client.post(
        "/upload",
        files={"file": (filename, data)},
        data={"csrf": client.cookies.get("cg_csrf") or "", "client": name},
        follow_redirects=False,
    )
    job = wait_job(client, r.headers["location"])
    assert job["status"] == "done", job
    page = client.get(f"{r.headers['location']}?lang={lang}").text
    notes = re.search(r'<ul class="job-notes" id="job-notes"[^>]*>(.*?)</ul>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", notes.group(1))) if notes else ""


@pytest.mark.parametrize(
    ("filename", "lang", "words"),
    [
        ("chat.txt", "ru", "chat.txt: файл не в UTF-8: прочитан как Windows-1251 "
                           "(кодировка определена по буквам)."),
        ("chat.txt", "en", "chat.txt: not UTF-8: read as Windows-1251 (told from its letters)."),
        ("result.json", "ru", "result.json:чат chats.list[2]: не загружено: «Избранное» (Saved Messages) — "
                              "ваши собственные заметки, это не переписка с клиентом."),
        ("result.json", "en", "result.json:chats.list[2]: left out Saved Messages: your own notes, "
                              "not a conversation with a client."),
        ("us.txt", "ru", "us.txt:строка 1: порядок дня и месяца в датах не удалось установить наверняка; "
                         "даты прочитаны как день/месяц: ни одно число не больше 12"),
        ("us.txt", "en", "us.txt:line 1: the day/month order of its dates could not be proven; "
                         "read as day/month"),
    ],
)  # fmt: skip
def test_the_job_page_shows_the_importers_notes(
    app_client: TestClient, filename: str, lang: str, words: str
) -> None:
    """W1: the CLI says "read as Windows-1251", "left out Saved Messages"; the job page said
    only "Imported: 2 new messages", so a garbled or partial import looked like a clean one."""
    data = {"chat.txt": CP1251_CHAT, "us.txt": SLASH_CHAT, "result.json": FULL_EXPORT.read_bytes()}[filename]
    notes = _upload(app_client, filename, data, "" if filename == "result.json" else "Анна", lang)
    assert words in notes, notes
    assert "/tmp" not in notes and "uploads" not in notes  # the user's file name, not our folder


def test_a_clean_import_has_no_notes(app_client: TestClient) -> None:
    assert _upload(app_client, SAMPLE_CHAT.name, SAMPLE_CHAT.read_bytes(), "", "ru") == ""


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Пропущено — 2 повреждённые записи:", "chat.json:сообщение messages[3]: bad date",
                "Переписка «Игорь» — та же, что уже сохранённая «Игорь Пенкин» "
                "(совпали первые сообщения: 40)"]),
        ("en", ["Skipped 2 broken records:", "chat.json:messages[3]: bad date",
                "The chat “Игорь” is the stored chat “Игорь Пенкин” in another export format (its first 40"]),
    ],
)  # fmt: skip
def test_job_notes_say_skipped_records_and_the_same_chat(lang: str, words: list[str]) -> None:
    result = {
        "skipped": [
            {"file": "chat.json", "where": "messages[3]", "error": "bad date"},
            {"file": "chat.json", "where": "messages[9]", "error": "no text"},
        ],
        "same_chat": [{"chat": "Игорь", "stored": "Игорь Пенкин", "client": "Игорь Пенкин", "matched": 40}],
        "notices": [{"file": "x.txt", "where": "", "message": "something new the page does not know"}],
    }
    shown = [f"{n['place']}: {n['text']}" if n["place"] else n["text"] for n in job_notes(result, lang)]
    for w in words:
        assert any(w in line for line in shown), shown
    assert shown[-1] == "x.txt: something new the page does not know"  # as written


def many_reasons(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """Every client's recommendation gets ``n`` reasons (long ones, to test the fit too)."""
    from clientguard.analysis.model import Reason
    from clientguard.web.profiles import ProfileCache

    real = ProfileCache.profile

    def profile(self: ProfileCache, client_id: int, name: str) -> Any:
        prof = real(self, client_id, name)
        reasons = tuple(
            Reason(f"r{i}", f"Причина {i}: клиент {i} раз просил правки сверх договора за неделю",
                   f"Reason {i}: the client asked {i} times for revisions beyond the contract in a week")
            for i in range(1, n + 1)
        )
        rec = dataclasses.replace(prof.recommendation, reasons=reasons)
        return dataclasses.replace(prof, recommendation=rec)

    monkeypatch.setattr(ProfileCache, "profile", profile)


@pytest.mark.parametrize(
    ("n", "lang", "more"),
    [
        (7, "ru", "и ещё 3 причины"),
        (5, "ru", "и ещё 1 причина"),
        (9, "ru", "и ещё 5 причин"),
        (7, "en", "and 3 more reasons"),
        (5, "en", "and 1 more reason"),
        (4, "ru", None),
        (2, "en", None),
    ],
)
def test_the_header_says_it_has_more_reasons(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch, n: int, lang: str, more: str | None
) -> None:
    """W3: the header listed ``reasons[:4]``: a fifth reason and on were never shown or hinted at."""
    many_reasons(monkeypatch, n)
    app_client.app.state.cg.store.import_paths([SAMPLE_CHAT])  # type: ignore[attr-defined]
    page = html.unescape(app_client.get(f"/clients/1?lang={lang}").text)
    first = re.search(r'<ul class="reasons" id="reasons">(.*?)</ul>', page, re.S)
    assert first and first.group(1).count("<li>") == min(n, 4), page[-2000:]
    details = r'<details class="reasons-more" id="reasons-more"><summary>(.*?)</summary>(.*?)</details>'
    rest = re.search(details, page, re.S)
    if more is None:
        assert rest is None
        return
    assert rest and rest.group(1) == more
    word = "Причина" if lang == "ru" else "Reason"
    assert re.findall(rf"<li>{word} (\d+):", rest.group(2)) == [str(i) for i in range(5, n + 1)]
