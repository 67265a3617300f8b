"""A case file naming a specialist who does not write in the chat leaves the saved identity in charge
(README walk-through).

A new user who copies ``examples/sample_case.yaml`` for their own export keeps its
``specialist_from_id: user5550001``. That id never writes in their chat, yet it made every sender
a client: the user's own messages (saved with ``me add``) were profiled as a contact of the client,
and the advice was to "move day-to-day communication" to the user herself. The README says the
identities you saved decide who the specialist is before any guess.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app

CASE = """client:
  name: Кофейня «Пенка»
  from_id: user5550002
specialist_from_id: user5550001
timezone: Europe/Moscow
"""


def _chat() -> dict[str, object]:
    rows = [
        ("user111", "Анна", "Добрый день! Контент-план пришлю в среду."),
        ("user222", "Игорь", "Это никуда не годится, переделайте к утру, бесплатно."),
        ("user111", "Анна", "Пришлю вторую версию в четверг."),
        ("user222", "Игорь", "Оплатим на следующей неделе."),
    ]
    messages = [
        {"id": i + 1, "type": "message", "date": f"2025-09-0{i + 1}T11:00:00",
         "date_unixtime": str(1756713600 + i * 86400), "from": name, "from_id": sender, "text": text}
        for i, (sender, name, text) in enumerate(rows)
    ]
    return {"name": "Игорь", "type": "personal_chat", "id": 222, "messages": messages}


def test_saved_identity_decides_when_the_case_names_an_absent_specialist(
    tmp_path: Path, tmp_home: Path
) -> None:
    chat = tmp_path / "result.json"
    chat.write_text(json.dumps(_chat(), ensure_ascii=False), encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    runner = CliRunner()
    assert runner.invoke(build_app(), ["me", "add", "user111", *db]).exit_code == 0
    result = runner.invoke(build_app(), ["analyze", str(chat), "--case", str(case), "--json", *db],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    contacts = {c["from_id"] for c in json.loads(result.stdout)["contacts"]}
    assert "user111" not in contacts  # the user is the specialist, not a contact of the client
    assert "user222" in contacts
