"""QA pass 7: ``time add`` on a team database logs time for team users only.

A typo (``--member ivna``) or no ``--member`` at all ("me", who is nobody in a team)
was stored, and the team page then listed "ivna" and "me" as members with their hours
and every flagged message of the client as their load. Local mode takes any name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from clientguard.store import open_store
from clientguard.store.models_web import TimeEntryRow
from clientguard.web.auth import add_user
from tests.suite_helpers import run_main

Cli = tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]


@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return monkeypatch, capsys


def _run(cli: Cli, *args: str) -> tuple[int, str]:
    code, out, err = run_main(cli[0], cli[1], *args)
    return code, out + err


def _members(url: str) -> list[str]:
    with open_store(url) as store, store.engine.connect() as conn:
        return [str(m) for m in conn.execute(select(TimeEntryRow.member)).scalars()]


def test_team_database_takes_only_its_users(tmp_path: Path, tmp_home: Path, cli: Cli) -> None:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    db = ["--db", url]
    assert _run(cli, "contract", "set", "Клиент", "--revision-limit", "2", "--create-client", *db)[0] == 0
    with open_store(url) as store:
        add_user(store, "ivan", "specialist", "long enough password")
        add_user(store, "olga", "owner", "long enough password")

    code, out = _run(cli, "time", "add", "Клиент", "2", "--member", "ivna", "--lang", "en", *db)
    assert code == 1 and "ivna" in out and "ivan, olga" in out and "Traceback" not in out
    code, out = _run(cli, "time", "add", "Клиент", "2", "--lang", "en", *db)
    assert code == 1 and "--member" in out and "ivan, olga" in out
    assert _members(url) == []  # nothing stored for either

    assert _run(cli, "time", "add", "Клиент", "2", "--member", "ivan", *db)[0] == 0
    assert _members(url) == ["ivan"]


def test_local_database_takes_any_name(tmp_path: Path, tmp_home: Path, cli: Cli) -> None:
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    db = ["--db", url]
    _run(cli, "contract", "set", "Клиент", "--revision-limit", "2", "--create-client", *db)
    assert _run(cli, "time", "add", "Клиент", "1", "--member", "anna", *db)[0] == 0
    assert _run(cli, "time", "add", "Клиент", "1", *db)[0] == 0
    assert sorted(_members(url)) == ["anna", "me"]
