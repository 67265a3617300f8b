"""``contract set --late-fee-fixed``: a late fee that is a sum, set and cleared by hand (helper-164).

``contract set`` had no option for a fixed late fee, and a rate set by hand (``--late-fee``)
won over a sum read off the contract without a word: ``contract show`` listed both and
``invoice list`` charged the rate. Now ``--late-fee-fixed "500 RUB/day"`` (or "25 USD/week",
"25 USD/full week", a cap after ", max") sets the sum and replaces a stored rate,
``--late-fee-fixed none`` clears it, a bad value is refused naming the option and the value
(ru and en), and the terms say which one is charged when both are stored.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from suite_helpers import run_main, run_ok

from clientguard.contracts.repo import term_origins
from clientguard.contracts.reread import reread
from clientguard.store import open_store

RU = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик уплачивает пени 500 рублей за каждый день просрочки.
"""
C = "Кофейня «Пенка»"
DUE, TODAY = "2025-05-01", date(2025, 5, 11)  # ten days late


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


_run = run_ok


TEXTS = {
    "ru": {
        "applies": "начисляется ставка 0,1 % в день; сумма 500 ₽ за каждый день просрочки не начисляется "
        "(начислять сумму: --late-fee-fixed «500 RUB/day»)",
        "fixed": "пени, сумма: 700 ₽ за каждый день просрочки, не более 5 000 ₽ всего",
        "no_rate": "пени, % в день: —",
        "listed": "5 000 (700 ₽ в день, не более 5 000 ₽ всего)",
        "week": "пени, сумма: 25 USD за каждую полную неделю просрочки",
    },
    "en": {
        "applies": "the rate of 0.1% a day is charged; the sum 500 RUB per day late is not "
        "(to charge the sum: --late-fee-fixed '500 RUB/day')",
        "fixed": "late fee, fixed sum: 700 RUB per day late, at most 5,000 RUB in total",
        "no_rate": "late fee, % per day: —",
        "listed": "5,000 (700 RUB/day, at most 5,000 RUB in total)",
        "week": "late fee, fixed sum: 25 USD per full week late",
    },
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_set_says_which_fee_applies_and_a_fixed_fee_replaces_the_rate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, db: str, lang: str
) -> None:
    said = TEXTS[lang]
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    path = tmp_path / "contract.md"
    path.write_text(RU, encoding="utf-8")
    run = lambda *args: _run(monkeypatch, capsys, db, *args)  # noqa: E731
    run("contract", "add", C, str(path), "--yes", "--create-client")
    # a rate by hand beside the contract's sum: the rate is charged, and the terms say so
    out = run("contract", "set", C, "--late-fee", "0.1")
    assert said["applies"] in out, out
    assert said["applies"] in run("contract", "show", C)
    # a sum by hand replaces the rate (which would win over it) and is charged
    out = run("contract", "set", C, "--late-fee-fixed", "700 RUB/day, max 5 000")
    assert said["fixed"] in out and said["no_rate"] in out and said["applies"][:12] not in out, out
    shown = json.loads(run("contract", "show", C, "--json"))
    assert shown["late_fee_percent_per_day"] is None
    assert shown["late_fee_fixed"] == {"amount": 700, "per": "day", "currency": "RUB", "cap": 5000}
    run("invoice", "add", C, "40000", "--due", DUE, "--issued", "2025-04-20")
    assert said["listed"] in run("invoice", "list", C, "--today", TODAY.isoformat())
    # "25/full week": the terms' currency is RUB, --currency names another
    out = run("contract", "set", C, "--late-fee-fixed", "25/full week", "--currency", "USD")
    assert said["week"] in out, out
    # cleared by hand: gone from the terms, and a reread does not bring the contract's sum back
    out = run("contract", "set", C, "--late-fee-fixed", "none")
    assert said["fixed"].split(":")[0] + ":" not in out, out
    with open_store(db) as store:
        assert term_origins(store, C)["late_fee_fixed"].origin == "manual"
        reread(store, [C])
    assert json.loads(run("contract", "show", C, "--json"))["late_fee_fixed"] is None


BAD = {
    "ru": [
        ("500 RUB/month", "Недопустимое значение '--late-fee-fixed': нужна сумма пеней, валюта и период: "
         "«500 RUB/day», «25 USD/week» (каждая начатая неделя) или «25 USD/full week» (только полные), "
         "можно с пределом: «500 RUB/day, max 10000»; убрать сумму — none; а указано «500 RUB/month»"),
        ("0 RUB/day", "а указано «0 RUB/day»"),
        ("500 XYZ/day", "нужен код валюты ISO 4217, например RUB, USD или EUR, а указано «XYZ»"),
    ],
    "en": [
        ("500 RUB/month", "Invalid value for '--late-fee-fixed': expected a sum, a currency and a period: "
         "'500 RUB/day', '25 USD/week' (every week begun) or '25 USD/full week' (full weeks only), a cap may "
         "follow: '500 RUB/day, max 10000'; none clears it; got '500 RUB/month'"),
        ("five hundred", "got 'five hundred'"),
        ("500 XYZ/day", "expected an ISO 4217 currency code such as RUB, USD or EUR, got 'XYZ'"),
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "value", "error"), [(lang, *case) for lang, cases in BAD.items() for case in cases]
)
def test_a_bad_fixed_fee_is_refused_naming_the_value(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: str,
    lang: str,
    value: str,
    error: str,
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    monkeypatch.setenv("COLUMNS", "400")  # the error box on one line
    code, _out, err = run_main(
        monkeypatch, capsys, "contract", "set", C, "--create-client", "--late-fee-fixed", value, "--db", db
    )
    assert code == 2 and error in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        (
            "ru",
            "пени задаются либо процентом в день (--late-fee), либо суммой (--late-fee-fixed), "
            "не обоими сразу",
        ),
        (
            "en",
            "a late fee is either a percentage a day (--late-fee) or a sum (--late-fee-fixed), "
            "not both at once",
        ),
    ],
)
def test_a_rate_and_a_sum_at_once_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, lang: str, error: str
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    monkeypatch.setenv("COLUMNS", "400")  # the error box on one line
    args = ("contract", "set", C, "--create-client", "--late-fee", "0.1", "--late-fee-fixed", "500 RUB/day")
    code, _out, err = run_main(monkeypatch, capsys, *args, "--db", db)
    assert code == 2 and error in err, err
