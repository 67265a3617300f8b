"""A payment draft about two overdue invoices names both (QA pass 6 follow-up, F4).

``reply payment_formal_claim --client X`` with two overdue invoices named only the oldest
and claimed its rest alone: half the debt, in a letter meant for court. The store's facts
now carry every overdue invoice; the claim and the reminders list each one (number, dates,
sum, what was paid, days and, in the claim and the firm reminder, its late fee) and claim
the total, with the figures of ``invoice list``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.playbook.test_partly_paid import _stored

TWO_OVERDUE = (
    ["invoice", "add", "Игорь", "40000", "--issued", "2026-09-02", "--due", "2026-09-09", "--create-client"],
    ["invoice", "paid", "Игорь", "1", "--amount", "15000", "--on", "2026-09-20"],
    ["invoice", "add", "Игорь", "30000", "--issued", "2026-10-01", "--due", "2026-10-08"],
    ["contract", "set", "Игорь", "--late-fee", "0.1", "--late-fee-cap", "10"],
)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_claim_names_both_invoices_and_the_total(tmp_path: Path, tmp_home: Path, lang: str) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    rows = json.loads(run(["invoice", "list", "Игорь", "--json"]).stdout)
    fees = {str(r["id"]): r["late_fee"] for r in rows}
    assert all(fees.values()) and len(fees) == 2
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", lang])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    fee_total = round(sum(fees.values()), 2)
    if lang == "ru":
        from clientguard.playbook.formatting import money

        def rub(v: float) -> str:
            return _flat(money(v, "RUB", "ru"))

        assert "счёт № 1 от 2 сентября 2026 на сумму 40 000 ₽ со сроком оплаты до 9 сентября 2026" in text
        assert "оплачено 15 000 ₽, остаток 25 000 ₽" in text
        assert "счёт № 2 от 1 октября 2026 на сумму 30 000 ₽ со сроком оплаты до 8 октября 2026" in text
        assert "оплата не поступила, просрочка" in text
        assert f"неустойка {rub(fees['1'])};" in text and f"неустойка {rub(fees['2'])}." in text
        assert "Общая сумма задолженности составляет 55 000 ₽" in text
        assert (
            f"в размере 55 000 ₽ и неустойку в размере {rub(fee_total)}, всего {rub(55000 + fee_total)}"
            in text
        )
        assert "не более 10 % от суммы каждого счёта" in text
    else:
        assert "invoice 1 of 2 September 2026 for 40,000 RUB, due on 9 September 2026" in text
        assert "15,000 RUB paid, 25,000 RUB outstanding" in text
        assert "invoice 2 of 1 October 2026 for 30,000 RUB" in text and "not paid" in text
        assert "outstanding debt of 55,000 RUB" in text


@pytest.mark.parametrize(
    ("situation", "lang", "says"),
    [
        (
            "payment_reminder_firm",
            "ru",
            ["счёт № 1", "счёт № 2", "Всего к оплате 55 000 ₽", "оплатить счета"],
        ),
        (
            "payment_reminder_friendly",
            "ru",
            ["счёт № 1", "счёт № 2", "Всего к оплате 55 000 ₽", "счета затерялись"],
        ),
        ("payment_reminder_firm", "en", ["invoice 1 of", "invoice 2 of", "The total due is 55,000 RUB"]),
        ("payment_reminder_friendly", "en", ["invoice 1 of", "invoice 2 of", "The total due is 55,000 RUB"]),
    ],
)
def test_reminders_name_both(
    tmp_path: Path, tmp_home: Path, situation: str, lang: str, says: list[str]
) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    r = run(["reply", situation, "--client", "Игорь", "--lang", lang])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    for s in says:
        assert s in text


def test_an_explicit_invoice_fact_makes_the_draft_about_that_one(tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", "ru", "--fact", "invoice_id=2",
             "--fact", "amount=30000"])  # fmt: skip
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "выставлен счёт № 2" in text and "счёт № 1" not in text
