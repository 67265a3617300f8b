"""``contract reread`` and the notices of an older reading, in Russian and English.

A contract stored before the seventeenth session kept "4% above the base rate" as 4% a
day; ``contract show`` and ``invoice list`` now say so, and ``contract reread`` shows
old → new (``--dry-run`` writes nothing) and writes it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts import check_contract
from clientguard.contracts.repo import add_invoice, save_contract, terms_record
from clientguard.store import open_store
from clientguard.store.models_contracts import TermOriginRow
from tests.contracts.test_contract_reread import BASE_RATE


@pytest.fixture()
def db(tmp_path: Path) -> str:
    """A database holding Acme's base-rate contract as the old reader stored it (4% a day)."""
    url = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    path = tmp_path / "agreement.md"
    path.write_text(BASE_RATE, encoding="utf-8")
    report = check_contract(path)
    old = replace(
        report, extracted=replace(report.extracted, late_fee_percent_per_day=4.0, late_fee_unread=None)
    )
    with open_store(url) as store:
        save_contract(store, "Acme", path, old)
        add_invoice(store, "Acme", 1500, due="2025-05-01", issued="2025-04-17", number="1")
        with store.engine.begin() as conn:
            conn.execute(delete(TermOriginRow))
    return url


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, " ".join(result.stdout.split()), " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("lang", "note", "change"),
    [
        (
            "en",
            "late fee, % per day: 4 is how an older clientguard read the contract",
            "late fee, % per day: 4 → —",
        ),
        (
            "ru",
            "пени, % в день: 4 — так договор прочитала прежняя версия clientguard",
            "пени, % в день: 4 → —",
        ),
    ],
)
def test_show_tells_and_a_dry_run_shows_old_and_new(db: str, lang: str, note: str, change: str) -> None:
    code, _out, err = _run("--lang", lang, "contract", "show", "Acme", "--db", db)
    assert code == 0 and note in err and "contract reread Acme --dry-run" in err
    code, _out, err = _run("--lang", lang, "invoice", "list", "--db", db, "--today", "2025-05-21")
    assert code == 0 and note in err
    with open_store(db) as store:
        record = terms_record(store, "Acme")
    assert record is not None and record.contract_path is not None
    code, _out, err = _run(
        "--lang", lang, "contract", "check", record.contract_path, "--client", "Acme", "--db", db
    )
    assert code == 0 and note in err  # its drafts quote the stored rate
    code, out, _err = _run("--lang", lang, "contract", "reread", "Acme", "--dry-run", "--db", db)
    assert code == 0, out
    assert change in out and "--dry-run" in out
    with open_store(db) as store:
        stored = terms_record(store, "Acme")
    assert stored is not None and stored.terms.late_fee_percent_per_day == 4.0


def test_reread_all_writes_and_the_notice_stops(db: str) -> None:
    code, out, _err = _run("--lang", "en", "contract", "reread", "--all", "--db", db)
    assert code == 0, out
    assert "late fee, % per day: 4 → —" in out and "follows a central bank's" in out and "Written" in out
    with open_store(db) as store:
        stored = terms_record(store, "Acme")
    assert stored is not None and stored.terms.late_fee_percent_per_day is None
    code, _out, err = _run("--lang", "en", "contract", "show", "Acme", "--db", db)
    assert code == 0 and "older clientguard" not in err
    code, out, _err = _run("--lang", "en", "contract", "reread", "Acme", "--db", db)
    assert code == 0 and "no change" in out


@pytest.mark.parametrize("args", [[], ["Acme", "--all"]])
def test_one_client_or_all(db: str, args: list[str]) -> None:
    code, out, err = _run("--lang", "en", "contract", "reread", *args, "--db", db)
    assert code != 0 and "name a client or give --all" in out + err
