"""A draft about an invoice paid in part states the invoice, the payment and the rest (QA pass 5, N4).

With 15 000 of a 40 000 invoice paid, ``reply payment_formal_claim --client X`` wrote
"выставлен счёт № 1 … на сумму 25 000 ₽ … Оплата не поступила": the outstanding rest as
the invoice's sum and a payment that was made denied, in a claim meant for court. The
store's facts now carry ``paid_amount``; the drafts name the invoice's own sum, what was
paid and the rest that is claimed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from clientguard.playbook import render_reply
from clientguard.playbook.facts import ReplyFacts


def _stored(tmp_path: Path, *commands: list[str]) -> Callable[[list[str]], Result]:
    """Runs the set-up commands on a fresh database; returns a runner bound to it."""
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    app = build_app()

    def run(args: list[str]) -> Result:
        return CliRunner().invoke(app, [*args, "--db", db])

    for args in commands:
        r = run(args)
        assert r.exit_code == 0, r.output
    return run


PAID_IN_PART = (
    ["invoice", "add", "Игорь", "40000", "--issued", "2026-09-02", "--due", "2026-09-09", "--create-client"],
    ["invoice", "paid", "Игорь", "1", "--amount", "15000", "--on", "2026-09-20"],
)


FACTS = ReplyFacts(
    client_name="Игорь Петров",
    invoice_id="1",
    invoice_date=date(2026, 9, 2),
    due_date=date(2026, 9, 9),
    amount=25000.0,
    paid_amount=15000.0,
    currency="RUB",
    days_overdue=76,
)


@pytest.mark.parametrize(
    ("situation", "lang", "says"),
    [
        ("payment_formal_claim", "ru", ["на сумму 40 000 ₽", "Оплачено 15 000 ₽", "в размере 25 000 ₽"]),
        ("payment_reminder_firm", "ru", ["на сумму 40 000 ₽", "оплачено 15 000 ₽, остаток 25 000 ₽"]),
        ("payment_reminder_friendly", "ru", ["на сумму 40 000 ₽", "оплачено 15 000 ₽, остаток 25 000 ₽"]),
        ("payment_formal_claim", "en", ["for 40,000 RUB", "Only 15,000 RUB has been paid", "of 25,000 RUB"]),
        ("payment_reminder_firm", "en", ["for 40,000 RUB", "15,000 RUB paid, 25,000 RUB"]),
        ("payment_reminder_friendly", "en", ["for 40,000 RUB", "15,000 RUB has been paid and the remaining"]),
    ],
)
def test_partly_paid_invoice(situation: str, lang: str, says: list[str]) -> None:
    text = " ".join(render_reply(situation, FACTS, "neutral", lang).replace("\u00a0", " ").split())
    for s in says:
        assert s in text
    assert "на сумму 25 000" not in text and "for 25,000 RUB was issued" not in text
    assert "Оплата не поступила" not in text and "has still not arrived" not in text


def test_unpaid_invoice_reads_as_before() -> None:
    facts = ReplyFacts(client_name="Игорь", invoice_id="1", amount=40000.0, currency="RUB")
    draft = render_reply("payment_formal_claim", facts, "neutral", "ru")
    text = " ".join(draft.replace("\u00a0", " ").split())
    assert "на сумму 40 000 ₽" in text and "Оплата не поступила" in text and "Оплачено" not in text


def test_reply_reads_the_payment_from_the_store(tmp_path: Path, tmp_home: Path) -> None:
    run = _stored(tmp_path, *PAID_IN_PART)
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", "ru"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.replace("\u00a0", " ").split())
    assert "на сумму 40 000 ₽" in text and "Оплачено 15 000 ₽" in text and "в размере 25 000 ₽" in text


@pytest.mark.parametrize(("lang", "head"), [("ru", "Кому: Игорь Петров\n"), ("en", "To: Igor Petrov\n")])
def test_claim_does_not_name_the_client_twice(lang: str, head: str) -> None:
    """QA pass 5, N5: a client stored under the contact's name read "Кому: Игорь Петров, Игорь Петров"."""
    name = "Игорь Петров" if lang == "ru" else "Igor Petrov"
    facts = ReplyFacts(client_name=name, contact_name=name, amount=100.0)
    assert render_reply("payment_formal_claim", facts, "neutral", lang).startswith(head)
    other = ReplyFacts(client_name="ООО Ромашка", contact_name=name, amount=100.0)
    assert f"ООО Ромашка, {'attn. ' if lang == 'en' else ''}{name}" in render_reply(
        "payment_formal_claim", other, "neutral", lang
    )


def test_claim_penalty_is_the_invoice_lists(tmp_path: Path, tmp_home: Path) -> None:
    """QA pass 5, N9: the claim asked rest × rate × all days (1 900 ₽) where ``invoice list``
    said 2 050 ₽ (40 000 unpaid until the part payment, 25 000 after), and ignored the cap."""
    import json

    run = _stored(tmp_path, *PAID_IN_PART, ["contract", "set", "Игорь", "--late-fee", "0.1"])
    r = run(["invoice", "list", "Игорь", "--json"])
    [row] = json.loads(r.stdout)
    fee = row["late_fee"]
    assert fee > 25000 * 0.001 * row["days_overdue"]  # the 40 000 days count at 40 000
    r = run(["reply", "payment_formal_claim", "--client", "Игорь", "--lang", "en"])
    text = " ".join(r.stdout.split())
    assert f"the penalty amounts to {fee:,.0f} RUB" in text.replace(".00 RUB", " RUB")
    assert f"({25000 + fee:,.0f} RUB in total)" in text.replace(".00 RUB", " RUB")
