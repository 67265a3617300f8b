"""A case file's dates are read as the CLI's date options read them, and checked before anything is stored.

``analyze FILE --case case.yaml`` with ``due: "04/11/2025"`` imported the chat, saved the
user's identity, and only then failed with "due date: expected a date YYYY-MM-DD", naming
neither the file nor the field. Now the case file is validated first: a date the CLI reads
(ISO, dotted, slashed by the locale) is read, anything else is refused naming the file,
the key path (``invoices[0].due``) and the value, and nothing is stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from suite_helpers import run_main
from typer.testing import CliRunner

from clientguard.analysis.case import case_from_dict, load_case
from clientguard.cli import build_app
from clientguard.errors import ConfigError

CHAT = (
    "11/01/2025, 10:00 - Alex: Hi Sarah, the invoice is sent.\n"
    "11/05/2025, 18:30 - Sarah: We'll pay next week, the accountant is on vacation\n"
)


def _files(tmp_path: Path, invoice: str) -> tuple[Path, Path]:
    chat = tmp_path / "WhatsApp Chat with Sarah.txt"
    chat.write_text(CHAT, encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(
        "client: {name: Bloom Bakery, from_id: Sarah}\nspecialist_from_id: Alex\n"
        f"invoices:\n  - {invoice}\n",
        encoding="utf-8",
    )
    return chat, case


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(build_app(), ["--lang", "en", *args])
    return done.exit_code, done.output


def test_an_ambiguous_due_date_names_the_file_the_place_and_stores_nothing(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # no country to tell 4 November from April 11
    chat, case = _files(tmp_path, '{id: INV-1, amount: 1200, issued: "2025-11-01", due: "04/11/2025"}')
    code, _out, err = run_main(monkeypatch, capsys, "--lang", "en", "analyze", str(chat), "--case", str(case))
    assert code != 0 and "Traceback" not in err
    assert f"E200: {case}: invoices[0].due: '04/11/2025' could be 4 November" in err, err
    assert "write 2025-11-04 or 2025-04-11" in err, err
    code, out = _run("clients")
    assert code == 0 and "Bloom Bakery" not in out and "Sarah" not in out, out  # the chat was not imported
    code, out = _run("me", "list")
    assert code == 0 and "Alex" not in out, out  # nor the user's identity saved


def test_case_dates_take_the_clis_spellings(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")  # slashed dates day first
    chat, case = _files(tmp_path, "{id: INV-1, amount: 1200, issued: 01.11.2025, due: 04/11/2025}")
    code, out = _run("analyze", str(chat), "--case", str(case))
    assert code == 0, out
    code, out = _run("invoice", "list", "Bloom Bakery", "--json")
    assert code == 0 and '"due": "2025-11-04"' in out and '"issued": "2025-11-01"' in out, out


@pytest.mark.parametrize(
    ("invoice", "says"),
    [
        ({"due": "2025-12-31x"}, "c.yaml: invoices[0].due: expected a date like 2025-09-01 or 01.09.2025"),
        ({"issued": "31.02.2025"}, "invoices[0].issued: '31.02.2025' is not a date: February 2025 has 28"),
        ({"issued": "1900-01-01"}, "c.yaml: invoices[0].issued: expected a date from 1990-01-01"),
        ({"due": "2025-10-01"}, "invoices[0]: the due date 2025-10-01 is before the issue date 2025-11-01"),
        ({"paid_on": "2025-10-31"}, "c.yaml: invoices[0]: issued on 2025-11-01: a payment dated 2025-10-31"),
        ({"partial_payments": [{"date": "2025-11-02", "amount": 50}, {"date": "5.11.2025", "amount": 80}]},
         "c.yaml: invoices[0]: the payments add up to 130, more than the amount 100"),
        ({"partial_payments": [{"date": "2025-11-2", "amount": 50}]},
         "c.yaml: invoices[0].partial_payments[0].date: expected a date like"),
        ({"id": " "}, "c.yaml: invoices[0].id: expected some text"),
        ({"amount": 0}, "c.yaml: invoices[0].amount: expected more than 0, got 0"),
    ],
)  # fmt: skip
def test_bad_invoices_are_named_by_place(invoice: dict[str, object], says: str) -> None:
    good = {"id": "1", "amount": 100, "issued": "2025-11-01", "due": "2025-11-15"}
    with pytest.raises(ConfigError) as err:
        case_from_dict({"invoices": [good | invoice]}, "c.yaml")
    assert says in str(err.value)


def test_yaml_dates_and_dotted_dates_are_stored_as_iso() -> None:
    case = case_from_dict(
        {
            "invoices": [
                {
                    "id": "1",
                    "amount": 100,
                    "issued": date(2025, 11, 1),
                    "due": "15.11.2025",
                    "partial_payments": [{"date": "3.11.2025", "amount": 20}],
                }
            ]
        }
    )
    inv = case.invoices[0]
    assert (inv.issued, inv.due, inv.partial_payments[0].date) == ("2025-11-01", "2025-11-15", "2025-11-03")


def test_what_storing_would_refuse_is_refused_on_reading(tmp_path: Path) -> None:
    """A future payment and a number listed twice failed half-way through storing the case."""
    case = tmp_path / "case.yaml"
    future = date(date.today().year + 1, 1, 1).isoformat()
    case.write_text(
        f"invoices:\n  - {{id: '7', amount: 100, issued: 2025-11-01, due: 2025-11-15, paid_on: {future}}}\n"
    )
    with pytest.raises(
        ConfigError, match=rf"{case}: invoices\[0\]\.paid_on: a payment dated {future} is in the future"
    ):
        load_case(case)
    case.write_text("invoices:\n  - {id: '7', amount: 1, issued: 2025-11-01, due: 2025-11-15}\n"
                    "  - {id: ' 7', amount: 2, issued: 2025-11-01, due: 2025-11-15}\n")  # fmt: skip
    with pytest.raises(
        ConfigError, match=r"invoices\[1\]\.id: invoice '7' is already listed as invoices\[0\]"
    ):
        load_case(case)
