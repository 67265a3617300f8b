"""The upload job page words the importers' notices from their codes, in the page's language.

Before, the job row kept the importers' English sentences and the page translated the
ones its regexes knew; a notice they did not match (any new wording, a reason they did not
list) stayed English on a Russian page, and no count could be worded in Russian.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from clientguard.errors import place_text
from clientguard.ingest.notices import Notice, NoticeCode
from clientguard.web.import_notes import job_notes
from tests.web.web_helpers import ROOT, TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

SAMPLE = ROOT / "examples" / "sample_chat.json"


def _full_export() -> bytes:
    client = json.loads(SAMPLE.read_text(encoding="utf-8"))
    note = {"id": 1, "type": "message", "date": "2025-09-01T10:00:00", "date_unixtime": "1756710000",
            "from": "Анна Смирнова", "from_id": "user5550001", "text": "заметка себе", "text_entities": []}
    bot = {"name": "BotFather", "type": "bot_chat", "id": 93372553, "messages": [note] * 5}
    account = {"personal_information": {"user_id": 5550001}, "chats": {"list": [client, bot]}}
    return json.dumps(account, ensure_ascii=False).encode()


@pytest.fixture()
def app_client(tmp_home: Path) -> Any:
    client = TestClient(create_app(local_config(tmp_home)))
    client.__enter__()
    client.get("/")  # the CSRF cookie
    yield client
    client.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", "result.json:чат chats.list[1]: не загружено: «BotFather» — переписка с ботом, "
               "это не переписка с клиентом. В нём 5 сообщений."),
        ("en", "result.json:chats.list[1]: left out “BotFather”: a chat with a bot, "
               "not a conversation with a client. It holds 5 messages."),
    ],
)  # fmt: skip
def test_the_job_page_words_the_notice_in_its_language(app_client: TestClient, lang: str, words: str) -> None:
    r = app_client.post(
        "/upload",
        files={"file": ("result.json", _full_export())},
        data={"csrf": app_client.cookies.get("cg_csrf") or "", "client": ""},
        follow_redirects=False,
    )
    job = wait_job(app_client, r.headers["location"])
    assert job["status"] == "done", job
    assert [(n["code"], n["params"]) for n in job["result"]["notices"]] == [
        ("named_chat_left_out", {"name": "BotFather", "kind": "bot_chat", "messages": 5})]
    page = app_client.get(f"{r.headers['location']}?lang={lang}").text
    notes = re.search(r'<ul class="job-notes" id="job-notes"[^>]*>(.*?)</ul>', page, re.S)
    assert notes, page[-2000:]
    assert words in html.unescape(re.sub(r"<[^>]+>", "", notes.group(1)))


@pytest.mark.parametrize(
    "notice",
    [
        Notice(NoticeCode.ENCODING_GUESSED, {"encoding": "KOI8-R"}, "chat.txt"),
        Notice(NoticeCode.CHAT_LEFT_OUT, {"kind": "verification_codes", "messages": 2}, "r.json",
               "chats.list[4]"),
        Notice(NoticeCode.NAMED_CHAT_LEFT_OUT, {"name": "Новости", "kind": "channel", "messages": 22},
               "r.json"),
        Notice(NoticeCode.DATE_ORDER_GUESSED, {"order": "dmy", "reason": "set_by_user"}, "wa.txt", "line 1"),
        Notice(NoticeCode.DATE_ORDER_GUESSED, {"order": "mdy", "reason": "us_12h"}, "wa.txt", "line 1"),
    ],
)  # fmt: skip
def test_a_russian_page_has_no_english_notice(notice: Notice) -> None:
    """Every code and term in Russian: no Latin word but the file's own name and the codec."""
    [note] = job_notes({"notices": [notice.to_json()]}, "ru")
    # the place in Russian too ("строка 1", "чат chats.list[4]": tests/cli/test_places_worded.py)
    place = f"{notice.file}:{place_text(notice.where, 'ru')}" if notice.where else notice.file
    assert note["place"] == place
    assert not re.search(r":(line|byte) \d", note["place"]), note["place"]
    latin = re.findall(r"[A-Za-z]{2,}", note["text"].replace("UTF-8", "").replace("KOI8-R", ""))
    assert latin == [], note["text"]
    assert str(notice.params.get("messages", "")) in note["text"]
