"""``analyze FILE`` never makes someone "you" silently (QA F20).

It guessed who the specialist is (the sender who is not the client) and saved the guess
with ``me``: every later import then took that person for the user, also in chats where
they are the client, and the output only said "specialist identified automatically".
Whatever the import keeps, the user is told which identity became theirs, why, and how
to undo it; named identities (``--me``) and an export's owner are told apart from a guess.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from suite_helpers import run_main

CHAT = "12.09.2025, 10:00 - Иван Петров: Привет\n12.09.2025, 10:05 - Ольга: Сегодня\n"
# Ольга writes first here: the guess takes her for the client and Пётр for the user.
CHAT_OLGA_FIRST = "13.09.2025, 10:00 - Ольга: Добрый день\n13.09.2025, 10:05 - Пётр Сидоров: Оплатим потом\n"


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """:func:`run_main` with stdout's line wrapping undone too."""
    code, out, err = run_main(monkeypatch, capsys, *args)
    return code, " ".join(out.split()), err


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def saved(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str) -> list[str]:
    code, out, _ = run(monkeypatch, capsys, "me", "list", "--json", "--db", db)
    assert code == 0
    return [i["value"] for i in json.loads(out)]


def test_a_guess_is_never_kept_silently(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    chat = tmp_path / "a.txt"
    chat.write_text(CHAT, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "analyze", str(chat), "--lang", "en", "--db", db)
    assert code == 0
    assert saved(monkeypatch, capsys, db) == ["Ольга"]  # Иван writes first: the guess
    assert "Saved as you: “Ольга” — a guess" in out
    assert "If that is not you: clientguard me remove 'Ольга'" in out
    code, out, _ = run(monkeypatch, capsys, "analyze", str(chat), "--lang", "en", "--db", db)
    assert code == 0 and "Saved as you" not in out  # nothing new this time


def test_a_saved_identity_wins_over_the_first_sender_guess(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """The user who writes first is not taken for the client once they saved who they are."""
    assert run(monkeypatch, capsys, "me", "add", "Ольга", "--db", db)[0] == 0
    chat = tmp_path / "b.txt"
    chat.write_text(CHAT_OLGA_FIRST, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "analyze", str(chat), "--json", "--lang", "ru", "--db", db)
    assert code == 0
    profile = json.loads(out)  # any notice goes to stderr: stdout stays one JSON object
    assert saved(monkeypatch, capsys, db) == ["Ольга"]  # Пётр was not made "you"
    assert "догадка" not in err
    roles = {m["from_id"]: m["role"] for m in profile["messages"]}
    assert roles == {"Ольга": "specialist", "Пётр Сидоров": "client"}
    assert "payment_delay" in profile["messages"][1]["labels"]  # his "Оплатим потом" is read


def test_named_identity_is_told_as_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    chat = tmp_path / "a.txt"
    chat.write_text(CHAT, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "analyze", str(chat), "--me", "Ольга", "--lang", "en", "--db", db)
    assert code == 0 and saved(monkeypatch, capsys, db) == ["Ольга"]
    assert "Saved as you: “Ольга” — from --me or the case file. Undo: clientguard me remove 'Ольга'" in out
    assert "a guess" not in out


def test_a_chat_only_i_wrote_has_no_client_messages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    """QA3 F4: my unanswered reminders were profiled as the client's (risk 34, an off-hours demand)."""
    assert run(monkeypatch, capsys, "me", "add", "Ольга", "--db", db)[0] == 0
    chat = tmp_path / "c.txt"
    chat.write_text(
        "14.03.2026, 11:00 - Ольга: Добрый день! Напоминаю про счёт\n"
        "15.03.2026, 23:40 - Ольга: Анна, вы тут?? Ответьте срочно\n",
        encoding="utf-8",
    )
    code, out, _ = run(monkeypatch, capsys, "analyze", str(chat), "--json", "--db", db)
    assert code == 0
    profile = json.loads(out)
    assert {m["role"] for m in profile["messages"]} == {"specialist"}
    assert profile["risk"]["score"] == 0 and profile["archetypes"] == []
    assert all(not m["labels"] for m in profile["messages"])
