"""Migrations: an empty database goes to ``heads`` and then matches the models exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from clientguard.errors import StorageError
from clientguard.store import Store, open_store
from clientguard.store.migrate import current, heads, load_models
from tests.suite_helpers import run_main


def test_empty_database_upgrades_to_heads(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.connect() as conn:
        assert current(conn) == heads()
        tables = set(inspect(conn).get_table_names())
    core = {
        "clients",
        "contacts",
        "identities",
        "me_identities",
        "conversations",
        "source_files",
        "messages",
        "events",
        "imports",
        "alembic_version",
    }
    assert core <= tables


def test_models_match_the_migrated_schema(store: Store) -> None:
    """Hand-written migrations and the ORM models must not drift apart."""
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), load_models())
    assert diff == []


def test_reopening_is_a_no_op(db_url: str) -> None:
    with open_store(db_url):
        pass
    with open_store(db_url) as store, store.engine.connect() as conn:
        assert current(conn) == heads()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/x.sqlite3") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_database_made_by_an_older_version_gets_the_new_branches(db_url: str) -> None:
    """A user's database at 0001_core only: opening it applies every feature branch."""
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001_core")
    with engine.connect() as conn:
        assert current(conn) == {"0001_core"}
    engine.dispose()
    with open_store(db_url) as store, store.engine.connect() as conn:
        assert current(conn) == heads()


def test_evidence_log_from_the_previous_head_gets_the_ref_index(db_url: str) -> None:
    """A database at the previous heads (evidence at 0003) gains ``ix_evidence_records_ref``.

    The record hook looks up a row's last record (and the client's line) by ref on every
    write of a contract, invoice or payment; without the index each lookup scanned the
    client's whole log.
    """
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        for head in ("0003_evidence_keyed", "0002_contracts", "0002_web"):
            command.upgrade(alembic_config(conn), head)
    with engine.connect() as conn:
        assert current(conn) == {"0003_evidence_keyed", "0002_contracts", "0002_web"}
        before = {ix["name"] for ix in inspect(conn).get_indexes("evidence_records")}
    assert "ix_evidence_records_ref" not in before
    engine.dispose()
    with open_store(db_url) as store, store.engine.connect() as conn:
        assert current(conn) == heads()
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("evidence_records")}
    assert indexes["ix_evidence_records_ref"] == ["client_id", "ref"]


def test_clients_from_the_previous_heads_get_a_time_zone_column(db_url: str) -> None:
    """A database from before ``0002_client_timezone`` keeps its clients, with no zone stored."""
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        for head in ("0004_evidence_ref_index", "0002_contracts", "0002_web"):
            command.upgrade(alembic_config(conn), head)
        conn.exec_driver_sql("INSERT INTO clients (name, created_at) VALUES ('Пенка', '2025-09-01 10:00:00')")
    with engine.connect() as conn:
        assert "timezone" not in {c["name"] for c in inspect(conn).get_columns("clients")}
    engine.dispose()
    with open_store(db_url) as store:
        assert store.client_timezone("Пенка") is None
        store.set_client_timezone("Пенка", "Asia/Almaty")
        assert store.client_timezone("Пенка") == "Asia/Almaty"
        with store.engine.connect() as conn:
            assert current(conn) == heads()


def test_heads_read_from_the_version_files_are_alembics() -> None:
    """The quick check's heads (no Alembic import) must be the heads Alembic would migrate to."""
    from clientguard.store.migrate import shipped_heads

    assert shipped_heads() == heads()


_OPEN_PROBE = """
import sys
from clientguard.store import open_store
open_store(sys.argv[1]).close()
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] == "alembic")))
"""


def test_opening_a_database_at_heads_does_not_import_alembic(db_url: str) -> None:
    """Every command opens the store; importing Alembic to find nothing to do cost ~0.3 s of start-up."""
    with open_store(db_url):
        pass
    out = subprocess.run([sys.executable, "-c", _OPEN_PROBE, db_url], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == []


def test_database_from_a_newer_version_is_still_refused(db_url: str) -> None:
    """A revision this version does not ship is not taken for 'at heads', and the refusal is one
    clear line (it was Alembic's CommandError, printed as a traceback by the CLI)."""
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future' WHERE version_num = :head"),
                     {"head": max(heads())})
    with pytest.raises(StorageError, match=r"schema revision 0099_future.*newer clientguard") as err:
        open_store(db_url)
    assert "Traceback" not in str(err.value)


def test_the_cli_refuses_a_newer_database_in_one_line(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the user sees: one E300 line naming the unknown revision, exit code 1, no traceback."""
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_future' WHERE version_num = :head"),
                     {"head": max(heads())})
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    code, out, err = run_main(monkeypatch, capsys, "clients", "--db", url)
    assert code == 1 and out == ""
    assert err.startswith("error E300: the database is at schema revision 0099_future,"), err
    assert "newer clientguard" in err and "Traceback" not in err and len(err.splitlines()) == 1
