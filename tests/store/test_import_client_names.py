"""import finds a stored client by the rule every other command uses (QA pass 6, CLI N18).

'import --client "кофейня «пенка»"' (or with a trailing space) started a second client
beside «Кофейня «Пенка»», because the importer alone matched names exactly, while invoice
add, contract set, messages and analyze --client find the stored one case-insensitively —
so the chat and the invoices of one client ended up apart. A blank --client created a
client named "   ". Same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from suite_helpers import pg_schema, run_main
from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n01.09.2025, 10:07 - Анна: Хорошо\n"
OTHER = "02.09.2025, 11:00 - Игорь: Где план?\n"
STORED = "Кофейня «Пенка»"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, tmp_home: Path) -> Iterator[list[str]]:
    if request.param == "sqlite":
        yield ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    else:
        with pg_schema("cg_names_") as url:
            yield ["--db", url]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


SPELLINGS = ["кофейня «пенка»", "КОФЕЙНЯ «ПЕНКА»", "Кофейня «Пенка» ", "  Кофейня «Пенка»"]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_another_spelling_of_a_stored_client_joins_it(db: list[str], tmp_path: Path, typed: str) -> None:
    (tmp_path / "a.txt").write_text(CHAT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    assert run("import", str(tmp_path / "a.txt"), "--client", STORED, "--me", "Анна", *db)[0] == 0
    code, out = run("import", str(tmp_path / "b.txt"), "--client", typed, *db)
    assert code == 0, out
    clients = json.loads(run("clients", "--json", *db)[1])
    assert [(c["name"], c["messages"]) for c in clients] == [(STORED, 3)]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_client_name_is_refused(
    db: list[str], tmp_path: Path, blank: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    (tmp_path / "a.txt").write_text(CHAT, encoding="utf-8")
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    code, _out, err = run_main(monkeypatch, capsys, "import", str(tmp_path / "a.txt"), "--client", blank, *db)
    assert code == 1 and "E200" in err and "--client: expected a client name" in err
    assert json.loads(run("clients", "--json", *db)[1]) == []
