"""``clientguard import`` words the importers' notices in the user's language.

Before, the summary's counts were Russian for a Russian user but every ``note`` line kept
the importer's English sentence ("note chat.txt: not UTF-8: read as Windows-1251 …").
The language is the CLI's usual choice: ``--lang``, then ``CLIENTGUARD_LANG``, then the locale.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CP1251_CHAT = "01.10.2025, 10:00 - Анна: Добрый день\n01.10.2025, 10:05 - Игорь: ок\n".encode("cp1251")


def _full_export(tmp_path: Path) -> Path:
    """A full-account export: one client chat, Saved Messages with 3 notes and a bot with 1 message."""
    client = json.loads(SAMPLE.read_text(encoding="utf-8"))
    note = {"id": 1, "type": "message", "date": "2025-09-01T10:00:00", "date_unixtime": "1756710000",
            "from": "Анна Смирнова", "from_id": "user5550001", "text": "заметка себе", "text_entities": []}
    saved = {"type": "saved_messages", "id": 1, "messages": [note, note, note]}
    bot = {"name": "BotFather", "type": "bot_chat", "id": 93372553, "messages": [note]}
    account = {"personal_information": {"user_id": 5550001}, "chats": {"list": [client, saved, bot]}}
    path = tmp_path / "full.json"
    path.write_text(json.dumps(account, ensure_ascii=False), encoding="utf-8")
    return path


def _import(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    db = f"sqlite:///{tmp_path / 'n.sqlite3'}"
    result = CliRunner().invoke(build_app(), ["import", *args, "--db", db], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())  # the terminal may wrap; the words are what count


@pytest.mark.parametrize(
    ("env", "option"), [({"CLIENTGUARD_LANG": "en"}, ["--lang", "ru"]), ({"CLIENTGUARD_LANG": "ru"}, [])]
)
def test_a_russian_user_gets_russian_notes(
    tmp_path: Path, tmp_home: Path, env: dict[str, str], option: list[str]
) -> None:
    full = _full_export(tmp_path)
    out = _import(tmp_path, env, str(full), *option)
    assert (f"заметка {full}:чат chats.list[1]: не загружено: «Избранное» (Saved Messages) — ваши "
            "собственные заметки, это не переписка с клиентом. В нём 3 сообщения.") in out
    assert (f"заметка {full}:чат chats.list[2]: не загружено: «BotFather» — переписка с ботом, это не "
            "переписка с клиентом. В нём 1 сообщение.") in out
    assert "left out" not in out and "your own notes" not in out


def test_a_russian_user_gets_the_encoding_note_in_russian(tmp_path: Path, tmp_home: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_bytes(CP1251_CHAT)
    out = _import(tmp_path, {}, str(chat), "--client", "Анна", "--lang", "ru")
    assert f"заметка {chat}: файл не в UTF-8: прочитан как Windows-1251 (кодировка определена по буквам)." \
        in out
    assert "not UTF-8" not in out


def test_an_english_user_gets_english_notes(tmp_path: Path, tmp_home: Path) -> None:
    full = _full_export(tmp_path)
    out = _import(tmp_path, {"CLIENTGUARD_LANG": "ru"}, str(full), "--lang", "en")
    assert (f"note {full}:chats.list[1]: left out Saved Messages: your own notes, not a conversation "
            "with a client. It holds 3 messages.") in out


def test_json_lists_the_notices_as_codes(tmp_path: Path, tmp_home: Path) -> None:
    """Tools reading ``--json`` get the code and its parameters, not a sentence to parse."""
    full = _full_export(tmp_path)
    data = json.loads(_import(tmp_path, {"CLIENTGUARD_LANG": "ru"}, str(full), "--json"))
    assert [(n["where"], n["code"], n["params"]) for n in data["notices"]] == [
        ("chats.list[1]", "chat_left_out", {"kind": "saved_messages", "messages": 3}),
        ("chats.list[2]", "named_chat_left_out", {"name": "BotFather", "kind": "bot_chat", "messages": 1}),
    ]
    assert data["notices"][0]["message"].startswith("left out Saved Messages: your own notes")
