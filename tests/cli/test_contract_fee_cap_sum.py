"""A percentage late fee's cap written as a sum in the CLI (helper-168).

``contract check``, ``contract add``/``show`` and ``invoice list`` said nothing of "но не
более 10 000 рублей" after a rate: the cap was not read, and the listed fee ran past it.
Now the terms list it on a line of its own (ru and en), ``--json`` carries it, the invoice's
fee stops at it and says why, and ``contract set --late-fee-cap-sum`` sets or clears it (a
bad value is refused naming the option and the value).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from suite_helpers import run_main, run_ok

RU = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик уплачивает пени 0,5 % от суммы долга за каждый день просрочки, но не
более 2 000 рублей.
"""
C = "Кофейня «Пенка»"
DUE, TODAY = "2025-05-01", date(2025, 5, 31)  # thirty days late: 6 000 uncapped


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


_run = run_ok


TEXTS = {
    "ru": {
        "cap": "предел пеней, сумма: не более 2 000 ₽ всего",
        "listed": "2 000 (0,5 % в день, не более 2 000 ₽ всего)",
        "set": "предел пеней, сумма: не более 1 500 ₽ всего",
        "listed_set": "1 500 (0,5 % в день, не более 1 500 ₽ всего)",
    },
    "en": {
        "cap": "late fee cap, sum: at most 2,000 RUB in total",
        "listed": "2,000 (0.5%/day, at most 2,000 RUB in total)",
        "set": "late fee cap, sum: at most 1,500 RUB in total",
        "listed_set": "1,500 (0.5%/day, at most 1,500 RUB in total)",
    },
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_sum_cap_is_shown_charged_and_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str, lang: str
) -> None:
    said = TEXTS[lang]
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    path = tmp_path / "contract.md"
    path.write_text(RU, encoding="utf-8")
    run = lambda *args: _run(monkeypatch, capsys, db, *args)  # noqa: E731
    assert said["cap"] in run("contract", "check", str(path))
    checked = json.loads(run("contract", "check", str(path), "--json"))
    assert checked["extracted"]["late_fee_cap_sum"] == {"amount": 2000, "currency": "RUB"}
    run("contract", "add", C, str(path), "--yes", "--create-client")
    assert said["cap"] in run("contract", "show", C)
    shown = json.loads(run("contract", "show", C, "--json"))
    assert shown["late_fee_cap_sum"] == {"amount": 2000, "currency": "RUB"}
    run("invoice", "add", C, "40000", "--due", DUE, "--issued", "2025-04-20")
    assert said["listed"] in run("invoice", "list", C, "--today", TODAY.isoformat())
    listed = json.loads(run("invoice", "list", C, "--today", TODAY.isoformat(), "--json"))
    assert listed[0]["late_fee"] == 2000
    assert listed[0]["late_fee_cap_sum"] == {"amount": 2000, "currency": "RUB"}
    # by hand: "1500" in the terms' currency; "none" clears it
    assert said["set"] in run("contract", "set", C, "--late-fee-cap-sum", "1 500")
    assert said["listed_set"] in run("invoice", "list", C, "--today", TODAY.isoformat())
    out = run("contract", "set", C, "--late-fee-cap-sum", "none")
    assert said["cap"].split(":")[0] + ":" not in out, out
    assert json.loads(run("contract", "show", C, "--json"))["late_fee_cap_sum"] is None


@pytest.mark.parametrize(
    ("lang", "value", "error"),
    [
        ("ru", "много", "Недопустимое значение '--late-fee-cap-sum': нужен предел пеней суммой, можно с "
         "валютой: «10000», «10 000 RUB», «500 USD»; убрать предел — none; а указано «много»"),
        ("ru", "0 RUB", "а указано «0 RUB»"),
        ("en", "500 XYZ", "Invalid value for '--late-fee-cap-sum': expected a late fee cap as a sum, a "
         "currency may follow: '10000', '10 000 RUB', '500 USD'; none clears it; got '500 XYZ'"),
    ],
)  # fmt: skip
def test_a_bad_sum_cap_is_refused_naming_the_value(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: str,
    lang: str,
    value: str,
    error: str,
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    monkeypatch.setenv("COLUMNS", "400")  # the error box on one line
    args = ("contract", "set", C, "--create-client", "--late-fee-cap-sum", value)
    code, _out, err = run_main(monkeypatch, capsys, *args, "--db", db)
    assert code == 2 and error in err, err
    assert "Traceback" not in err
