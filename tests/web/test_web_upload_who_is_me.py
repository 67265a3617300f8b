"""A web upload decides who the user is as ``clientguard import`` does (QA pass 6 follow-up, K4).

The upload job guessed the user with analyze's rule (the first sender of a chat that does
not name its client is the client) while the CLI import (I2, ``store/import_parties.py``)
takes saved identities, else the participant who already wrote in the most other stored
chats, else nobody. Two WhatsApp chats opened by Анна, with Игорь and with Олег, uploaded
one after the other, both became client «Анна» on the web. The job now hands the decision
to the import itself: the same clients as the CLI import of the same files, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.store import open_store
from clientguard.web.jobs import create_job, job_status, run_job
from tests.web.test_web_api import upload

WITH_IGOR = "01.09.2025, 10:05 - Анна: Добрый день! Присылаю план\n01.09.2025, 10:07 - Игорь: Оплатим потом\n"
WITH_OLEG = "02.09.2025, 11:00 - Анна: Олег, здравствуйте\n02.09.2025, 11:05 - Олег: Где макеты?\n"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path, tmp_home: Path) -> Iterator[tuple[str, str]]:
    """One database for the web job, one for the CLI import of the same files."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'web.sqlite3'}", f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    else:
        with pg_schema("cg_web_me_") as web, pg_schema("cg_cli_me_") as cli:
            yield web, cli


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "chat1.txt").write_text(WITH_IGOR, encoding="utf-8")
    (tmp_path / "chat2.txt").write_text(WITH_OLEG, encoding="utf-8")
    return [tmp_path / "chat1.txt", tmp_path / "chat2.txt"]


def _clients(url: str) -> list[tuple[str, int, int]]:
    with open_store(url) as store:
        return sorted((c.name, c.conversations, c.messages) for c in store.clients())


def _web_import(url: str, file: Path, me: str | None = None) -> None:
    with open_store(url) as store:
        if me:
            store.add_me(me)
        job = create_job(store, "chat", file.name, None, None)
    run_job(job, url, str(file), "chat", None, None)
    with open_store(url) as store:
        status = job_status(store, job)
    assert status is not None and status["status"] == "done", status


def _cli_import(url: str, file: Path, me: str | None = None) -> None:
    args = ["import", str(file), "--db", url, "--json", *(["--me", me] if me else [])]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["messages_added"] == 2


def test_an_upload_names_chats_as_the_cli_import_does(two_dbs: tuple[str, str], tmp_path: Path) -> None:
    web, cli = two_dbs
    for file in _files(tmp_path):
        _web_import(web, file)
        _cli_import(cli, file)
    assert _clients(web) == _clients(cli)
    names = [name for name, _, _ in _clients(web)]
    assert "Анна" not in names and "Олег" in names, names  # never both chats under the user


def test_a_saved_identity_decides_on_the_web_as_in_the_cli(two_dbs: tuple[str, str], tmp_path: Path) -> None:
    web, cli = two_dbs
    for file in _files(tmp_path):
        _web_import(web, file, me="Анна")
        _cli_import(cli, file, me="Анна")
    assert _clients(web) == _clients(cli) == [("Игорь", 1, 2), ("Олег", 1, 2)]


def test_the_upload_form_keeps_the_decision(local_client: object, tmp_home: Path, tmp_path: Path) -> None:
    """Through the page: the second chat opened by the user is not filed under her."""
    for file in _files(tmp_path):
        job = upload(local_client, file)  # type: ignore[arg-type]
        assert job["status"] == "done", job
    names = [name for name, _, _ in _clients(f"sqlite:///{tmp_home / 'web.sqlite3'}")]
    assert "Анна" not in names and "Олег" in names, names
