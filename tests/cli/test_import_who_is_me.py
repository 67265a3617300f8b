"""``import`` says when it does not know which participant is the user.

With no identity of the user stored, every message is stored as the client's: `messages`
labelled the user "клиент", and `analyze --client` guessed the specialist, in a WhatsApp
chat the user opened taking the client for the user (a rude client got risk 0). The
import said nothing; now it names the participants and `clientguard me add`.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = (
    "02.10.2026, 10:15 - Марина: Добрый день! Отправляю контент-план.\n"
    "02.10.2026, 12:40 - Олег Ёлкин: Всё не то, переделайте.\n"
)


def _import(tmp_path: Path, *extra: str, lang: str = "ru") -> str:
    chat = tmp_path / "WhatsApp Chat with Ёлка.txt"
    chat.write_text(CHAT, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    result = CliRunner().invoke(
        build_app(), ["import", str(chat), *extra, *db], env={"COLUMNS": "300", "CLIENTGUARD_LANG": lang}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_without_me_the_import_names_the_participants(tmp_path: Path, tmp_home: Path) -> None:
    out = _import(tmp_path)
    assert "Кто из участников вы, пока не известно" in out
    assert "clientguard me add" in out and "(участники: Марина, Олег Ёлкин)" in out


def test_in_english(tmp_path: Path, tmp_home: Path) -> None:
    out = _import(tmp_path, lang="en")
    assert "Which participant is you is not known yet" in out and "(participants: Марина, Олег Ёлкин)" in out


def test_with_me_known_nothing_is_said(tmp_path: Path, tmp_home: Path) -> None:
    out = _import(tmp_path, "--me", "Марина")
    assert "me add" not in out
    assert "участники" not in _import(tmp_path)  # saved by the first run


def test_the_json_stays_clean(tmp_path: Path, tmp_home: Path) -> None:
    out = _import(tmp_path, "--json")
    assert out.lstrip().startswith("{") and "me add" not in out
