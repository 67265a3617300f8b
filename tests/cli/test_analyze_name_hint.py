"""``analyze "Студия «Ирис»"``: a client's name given where a file was expected.

The hint said "if that is a stored client's name, give it after --client: …" without
looking: the user had to find out which it was. The name is looked up now (in ``--db``, or
the configured database): a stored client's hint is the command to run, with the name as
stored; a name no client has says so, with the close stored names and where clients are
listed. A database that cannot be read leaves the old conditional hint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

NAME = "Студия «Ирис»"


def _box(args: list[str], lang: str) -> tuple[int, str]:
    """The exit code and the error box's text, its lines joined."""
    env = {"CLIENTGUARD_LANG": lang, "COLUMNS": "300", "NO_COLOR": "1"}
    result = CliRunner().invoke(build_app(), args, env=env, prog_name="clientguard")
    inside = [line.strip().strip("│").strip() for line in result.output.splitlines() if line.startswith("│")]
    return result.exit_code, " ".join(" ".join(inside).split())


@pytest.fixture()
def db(tmp_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with one client, «Студия «Ирис»», and an empty working folder."""
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    args = ["contract", "set", NAME, "--revision-limit", "2", "--create-client", "--db", url]
    made = CliRunner().invoke(build_app(), args)
    assert made.exit_code == 0, made.output
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return url


@pytest.mark.parametrize("typed", [NAME, "студия «ирис»"])
def test_a_stored_clients_name_gets_the_command_to_run(db: str, typed: str) -> None:
    code, ru = _box(["analyze", typed, "--db", db], "ru")
    assert code == 2
    assert ru.endswith(
        "Это имя сохранённого клиента; чтобы его проанализировать, выполните: "
        "clientguard analyze --client 'Студия «Ирис»'"
    ), ru
    code, en = _box(["analyze", f"--db={db}", typed], "en")
    assert code == 2
    assert en.endswith(
        "That is a stored client's name; to analyse it, run: clientguard analyze --client 'Студия «Ирис»'"
    ), en


def test_a_name_no_client_has_says_so_and_where_clients_are_listed(db: str) -> None:
    code, ru = _box(["analyze", "Студия Ирис", "--db", db], "ru")
    assert code == 2
    assert ru.endswith(
        "Сохранённого клиента с таким именем тоже нет (похожие имена: «Студия „Ирис“»); "
        "список клиентов: clientguard clients"
    ), ru
    code, en = _box(["analyze", "Лотос", "--db", db], "en")
    assert en.endswith("No stored client has that name either; to list clients: clientguard clients"), en


def test_no_database_is_made_by_a_hint(tmp_home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    code, ru = _box(["analyze", NAME, "--db", f"sqlite:///{missing}"], "ru")
    assert code == 2 and "Сохранённого клиента с таким именем тоже нет" in ru
    assert not missing.exists()


def test_an_unreadable_database_keeps_the_conditional_hint(tmp_home: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite3"  # not a database: it cannot tell whether the client is stored
    notes.write_text("заметки, не база данных\n" * 100, encoding="utf-8")
    code, ru = _box(["analyze", NAME, "--db", f"sqlite:///{notes}"], "ru")
    assert code == 2
    assert ru.endswith("Если это имя сохранённого клиента, укажите его после --client: "
                       "clientguard analyze --client 'Студия «Ирис»'"), ru  # fmt: skip


def test_the_db_is_read_from_the_command_line_as_click_would() -> None:
    from clientguard.cli._usage import argv_db

    assert argv_db(["analyze", "X", "--db", "sqlite:///a", "--db=sqlite:///b"]) == "sqlite:///b"
    assert argv_db(["analyze", "X", "--", "--db", "sqlite:///a"]) is None
    assert argv_db(["analyze", "X"]) is None
