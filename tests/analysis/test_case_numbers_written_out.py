"""A case file's amounts are refused when typed as the CLI refuses them: "1_000", "1e3".

``invoice add 1_000`` and the web forms refuse both, but a case file's ``amount: "1_000"``
was read by pydantic as 1000 and ``"1e3"`` as a thousand; YAML itself reads an unquoted
``1_000`` as 1000. Now the file and the field are named, in the interface language, and
numbers written as numbers (``1000``, ``1000.5``) are read as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.analysis.case import load_case
from clientguard.errors import ConfigError

INVOICE = "invoices:\n  - id: '1'\n    amount: {amount}\n    issued: 2025-01-10\n    due: 2025-01-20\n"
PAYMENT = (
    "invoices:\n  - id: '1'\n    amount: 5000\n    issued: 2025-01-10\n    due: 2025-01-20\n"
    "    partial_payments:\n      - date: 2025-01-15\n        amount: {amount}\n"
)
CONTRACT = "contract:\n  {field}: {amount}\n"


def _case(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (INVOICE.format(amount="'1_000'"), "invoices[0].amount"),
        (INVOICE.format(amount="1_000"), "invoices[0].amount"),  # YAML 1.1 reads it as 1000
        (PAYMENT.format(amount="'1_000'"), "invoices[0].partial_payments[0].amount"),
        (CONTRACT.format(field="price", amount="'40_000'"), "contract.price"),
        (CONTRACT.format(field="price", amount="40_000.50"), "contract.price"),
        (CONTRACT.format(field="revision_limit", amount="'1_0'"), "contract.revision_limit"),
        (
            CONTRACT.format(field="late_fee_percent_per_day", amount="'0_1'"),
            "contract.late_fee_percent_per_day",
        ),
    ],
)
def test_an_underscore_is_refused_with_the_file_and_the_field(tmp_path: Path, text: str, place: str) -> None:
    path = _case(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_case(path)
    said = str(caught.value)
    assert f"{path}: {place}: expected the number without '_'" in said
    assert f"{place}: напишите число без «_»" in caught.value.text("ru")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (INVOICE.format(amount="'1e3'"), "invoices[0].amount"),
        (INVOICE.format(amount="1e3"), "invoices[0].amount"),
        (INVOICE.format(amount="1.0e+3"), "invoices[0].amount"),  # YAML 1.1 reads it as 1000.0
        (PAYMENT.format(amount="2.5E3"), "invoices[0].partial_payments[0].amount"),
        (CONTRACT.format(field="price", amount="'4e4'"), "contract.price"),
    ],
)
def test_an_exponent_is_refused_with_the_file_and_the_field(tmp_path: Path, text: str, place: str) -> None:
    path = _case(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_case(path)
    assert f"{path}: {place}: expected the number written out, such as 1000 (not 1e3)" in str(caught.value)
    assert "напишите число полностью" in caught.value.text("ru")


@pytest.mark.parametrize("amount", ['"1_000"', '"1e3"', "1e3", "1.5E+3"])
def test_a_json_case_file_too(tmp_path: Path, amount: str) -> None:
    text = (
        '{"invoices": [{"id": "1", "amount": ' + amount + ', "issued": "2025-01-10", "due": "2025-01-20"}]}'
    )
    path = _case(tmp_path, text, "case.json")
    with pytest.raises(ConfigError, match=r"invoices\[0\]\.amount: expected the number"):
        load_case(path)


def test_numbers_written_as_numbers_are_read_and_unquoted_hours_are_times(tmp_path: Path) -> None:
    """The loader that keeps "1_000" text reads plain numbers as before; and YAML 1.1 read
    ``start: 10:00`` as 600 (base 60), refused as "expected HH:MM, got 600"."""
    for amount, value in (("1000", 1000.0), ("1000.5", 1000.5), ("'1000'", 1000.0), (".5", 0.5)):
        case = load_case(_case(tmp_path, INVOICE.format(amount=amount)))
        assert case.invoices[0].amount == value
        data = {"invoices": [{"id": "1", "amount": value, "issued": "2025-01-10", "due": "2025-01-20"}]}
        assert load_case(_case(tmp_path, json.dumps(data), "case.json")).invoices[0].amount == value
    case = load_case(_case(tmp_path, "working_hours:\n  start: 10:00\n  end: 19:00\n"))
    assert (case.working_hours.start, case.working_hours.end) == ("10:00", "19:00")
