"""``note confirm --message`` takes the client's message only (QA pass 7 on the evidence).

The user's own "Отлично, выставлю счёт сегодня." was recorded as the client's written
confirmation of a note (`--message 2`), and the dispute export printed the note as
confirmed; the log is append-only, so the slip stayed for good. Now the command refuses,
in one line naming the message, its sender and role, and records nothing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

CLIENT = "Кофейня «Пенка»"
ROWS = [
    {"timestamp": "2025-09-01T10:00:00+03:00", "sender": "Игорь", "text": "Две правки на пост, да."},
    {"timestamp": "2025-09-01T10:05:00+03:00", "sender": "Ольга", "text": "Отлично, выставлю счёт сегодня."},
]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_confirming_by_the_users_own_message_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    db = tmp_path / "x.sqlite3"
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{db}")
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    chat = tmp_path / "chat.jsonl"
    chat.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS), encoding="utf-8")

    def run(*args: str) -> tuple[int, str]:
        r = CliRunner().invoke(build_app(), [*args, "--lang", lang])
        return r.exit_code, r.output

    assert run("import", str(chat), "--client", CLIENT, "--me", "Ольга")[0] == 0
    assert run("note", "add", CLIENT, "Созвон: две правки на пост", "--kind", "call")[0] == 0
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute("select sender_name, id from messages"))
    code, output = run("note", "confirm", CLIENT, "1", "--message", str(ids["Ольга"]))
    assert code == 2, output
    words = {"ru": "написал не клиент", "en": "is not the client's"}[lang]
    assert words in " ".join(output.split()) and "Ольга" in output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from evidence_confirmations").fetchone() == (0,)
    code, output = run("note", "confirm", CLIENT, "1", "--message", str(ids["Игорь"]))
    assert code == 0, output
