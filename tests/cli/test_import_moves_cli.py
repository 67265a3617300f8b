"""``import`` and ``analyze`` say when --client moves a stored chat (QA pass 6, CLI N3, N13).

A chat stored under «Кофейня «Пенка»» imported again with ``--client "Студия Лотос"``
moved to the new client with all its history, and the run printed only "0 новых
сообщений, уже в базе: 5": «Кофейня «Пенка»» was left with no messages, silently. A
mistyped ``--client "кофейня пенка"`` started a second client beside the stored one just as
silently. Now the move is one line naming the chat, both clients and the command that
moves it back, and a new client whose name is close to a stored one is named with them;
``--json`` carries ``moved`` and ``new_clients``. Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import quote

CHAT = (
    "01.09.2025, 10:05 - Игорь Петров: Оплатим на следующей неделе\n"
    "01.09.2025, 10:07 - Анна: Хорошо\n"
    "02.09.2025, 09:01 - Игорь Петров: И сайт заодно сделайте бесплатно\n"
)
OLD, NEW = "Кофейня «Пенка»", "Студия Лотос"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, tmp_home: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    else:
        with pg_schema("cg_moves_") as url:
            yield url


def cli(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def counts(db: str) -> dict[str, int]:
    return {c["name"]: c["messages"] for c in json.loads(cli("clients", "--json", "--db", db))}


@pytest.fixture()
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Игорь.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ("перенесена от клиента", "вернуть:")), ("en", ("moved from client", "to move it back:"))],
)
def test_a_chat_moved_to_another_client_is_said_with_the_way_back(
    db: str, chat: Path, lang: str, words: tuple[str, ...]
) -> None:
    cli("import", str(chat), "--client", OLD, "--db", db)
    out = cli("--lang", lang, "import", str(chat), "--client", NEW, "--db", db)
    assert counts(db)[NEW] == 3 and counts(db)[OLD] == 0
    (line,) = [ln for ln in out.splitlines() if words[0] in ln]
    # English quotes the English way; OLD's own «…» become the inner marks, quoted once
    assert quote(OLD, lang) in line and quote(NEW, lang) in line and words[1] in line
    undo = f"clientguard import {shlex.quote(str(chat))} --client {shlex.quote(OLD)}"
    assert line.endswith(undo)
    # the way back works and says so the other way round
    back = cli(*shlex.split(undo)[1:], "--db", db, "--lang", lang)
    assert counts(db)[OLD] == 3 and quote(NEW, lang) in back


def test_json_lists_the_move_and_a_plain_reimport_moves_nothing(db: str, chat: Path) -> None:
    cli("import", str(chat), "--client", OLD, "--db", db)
    again = json.loads(cli("import", str(chat), "--client", OLD, "--json", "--db", db))
    assert again["moved"] == [] and again["new_clients"] == []
    moved = json.loads(cli("import", str(chat), "--client", NEW, "--json", "--db", db))
    assert moved["moved"] == [{"chat": "Игорь", "from_client": OLD, "to_client": NEW, "file": str(chat)}]
    assert moved["new_clients"] == [{"name": NEW, "similar": []}]


def test_a_new_client_close_to_a_stored_one_is_named_with_it(db: str, chat: Path, tmp_path: Path) -> None:
    cli("import", str(chat), "--client", OLD, "--db", db)
    other = tmp_path / "other.txt"
    other.write_text("03.09.2025, 11:15 - Игорь Петров: Где план?\n", encoding="utf-8")
    out = cli("import", str(other), "--client", "кофейня пенка", "--db", db)
    (line,) = [ln for ln in out.splitlines() if "новый клиент" in ln]
    assert "«кофейня пенка»" in line and "«Кофейня „Пенка“»" in line  # OLD, its own quotes inner
    quiet = cli("import", str(other), "--client", "Агентство Север", "--db", db)  # nothing alike
    assert "новый клиент" not in quiet and "перенесена" in quiet


def test_analyze_with_another_client_says_the_move_too(db: str, chat: Path) -> None:
    """``analyze FILE --client`` stores the chat like ``import`` does, and moved it as silently."""
    cli("import", str(chat), "--client", OLD, "--db", db)
    out = cli("analyze", str(chat), "--client", NEW, "--me", "Анна", "--lang", "ru", "--db", db)
    (line,) = [ln for ln in out.splitlines() if "перенесена от клиента" in ln]
    assert quote(OLD, "ru") in line and f"«{NEW}»" in line and line.endswith(f"--client {shlex.quote(OLD)}")
    again = cli("analyze", str(chat), "--client", NEW, "--me", "Анна", "--lang", "ru", "--db", db)
    assert "перенесена" not in again
