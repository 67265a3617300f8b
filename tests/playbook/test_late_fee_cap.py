"""Payment drafts name the contract's cap beside the daily rate (QA pass 6, CLI N12).

With 'пени 0,5 % в день, но не более 10 %' on file and 34 days overdue, the formal claim
read 'неустойка в размере 0,5 % … за каждый день просрочки; на дату претензии она
составляет 120,05 USD' — 0,5 % × 34 days is 17 %, so the figure (the capped one, as
`invoice list` computes it) contradicted the rate it was given with. The firm reminder and
the claim (ru, en) now add 'но не более 10 % от суммы счёта' / 'capped at 10% of the invoice
amount' when the terms have a cap, from the store and from facts alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.playbook import render_reply
from clientguard.playbook.facts import ReplyFacts
from tests.playbook.playbook_cases import plain

CAP = {"ru": "но не более 10 % от суммы счёта", "en": "capped at 10% of the invoice amount"}
SITUATIONS = ["payment_reminder_firm", "payment_formal_claim"]


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_cap_is_named_only_when_there_is_one(situation: str, lang: str) -> None:
    base = {"amount": 1000.5, "currency": "USD", "invoice_id": "A-7", "days_overdue": 34,
            "penalty_percent_per_day": 0.5, "penalty_amount": 120.05}  # fmt: skip
    with_cap = render_reply(situation, ReplyFacts(**base, penalty_cap_percent=10), "neutral", lang)
    without = render_reply(situation, ReplyFacts(**base), "neutral", lang)
    assert CAP[lang] in plain(with_cap) and CAP[lang] not in plain(without)


def test_the_stored_cap_reaches_the_claim(tmp_path: Path, tmp_home: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cg.sqlite3'}"]
    issued = date.today() - timedelta(days=60)
    due = issued + timedelta(days=20)

    def ok(*args: str) -> str:
        result = CliRunner().invoke(build_app(), [*args, *db])
        assert result.exit_code == 0, result.output
        return result.stdout

    ok("invoice", "add", "Acme", "1 200,50", "--currency", "USD", "--issued", issued.isoformat(),
       "--due", due.isoformat(), "--id", "A-7", "--create-client")  # fmt: skip
    ok("contract", "set", "Acme", "--late-fee", "0,5", "--late-fee-cap", "10")
    claim = plain(ok("reply", "payment_formal_claim", "--client", "Acme", "--lang", "ru"))
    assert "0,5 % от суммы задолженности за каждый день просрочки, " + CAP["ru"] in claim
    assert "120,05 USD" in claim  # the capped fee of `invoice list`
