"""``--fact invoice_id=N`` makes every stored fact of the draft that invoice's (QA pass 6 follow-up, G2).

With two overdue invoices, ``reply … --fact invoice_id=2`` wrote "счёт № 2 от 2 сентября
2026 … со сроком оплаты до 9 сентября 2026": invoice 2's number with invoice 1's dates, sum
and late fee. The store's facts now come from the invoice named (issue and due dates, sum,
what was paid, days overdue, late fee); an id the client does not have is one error naming
the client's invoices.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.errors import NotFoundError
from clientguard.playbook.formatting import money
from tests.playbook.test_partly_paid import _stored
from tests.playbook.test_two_overdue_invoices import TWO_OVERDUE, _flat


@pytest.mark.parametrize("situation", ["payment_formal_claim", "payment_reminder_firm"])
def test_every_fact_comes_from_the_named_invoice(tmp_path: Path, tmp_home: Path, situation: str) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    rows = {str(r["id"]): r for r in json.loads(run(["invoice", "list", "Игорь", "--json"]).stdout)}
    r = run(["reply", situation, "--client", "Игорь", "--lang", "ru", "--fact", "invoice_id=2"])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "№ 2 от 1 октября 2026 на сумму 30 000 ₽" in text
    assert "8 октября 2026" in text
    for other in ("2 сентября 2026", "9 сентября 2026", "40 000", "25 000", "15 000", "№ 1"):
        assert other not in text, other
    fee = _flat(money(rows["2"]["late_fee"], "RUB", "ru"))
    assert f"составляет {fee}" in text
    assert f"{rows['2']['days_overdue']} " in text


def test_the_named_paid_in_part_invoice_keeps_its_payment(tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    r = run(["reply", "payment_reminder_firm", "--client", "Игорь", "--lang", "en", "--fact", "invoice_id=1"])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "invoice 1 of 2 September 2026 for 40,000 RUB" in text
    assert "15,000 RUB paid, 25,000 RUB still outstanding" in text and "invoice 2" not in text


def test_an_unknown_invoice_is_one_error_naming_the_clients_invoices(tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--fact", "invoice_id=9"])
    assert r.exit_code != 0
    assert isinstance(r.exception, NotFoundError)  # the CLI prints it as one E400 line
    out = str(r.exception)
    assert "'9'" in out and "its invoices: 1, 2" in out and "Игорь" in out
