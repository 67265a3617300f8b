"""An invoice due on a Saturday or Sunday is payable on Monday (QA pass 7).

A freelancer's invoice due on Saturday 21 November and paid on Monday 23 November was
"1 day overdue" with a day of late fee in ``invoice list``, and "paid late" in the client's
profile, a bad-payer fact. The Russian Civil Code (art. 193) moves a term that ends on a
non-working day to the next working day, and no bank pays at the weekend.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from suite_helpers import run_main

from clientguard.contracts.invoices import invoice_status, payable_by
from clientguard.domain import Invoice
from tests.analysis.analysis_helpers import make_case

SATURDAY = "2026-11-21"


def _inv(due: str) -> Invoice:
    return Invoice(id="7", amount=30000, issued="2026-11-10", due=due, currency="RUB")


def test_paid_on_monday_for_a_saturday_due_date_is_on_time() -> None:
    st = invoice_status("Пенка", _inv(SATURDAY), date(2026, 11, 24), [(date(2026, 11, 23), 30000)], 0.1)
    assert (st.days_overdue, st.late_fee, st.stage) == (0, 0.0, None)


def test_overdue_days_and_fee_count_from_monday() -> None:
    st = invoice_status("Пенка", _inv(SATURDAY), date(2026, 11, 25), [], 0.1)
    assert (st.days_overdue, st.late_fee, st.stage) == (2, 60.0, "friendly")
    assert st.next_step_on == date(2026, 11, 30)  # the firm stage, 7 days after Monday
    friday = invoice_status("Пенка", _inv("2026-11-20"), date(2026, 11, 25), [], 0.1)
    assert friday.days_overdue == 5  # a weekday due date stays where it is
    assert payable_by(date(2026, 11, 22)) == date(2026, 11, 23)


def test_the_profile_does_not_call_a_monday_payment_late() -> None:
    from clientguard.analysis import records

    paid = {"id": "S", "amount": 100, "issued": "2026-11-10", "due": SATURDAY, "paid_on": "2026-11-23"}
    case = make_case(invoices=[paid])
    (st,) = records.invoice_status(case, date(2026, 11, 24))
    assert (st.status, st.days_late) == ("paid", 0)


def test_invoice_list_shows_the_monday_a_weekend_due_date_moves_to(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, tmp_home: Path
) -> None:
    """Without it "due 2026-11-21, 2 days overdue" on 25 November did not add up."""
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    for number, due in (("S", SATURDAY), ("F", "2026-11-20")):
        code = run_main(monkeypatch, capsys, "invoice", "add", "Пенка", "300", "--id", number, "--issued",
                        "2026-11-10", "--due", due, "--create-client", "--db", db)[0]  # fmt: skip
        assert code == 0
    code, out, _ = run_main(monkeypatch, capsys, "invoice", "list", "--json", "--db", db)
    rows = {r["id"]: r for r in json.loads(out)}
    assert (rows["S"]["due"], rows["S"]["payable_by"]) == (SATURDAY, "2026-11-23")
    assert rows["F"]["payable_by"] == "2026-11-20"
    code, out, _ = run_main(monkeypatch, capsys, "invoice", "list", "--db", db)
    assert f"{SATURDAY} → 2026-11-23" in out and "2026-11-20 →" not in out
