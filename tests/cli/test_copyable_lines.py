"""Lines a user copies are never hard-wrapped at 80 columns (QA pass 5, finding N2).

``import`` printed its notes and skipped records through Rich at 80 columns when stdout
was not a terminal, so "…/4A_11M.txt:line" ended one line and "1: day/month order…" began
the next; ``revisions`` cut its `clientguard contract set '…' --revision-limit N` hint the
same way. Error lines were already kept whole (``err_console``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main

CHAT = "1/2/25, 10:00 - Иван Петров: Оплатим на следующей неделе\n1/2/25, 10:05 - Ольга: Хорошо\n"


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def test_import_note_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    folder = tmp_path / ("a_rather_long_folder_name_for_exports_" * 2)
    folder.mkdir()
    chat = folder / "WhatsApp Chat with Иван Петров.txt"
    chat.write_text(CHAT, encoding="utf-8")
    code, out, err = run_main(monkeypatch, capsys, "import", str(chat), "--client", "Иван", "--lang", "en",
                              "--db", db)  # fmt: skip
    assert code == 0, err
    [note] = [line for line in out.splitlines() if line.startswith("note ")]
    assert note.startswith(f"note {chat}:line 1: the day/month order of its dates could not be proven")
    assert note.endswith("(the non-US default).")


def test_revisions_hint_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    client = "ООО «Очень длинное название компании клиента»"
    assert run_main(monkeypatch, capsys, "import", str(chat), "--client", client, "--db", db)[0] == 0
    code, out, _ = run_main(monkeypatch, capsys, "revisions", client, "--lang", "en", "--db", db)
    assert code == 0
    hint = f"No revision limit on file: `clientguard contract set '{client}' --revision-limit N`."
    assert hint in out.splitlines()
