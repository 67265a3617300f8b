"""A late-payment rate is stored per day only when the clause says its period.

"Interest at 4% above the Bank of England base rate" was stored as 4% a day (no period
named → per day), and "8% per annum above the base rate" as a flat 8% a year: a reminder
then claimed interest the contract does not allow. A rate tied to a published rate is
never made a fixed figure, a bare percentage with no period is not guessed (except
Russian "пени", which accrue per day by convention), and both say why (``late_fee_unread``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract
from clientguard.contracts.clauses import ClauseHit
from clientguard.contracts.terms import LateFee, _late_fee

CASES = [
    # (clause quote, % per day, cap %, why unread)
    ("Late payments bear interest at 8% per annum above the Bank of England base rate.", None, None,
     "reference_rate"),
    ("Interest accrues at 4% above the base rate of the Bank of England from time to time.", None, None,
     "reference_rate"),
    ("Overdue sums carry statutory interest under the Late Payment of Commercial Debts (Interest) Act.",
     None, None, "reference_rate"),
    ("пени в размере 1/300 ключевой ставки ЦБ РФ от суммы долга за каждый день просрочки", None, None,
     "reference_rate"),
    ("проценты по ставке рефинансирования ЦБ РФ плюс 2% годовых", None, None, "reference_rate"),
    ("Заказчик уплачивает штраф в размере 5% от суммы задолженности.", None, None, "no_period"),
    ("A late fee of 5% applies to invoices unpaid 30 days after the due date.", None, None, "no_period"),
    ("пени 0,1% от суммы долга", 0.1, None, None),
    ("Клиент уплачивает пени 0,2 % в день от просроченной суммы", 0.2, None, None),
    ("За каждый день задержки оплаты начисляется неустойка 1 % от суммы долга, но не более 10 % от "
     "месячного вознаграждения", 1.0, 10.0, None),
    ("Amounts not paid when due bear a late fee of 0.2% per day, capped at 10% of the amount.",
     0.2, 10.0, None),
    ("Late payment interest of 1.5% per month on overdue amounts.", 0.05, None, None),
    ("Overdue invoices bear interest of 12% a year.", round(12 / 365, 6), None, None),
]


@pytest.mark.parametrize(("quote", "per_day", "cap", "unread"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_rate_is_read_only_with_its_period(
    quote: str, per_day: float | None, cap: float | None, unread: str | None
) -> None:
    hit = ClauseHit("late_payment_penalty", "present", "late_payment_penalty.rate", quote, None, "")
    assert _late_fee(hit) == LateFee(per_day, cap, unread)


def test_a_contract_tied_to_the_base_rate_stores_no_daily_rate(tmp_path: Path) -> None:
    path = tmp_path / "agreement.md"
    path.write_text(
        "# Social media services agreement\n\n"
        "1. Scope: 12 posts a month on Instagram.\n\n"
        "2. Fees: GBP 1,500 a month, payable within 14 days of the invoice.\n\n"
        "3. Late payment: amounts not paid when due bear interest at 4% above the Bank of England "
        "base rate from the due date until paid.\n",
        encoding="utf-8",
    )
    ext = check_contract(path).extracted
    assert ext.late_fee_percent_per_day is None
    assert ext.late_fee_unread == "reference_rate"
