"""An invoice of a case file is in the contract's currency unless it names its own (QA pass 7).

An English freelancer's case said ``contract: {price: 1200, currency: USD}`` and listed the
invoice without a currency: the invoice defaulted to RUB, so ``invoice list``, the report and
the payment drafts asked an American client for "1,200 RUB".
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.analysis.case import case_from_dict
from clientguard.cli import build_app

_INVOICE = {"id": "INV-1", "amount": 1200, "issued": "2025-09-09", "due": "2025-09-15"}


def test_invoice_without_currency_takes_the_contracts() -> None:
    case = case_from_dict({"contract": {"price": 1200, "currency": "usd"}, "invoices": [_INVOICE]})
    assert [i.currency for i in case.invoices] == ["USD"]


def test_invoice_with_its_own_currency_keeps_it() -> None:
    own = {**_INVOICE, "currency": "EUR"}
    case = case_from_dict({"contract": {"currency": "USD"}, "invoices": [own, _INVOICE]})
    assert [i.currency for i in case.invoices] == ["EUR", "USD"]


def test_without_a_contract_currency_the_default_stays() -> None:
    case = case_from_dict({"invoices": [_INVOICE]})
    assert [i.currency for i in case.invoices] == ["RUB"]


def test_payment_draft_asks_for_the_contracts_currency(tmp_path: Path, tmp_home: Path) -> None:
    """The whole path a user takes: analyze with the case, then a payment reminder."""
    chat = tmp_path / "WhatsApp Chat with Sarah.txt"
    chat.write_text(
        "09/09/2025, 10:00 - Alex: Hi Sarah, the invoice is sent.\n"
        "09/16/2025, 18:30 - Sarah: We'll pay next week, the accountant is on vacation\n",
        encoding="utf-8",
    )
    case = tmp_path / "case.yaml"
    case.write_text(
        "client: {name: Bloom Bakery, from_id: Sarah}\nspecialist_from_id: Alex\n"
        "contract: {signed: true, price: 1200, currency: USD}\n"
        'invoices:\n  - {id: INV-1, amount: 1200, issued: "2025-09-09", due: "2025-09-15"}\n',
        encoding="utf-8",
    )
    app = build_app()
    done = CliRunner().invoke(app, ["--lang", "en", "analyze", str(chat), "--case", str(case)])
    assert done.exit_code == 0, done.output
    draft = CliRunner().invoke(
        app, ["reply", "payment_reminder_friendly", "--client", "Bloom Bakery", "--lang", "en"]
    )
    assert draft.exit_code == 0, draft.output
    assert "1,200\u00a0USD" in draft.output and "RUB" not in draft.output, draft.output
