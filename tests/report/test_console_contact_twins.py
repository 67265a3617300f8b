"""Two contacts of one name are told apart in analyze's contacts table (QA pass 6, CLI N14).

A client writing by e-mail and in WhatsApp is two contacts named 'Игорь Петров', and the
console's table showed two identical rows with different risks; the HTML report prints the
id under the name. The console now adds the id to a name that repeats (when the id is not
the name itself), and leaves unique names as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

MAIL = (
    "From: =?utf-8?b?0JjQs9C+0YDRjCDQn9C10YLRgNC+0LI=?= <igor@penka.ru>\n"  # Игорь Петров
    "To: olga@example.com\nSubject: plan\nDate: Mon, 01 Sep 2025 23:15:00 +0300\n"
    "Message-ID: <m1@penka.ru>\n\nПришлите план до утра, оплатим на следующей неделе.\n"
)
CHAT = (
    "01.09.2025, 11:00 - Игорь Петров: Где план? Сделайте сегодня же\n"
    "01.09.2025, 11:05 - Ольга: Пришлю сегодня\n"
    "02.09.2025, 12:00 - Мария Котова: Я тоже буду согласовывать посты\n"
)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_repeated_name_shows_its_id(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    for name, body in {"a.eml": MAIL, "WhatsApp Chat with Игорь.txt": CHAT}.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
        args = ["import", str(tmp_path / name), "--client", "Кофейня «Пенка»", "--me", "Ольга", *db]
        assert CliRunner().invoke(build_app(), args).exit_code == 0
    result = CliRunner().invoke(build_app(), ["--lang", lang, "analyze", "--client", "Кофейня «Пенка»", *db])
    assert result.exit_code == 0, result.output
    rows = [ln for ln in result.stdout.splitlines() if "Игорь Петров" in ln or "Мария Котова" in ln]
    assert any("Игорь Петров (igor@penka.ru)" in ln for ln in rows), rows
    assert sum("Игорь Петров" in ln for ln in rows) == 2
    assert any("Мария Котова" in ln and "(" not in ln.split("│")[1] for ln in rows), rows
