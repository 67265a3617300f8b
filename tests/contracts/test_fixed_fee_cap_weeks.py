"""A fixed late fee's cap written as a sum, and which weeks a weekly fee counts (helper-164).

"Пени 500 рублей за каждый день просрочки, но не более 10 000 рублей" and "$25 per day, not
to exceed $500 in total" kept the fee and lost the cap: only a percentage was read as a
cap, so the fee grew without end. The cap is now part of the fee (``FixedLateFee.cap``,
stored in the same JSON column, no migration) and the charge stops at it; a percentage cap
still works beside it.

A weekly fee counted only full weeks, whatever the contract said. Russian contracts say
"за каждую полную неделю" when they mean full weeks; "за каждую неделю просрочки" is owed
for every week begun (six days late is one week), and so is "per week" in English. Fees
stored by ``late_fee.v3`` as ``"week"`` keep their full-week meaning; ``contract reread``
offers the new reading.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from clientguard.contracts.checker import check_contract
from clientguard.contracts.clauses import ClauseHit
from clientguard.contracts.invoices import fixed_late_fee, overdue_invoices
from clientguard.contracts.repo import add_invoice, save_contract, terms_record
from clientguard.contracts.reread import older_late_fee, reread
from clientguard.contracts.terms import FixedLateFee, LateFee, _late_fee
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store
from clientguard.store.models_contracts import TermOriginRow

CASES = [
    # (clause quote, the fee read, cap %)
    ("Пени 500 рублей за каждый день просрочки, но не более 10 000 рублей.",
     FixedLateFee(500, "day", "RUB", 10000), None),
    ("Пени в размере 1 000 ₽ в день, в общей сумме не свыше 15 000 ₽.",
     FixedLateFee(1000, "day", "RUB", 15000), None),
    ("Пени 500 рублей в день, но не более десяти тысяч рублей.",
     FixedLateFee(500, "day", "RUB", 10000), None),
    ("The Client shall pay a late fee of $25 per day, not to exceed $500 in total.",
     FixedLateFee(25, "day", "USD", 500), None),
    ("A late fee of EUR 40 per day applies, capped at EUR 400.", FixedLateFee(40, "day", "EUR", 400), None),
    # a percentage cap keeps working, a cap in another currency cannot be compared: not read
    ("Пени 300 руб. в день, но не более 10% от суммы счёта.", FixedLateFee(300, "day", "RUB"), 10.0),
    ("Пени 300 рублей в день, но не более 100 долларов.", FixedLateFee(300, "day", "RUB"), None),
    # the only sum is the cap: no fee per day (it was read as 10 000 a day)
    ("Пени за каждый день просрочки, но не более 10 000 рублей.", None, None),
    # full weeks only when the clause says so; otherwise every week begun
    ("Штраф 1 000 ₽ за каждую полную неделю просрочки.", FixedLateFee(1000, "week", "RUB"), None),
    ("Штраф 1 000 ₽ за каждую неделю просрочки.", FixedLateFee(1000, "week_started", "RUB"), None),
    ("Заказчик платит 2 000 рублей еженедельно до полной оплаты.",
     FixedLateFee(2000, "week_started", "RUB"), None),
    ("A fee of $50 per full week late applies.", FixedLateFee(50, "week", "USD"), None),
    ("A fee of $50 for each complete week of delay.", FixedLateFee(50, "week", "USD"), None),
    ("A fee of $50 per week late, up to $300.", FixedLateFee(50, "week_started", "USD", 300), None),
]  # fmt: skip


@pytest.mark.parametrize(("quote", "fee", "cap"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_cap_as_a_sum_and_the_week_are_read(
    quote: str, fee: FixedLateFee | None, cap: float | None
) -> None:
    hit = ClauseHit("late_payment_penalty", "present", "late_payment_penalty.rate", quote, None, "")
    assert _late_fee(hit) == LateFee(None, cap, None, fee)


def test_a_week_begun_counts_a_full_week_does_not() -> None:
    started, full = FixedLateFee(1000, "week_started", "RUB"), FixedLateFee(1000, "week", "RUB")
    assert [started.accrued(d) for d in (0, 1, 6, 7, 8, 14, 15)] == [0, 1000, 1000, 1000, 2000, 2000, 3000]
    assert [full.accrued(d) for d in (0, 1, 6, 7, 8, 14, 15)] == [0, 0, 0, 1000, 1000, 2000, 2000]


def test_the_charge_stops_at_the_sum_cap_and_at_the_lower_of_two_caps() -> None:
    due, fee = date(2025, 5, 1), FixedLateFee(500, "day", "RUB", 10000)
    assert fixed_late_fee(40000, due, date(2025, 5, 11), [], fee) == 5000  # ten days: under the cap
    assert fixed_late_fee(40000, due, date(2025, 6, 30), [], fee) == 10000  # sixty days: the cap
    assert fixed_late_fee(40000, due, date(2025, 6, 30), [], fee, cap_percent=10) == 4000  # 10 % is lower
    assert fixed_late_fee(200000, due, date(2025, 6, 30), [], fee, cap_percent=10) == 10000


def test_the_stored_form_keeps_the_cap_and_reads_old_rows_as_before() -> None:
    fee = FixedLateFee(500, "day", "RUB", 10000)
    assert fee.as_json() == {"amount": 500, "per": "day", "currency": "RUB", "cap": 10000}
    assert FixedLateFee.from_json(fee.as_json()) == fee
    # a fee stored by late_fee.v3: no cap key, "week" = full weeks, as it was charged
    old = {"amount": 50, "per": "week", "currency": "USD"}
    assert FixedLateFee(50, "week", "USD").as_json() == old
    assert FixedLateFee.from_json(old) == FixedLateFee(50, "week", "USD")
    assert FixedLateFee.from_json({**old, "cap": "lots"}) == FixedLateFee(50, "week", "USD")


@pytest.mark.parametrize(
    ("lang", "worded", "short"),
    [
        ("ru", "500 ₽ за каждую неделю просрочки, включая начатую, не более 10 000 ₽ всего",
         "500 ₽ в неделю, не более 10 000 ₽ всего"),
        ("en", "500 RUB per week late or part of a week, at most 10,000 RUB in total",
         "500 RUB/week, at most 10,000 RUB in total"),
    ],
)  # fmt: skip
def test_the_fee_says_its_week_and_its_cap(lang: str, worded: str, short: str) -> None:
    fee = FixedLateFee(500, "week_started", "RUB", 10000)
    assert fee.worded(lang).replace("\u00a0", " ") == worded
    assert fee.worded(lang, short=True).replace("\u00a0", " ") == short
    full = FixedLateFee(500, "week", "RUB").worded(lang).replace("\u00a0", " ")
    assert full == (
        "500 ₽ за каждую полную неделю просрочки" if lang == "ru" else "500 RUB per full week late"
    )


RU = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик уплачивает пени 500 рублей за каждый день просрочки, но не более 3 000 рублей.
"""
EN = """# Social media services agreement

1. Scope: 12 posts a month on Instagram.

2. Fees: USD 1,500 a month, payable within 14 days of the invoice.

3. Late payment: the Client shall pay a late fee of $50 per week late.
"""


