"""A database driver's refusal says what happened and what to do, in the interface language.

Before, the CLI printed "не удаётся открыть или обновить базу данных: connection failed: …
Connection refused" (the half that mattered in English, no remedy), a read of a table gone
was a traceback, and the dashboard said "Ошибка (OperationalError)". Now each case the user
can act on is worded (start the server, check the URL, wait for the other writer, restore
the file), naming the database by its URL without the password, with the driver's own
first line kept as a detail in brackets.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from clientguard.errors import StorageError
from clientguard.store import open_store
from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
NOBODY_LISTENS = "postgresql+psycopg://cg_user:s3cret-pw@127.0.0.1:1/clientguard"


def _refusal(url: str) -> StorageError:
    with pytest.raises(StorageError) as caught:
        open_store(url)
    return caught.value


def test_an_unreachable_postgresql_server_is_said_with_the_remedy_and_no_password() -> None:
    exc = _refusal(NOBODY_LISTENS)
    ru, en = exc.text("ru"), exc.text("en")
    shown = "postgresql+psycopg://cg_user:***@127.0.0.1:1/clientguard"
    assert ru.startswith(f"сервер базы данных {shown} не отвечает: запустите PostgreSQL или проверьте адрес "
                         "и порт в --db или CLIENTGUARD_DB (ответ драйвера: "), ru
    assert en.startswith(f"cannot reach the database server {shown}: start PostgreSQL"), en
    assert "Connection refused" in en and "Connection refused" in ru  # the driver's words: a detail
    assert "s3cret-pw" not in ru + en


def test_a_missing_postgresql_database_says_create_it(pg_schema_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_schema_url).set(database="cg_no_such_database_156")
    exc = _refusal(url.render_as_string(hide_password=False))
    assert "на сервере нет базы данных «cg_no_such_database_156»" in exc.text("ru")
    assert "createdb cg_no_such_database_156" in exc.text("ru")
    assert "the server has no database “cg_no_such_database_156”" in exc.text("en")


def test_a_file_that_is_not_a_database_says_check_the_path_or_restore(tmp_path: Path) -> None:
    path = tmp_path / "cg.sqlite3"
    path.write_bytes(b"these are not the pages of an SQLite database\n" * 200)
    exc = _refusal(f"sqlite:///{path}")
    ru = exc.text("ru")
    assert ru.startswith(f"sqlite:///{path} — не база данных clientguard, или файл повреждён: "
                         "проверьте путь в --db или CLIENTGUARD_DB либо восстановите файл из резервной "
                         "копии (ответ драйвера: file is not a database)"), ru
    assert "is not a clientguard database, or the file is damaged" in exc.text("en")


def test_a_database_another_writer_holds_says_wait_and_retry(tmp_path: Path) -> None:
    path = tmp_path / "cg.sqlite3"
    with open_store(f"sqlite:///{path}") as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another import holds the write lock
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=50")
        try:
            with pytest.raises(StorageError) as caught:
                store.add_me("user1")
        finally:
            other.execute("ROLLBACK")
            other.close()
    ru = caught.value.text("ru")
    assert ru.startswith(f"база данных sqlite:///{path} занята: в неё сейчас пишет другая программа"), ru
    assert "дождитесь, пока та закончит, и повторите (ответ драйвера: database is locked)" in ru


def _drop_messages(store: Any) -> None:
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text("DROP TABLE messages CASCADE" if store.engine.dialect.name == "postgresql"
                          else "DROP TABLE messages"))


def test_a_read_of_a_table_gone_is_a_worded_storage_error_not_a_traceback(store: Any) -> None:
    """A read, not a write: it reached the user as SQLAlchemy's OperationalError traceback."""
    store.import_paths([SAMPLE])
    _drop_messages(store)
    with pytest.raises(StorageError) as caught:
        store.messages(store.clients()[0].name)
    ru = caught.value.text("ru")
    assert "нет таблицы или столбца, которые нужны clientguard" in ru, ru
    assert "messages" in ru  # the driver's words name it: no such table: messages / relation "messages"


def test_the_cli_says_it_in_one_russian_line_with_exit_code_1(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    monkeypatch.setenv("CLIENTGUARD_LANG", "ru")
    assert run_main(monkeypatch, capsys, "import", str(SAMPLE), "--db", db)[0] == 0
    with sqlite3.connect(tmp_path / "cg.sqlite3") as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DROP TABLE messages")
    for args in (("clients", "--db", db), ("clients", "--db", NOBODY_LISTENS)):
        code, _, err = run_main(monkeypatch, capsys, *args)
        assert code == 1, err
        assert err.startswith("ошибка (база данных) E300: "), err
        assert "Traceback" not in err and "s3cret-pw" not in err
    assert "запустите PostgreSQL" in err


def test_the_dashboard_says_it_in_the_page_s_language(tmp_path: Path, tmp_home: Path) -> None:
    """A page whose read hits a table gone: "Ошибка (OperationalError)" before, 500."""
    from tests.web.web_helpers import TestClient, create_app, local_config

    cfg = local_config(tmp_path)
    with TestClient(create_app(cfg)) as client:
        client.get("/")
        store = client.app.state.cg.store  # type: ignore[attr-defined]
        store.import_paths([SAMPLE])
        client_id = store.clients()[0].id
        _drop_messages(store)
        for lang, words in (("ru", "нет таблицы или столбца, которые нужны clientguard"),
                            ("en", "lacks a table or column clientguard needs")):
            r = client.get(f"/clients/{client_id}?lang={lang}")
            assert r.status_code == 503, r.text[-800:]
            assert words in r.text, r.text[-1500:]
            assert "OperationalError" not in r.text
