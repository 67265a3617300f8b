"""``analyze --case`` keeps the case's terms and invoices in the store, once."""

from __future__ import annotations

from pathlib import Path

from clientguard.analysis.pipeline import analyze_path
from clientguard.contracts import repo
from clientguard.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"


def test_case_terms_and_invoices_are_stored_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    first = analyze_path(SAMPLE, CASE, db=db)
    again = analyze_path(SAMPLE, CASE, db=db)
    assert first.stored == (27, 0) and again.stored == (0, 27)
    with open_store(db) as store:
        name = first.case.client.name
        terms = repo.terms_for_client(store, name)
        assert terms is not None and terms.revision_limit == 2 and terms.payment_due_days == 5
        assert [(i.id, i.amount, i.paid_on) for i in repo.invoices(store, name)] == [("П-09", 45000.0, None)]


def test_stored_corrections_win_over_the_case(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    first = analyze_path(SAMPLE, CASE, db=db)
    name = first.case.client.name
    with open_store(db) as store:
        repo.set_terms(store, name, revision_limit=3)
        repo.pay_invoice(store, name, "П-09", on="2025-09-30")
    analyze_path(SAMPLE, CASE, db=db)
    with open_store(db) as store:
        terms = repo.terms_for_client(store, name)
        assert terms is not None and terms.revision_limit == 3
        assert [i.paid_on for i in repo.invoices(store, name)] == ["2025-09-30"]
