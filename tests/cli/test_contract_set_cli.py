"""``contract set`` and a client name that matches no client.

QA3 F1: ``contract set Лотос --revision-limit 2`` (the client is "Студия йоги «Лотос»")
silently created a phantom client "Лотос" holding the terms, while ``invoice add``,
``note add`` and ``reply`` refuse a name no client has. Now ``contract set`` refuses it too,
naming the close stored names; ``--create-client`` sets terms for a client on purpose
(terms agreed before any chat was imported).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app, main

C = "Студия йоги «Лотос»"
CHAT = "12.09.2025, 10:00 - Игорь: Здравствуйте\n12.09.2025, 10:05 - Ольга: Добрый день\n"


def ok(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    ok("import", str(chat), "--client", C, "--db", url)
    return url


def clients(db: str) -> list[str]:
    return sorted(c["name"] for c in json.loads(ok("clients", "--json", "--db", db)))


def test_a_typo_is_refused_with_the_close_name(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    monkeypatch.setattr(sys, "argv", ["clientguard", "contract", "set", "Лотос", "--revision-limit", "2",
                                      "--db", db])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    err = " ".join(capsys.readouterr().err.split())
    assert exit_.value.code == 1
    assert f"E400: no client named 'Лотос'; did you mean '{C}'?" in err and "--create-client" in err
    assert clients(db) == [C]


def test_known_client_in_any_case_and_create_on_purpose(db: str) -> None:
    assert "лимит правок: 2" in ok("contract", "set", C.lower(), "--revision-limit", "2", "--lang", "ru",
                                   "--db", db)  # fmt: skip
    ok("contract", "set", "Кофейня «Пенка»", "--revision-limit", "3", "--create-client", "--db", db)
    assert clients(db) == sorted([C, "Кофейня «Пенка»"])
    shown = json.loads(ok("contract", "show", "Кофейня «Пенка»", "--json", "--db", db))
    assert shown["revision_limit"] == 3
