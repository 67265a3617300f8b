"""Contract terms and invoices in the database, through the CLI (JSON shapes) and the API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts.invoices import overdue_invoices
from clientguard.contracts.repo import set_terms, terms_for_client
from clientguard.domain import WorkingHours
from clientguard.errors import NotFoundError
from clientguard.store import open_store
from tests.contracts.builders import make_docx
from tests.contracts.test_checker import EN_CONTRACT


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'contracts.sqlite3'}"


def cli(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_check_json_shape(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "c.docx", EN_CONTRACT)
    data = json.loads(cli("contract", "check", str(path), "--json"))
    assert set(data) == {"clauses", "extracted"} and len(data["clauses"]) == 15
    assert data["extracted"]["revision_limit"] == 2


def test_add_set_show_and_terms_for_client(tmp_path: Path, db: str) -> None:
    path = make_docx(tmp_path / "c.docx", EN_CONTRACT)
    cli("contract", "add", "Acme", str(path), "--yes", "--create-client", "--db", db)
    shown = json.loads(cli("contract", "show", "acme", "--json", "--db", db))
    assert shown["revision_limit"] == 2 and shown["payment_due_days"] == 10
    assert shown["late_fee_percent_per_day"] == 0.2 and shown["late_fee_cap_percent"] == 10
    assert shown["source"] == "contract"
    cli(
        "contract", "set", "Acme", "--revision-limit", "3", "--scope", "8 posts", "--scope", "4 reels",
        "--working-hours", "Mon-Fri 10:00-19:00", "--db", db,
    )  # fmt: skip
    with open_store(db) as store:
        terms = terms_for_client(store, "Acme")
        assert terms is not None
        assert terms.revision_limit == 3 and terms.scope == ("8 posts", "4 reels")
        assert terms.payment_due_days == 10  # untouched by `set`
        assert terms.working_hours == WorkingHours((0, 1, 2, 3, 4), "10:00", "19:00")
        with pytest.raises(NotFoundError):
            terms_for_client(store, "Nobody Yet")


def test_invoices_cli_and_overdue_api(db: str) -> None:
    with open_store(db) as store:
        set_terms(store, "Beta", late_fee_percent_per_day=0.1, late_fee_cap_percent=5, currency="RUB")
    cli(
        "invoice",
        "add",
        "Beta",
        "100000",
        "--due",
        "2025-03-05",
        "--issued",
        "2025-03-01",
        "--id",
        "B-1",
        "--db",
        db,
    )
    cli("invoice", "add", "Beta", "20000", "--due", "2025-04-30", "--db", db, "--issued", "2025-04-01")
    cli("invoice", "paid", "Beta", "B-1", "--on", "2025-03-10", "--amount", "50000", "--db", db)
    rows = json.loads(
        cli("invoice", "list", "Beta", "--overdue", "--json", "--today", "2025-03-20", "--db", db)
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "B-1" and row["outstanding"] == 50000 and row["days_overdue"] == 15
    # 4 days × 100 000 × 0.1 % + 11 days × 50 000 × 0.1 % = 400 + 550
    assert row["late_fee"] == 950 and row["stage"] == "formal_claim" and row["next_step_on"] == "2025-03-29"
    with open_store(db) as store:
        overdue = overdue_invoices(store, "Beta", date(2025, 3, 20))
        assert [s.invoice.id for s in overdue] == ["B-1"]
        everyone = overdue_invoices(store, None, date(2025, 9, 1))
        assert {s.invoice.id for s in everyone} == {"B-1", "B-2"}
        assert max(s.late_fee for s in everyone) == 5000  # capped at 5 % of 100 000


def test_revisions_cli_json(db: str) -> None:
    sample = Path(__file__).resolve().parents[2] / "examples" / "sample_chat.json"
    if not sample.is_file():
        pytest.skip("examples/sample_chat.json not present")
    cli("import", str(sample), "--me", "user5550001", "--client", "Sample", "--db", db)
    cli("contract", "set", "Sample", "--revision-limit", "1", "--db", db)
    rows = json.loads(cli("revisions", "Sample", "--json", "--db", db))
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) == {"deliverable", "rounds", "limit", "over_limit", "state", "evidence", "requests"}
        assert row["limit"] == 1


def test_check_fills_drafts_with_stored_terms(tmp_path: Path, db: str) -> None:
    cli(
        "contract",
        "set",
        "Gamma",
        "--revision-limit",
        "4",
        "--working-hours",
        "Mon-Thu 09:00-17:00",
        "--create-client",
        "--db",
        db,
    )
    weak = tmp_path / "weak.md"
    weak.write_text(
        "1. Writer will write blog posts as needed.\n2. Client will pay USD 500 upon completion.\n"
    )
    data = json.loads(cli("contract", "check", str(weak), "--json", "--client", "Gamma", "--db", db))
    by_id = {c["id"]: c for c in data["clauses"]}
    assert "up to 4 rounds" in by_id["revision_limit"]["suggestion"]
    assert "Monday to Thursday, 09:00 to 17:00" in by_id["working_hours"]["suggestion"]


def test_check_prints_contract_text_literally(tmp_path: Path) -> None:
    """Square brackets in a contract are text: "[/]" crashed the table, "[red]" vanished."""
    path = tmp_path / "[draft] c.md"
    path.write_text("\n".join(EN_CONTRACT).replace("Each month", "Each month [/] [red]", 1), encoding="utf-8")
    out = cli("contract", "check", str(path))
    assert "[red]" in out
    assert "[draft] c.md" in out


@pytest.mark.parametrize("option", ["--revision-limit", "--payment-due-days", "--price", "--late-fee"])
def test_set_rejects_negative_terms(tmp_path: Path, option: str) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = CliRunner().invoke(build_app(), ["contract", "set", "Acme", option, "-1", "--db", db, "--lang", "en"])
    assert r.exit_code == 2 and "Invalid value" in r.output  # a usage error, nothing stored
    r = CliRunner().invoke(build_app(), ["contract", "set", "Acme", option, "-1", "--db", db, "--lang", "ru"])
    assert r.exit_code == 2 and "Недопустимое значение" in r.output
