"""The dispute export flags the messages the dashboard flags, with the same labels.

QA counted 11 flagged messages in the export and 13 on the client page: the export ran
the message detector over each text alone, while the page reads each message in context
("Ответьте сейчас, пожалуйста" sent at 23:40 is an off-hours demand only by its time)
and marks the messages conversation signals name (sent off hours, out of scope, over
the revision limit). Both now read ``clientguard.web.profiles.message_flags`` of the
page's profile. The chat below has a message whose signal exists only in context; the
page, the web export and the CLI export must list the same flagged messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from typer.testing import CliRunner

from clientguard import analyze_texts
from clientguard.cli import build_app
from clientguard.evidence.verify import resolve_client
from clientguard.store import open_store
from clientguard.web.app import create_app
from tests.web.web_helpers import TestClient, local_config

CLIENT = "Студия «Ромашка»"
NIGHT_DEMAND = "Ответьте сейчас, пожалуйста"  # 23:40 Moscow time: a demand only by the clock
# (UTC epoch, sender id, text); user1 is the specialist, Monday 2025-09-01 to Thursday.
CHAT = (
    (1756713600, "user1", "Добрый день! Отправила макеты постов на неделю."),
    (1756717800, "user2", "Спасибо, посмотрю до вечера."),
    (1756720800, "user1", "Хорошо, жду обратной связи."),
    (1756932000, "user2", NIGHT_DEMAND),
    (1756932720, "user2", "Вы тут?"),
    (1756972800, "user2", "Это совсем не то, что я просил, переделайте всё."),
    (1756974600, "user1", "Поняла, пришлю новый вариант."),
)


def _chat(path: Path) -> Path:
    names = {"user1": "Ольга", "user2": "Игорь"}
    messages = [
        {"id": i, "type": "message", "date_unixtime": str(ts), "from": names[who], "from_id": who,
         "text": body, "text_entities": []}
        for i, (ts, who, body) in enumerate(CHAT, start=1)
    ]  # fmt: skip
    data = {"name": "Игорь", "type": "personal_chat", "id": 4242, "messages": messages}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _flagged_table(page: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The export's flagged messages: (text, signal names, signal ids), in any order."""
    soup = BeautifulSoup(page, "html.parser")
    head = next(
        h for h in soup.find_all("h2") if h.get_text() in ("Сообщения с сигналами", "Flagged messages")
    )
    table = head.find_next_sibling()
    assert isinstance(table, Tag) and table.name == "table", "the export lists no flagged messages"
    out = []
    for row in table.find_all("tr")[1:]:
        cells = row.find_all("td")
        tags = cells[3].find_all("span", class_="tag")
        out.append(
            (
                cells[4].get_text(),
                tuple(t.get_text() for t in tags),
                tuple(str(t["title"]) for t in tags),
            )
        )
    return sorted(out)


def _page_flagged(page: str) -> list[tuple[str, tuple[str, ...]]]:
    """The client page's flagged messages: (text, label names)."""
    soup = BeautifulSoup(page, "html.parser")
    section = soup.find("section", id="flagged")
    assert isinstance(section, Tag)
    out = []
    for msg in section.find_all("div", class_="msg"):
        text = msg.find("div", class_="msg-text")
        assert isinstance(text, Tag)
        out.append((text.get_text(), tuple(c.get_text() for c in msg.find_all("span", class_="chip"))))
    return sorted(out)


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLIENTGUARD_TZ", "Europe/Moscow")
    cfg = local_config(tmp_path)
    monkeypatch.setenv("CLIENTGUARD_DB", cfg.db_url)
    with open_store(cfg.db_url) as store:
        store.import_paths([_chat(tmp_path / "result.json")], client=CLIENT, me=["user1"])
        with store.engine.connect() as conn:
            cid = resolve_client(conn, CLIENT)
    with TestClient(create_app(cfg)) as web:
        web.get("/")
        page = web.get(f"/clients/{cid}")
        exported = web.get(f"/clients/{cid}/evidence.html")
    assert page.status_code == 200 and exported.status_code == 200
    out = tmp_path / "dispute.json"
    result = CliRunner().invoke(build_app(), ["evidence", "export", CLIENT, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {"page": page.text, "web_export": exported.text, "json": json.loads(out.read_text("utf-8"))}


def test_the_night_demand_is_a_signal_only_in_context() -> None:
    """The premise: the detector alone does not flag the text (else this tests nothing)."""
    (alone,) = analyze_texts([NIGHT_DEMAND])
    assert "off_hours_demand" not in alone.labels


def test_export_and_dashboard_list_the_same_flagged_messages(site: dict[str, Any]) -> None:
    page = _page_flagged(site["page"])
    web_export = _flagged_table(site["web_export"])
    # The page and the web's export: the same messages with the same labels, by name.
    assert [(text, names) for text, names, _ids in web_export] == page
    # The CLI's export (JSON, label ids) agrees with the web's export.
    cli = sorted((e["text"], tuple(e["signals"])) for e in site["json"]["flagged"])
    assert cli == [(text, ids) for text, _names, ids in web_export]
    # The in-context signal is among them, in both.
    night = [ids for text, _names, ids in web_export if text == NIGHT_DEMAND]
    assert night and "off_hours_demand" in night[0]
    assert any(text == NIGHT_DEMAND for text, _labels in page)
    # A message sent in working hours with nothing in it is flagged by neither.
    assert all(text != "Спасибо, посмотрю до вечера." for text, _labels in page)
