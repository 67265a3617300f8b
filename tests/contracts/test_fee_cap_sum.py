"""A percentage late fee's cap written as a sum (helper-168).

"Пени 0,1 % от суммы долга за каждый день просрочки, но не более 10 000 рублей" and "0.1%
per day, not to exceed $500" kept the rate and lost the cap: only a percentage was read as
a rate's cap (a fixed fee's sum cap lives in ``FixedLateFee.cap``), so the fee grew without
end. The cap is now read (``SumCap``, in the contract's currency only), stored in its own
column (migration ``0008_contracts_fee_cap_sum``), and the charge stops at it; beside a
percentage cap the lower wins. Contracts read by ``late_fee.v4`` are offered the new
reading by ``contract reread``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from clientguard.contracts.checker import check_contract
from clientguard.contracts.clauses import ClauseHit
from clientguard.contracts.invoices import late_fee, overdue_invoices
from clientguard.contracts.repo import add_invoice, save_contract, set_terms, terms_record
from clientguard.contracts.reread import older_late_fee, reread
from clientguard.contracts.terms import LateFee, SumCap, _late_fee, reader_version
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import Store
from clientguard.store.models_contracts import TermOriginRow

CASES = [
    # (clause quote, rate % a day, cap %, cap as a sum)
    ("Пени 0,1 % от суммы долга за каждый день просрочки, но не более 10 000 рублей.",
     0.1, None, SumCap(10000, "RUB")),
    ("Неустойка 0,2% в день от неоплаченной суммы, не свыше 5 000 ₽.", 0.2, None, SumCap(5000, "RUB")),
    ("Пени 0,1 % в день, но не более 10 % от суммы счёта и не более 3 000 рублей.",
     0.1, 10.0, SumCap(3000, "RUB")),
    ("The Client shall pay 0.1% per day of the overdue amount, not to exceed $500.",
     0.1, None, SumCap(500, "USD")),
    ("Late payments bear interest of 1.5% per month, capped at EUR 400.", 0.05, None, SumCap(400, "EUR")),
    # a percentage cap alone, as before; a sum that is no cap is not one
    ("Пени 0,1 % в день, но не более 10 % от суммы.", 0.1, 10.0, None),
    ("Пени 0,1 % в день от суммы 40 000 рублей.", 0.1, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("quote", "rate", "cap", "cap_sum"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_rate_and_its_sum_cap_are_read(
    quote: str, rate: float, cap: float | None, cap_sum: SumCap | None
) -> None:
    hit = ClauseHit("late_payment_penalty", "present", "late_payment_penalty.rate", quote, None, "")
    assert _late_fee(hit) == LateFee(rate, cap, cap_sum=cap_sum)


def test_the_charge_stops_at_the_sum_cap_and_at_the_lower_of_two_caps() -> None:
    due = date(2025, 5, 1)
    assert late_fee(100000, due, date(2025, 5, 11), (), 0.1, None, 1500) == 1000  # ten days: under
    assert late_fee(100000, due, date(2025, 7, 30), (), 0.1, None, 1500) == 1500  # ninety days: capped
    assert late_fee(100000, due, date(2025, 7, 30), (), 0.1, 1, 1500) == 1000  # 1 % is lower
    assert late_fee(100000, due, date(2025, 7, 30), (), 0.1, 5, 1500) == 1500  # the sum is lower


def test_the_stored_form_and_the_words() -> None:
    cap = SumCap(10000, "RUB")
    assert cap.as_json() == {"amount": 10000, "currency": "RUB"}
    assert SumCap.from_json(cap.as_json()) == cap
    assert SumCap.from_json(None) is None
    assert SumCap.from_json({"amount": "lots", "currency": "RUB"}) is None
    assert cap.worded("ru").replace("\u00a0", " ") == "не более 10 000 ₽ всего"
    assert cap.worded("en").replace("\u00a0", " ") == "at most 10,000 RUB in total"
    assert str(cap) == "10000 RUB"


RU = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик уплачивает пени 0,5 % от суммы долга за каждый день просрочки,
но не более 2 000 рублей.
"""


