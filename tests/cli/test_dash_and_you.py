"""One word for the same thing across commands (QA pass 6, I6).

``messages`` printed "????" for a message without a time where ``clients`` prints "—", and
``time add`` said "исполнитель me" where the dashboard says "Вы"/"You".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

NO_DATE = (
    "From: Igor <igor@example.com>\nTo: me@example.com\nSubject: test\nMessage-ID: <a1@example.com>\n"
    "Content-Type: text/plain; charset=utf-8\n\nHello without a date\n"
)


def ok(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_a_message_without_a_time_shows_the_dash_clients_shows(tmp_path: Path, tmp_home: Path) -> None:
    (tmp_path / "a.eml").write_text(NO_DATE, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    ok("import", str(tmp_path / "a.eml"), "--client", "X", *db)
    (line,) = ok("messages", "X", "--lang", "en", *db).splitlines()
    assert "????" not in line and line.startswith("—" + " " * 15 + "  client"), line
    assert "—" in ok("clients", "--lang", "en", *db)


@pytest.mark.parametrize(
    ("lang", "said"), [("ru", "1,5 ч: Клиент, исполнитель: вы"), ("en", "1.5 h on Клиент by you")]
)
def test_time_add_by_the_user_says_you(tmp_path: Path, tmp_home: Path, lang: str, said: str) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    ok("contract", "set", "Клиент", "--revision-limit", "2", "--create-client", *db)
    assert ok("time", "add", "Клиент", "1.5", "--lang", lang, *db).strip() == said
    assert "olga" in ok("time", "add", "Клиент", "1.5", "--member", "olga", "--lang", lang, *db)
