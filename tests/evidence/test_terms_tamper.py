"""Contract terms, scope items and contracts edited behind the log are tampering.

Terms used to be a "mutable" kind: a stored terms row that no longer matched its last
record was a pending new version, so ``UPDATE contract_terms SET price = 5000`` (50 000
logged) passed ``evidence verify`` ("целостность подтверждена", one record "not yet
logged") and the next ``evidence sync`` or dispute export logged the forged price as the
client's terms; the next ``invoice add`` even chained it at once. Since every write of
the terms is chained in its own transaction, a logged row that differs from its last
record is tampering, named like an edited invoice; a version written by an older
clientguard without the record hook (its ``updated_at`` later than the logged one) is
still pending. Scope items are replaced by every ``contract set``: those a later version
dropped are not "deleted" (on PostgreSQL they were reported as tampering).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli, sync_client
from evidence_sample import report as log_report
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts.checker import check_contract
from clientguard.contracts.repo import add_invoice, save_contract, set_terms
from clientguard.store import Store
from tests.contracts.builders import make_docx
from tests.contracts.test_checker import RU_CONTRACT


def _problems(store: Store) -> list[tuple[str, str | None, str]]:
    return [(p.what, p.kind, (p.ref or "").split(":")[0]) for p in log_report(store).problems]


@pytest.mark.parametrize(
    ("column", "value"),
    [("price", "5000"), ("revision_limit", "99"), ("payment_due_days", "60"), ("signed", "false")],
)
def test_terms_edited_in_the_database_are_tampering_and_not_relogged(
    store: Store, column: str, value: str
) -> None:
    set_terms(store, CLIENT, revision_limit=2, price=50000, payment_due_days=5, signed=True)
    assert log_report(store).ok
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE contract_terms SET {column} = {value}"))
    report = log_report(store)
    assert not report.ok and report.pending == 0
    assert _problems(store) == [("source_changed", "contract", "contract_terms")]
    assert sync_client(store) == 0  # the forged row is not logged as the terms' new version
    assert _problems(store) == [("source_changed", "contract", "contract_terms")]


def test_an_invoice_added_after_the_edit_does_not_launder_it(store: Store) -> None:
    """The record hook chains what the write made, not every changed row of the client."""
    set_terms(store, CLIENT, price=50000)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET price = 5000"))
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    assert _problems(store) == [("source_changed", "contract", "contract_terms")]


def test_a_new_version_set_by_the_tool_is_fine(store: Store) -> None:
    set_terms(store, CLIENT, revision_limit=2, scope=("10 постов", "6 сторис", "2 рилса"))
    set_terms(store, CLIENT, revision_limit=3, scope=("12 постов",))  # drops two scope items
    set_terms(store, CLIENT, scope=("12 постов", "4 сторис"))
    report = log_report(store)
    assert report.ok and report.pending == 0, report.problems
    assert sync_client(store) == 0


def test_a_scope_item_edited_or_deleted_in_the_database_is_tampering(store: Store) -> None:
    set_terms(store, CLIENT, scope=("10 постов", "6 сторис"))
    set_terms(store, CLIENT, scope=("12 постов", "6 сторис"))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE scope_items SET text = '100 постов' WHERE position = 0"))
    assert _problems(store) == [("source_changed", "contract", "scope_items")]
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM scope_items WHERE position = 1"))
    assert sorted(_problems(store)) == [
        ("source_changed", "contract", "scope_items"),
        ("source_missing", "contract", "scope_items"),
    ]


def test_a_saved_contract_edited_in_the_database_is_tampering(store: Store, tmp_path: Path) -> None:
    path = make_docx(tmp_path / "c.docx", RU_CONTRACT)
    save_contract(store, CLIENT, path, check_contract(path))
    assert log_report(store).ok
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contracts SET sha256 = '0000'"))
    assert _problems(store) == [("source_changed", "contract", "contracts")]
    assert sync_client(store) == 0


def test_a_version_an_older_clientguard_wrote_is_pending(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Terms logged by its sync, then changed by ``contract set`` of a version without the record hook.

    That clientguard wrote both versions (its sync draws no ``logging_started`` line:
    the record hook is not installed); a version the tool wrote after the line is
    ``test_logging_line``'s case.
    """
    monkeypatch.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
    set_terms(store, CLIENT, revision_limit=2, scope=("10 постов", "6 сторис", "2 рилса"))
    assert sync_client(store) > 0
    set_terms(store, CLIENT, revision_limit=3, scope=("12 постов",))
    before = log_report(store)
    assert before.ok and before.pending > 0, before.problems
    assert sync_client(store) > 0
    after = log_report(store)
    assert after.ok and after.pending == 0, after.problems
    assert sync_client(store) == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["ЦЕЛОСТНОСТЬ НАРУШЕНА", "договор contract_terms:", "изменено в базе после записи"]),
     ("en", ["TAMPERED", "contract contract_terms:", "changed in the store after it was logged"])],
)  # fmt: skip
def test_cli_verify_names_the_edited_terms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: list[str]
) -> None:
    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("contract", "set", CLIENT, "--revision-limit", "2", "--price", "50000")
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET price = 5000"))
    engine.dispose()
    result = CliRunner().invoke(build_app(), ["evidence", "verify", CLIENT, "--lang", lang])
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