def _saved(store: Store, tmp_path: Path, text: str, client: str) -> None:
    path = tmp_path / f"{client}.md"
    path.write_text(text, encoding="utf-8")
    save_contract(store, client, path, check_contract(path))


def test_a_stored_sum_cap_stops_the_invoice_fee(store: Store, tmp_path: Path) -> None:
    _saved(store, tmp_path, RU, "Пенка")
    stored = terms_record(store, "Пенка")
    assert stored is not None and stored.late_fee_fixed == FixedLateFee(500, "day", "RUB", 3000)
    add_invoice(store, "Пенка", 40000, due="2025-05-01", issued="2025-04-20", number="1")
    assert overdue_invoices(store, "Пенка", date(2025, 5, 4))[0].late_fee == 1500
    assert overdue_invoices(store, "Пенка", date(2025, 5, 31))[0].late_fee == 3000  # not 15 000
    with store.engine.connect() as conn:  # the terms row with its cap is logged as stored
        report = verify_client(conn, resolve_client(conn, "Пенка"))
    assert report.ok, report.problems


def test_a_weekly_fee_stored_by_v3_keeps_full_weeks_until_reread(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "acme.md"
    path.write_text(EN, encoding="utf-8")
    report = check_contract(path)
    assert report.extracted.late_fee_fixed == FixedLateFee(50, "week_started", "USD")
    # as late_fee.v3 stored it: "week", counted in full weeks
    v3 = replace(report.extracted, late_fee_fixed=FixedLateFee(50, "week", "USD"))
    save_contract(store, "Acme", path, replace(report, extracted=v3))
    with store.engine.begin() as conn:
        conn.execute(update(TermOriginRow).values(reader="late_fee.v3"))
    add_invoice(store, "Acme", 1500, due="2025-05-01", issued="2025-04-20", number="1", currency="USD")
    assert overdue_invoices(store, "Acme", date(2025, 5, 4))[0].late_fee == 0  # three days: no full week
    assert older_late_fee(store, "Acme") is not None  # `invoice list` tells the user
    [found] = reread(store, ["Acme"], apply=False)
    assert [(c.field, c.old, c.new) for c in found.changes] == [
        ("late_fee_fixed", FixedLateFee(50, "week", "USD"), FixedLateFee(50, "week_started", "USD"))
    ]
    reread(store, ["Acme"])
    assert overdue_invoices(store, "Acme", date(2025, 5, 4))[0].late_fee == 50  # a week begun
