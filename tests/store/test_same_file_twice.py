"""One table or mail imported from two places is one conversation (content keys).

CSV/JSONL tables and mail files carry no chat id, so their conversation was keyed by the
file's path: the same CSV in two folders (each web upload has its own) became a second
stored conversation, and the portfolio, message counts and exports showed the chat twice.
Now the first records of such a file find the conversation they were stored in
(``ingest.identity``, ``store.import_keys``); a later version adds only its new rows, a
different table under the same name stays apart. Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from suite_helpers import pg_schema
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.store import open_store
from clientguard.store.models import ConversationRow, MessageRow
from clientguard.store.models_keys import ConversationKeyRow

HEADER = "timestamp,sender,text\n"
ROWS = [
    "2025-09-01T10:00:00,Анна,Добрый день! Где макет главной?\n",
    "2025-09-01T10:05:00,Иван,Пришлю сегодня к вечеру\n",
    "2025-09-01T18:40:00,Иван,Вот макет: первая версия\n",
    "2025-09-01T19:02:00,Анна,Спасибо — посмотрю завтра\n",
    "2025-09-02T09:15:00,Анна,Правки: шрифт крупнее\n",
    "2025-09-02T11:00:00,Иван,Готово\n",
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, tmp_home: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    else:
        with pg_schema("cg_same_file_") as url:
            yield url


def run(db: str, *args: str, lang: str = "en") -> str:
    result = CliRunner().invoke(build_app(), ["import", *args, "--db", db, "--lang", lang])
    assert result.exit_code == 0, result.output
    return result.output


def table(folder: Path, rows: list[str], name: str = "chat.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def stored(db: str) -> list[tuple[str, str | None, int]]:
    """(source_key, title, messages) of every stored conversation."""
    with open_store(db) as store, store.engine.connect() as conn:
        count = select(func.count()).where(MessageRow.conversation_id == ConversationRow.id).scalar_subquery()
        rows = conn.execute(
            select(ConversationRow.source_key, ConversationRow.title, count).order_by(ConversationRow.id)
        )
        return [(str(k), t, int(n)) for k, t, n in rows]


SAID = {
    "ru": (
        "1 переписка: 0 новых сообщений, уже в базе: 4",
        "первые записи — как у сохранённой переписки «chat»: это она же (копия или более поздняя выгрузка)",
    ),
    "en": (
        "0 new messages, 4 already stored",
        "its first records are those of the stored conversation “chat”: it is that conversation again",
    ),
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_same_csv_from_two_folders_is_one_conversation(db: str, tmp_path: Path, lang: str) -> None:
    first = table(tmp_path / "one", ROWS[:4])
    copy = table(tmp_path / "two", ROWS[:4])
    run(db, str(first), lang=lang)
    key = stored(db)[0][0]
    out = " ".join(run(db, str(copy), lang=lang).split())
    repeat, note = SAID[lang]
    assert repeat in out and note in out
    assert stored(db) == [(key, "chat", 4)]  # the stored key is the first file's, as before
    out = " ".join(run(db, str(copy), lang=lang).split())  # and again: still nothing new
    assert repeat in out and note in out
    assert stored(db) == [(key, "chat", 4)]


def test_a_later_version_adds_only_its_new_rows_and_an_older_one_nothing(db: str, tmp_path: Path) -> None:
    run(db, str(table(tmp_path / "a", ROWS[:3])))
    out = run(db, str(table(tmp_path / "b", ROWS, name="chat (1).csv")))  # a browser's second download
    assert "3 new messages, 3 already stored" in " ".join(out.split())
    out = run(db, str(table(tmp_path / "c", ROWS[:2])))  # an older, shorter export
    assert "0 new messages, 2 already stored" in " ".join(out.split())
    assert [(t, n) for _, t, n in stored(db)] == [("chat", 6)]  # the title stays the first file's
    # the same first row, then another chat: a different table with the same name stays apart
    other = [ROWS[0], "2025-09-01T10:06:00,Олег,Это другой чат\n", "2025-09-01T10:07:00,Анна,Да\n"]
    run(db, str(table(tmp_path / "d", other)))
    assert [(t, n) for _, t, n in stored(db)] == [("chat", 6), ("chat", 3)]


def test_both_copies_in_one_run_and_jsonl_of_the_same_table(db: str, tmp_path: Path) -> None:
    jsonl = tmp_path / "b" / "chat.jsonl"
    jsonl.parent.mkdir()
    fields = ("timestamp", "sender", "text")
    records = [dict(zip(fields, r.rstrip("\n").split(",", 2), strict=True)) for r in ROWS]
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = run(db, str(table(tmp_path / "a", ROWS[:4])), str(table(tmp_path / "c", ROWS[:4])), str(jsonl))
    assert "1 conversation: 6 new messages, 8 already stored" in " ".join(out.split())
    assert [n for _, _, n in stored(db)] == [6]


def test_a_conversation_stored_before_the_keys_is_found_by_its_rows(db: str, tmp_path: Path) -> None:
    """A database from before ``conversation_keys``: the keys are computed from its stored rows."""
    run(db, str(table(tmp_path / "a", ROWS[:4])))
    with open_store(db) as store, store.engine.begin() as conn:
        conn.execute(delete(ConversationKeyRow))
    out = run(db, str(table(tmp_path / "b", ROWS)))
    assert "2 new messages, 4 already stored" in " ".join(out.split())
    assert [n for _, _, n in stored(db)] == [6]


MAIL = (
    "From: Анна <anna@example.com>\nTo: ivan@example.com\nSubject: Макет\n"
    "Date: Mon, 01 Sep 2025 10:00:00 +0300\nMessage-ID: <{mid}@example.com>\n"
    "Content-Type: text/plain; charset=utf-8\n\nГде макет главной страницы?\n"
)


def test_the_same_mail_in_two_folders_is_one_conversation(db: str, tmp_path: Path) -> None:
    for folder, name in (("a", "letter.eml"), ("b", "Макет.eml")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(MAIL.format(mid="m1"), encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "letter.eml").write_text(MAIL.format(mid="m2"), encoding="utf-8")
    run(db, str(tmp_path / "a" / "letter.eml"))
    out = run(db, str(tmp_path / "b" / "Макет.eml"))
    assert "0 new messages, 1 already stored" in " ".join(out.split())
    run(db, str(tmp_path / "c" / "letter.eml"))  # another mail under the same name
    assert [n for _, _, n in stored(db)] == [1, 1]
    # a mailbox that begins with the stored mail is a mailbox, not a later version of the mail
    mbox = tmp_path / "box.mbox"
    mbox.write_text(
        "From anna@example.com Mon Sep  1 10:00:00 2025\n" + MAIL.format(mid="m1") + "\n"
        "From anna@example.com Mon Sep  1 11:00:00 2025\n" + MAIL.format(mid="m3"),
        encoding="utf-8",
    )
    run(db, str(mbox))
    assert [n for _, _, n in stored(db)] == [1, 1, 2]


def test_analyze_of_a_copy_profiles_the_stored_conversation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``analyze`` of a stored table's copy adds nothing and profiles the client's whole history
    (it asked for the conversation by the copy's own path key, found none and fell back to the
    file alone)."""
    from suite_helpers import run_main

    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    run(db, str(table(tmp_path / "a", ROWS[:4])), "--client", "Анна")
    copy = table(tmp_path / "b", ROWS[:4])
    code, out, err = run_main(monkeypatch, capsys, "analyze", str(copy), "--db", db, "--lang", "en")
    assert code == 0, err
    said = " ".join(out.split())
    assert "Store: 0 new, 4 already stored" in said
    assert "Profile over the client's whole stored history — conversations: 1, messages: 4" in said
    assert [n for _, _, n in stored(db)] == [4]
