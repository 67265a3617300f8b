"""``invoice paid`` takes the amount after the number, as ``refund`` and ``credit`` do.

``invoice refund X 1 5000`` and ``invoice credit X 1 1000`` take the amount as an argument,
while ``invoice paid`` took it only as ``--amount``: ``invoice paid X 1 20000`` ended in
"Got unexpected extra argument(s) (20000)". Both spellings are read now.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n05.09.2025, 10:07 - Анна: Хорошо\n"


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    result = CliRunner().invoke(build_app(), [*args, *db], env={"COLUMNS": "200", "CLIENTGUARD_LANG": "en"})
    return result.exit_code, result.output


def test_the_amount_after_the_number_is_a_partial_payment(tmp_path: Path, tmp_home: Path) -> None:
    chat = tmp_path / "WhatsApp Chat with Игорь.txt"
    chat.write_text(CHAT, encoding="utf-8")
    assert _run(tmp_path, "import", str(chat), "--client", "X", "--me", "Анна")[0] == 0
    assert (
        _run(tmp_path, "invoice", "add", "X", "45 000", "--issued", "01.09.2025", "--due", "15.09.2025")[0]
        == 0
    )
    code, out = _run(tmp_path, "invoice", "paid", "X", "1", "20 000", "--on", "10.09.2025")
    assert code == 0, out
    code, out = _run(tmp_path, "invoice", "paid", "X", "1", "--amount", "5000,50", "--on", "11.09.2025")
    assert code == 0, out
    code, out = _run(tmp_path, "invoice", "paid", "X", "1", "1", "--amount", "2")
    assert code == 2 and "give the amount once" in out
    code, out = _run(tmp_path, "invoice", "list", "--json")
    (row,) = json.loads(out)
    assert [p["amount"] for p in row["payments"]] == [20000.0, 5000.5]
    assert row["outstanding"] == 19999.5
