"""One set of rules for contract terms: ``contract set`` and the case-file loader agree.

QA F4, F5, F16, F21: ``contract set`` stored "99:99" (every later analyze crashed), a
case file stored working days ``[9, -1]`` (``contract show`` crashed) and a revision
limit of -3, "Fri-Mon" became no days at all, ``--price inf`` printed ``Infinity``,
any currency string was kept and a late fee of 500 % a day was taken.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.contracts import validate
from clientguard.contracts.drafts import format_hours
from clientguard.domain import WorkingHours


@pytest.fixture()
def db(tmp_path: Path, tmp_home: Path) -> str:
    return f"sqlite:///{tmp_path / 'terms.sqlite3'}"


def run(*args: str) -> Any:
    return CliRunner().invoke(build_app(), list(args))


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


# (rule, value, message): each row fails on the old code, where nothing was checked here.
BAD = [
    (validate.clock, "99:99", "expected HH:MM from 00:00 to 24:00, got '99:99'"),
    (validate.clock, "25:00", "expected HH:MM from 00:00 to 24:00, got '25:00'"),
    (validate.clock, "24:30", "expected HH:MM from 00:00 to 24:00"),
    (validate.clock, "9am", "expected HH:MM, got '9am'"),
    (validate.weekdays, [9, -1], "expected days 0–6 (Monday = 0), got [9, -1]"),
    (validate.weekdays, [], "expected at least one working day"),
    (validate.weekdays, [True], "expected days 0–6"),
    (validate.revision_limit, -3, "expected a whole number from 0 to 100, got -3"),
    (validate.payment_due_days, -10, "expected a whole number from 0 to 365, got -10"),
    (validate.payment_due_days, 2.5, "expected a whole number, got 2.5"),
    (validate.amount, -5, "expected 0 or more, got -5"),
    (validate.amount, math.inf, "expected a finite number, got inf"),
    (validate.amount, math.nan, "expected a finite number, got nan"),
    (validate.amount, 1e20, "expected at most 1,000,000,000,000, got 100,000,000,000,000,000,000"),
    (validate.amount, 2_000_000_000_000.5, "got 2,000,000,000,000.5"),
    (validate.currency, "BUCKS", "expected an ISO 4217 currency code such as RUB, USD or EUR, got 'BUCKS'"),
    (validate.currency, "RUBLES!", "ISO 4217"),
    (validate.late_fee, 500, "expected a percentage from 0 to 5 (0.1 per day is usual), got 500"),
    (validate.fee_cap, 1000, "expected a percentage from 0 to 100"),
]


@pytest.mark.parametrize(("rule", "value", "message"), BAD)
def test_rules_refuse_with_expected_got(rule: Any, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        rule(value)
    assert str(error.value).startswith("expected ")  # house style: "expected X, got Y"


@pytest.mark.parametrize(
    ("rule", "value", "clean"),
    [
        (validate.clock, "9:00", "09:00"),
        (validate.clock, "24:00", "24:00"),
        (validate.weekdays, [4, 0, 0], (0, 4)),
        (validate.currency, "rub", "RUB"),
        (validate.currency, "руб.", "RUB"),
        (validate.currency, "р.", "RUB"),
        (validate.currency, "₽", "RUB"),
        (validate.currency, " usd ", "USD"),
        (validate.currency, "евро", "EUR"),
        (validate.amount, 0, 0.0),
        (validate.late_fee, 0.1, 0.1),
    ],
)
def test_rules_accept_and_normalise(rule: Any, value: Any, clean: Any) -> None:
    assert rule(value) == clean


@pytest.mark.parametrize(
    ("first", "last", "days"),
    [(0, 4, (0, 1, 2, 3, 4)), (4, 0, (0, 4, 5, 6)), (5, 6, (5, 6)), (6, 6, (6,)), (6, 0, (0, 6))],
)
def test_day_ranges_run_forward_through_the_week(first: int, last: int, days: tuple[int, ...]) -> None:
    assert validate.day_range(first, last) == days


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--working-hours", "Mon-Fri 99:99-19:00", "expected HH:MM from 00:00 to 24:00, got '99:99'"),
        ("--working-hours", "Mon-Fri 25:00-19:00", "got '25:00'"),
        ("--working-hours", "Mon-Fri 19:00-10:00", "expected the start before the end"),
        ("--price", "inf", "expected a finite number, got inf"),
        ("--price", "nan", "expected a finite number, got nan"),
        ("--price", "1e20", "expected the number written out, such as 1000 (not 1e3); got '1e20'"),
        ("--price", "2000000000000", "expected at most 1,000,000,000,000, got 2,000,000,000,000"),
        ("--currency", "BUCKS", "ISO 4217"),
        ("--late-fee", "500", "expected a percentage from 0 to 5"),
        ("--late-fee-cap", "1000", "expected a percentage from 0 to 100"),
        ("--revision-limit", "-1", "expected a whole number from 0 to 100, got -1"),
    ],
)
def test_set_refuses_impossible_terms(db: str, option: str, value: str, says: str) -> None:
    r = run("contract", "set", "Acme", f"{option}={value}", "--db", db, "--lang", "en")
    out = " ".join(r.output.replace("│", " ").split())  # Rich wraps the error box
    assert r.exit_code == 2 and "Invalid value" in out and says in out, r.output
    shown = run("contract", "show", "Acme", "--db", db)
    assert shown.exit_code == 1  # nothing stored


def test_set_wraps_days_and_maps_currency(db: str) -> None:
    r = run("contract", "set", "Acme", "--working-hours", "Fri-Mon 10:00-19:00", "--price", "45000",
            "--currency", "руб", "--late-fee", "0.1", "--lang", "en", "--create-client",
            "--db", db)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Friday to Monday, 10:00 to 19:00" in r.output
    shown = _strict_json(run("contract", "show", "Acme", "--json", "--db", db).output)
    assert shown["working_hours"]["days"] == [0, 4, 5, 6]
    assert (shown["price"], shown["currency"]) == (45000, "RUB")
    assert run("contract", "set", "Acme", "--working-hours", "пт-пн 9:00-18:00", "--db", db).exit_code == 0


@pytest.mark.parametrize(
    ("days", "ru", "en"),
    [
        ((0, 1, 2, 3, 4), "с понедельника по пятницу с 10:00 до 19:00", "Monday to Friday, 10:00 to 19:00"),
        ((0, 4, 5, 6), "с пятницы по понедельник с 10:00 до 19:00", "Friday to Monday, 10:00 to 19:00"),
        ((0, 2), "по дням: понедельник, среду с 10:00 до 19:00", "Monday, Wednesday, 10:00 to 19:00"),
        ((9, -1, 1), "по дням: вторник с 10:00 до 19:00", "Tuesday, 10:00 to 19:00"),  # IndexError before
        ((9, -1), "дни не указаны, с 10:00 до 19:00", "no working days given, 10:00 to 19:00"),
        (tuple(range(7)), "с понедельника по воскресенье с 10:00 до 19:00",
         "Monday to Sunday, 10:00 to 19:00"),
    ],
)  # fmt: skip
def test_format_hours_is_robust(days: tuple[int, ...], ru: str, en: str) -> None:
    hours = WorkingHours(days, "10:00", "19:00")
    assert format_hours(hours, "ru") == ru
    assert format_hours(hours, "en") == en


def test_show_survives_hours_stored_before_the_checks(db: str) -> None:
    """Terms written before this validation (or by an older version) print, not crash."""
    from clientguard.contracts.repo import set_terms
    from clientguard.store import open_store

    with open_store(db) as store:
        set_terms(store, "Old", working_hours=WorkingHours((9, -1), "10:00", "19:00"), revision_limit=2)
    r = run("contract", "show", "Old", "--lang", "en", "--db", db)
    assert r.exit_code == 0 and "no working days given" in r.output, r.output
