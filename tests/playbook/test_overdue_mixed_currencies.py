"""Overdue invoices in two currencies are all listed, with a total per currency (QA pass 6 follow-up, G3).

An overdue invoice in roubles and one in dollars have no single total, so the drafts fell
back to the oldest invoice alone and the dollar debt was never claimed. The store's facts now
carry every overdue invoice with its currency; the drafts list each one in its own currency
and sum debt, late fee and total per currency ("40 000 ₽ и 1 000 USD").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.playbook.formatting import money_sums
from tests.playbook.test_partly_paid import _stored
from tests.playbook.test_two_overdue_invoices import _flat

MIXED = (
    ["invoice", "add", "Игорь", "40000", "--issued", "2026-09-02", "--due", "2026-09-09", "--create-client"],
    ["invoice", "add", "Игорь", "1000", "--currency", "USD", "--issued", "2026-10-01", "--due", "2026-10-08"],
    ["invoice", "add", "Игорь", "5000", "--issued", "2026-10-05", "--due", "2026-10-12"],
    ["contract", "set", "Игорь", "--late-fee", "0.1", "--late-fee-cap", "10"],
)


def test_sums_per_currency_read_as_one_phrase() -> None:
    assert _flat(money_sums([("RUB", 40000), ("USD", 1000)], "ru")) == "40 000 ₽ и 1 000 USD"
    assert _flat(money_sums([("RUB", 40000), ("USD", 1000), ("EUR", 500.5)], "ru")) == (
        "40 000 ₽, 1 000 USD и 500,50 EUR"
    )
    assert _flat(money_sums([("RUB", 40000), ("USD", 1000)], "en")) == "40,000 RUB and 1,000 USD"
    assert _flat(money_sums([("RUB", 45000)], "ru")) == "45 000 ₽"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_claim_lists_every_invoice_and_totals_per_currency(tmp_path: Path, tmp_home: Path, lang: str) -> None:
    run = _stored(tmp_path, *MIXED)
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", lang])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    if lang == "ru":
        assert "счёт № 1 от 2 сентября 2026 на сумму 40 000 ₽" in text
        assert "счёт № 2 от 1 октября 2026 на сумму 1 000 USD" in text
        assert "счёт № 3 от 5 октября 2026 на сумму 5 000 ₽" in text
        assert "Общая сумма задолженности составляет 45 000 ₽ и 1 000 USD" in text
        assert "оплатить задолженность в размере 45 000 ₽ и 1 000 USD, а также неустойку в размере" in text
        assert ", всего " in text and " ₽ и 1 0" in text.split(", всего ")[1]
    else:
        assert "invoice 2 of 1 October 2026 for 1,000 USD" in text
        assert "The outstanding debt amounts to 45,000 RUB and 1,000 USD in total" in text
        assert "the outstanding debt of 45,000 RUB and 1,000 USD, as well as the penalty of" in text
    assert "46 000" not in text and "41 000" not in text and "46,000" not in text  # never added up


@pytest.mark.parametrize(
    ("situation", "lang", "total"),
    [
        ("payment_reminder_friendly", "ru", "Всего к оплате 45 000 ₽ и 1 000 USD."),
        ("payment_reminder_firm", "ru", "Всего к оплате 45 000 ₽ и 1 000 USD."),
        ("payment_reminder_friendly", "en", "The total due is 45,000 RUB and 1,000 USD."),
        ("payment_reminder_firm", "en", "The total due is 45,000 RUB and 1,000 USD."),
    ],
)
def test_reminders_list_every_invoice(
    tmp_path: Path, tmp_home: Path, situation: str, lang: str, total: str
) -> None:
    run = _stored(tmp_path, *MIXED)
    r = run(["reply", situation, "--client", "Игорь", "--lang", lang])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert total in text
    assert ("1 000 USD" if lang == "ru" else "1,000 USD") in text and ("№ 3" in text or "invoice 3" in text)
