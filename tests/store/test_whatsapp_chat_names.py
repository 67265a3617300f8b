"""A WhatsApp chat whose file name does not name it is named after the other party (QA pass 6, I2).

Without "Chat with X" in the file name the chat was named after its first sender — often
the user — so the chats with Игорь and with Олег, both opened by Анна, merged under one
client «Анна». Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema
from typer.testing import CliRunner

from clientguard.cli import build_app

WITH_IGOR = "01.09.2025, 10:05 - Анна: Добрый день! Присылаю план\n01.09.2025, 10:07 - Игорь: Оплатим потом\n"
WITH_OLEG = "02.09.2025, 11:00 - Анна: Олег, здравствуйте\n02.09.2025, 11:05 - Олег: Где макеты?\n"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, tmp_home: Path) -> Iterator[list[str]]:
    if request.param == "sqlite":
        yield ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    else:
        with pg_schema("cg_wa_names_") as url:
            yield ["--db", url]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


def _files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "chat1.txt").write_text(WITH_IGOR, encoding="utf-8")
    (tmp_path / "chat2.txt").write_text(WITH_OLEG, encoding="utf-8")
    return str(tmp_path / "chat1.txt"), str(tmp_path / "chat2.txt")


def _clients(db: list[str]) -> list[tuple[str, int]]:
    return sorted((c["name"], c["messages"]) for c in json.loads(run("clients", "--json", *db)[1]))


def test_a_known_user_names_each_chat_after_the_other_party(db: list[str], tmp_path: Path) -> None:
    one, two = _files(tmp_path)
    assert run("me", "add", "Анна", *db)[0] == 0
    code, out = run("import", one, two, *db)
    assert code == 0, out
    assert _clients(db) == [("Игорь", 2), ("Олег", 2)]
    code, out = run("import", one, two, "--json", *db)  # a re-import adds nothing
    assert code == 0 and json.loads(out)["messages_added"] == 0, out
    assert _clients(db) == [("Игорь", 2), ("Олег", 2)]


def test_without_a_saved_identity_two_chats_never_merge_under_the_user(db: list[str], tmp_path: Path) -> None:
    one, two = _files(tmp_path)
    code, out = run("import", one, two, *db)
    assert code == 0, out
    clients = _clients(db)
    assert len(clients) == 2 and "Анна" not in [name for name, _ in clients], clients
    # the second chat: Анна already wrote in another stored chat, so she is the user
    assert ("Олег", 2) in clients
    # the first chat could not tell who the user is: named after both, never after Анна alone
    assert ("Анна, Игорь", 2) in clients


def test_the_user_seen_in_a_stored_chat_is_not_the_next_chats_client(db: list[str], tmp_path: Path) -> None:
    one, two = _files(tmp_path)
    assert run("import", one, "--me", "Анна", *db)[0] == 0
    assert run("me", "remove", "Анна", *db)[0] == 0
    code, out = run("import", two, *db)
    assert code == 0, out
    assert _clients(db) == [("Игорь", 2), ("Олег", 2)]
