"""``user grant|revoke|remove`` say what they changed, and the only owner stays (QA pass 7).

A grant to a manager (who sees every client anyway) and a revoke of access never given
were answered "ivan → Клиент А" as if they had changed something, and the team's only
owner could be removed, leaving nobody who sees the team page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from clientguard.cli import build_app
from clientguard.errors import ConfigError
from clientguard.store import open_store
from tests.web.web_helpers import SAMPLE_CHAT


@pytest.fixture()
def team(tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    db = f"sqlite:///{tmp_home / 'team.sqlite3'}"
    with open_store(db) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", "long enough secret")
    for name, role in (("olga", "owner"), ("masha", "manager"), ("ivan", "specialist")):
        assert _run(db, "user", "add", name, "--role", role).exit_code == 0
    return db


def _run(db: str, *args: str) -> Result:
    return CliRunner().invoke(build_app(), [*args, "--db", db])


def _said(db: str, *args: str) -> str:
    result = _run(db, *args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_grant_and_revoke_say_what_changed(team: str) -> None:
    assert "access given" in _said(team, "user", "grant", "ivan", "Клиент А", "--lang", "en")
    assert "had this access already; nothing changed" in _said(team, "user", "grant", "ivan", "Клиент А",
                                                                 "--lang", "en")
    assert "доступ закрыт" in _said(team, "user", "revoke", "ivan", "Клиент А", "--lang", "ru")
    assert "доступа не было, ничего не изменилось" in _said(team, "user", "revoke", "ivan", "Клиент А",
                                                            "--lang", "ru")


def test_a_grant_to_a_manager_says_it_changes_nothing_now(team: str) -> None:
    out = _said(team, "user", "grant", "masha", "Клиент А", "--lang", "en")
    assert "masha is an owner or manager and sees every client" in out


def test_the_only_owner_cannot_be_removed(team: str) -> None:
    refused = _run(team, "user", "remove", "olga")  # main() prints it as one error line
    assert isinstance(refused.exception, ConfigError) and "only owner" in str(refused.exception)
    assert "olga" in _said(team, "user", "list")
    assert _run(team, "user", "add", "petr", "--role", "owner").exit_code == 0
    _said(team, "user", "remove", "olga")
    assert "olga" not in _said(team, "user", "list")
