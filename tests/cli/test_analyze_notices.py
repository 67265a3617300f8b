"""``clientguard analyze FILE`` says how the file was read, as ``import`` does.

Both read through the same importers, but ``analyze`` dropped their notices: a WhatsApp
chat read as Windows-1251, or a full export whose Saved Messages and bot chats were left
out, was profiled without a word about it (found in the QA pass 7 follow-up).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.cli.test_import_notices_lang import CP1251_CHAT, _full_export


def _analyze(tmp_path: Path, *args: str) -> str:
    db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    result = CliRunner().invoke(build_app(), ["analyze", *args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_analyze_says_the_file_was_not_utf8_in_the_users_language(tmp_path: Path, tmp_home: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_bytes(CP1251_CHAT)
    ru = " ".join(_analyze(tmp_path, str(chat), "--client", "Анна", "--lang", "ru").split())
    said = "файл не в UTF-8: прочитан как Windows-1251 (кодировка определена по буквам)."
    assert f"заметка {chat}: {said}" in ru
    en = " ".join(_analyze(tmp_path, str(chat), "--client", "Анна", "--lang", "en").split())
    assert f"note {chat}: not UTF-8" in en and "Windows-1251" in en


def test_analyze_of_a_full_export_names_the_chats_it_left_out(tmp_path: Path, tmp_home: Path) -> None:
    full = _full_export(tmp_path)
    out = " ".join(_analyze(tmp_path, str(full), "--lang", "en").split())
    assert f"note {full}:chats.list[1]: left out Saved Messages" in out
    assert f"note {full}:chats.list[2]: left out" in out and "BotFather" in out


def test_analyze_json_lists_the_notices_as_codes(tmp_path: Path, tmp_home: Path) -> None:
    full = _full_export(tmp_path)
    data = json.loads(_analyze(tmp_path, str(full), "--json"))
    assert [(n["where"], n["code"]) for n in data["notices"]] == [
        ("chats.list[1]", "chat_left_out"),
        ("chats.list[2]", "named_chat_left_out"),
    ]


def test_a_stored_client_has_no_file_notices(tmp_path: Path, tmp_home: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_bytes(CP1251_CHAT)
    _analyze(tmp_path, str(chat), "--client", "Анна")
    data = json.loads(_analyze(tmp_path, "--client", "Анна", "--json"))
    assert data["notices"] == []
