"""The team-mode commands: ``user add|grant|list`` and ``time add`` on a local database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.store import open_store
from clientguard.web.auth import authenticate
from tests.web.web_helpers import SAMPLE_CHAT


def test_user_and_time_commands(tmp_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_home / 'cli.sqlite3'}"
    with open_store(db) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
    runner = CliRunner()
    app = build_app()
    monkeypatch.setenv("CLIENTGUARD_PASSWORD", "long enough secret")
    assert runner.invoke(app, ["user", "add", "ivan", "--role", "specialist", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["user", "grant", "ivan", "Клиент А", "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert "ivan" in listed.output and "Клиент А" in listed.output
    bad = runner.invoke(app, ["user", "add", "x", "--role", "boss", "--db", db])
    assert bad.exit_code != 0
    ok = runner.invoke(
        app, ["time", "add", "Клиент А", "2.5", "--member", "ivan", "--date", "2025-09-01", "--db", db]
    )
    assert ok.exit_code == 0, ok.output
    with open_store(db) as store:
        assert authenticate(store, "ivan", "long enough secret") is not None
        assert authenticate(store, "ivan", "wrong") is None
        hashed = store.engine.connect().exec_driver_sql("SELECT pw_hash FROM web_users").scalar()
        assert str(hashed).startswith("$argon2")


def test_serve_team_needs_postgresql(tmp_home: Path) -> None:
    result = CliRunner().invoke(build_app(), ["serve", "--team", "--db", f"sqlite:///{tmp_home / 'x.db'}"])
    assert result.exit_code != 0 and "PostgreSQL" in result.output


@pytest.mark.parametrize("port", ["70000", "65536", "0", "-1"])
def test_serve_port_out_of_range_is_one_clear_error(
    tmp_home: Path, port: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No uvicorn traceback: the option itself refuses a port outside 1-65535."""
    import uvicorn

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the server was started with port {kwargs.get('port')}")

    monkeypatch.setattr(uvicorn, "run", started)  # a regression fails, it does not serve forever
    result = CliRunner().invoke(build_app(), ["serve", "--port", port])
    assert result.exit_code == 2, result.output
    assert "--port" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, OverflowError)


@pytest.mark.parametrize(
    "path", ["/clients/99999999999999999999999", "/api/clients/99999999999999999999999", "/clients/abc"]
)
def test_serve_get_of_a_page_that_does_not_exist(tmp_home: Path, path: str) -> None:
    db = f"sqlite:///{tmp_home / 'get.sqlite3'}"
    result = CliRunner().invoke(build_app(), ["serve", "--get", path, "--db", db])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "Не найдено." in result.output and "OverflowError" not in result.output
