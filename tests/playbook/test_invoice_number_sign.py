"""A user's "№ 1" is invoice "1" in the draft as in the lookup (QA pass 6 follow-up, K2).

``reply … --fact invoice_id=№ 1`` found invoice 1 (the store lookup drops a leading "№"/"#")
but printed the fact as given after the template's own "№": "счёт № № 1". The fact is now
read once, the way the lookup reads it, so the draft says "счёт № 1".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.playbook.facts import facts_from_strings, invoice_number
from tests.playbook.test_partly_paid import _stored
from tests.playbook.test_two_overdue_invoices import TWO_OVERDUE, _flat

SIGNS = ["№ 1", "№1", "#1", "# 1", "No. 1", "no.1", " 1 "]


@pytest.mark.parametrize("given", SIGNS)
def test_the_number_sign_is_dropped_from_the_fact(given: str) -> None:
    assert invoice_number(given) == "1"
    assert facts_from_strings({"invoice_id": given}).invoice_id == "1"


def test_an_id_that_only_looks_like_a_sign_is_kept() -> None:
    assert invoice_number("Nov-12") == "Nov-12"
    assert invoice_number("A-7") == "A-7"


@pytest.mark.parametrize("given", ["№ 1", "#1", "No. 1"])
def test_a_draft_without_the_store_says_the_number_once(given: str, tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path)
    r = run(["reply", "payment_reminder_firm", "--lang", "ru", "--fact", f"invoice_id={given}"])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "счёту № 1" in text and "№ №" not in text and "№ #" not in text and "No." not in text


@pytest.mark.parametrize("given", ["№ 2", "#2", "No. 2"])
def test_a_named_stored_invoice_says_the_number_once(given: str, tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path, *TWO_OVERDUE)
    fact = f"invoice_id={given}"
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", "ru", "--fact", fact])
    assert r.exit_code == 0, r.output
    text = _flat(r.stdout)
    assert "счёт № 2 от 1 октября 2026" in text, text
    assert "№ №" not in text and "№ #" not in text and "No." not in text
