"""The dispute export read by the other side's lawyer (QA pass 7 on the evidence).

F1: a message the client forwarded from a partner was printed as the client's own words,
and an edited message as if sent so; both facts are in the log (the message's payload
names ``forwarded_from`` and ``edited``) and the document dropped them.

F2: the HTML said only "each record stores the SHA-256 of the previous record and the
canonical JSON of its content" and the JSON export held each entry's hash and nothing a
reader could recompute it from (no previous hash, no record fields, no message JSON), so
nobody without clientguard could check the head hash it printed. The JSON now carries the
whole chain and each message's exact JSON; a dozen lines below, using only the file,
recompute the head and check every quoted message against the hash its record lists.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from evidence_sample import cli

CLIENT = "Кофейня «Пенка»"


def _telegram(path: Path) -> Path:
    """A chat with an edited message, a forwarded one and a threat, as Telegram exports it."""

    def msg(i: int, day: str, who: str, uid: str, text: str, **extra: Any) -> dict[str, Any]:
        unix = str(int(datetime.fromisoformat(day + "+03:00").timestamp()))
        row = {"id": i, "type": "message", "date": day, "date_unixtime": unix, "from": who,
               "from_id": uid, "text": text}  # fmt: skip
        return row | extra

    edited = "2025-09-05T22:40:00"
    messages = [
        msg(1, "2025-09-02T10:00:00", "Игорь", "user111", "Подтверждаю: 10 постов, оплата до 15.09."),
        msg(2, "2025-09-02T10:02:00", "Ольга", "user555", "Принято, счёт отправила."),
        msg(3, "2025-09-05T22:30:00", "Игорь", "user111", "Сделайте заодно лендинг бесплатно",
            edited=edited, edited_unixtime=str(int(datetime.fromisoformat(edited + "+03:00").timestamp()))),
        msg(4, "2025-09-06T09:00:00", "Игорь", "user111", "Вы нас обманули, платить не будем",
            forwarded_from="Пётр Партнёр"),
        msg(5, "2025-09-16T23:50:00", "Игорь", "user111", "Оставлю отзыв, что вы мошенники."),
        msg(6, "2025-09-17T10:00:00", "Игорь", "user111", "Акт во вложении", file="files/akt.pdf",
            media_type="document", mime_type="application/pdf"),
    ]  # fmt: skip
    call = msg(7, "2025-09-17T02:14:00", "Игорь", "user111", "")
    call = {k: v for k, v in call.items() if k not in ("from", "from_id")}
    call |= {"type": "service", "actor": "Игорь", "actor_id": "user111", "action": "phone_call",
             "duration_seconds": 45, "discard_reason": "hangup"}  # fmt: skip
    messages.append(call)
    chat = {"name": "Игорь", "type": "personal_chat", "id": 4242, "messages": messages}
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CLIENTGUARD_TZ", "Europe/Moscow")
    ok = cli(tmp_path, monkeypatch)
    ok("me", "add", "user555")
    ok("import", str(_telegram(tmp_path / "result.json")), "--client", CLIENT)
    ok("invoice", "add", CLIENT, "45000", "--issued", "2025-09-02", "--due", "2025-09-15")
    ok("invoice", "paid", CLIENT, "1", "--on", "2025-09-10", "--amount", "20000")
    ok("note", "add", CLIENT, "Созвон 12.09: две правки на пост", "--kind", "call", "--date", "2025-09-12")
    out = {}
    for name, args in (("ru.html", ()), ("en.html", ("--lang", "en")), ("e.json", ())):
        ok("evidence", "export", CLIENT, "--out", str(tmp_path / name), *args)
        out[name] = (tmp_path / name).read_text(encoding="utf-8")
    return out


def _row(html: str, text: str) -> str:
    """The chronology row (<tr>…</tr>) quoting ``text``."""
    at = html.rindex(text)
    return html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]


def test_a_forwarded_message_is_not_shown_as_the_senders_own_words(exports: dict[str, str]) -> None:
    ru = _row(exports["ru.html"], "Вы нас обманули, платить не будем")
    en = _row(exports["en.html"], "Вы нас обманули, платить не будем")
    assert "Переслано от «Пётр Партнёр»" in ru
    assert "Forwarded from “Пётр Партнёр”" in en
    entry = next(e for e in json.loads(exports["e.json"])["chronology"] if e["text"].startswith("Вы нас"))
    assert entry["forwarded_from"] == "Пётр Партнёр"
    plain = _row(exports["ru.html"], "Оставлю отзыв, что вы мошенники.")
    assert "Переслано" not in plain and "Изменено" not in plain


def test_an_edited_message_says_so_with_the_local_time_of_the_edit(exports: dict[str, str]) -> None:
    assert "Изменено отправителем 2025-09-05 22:40 +03:00" in _row(exports["ru.html"], "лендинг бесплатно")
    assert "Edited by the sender 2025-09-05 22:40 +03:00" in _row(exports["en.html"], "лендинг бесплатно")
    entry = next(e for e in json.loads(exports["e.json"])["chronology"] if "лендинг" in e["text"])
    assert entry["edited"] == "2025-09-05T19:40:00+00:00"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_json_alone_lets_a_reader_recompute_the_head_and_check_each_message(
    exports: dict[str, str],
) -> None:
    """What the other side's expert would write, following the file's own ``method``."""
    d = json.loads(exports["e.json"])
    assert "prev_hash" in d["method"] and "64 zeros" in d["method"]
    logged = {e["ref"]: e["logged"] for e in d["chronology"] if e["kind"] == "message"}
    prev, checked = "0" * 64, 0
    for r in d["chain"]:
        content_hash = _sha(r["payload"] if r["payload"] is not None else logged[r["ref"]])
        assert content_hash == r["content_hash"], r["seq"]
        fields = {k: r[k] for k in ("created_at", "kind", "ref", "seq", "source_hash")}
        record = fields | {"client_id": d["client_id"], "content_hash": content_hash}
        assert r["prev_hash"] == prev
        prev = _sha(prev + json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        assert prev == r["hash"]
        if r["kind"] == "messages":
            for mid, listed in json.loads(r["payload"]):
                assert _sha(logged[str(mid)]) == listed
                checked += 1
    assert prev == d["head_hash"] and len(d["chain"]) == d["head_seq"]
    assert checked == d["messages"] == 6
    # The quoted text is the one the hash covers.
    threat = next(json.loads(t) for t in logged.values() if "мошенники" in t)
    assert threat["text"] == "Оставлю отзыв, что вы мошенники." and threat["sender_name"] == "Игорь"


def test_the_html_states_the_method_with_the_client_id_the_hashes_need(exports: dict[str, str]) -> None:
    client_id = json.loads(exports["e.json"])["client_id"]
    for page, words in ((exports["ru.html"], "Как проверить без clientguard"),
                        (exports["en.html"], "How to check without clientguard")):  # fmt: skip
        assert words in page
        assert "{client_id, content_hash, created_at, kind, ref, seq, source_hash}" in page
        assert f"client_id {client_id}" in page


def test_the_users_own_notes_are_told_apart_from_the_clients_words(exports: dict[str, str]) -> None:
    """F3: a note's "Who" cell was "—", the same as an unsigned record, beside the client's lines."""
    ru = _row(exports["ru.html"], "Созвон 12.09: две правки на пост")
    en = _row(exports["en.html"], "Созвон 12.09: две правки на пост")
    assert "исполнитель — своя запись" in ru
    assert "the specialist — own record" in en
    client_line = _row(exports["ru.html"], "Оставлю отзыв, что вы мошенники.")
    assert "своя запись" not in client_line and "Игорь" in client_line


def test_an_attachment_is_named_in_the_page_language_and_said_not_to_be_kept(
    exports: dict[str, str]) -> None:
    """F6: the Russian document printed "Акт во вложении [file]" (an English id) and nowhere
    said that the log keeps only the kind of media, never the file the client sent."""
    ru = _row(exports["ru.html"], "Акт во вложении")
    en = _row(exports["en.html"], "Акт во вложении")
    assert "[file]" not in ru and "[file]" not in en
    assert "Вложение: <span title=\"file\">файл</span>" in ru and "сам файл в журнале не хранится" in ru
    assert "Attachment: <span title=\"file\">file</span>" in en and "the file itself is not kept" in en
    entry = next(e for e in json.loads(exports["e.json"])["chronology"] if e["text"].startswith("Акт"))
    assert entry["text"] == "Акт во вложении [file]" and entry["attachment"] == "file"


def test_a_service_event_is_worded_in_the_page_language(exports: dict[str, str]) -> None:
    """F7: a night call read "phone_call (discard_reason: hangup, duration_seconds: 45)" in the
    Russian document (and "e2e_notice (text: …)", "create_group …" for other events)."""
    ru = _row(exports["ru.html"], "hangup")
    en = _row(exports["en.html"], "hangup")
    assert "звонок (как завершён: hangup; длительность, с: 45)" in ru and "phone_call" not in ru
    assert "call (how it ended: hangup; duration, s: 45)" in en and "phone_call" not in en
    assert "2025-09-17 02:14 +03:00" in ru
    entry = next(e for e in json.loads(exports["e.json"])["chronology"] if e["kind"] == "event")
    assert entry["text"].startswith("phone_call (")  # the JSON keeps the ids


def test_a_flagged_message_carries_its_logged_json_once(exports: dict[str, str]) -> None:
    """The flagged list repeats chronology lines; repeating the message JSON too made a
    50,000-message export 4.4 MB larger for nothing (its chronology line has it)."""
    d = json.loads(exports["e.json"])
    assert d["flagged"], "the threat is flagged"
    logged = {e["ref"]: e["logged"] for e in d["chronology"] if e["kind"] == "message"}
    for e in d["flagged"]:
        assert "logged" not in e and logged[e["ref"]]


def test_a_confirmation_by_message_quotes_the_clients_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F8: `note confirm --message ID` printed "сообщение клиента #4" in the notes table; the
    reader had to find message #4 among thousands. It is quoted now, with sender and time."""
    monkeypatch.setenv("CLIENTGUARD_TZ", "Europe/Moscow")
    ok = cli(tmp_path, monkeypatch)
    ok("me", "add", "user555")
    ok("import", str(_telegram(tmp_path / "result.json")), "--client", CLIENT)
    ok("note", "add", CLIENT, "Созвон: оплата до 15.09", "--kind", "call", "--date", "2025-09-02")
    export = tmp_path / "e.json"
    ok("evidence", "export", CLIENT, "--out", str(export))
    lines = json.loads(export.read_text())["chronology"]
    first = next(e for e in lines if e["text"].startswith("Подтверждаю"))
    ok("note", "confirm", CLIENT, "1", "--message", first["ref"])
    ok("evidence", "export", CLIENT, "--out", str(tmp_path / "e.html"))
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    notes = page[page.index("Устные договорённости") : page.index("<h2>Счета")]
    assert "«Подтверждаю: 10 постов, оплата до 15.09.» — Игорь, 2025-09-02 10:00 +03:00" in notes


