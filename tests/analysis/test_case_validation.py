"""Case files are held to the rules ``contract set`` applies (one validator, QA F4, F5, F21).

A case file stored working days ``[9, -1]`` (``contract show`` then crashed with an
IndexError) and a revision limit of -3, a price of -5 and -10 days to pay, all of which
``contract set`` refuses; its "HH:MM" check let 24:59 through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.analysis.case import CaseHours, case_from_dict
from clientguard.cli import build_app
from clientguard.contracts import validate
from clientguard.domain import WorkingHours
from clientguard.errors import ConfigError, NotFoundError


@pytest.mark.parametrize(
    ("case", "place", "rule", "value"),
    [
        ({"working_hours": {"days": [9, -1]}}, "working_hours.days", validate.weekdays, [9, -1]),
        ({"working_hours": {"start": "99:99"}}, "working_hours.start", validate.clock, "99:99"),
        ({"working_hours": {"end": "25:00"}}, "working_hours.end", validate.clock, "25:00"),
        ({"contract": {"revision_limit": -3}}, "contract.revision_limit", validate.revision_limit, -3),
        ({"contract": {"price": -5}}, "contract.price", validate.amount, -5),
        ({"contract": {"payment_due_days": -10}}, "contract.payment_due_days",
         validate.payment_due_days, -10),
        ({"contract": {"currency": "BUCKS"}}, "contract.currency", validate.currency, "BUCKS"),
        ({"contract": {"late_fee_percent_per_day": 500}}, "contract.late_fee_percent_per_day",
         validate.late_fee, 500),
    ],
)  # fmt: skip
def test_case_file_says_what_contract_set_says(
    case: dict[str, Any], place: str, rule: Any, value: Any
) -> None:
    """One validator: the case file's error is the rule's own words at the field's place."""
    with pytest.raises(ValueError) as rule_error:
        rule(value)
    with pytest.raises(ConfigError) as case_error:
        case_from_dict(case, "c.yaml")
    assert str(case_error.value) == f"E200: c.yaml: {place}: {rule_error.value}"


def test_case_file_hours_start_before_end() -> None:
    with pytest.raises(ConfigError, match="working_hours: expected the start before the end"):
        case_from_dict({"working_hours": {"start": "19:00", "end": "10:00"}})


def test_case_file_keeps_good_terms_and_maps_currency_names() -> None:
    case = case_from_dict({"contract": {"revision_limit": 0, "price": 45000, "currency": "руб."}})
    assert case.contract is not None
    assert (case.contract.revision_limit, case.contract.price, case.contract.currency) == (0, 45000, "RUB")


def test_stored_bad_hours_are_a_clear_error_in_analysis() -> None:
    with pytest.raises(ConfigError, match=r"stored working hours: start: expected HH:MM .*contract set"):
        CaseHours.from_domain(WorkingHours((0, 1), "99:99", "19:00"))


@pytest.mark.parametrize(
    ("contract", "working_hours", "says"),
    [
        ("{revision_limit: 2}", '{days: [9, -1], start: "10:00", end: "19:00"}',
         "working_hours.days: expected days 0–6"),
        ("{revision_limit: -3, price: -5, payment_due_days: -10}", None, "contract.revision_limit: expected"),
        ("{price: .inf}", None, "contract.price: expected a finite number, got inf"),
        ("{revision_limit: 2}", '{start: "24:59"}',
         "working_hours.start: expected HH:MM from 00:00 to 24:00"),
    ],
)  # fmt: skip
def test_analyze_refuses_the_case_file_and_stores_nothing(
    tmp_path: Path, tmp_home: Path, contract: str, working_hours: str | None, says: str
) -> None:
    case = tmp_path / "case.yaml"
    body = f"client:\n  name: X\ncontract: {contract}\n"
    if working_hours:
        body += f"working_hours: {working_hours}\n"
    case.write_text(body, encoding="utf-8")
    chat = tmp_path / "a.txt"
    chat.write_text("12.09.2025, 10:00 - Иван Петров: Привет\n12.09.2025, 10:05 - Ольга: Сегодня\n", "utf-8")
    r = CliRunner().invoke(build_app(), ["analyze", str(chat), "--case", str(case)])
    assert isinstance(r.exception, ConfigError) and says in str(r.exception), r.exception
    shown = CliRunner().invoke(build_app(), ["contract", "show", "X"])
    assert isinstance(shown.exception, NotFoundError)  # nothing was stored, no IndexError


def test_every_bad_term_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as exc:
        case_from_dict({"contract": {"revision_limit": -3, "price": -5, "payment_due_days": -10}}, "neg.yaml")
    assert str(exc.value) == (
        "E200: neg.yaml: contract.revision_limit: expected a whole number from 0 to 100, got -3; "
        "contract.price: expected 0 or more, got -5; "
        "contract.payment_due_days: expected a whole number from 0 to 365, got -10"
    )