def _path(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cap_in_another_currency_than_the_contracts_is_not_read(tmp_path: Path) -> None:
    assert check_contract(_path(tmp_path, RU)).extracted.late_fee_cap_sum == SumCap(2000, "RUB")
    dollars = RU.replace("не более 2 000 рублей", "не более 100 долларов")
    extracted = check_contract(_path(tmp_path, dollars)).extracted
    assert extracted.late_fee_percent_per_day == 0.5 and extracted.late_fee_cap_sum is None


def test_a_stored_sum_cap_stops_the_invoice_fee_and_verifies(store: Store, tmp_path: Path) -> None:
    path = _path(tmp_path, RU)
    save_contract(store, "Пенка", path, check_contract(path))
    stored = terms_record(store, "Пенка")
    assert stored is not None and stored.late_fee_cap_sum == SumCap(2000, "RUB")
    add_invoice(store, "Пенка", 40000, due="2025-05-01", issued="2025-04-20", number="1")
    add_invoice(store, "Пенка", 300, due="2025-05-01", issued="2025-04-20", number="2", currency="USD")
    fees = {s.invoice.id: s for s in overdue_invoices(store, "Пенка", date(2025, 5, 31))}
    assert fees["1"].late_fee == 2000  # not 0,5 % × 40 000 × 30 = 6 000
    assert fees["1"].late_fee_cap_sum == SumCap(2000, "RUB")
    assert fees["2"].late_fee == 45 and fees["2"].late_fee_cap_sum is None  # roubles cap no dollars
    # a percentage cap set beside it: the lower of the two wins
    set_terms(store, "Пенка", late_fee_cap_percent=3)
    assert overdue_invoices(store, "Пенка", date(2025, 5, 31))[0].late_fee == 1200
    set_terms(store, "Пенка", late_fee_cap_sum=None)  # cleared by hand
    assert terms_record(store, "Пенка").late_fee_cap_sum is None  # type: ignore[union-attr]
    set_terms(store, "Пенка", late_fee_cap_sum=SumCap(1000, "RUB"))
    assert overdue_invoices(store, "Пенка", date(2025, 5, 31))[0].late_fee == 1000
    with store.engine.connect() as conn:  # every version of the row, with and without the cap
        report = verify_client(conn, resolve_client(conn, "Пенка"))
    assert report.ok, report.problems


def test_a_rate_stored_by_v4_without_its_cap_is_offered_the_cap(store: Store, tmp_path: Path) -> None:
    assert reader_version() == "late_fee.v5"
    path = _path(tmp_path, RU)
    report = check_contract(path)
    v4 = replace(report.extracted, late_fee_cap_sum=None)  # as late_fee.v4 read it: the rate, no cap
    save_contract(store, "Acme", path, replace(report, extracted=v4))
    with store.engine.begin() as conn:
        conn.execute(update(TermOriginRow).values(reader="late_fee.v4"))
    path.unlink()  # the file has gone: the late fee is read again from the stored quote
    add_invoice(store, "Acme", 40000, due="2025-05-01", issued="2025-04-20", number="1")
    assert overdue_invoices(store, "Acme", date(2025, 5, 31))[0].late_fee == 6000
    assert older_late_fee(store, "Acme") is not None  # `invoice list` tells the user
    [found] = reread(store, ["Acme"], apply=False)
    assert [(c.field, c.old, c.new) for c in found.changes] == [
        ("late_fee_cap_sum", None, SumCap(2000, "RUB"))
    ]
    reread(store, ["Acme"])
    assert overdue_invoices(store, "Acme", date(2025, 5, 31))[0].late_fee == 2000
    assert older_late_fee(store, "Acme") is None
