"""``clientguard import`` on the QA repros of 2026-11-24 (F1, F2, F22, F24, F25, F29), end to end.

Each test is the QA engineer's command line against a private database; F3 (a truncated
file) is in ``test_import_cli.py``. The importer-level cases, one per variant, live in
``tests/ingest/test_ingest_hygiene.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CHAT = "12.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе\n12.09.2025, 10:05 - Ольга: Хорошо\n"


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'qa.sqlite3'}"


def cli(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    """``text`` without any whitespace: Rich wraps long lines, even inside words."""
    return "".join(text.split())


def fails(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the real entry point; it must exit 1 with one error line. Returns it, :func:`flat`."""
    monkeypatch.setattr(sys, "argv", ["clientguard", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return flat(err)


def stored(db: str, client: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in cli("messages", client, "--json", "--db", db).splitlines()]


def test_f1_cp1251_whatsapp_is_read_as_cyrillic_and_says_so(db: str, tmp_path: Path) -> None:
    chat = tmp_path / "wa_cp1251.txt"
    chat.write_bytes(CHAT.encode("cp1251"))
    out = flat(cli("import", str(chat), "--client", "Win", "--lang", "en", "--db", db))
    assert flat("2 new messages") in out and flat("not UTF-8: read as Windows-1251") in out
    assert [m["text"] for m in stored(db, "Win")] == ["Оплатим на следующей неделе", "Хорошо"]


def test_f1_undecodable_text_is_refused_and_nothing_is_created(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    chat = tmp_path / "wa_latin1.txt"
    chat.write_bytes("12.09.2025, 10:00 - Jean: café déjà vu, crème brûlée, été\n".encode("latin-1"))
    err = fails(monkeypatch, capsys, "import", str(chat), "--client", "L", "--db", db)
    assert flat(f"E100: {chat}:line 1: cannot tell the text encoding: byte 0xE9") in err
    assert json.loads(cli("clients", "--json", "--db", db)) == []


def test_f22_utf16_notepad_file_imports(db: str, tmp_path: Path) -> None:
    chat = tmp_path / "wa_utf16.txt"
    chat.write_bytes(CHAT.encode("utf-16"))
    summary = json.loads(cli("import", str(chat), "--client", "U", "--json", "--db", db))
    assert (summary["messages_added"], summary["notices"]) == (2, [])
    assert [m["sender_name"] for m in stored(db, "U")] == ["Иван Петров", "Ольга"]


def test_f2_impossible_date_is_a_malformed_record_not_olgas_words(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    chat = tmp_path / "wa_badhdr.txt"
    chat.write_text("14.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе\n"
                    "14.09.2025, 10:05 - Ольга: Хорошо\n"
                    "31.02.2025, 10:07 - Иван Петров: это уже не Ольга пишет\n", encoding="utf-8")
    err = fails(monkeypatch, capsys, "import", str(chat), "--client", "H", "--db", db)
    assert flat(f"E102: {chat}:line 3: message header with an impossible date") in err
    summary = json.loads(cli("import", str(chat), "--client", "H", "--skip-bad", "--json", "--db", db))
    assert [(s["where"], s["error"].split(" (")[0]) for s in summary["skipped"]] == [
        ("line 3", "message header with an impossible date or time")]
    assert [(m["sender_name"], m["text"]) for m in stored(db, "H")] == [
        ("Иван Петров", "Оплатим на следующей неделе"), ("Ольга", "Хорошо")]


def test_f24_saved_messages_are_left_out_and_the_summary_says_why(db: str, tmp_path: Path) -> None:
    chat = json.loads(SAMPLE.read_text(encoding="utf-8"))
    note = {"id": 1, "type": "message", "date": "2025-09-01T10:00:00", "date_unixtime": "1756710000",
            "from": "Анна Смирнова", "from_id": "user5550001", "text": "заметка себе", "text_entities": []}
    full = tmp_path / "full.json"
    saved = {"type": "saved_messages", "id": 1, "messages": [note]}
    account = {"personal_information": {"user_id": 5550001}, "chats": {"list": [chat, saved]}}
    full.write_text(json.dumps(account, ensure_ascii=False), encoding="utf-8")
    out = flat(cli("import", str(full), "--lang", "en", "--db", db))
    assert flat(f"note {full}:chats.list[1]: left out Saved Messages: your own notes") in out
    assert [c["name"] for c in json.loads(cli("clients", "--json", "--db", db))] == ["Игорь Пенкин"]


def test_f25_empty_folder_is_an_error_and_creates_no_client(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    empty = tmp_path / "e"
    empty.mkdir()
    err = fails(monkeypatch, capsys, "import", str(empty), "--client", "T", "--db", db)
    assert flat(f"E400: no export found in {empty}") in err
    assert json.loads(cli("clients", "--json", "--db", db)) == []


def test_f29_osc_and_c1_sequences_never_reach_the_terminal(db: str, tmp_path: Path) -> None:
    chat = tmp_path / "esc.txt"
    evil = "Привет \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x1b\\\x9b2J\x1b[31m!"
    chat.write_text(f"12.09.2025, 10:00 - Иван: {evil}\n", encoding="utf-8")
    cli("import", str(chat), "--client", "E", "--db", db)
    shown = cli("messages", "E", "--db", db)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "Привет" in shown
    assert stored(db, "E")[0]["text"] == "Привет  !"
