"""``contract check`` says why a late-payment rate it saw was not stored, in both languages.

"4% above the Bank of England base rate" used to print "late fee, % per day: 4"; now the
line is "—" with the reason and how to set a rate, and ``--json`` carries the reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

BASE_RATE = """# Social media services agreement

1. Scope: 12 posts a month on Instagram.
2. Fees: GBP 1,500 a month, payable within 14 days of the invoice.
3. Late payment: amounts not paid when due bear interest at 4% above the Bank of England base rate.
"""
ONE_OFF = """# Договор оказания услуг № 7

1. Предмет: ведение аккаунта ВКонтакте, 10 постов в месяц.
2. Стоимость услуг — 30 000 рублей в месяц.
3. За просрочку оплаты Заказчик уплачивает штраф в размере 5% от суммы задолженности.
"""


@pytest.mark.parametrize(
    ("text", "lang", "want"),
    [
        (BASE_RATE, "en", "follows a central bank's or another published rate"),
        (BASE_RATE, "ru", "привязана к ключевой или другой публичной ставке"),
        (ONE_OFF, "ru", "процент назван без срока"),
        (ONE_OFF, "en", "a percentage with no period"),
    ],
)
def test_the_check_says_why_no_rate_was_stored(tmp_path: Path, text: str, lang: str, want: str) -> None:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["--lang", lang, "contract", "check", str(path)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert want in flat
    assert "--late-fee N" in flat


@pytest.mark.parametrize(("text", "why"), [(BASE_RATE, "reference_rate"), (ONE_OFF, "no_period")])
def test_the_json_names_the_reason(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["contract", "check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    extracted = json.loads(result.stdout)["extracted"]
    assert extracted["late_fee_percent_per_day"] is None
    assert extracted["late_fee_unread"] == why