def notes_section(page: str) -> str:
    """The notes-of-agreements section of an export page (after the flagged messages and,
    when the client forwarded labelled text, the forwards listed apart)."""
    parts = [p for p in page.split("<h2>") if p.startswith(("Устные договорённости", "Oral agreements"))]
    assert len(parts) == 1, "one notes section"
    return parts[0]


def test_a_note_edited_behind_the_log_is_marked_in_the_notes_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F9: the notes table read the store, so `UPDATE evidence_notes SET text = …` printed the
    forged agreement there unmarked (only the chronology, pages later, flagged it)."""
    import sqlite3

    ok = cli(tmp_path, monkeypatch)
    ok("import", str(_telegram(tmp_path / "result.json")), "--client", CLIENT)
    ok("note", "add", CLIENT, "Отсрочка оплаты до 30.09", "--date", "2025-09-17")
    with sqlite3.connect(tmp_path / "x.sqlite3") as conn:
        conn.execute("update evidence_notes set text = 'Правки без ограничений'")
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    pages = {}
    for lang in ("ru", "en"):
        out = tmp_path / f"{lang}.html"
        r = CliRunner().invoke(build_app(), ["evidence", "export", CLIENT, "--out", str(out), "--lang", lang])
        assert out.exists(), r.output
        page = out.read_text(encoding="utf-8")
        notes = notes_section(page)
        pages[lang] = notes
    assert "Заметка изменена в базе в обход журнала" in pages["ru"]
    assert "В журнале записано: «Отсрочка оплаты до 30.09»" in pages["ru"]
    assert "edited in the database behind the log" in pages["en"]
    assert "The log holds: “Отсрочка оплаты до 30.09”" in pages["en"]


def test_a_confirmation_by_a_message_not_the_clients_is_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F12: a confirmation recorded (before `note confirm` refused it) by the user's own
    message read "✔ Confirmed" like the client's; the export now says whose it is."""
    from clientguard.evidence.notes import confirm_note
    from clientguard.evidence.verify import resolve_client
    from clientguard.store import open_store

    ok = cli(tmp_path, monkeypatch)
    ok("me", "add", "user555")
    ok("import", str(_telegram(tmp_path / "result.json")), "--client", CLIENT)
    ok("note", "add", CLIENT, "Созвон: оплата до 15.09", "--kind", "call", "--date", "2025-09-02")
    with open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}") as store, store.engine.begin() as conn:
        own = conn.exec_driver_sql("select id from messages where sender_name = 'Ольга'").scalar_one()
        confirm_note(conn, resolve_client(conn, CLIENT), 1, None, int(own))
    marks = {"ru": "это сообщение написал не клиент", "en": "this message is not the client's"}
    for lang, words in marks.items():
        ok("evidence", "export", CLIENT, "--out", str(tmp_path / f"{lang}.html"), "--lang", lang)
        notes = notes_section((tmp_path / f"{lang}.html").read_text(encoding="utf-8"))
        assert words in notes.replace("&#39;", "'")


@pytest.mark.browser
def test_a_multi_line_message_keeps_its_line_breaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """F13: HTML collapses line breaks, so "1) пост\\n2) сторис\\n3) сайт бесплатно" read as one
    line in the document and its PDF; the quoted text keeps them now (white-space: pre-wrap)."""
    from selenium.webdriver.common.by import By

    from tests.web.web_helpers import chrome

    ok = cli(tmp_path, monkeypatch)
    chat = tmp_path / "chat.jsonl"
    row = {"timestamp": "2025-09-01T10:00:00+03:00", "sender": "Игорь", "text": "1) пост\n2) сторис\n3) сайт"}
    chat.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    ok("import", str(chat), "--client", CLIENT)
    out = tmp_path / "e.html"
    ok("evidence", "export", CLIENT, "--out", str(out))
    with chrome() as driver:
        driver.get(out.as_uri())
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "td") if "сторис" in c.text]
    assert cells and all("1) пост\n2) сторис\n3) сайт" in c for c in cells), cells
