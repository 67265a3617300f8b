"""``contract check --json`` carries the late fee the text output shows.

The text lists "пени, % в день: 0,1" and "предел пеней, %: 10" among the extracted terms;
the JSON's ``extracted`` (the labels format) had neither, so a script could not read them.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app

CONTRACT = """# Договор оказания услуг № 12

1. Предмет: ведение аккаунта Instagram, 12 постов в месяц.
2. Стоимость услуг — 45 000 рублей в месяц.
3. За просрочку оплаты Заказчик уплачивает пени 0,1% в день, но не более 10% от суммы.
"""


def test_the_json_has_the_late_fee_and_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "contract.md"
    path.write_text(CONTRACT, encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["contract", "check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    extracted = json.loads(result.stdout)["extracted"]
    assert extracted["late_fee_percent_per_day"] == 0.1
    assert extracted["late_fee_cap_percent"] == 10
    assert extracted["price"] == 45000
