"""The dashboard: the same CSV or mail uploaded twice is one stored conversation.

Each upload is kept in its own folder, and a table's or mail's conversation was keyed by
the file's path, so the second upload of one file stored the chat a second time (the
portfolio and the client page showed two chats). Now the second upload finds the first by
content and its job page says every message was already stored.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clientguard.store import open_store
from clientguard.store.models import ConversationRow, MessageRow
from tests.web.web_helpers import TestClient, create_app, local_config, wait_job

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

CSV = (
    "timestamp,sender,text\n"
    "2025-09-01T10:00:00,Анна,Где макет главной?\n"
    "2025-09-01T10:05:00,Иван,Пришлю вечером\n"
    "2025-09-01T19:00:00,Иван,Вот макет\n"
).encode()
MAIL = (
    "From: Анна <anna@example.com>\nSubject: Макет\nDate: Mon, 01 Sep 2025 10:00:00 +0300\n"
    "Message-ID: <upload-1@example.com>\nContent-Type: text/plain; charset=utf-8\n\nГде макет?\n"
).encode()


def _upload(client: TestClient, name: str, data: bytes) -> str:
    r = client.post(
        "/upload",
        files={"file": (name, data)},
        data={"csrf": client.cookies.get("cg_csrf") or ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return str(r.headers["location"])


def _counts(db_url: str) -> list[int]:
    """Messages of each stored conversation."""
    with open_store(db_url) as store, store.engine.connect() as conn:
        count = select(func.count()).where(MessageRow.conversation_id == ConversationRow.id).scalar_subquery()
        rows = conn.execute(select(ConversationRow.id, count).order_by(ConversationRow.id))
        return [int(n) for _, n in rows]


SAID = {
    "en": ("already stored: 3", "its first records are those of the stored conversation “chat”"),
    "ru": ("уже в базе: 3", "первые записи — как у сохранённой переписки «chat»"),
}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_one_csv_uploaded_twice_is_one_conversation(tmp_home: Path, db_url: str, lang: str) -> None:
    cfg = local_config(tmp_home, db_url=db_url)
    with TestClient(create_app(cfg)) as client:
        client.get("/")
        first = wait_job(client, _upload(client, "chat.csv", CSV))
        assert first["status"] == "done" and first["result"]["messages_added"] == 3, first
        where = _upload(client, "chat (1).csv", CSV)  # the browser's name for a second download
        again = wait_job(client, where)
        assert again["status"] == "done", again
        assert (again["result"]["messages_added"], again["result"]["messages_existing"]) == (0, 3)
        page = client.get(f"{where}?lang={lang}").text
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()).replace(" :", ":")
        assert SAID[lang][0] in text and SAID[lang][1] in text, text
        mail = [wait_job(client, _upload(client, "letter.eml", MAIL)) for _ in range(2)]
        assert [j["result"]["messages_existing"] for j in mail] == [0, 1]
    assert _counts(cfg.db_url) == [3, 1]
