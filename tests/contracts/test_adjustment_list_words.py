"""`invoice void-refund` without --id on an invoice with several refunds and credits lists
them in the user's language: the Russian line printed the raw English kind inside Russian
text ("5 (refund 2025-09-20, 1 000)")."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from suite_helpers import run_main

C = "Пенка"
TODAY = date.today()
ISSUED = (TODAY - timedelta(days=60)).isoformat()
DUE = (TODAY - timedelta(days=30)).isoformat()
PAID_ON = (TODAY - timedelta(days=50)).isoformat()
BACK_ON = (TODAY - timedelta(days=10)).isoformat()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


@pytest.mark.parametrize(
    ("lang", "kinds", "absent"),
    [
        ("ru", ("(возврат от", "(уменьшение суммы от"), ("refund", "credit")),
        ("en", ("(refund " + BACK_ON, "(credit " + BACK_ON), ("возврат", "уменьшение")),
    ],
)
def test_the_list_of_refunds_and_credits_is_worded(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: str,
    lang: str,
    kinds: tuple[str, str],
    absent: tuple[str, str],
) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        return run_main(monkeypatch, capsys, *args, "--lang", lang, "--db", db)

    for args in (
        ("invoice", "add", C, "60000", "--due", DUE, "--issued", ISSUED, "--create-client"),
        ("invoice", "paid", C, "1", "--on", PAID_ON, "--amount", "30000"),
        ("invoice", "refund", C, "1", "1000", "--date", BACK_ON, "--reason", "x"),
        ("invoice", "credit", C, "1", "2000", "--date", BACK_ON, "--reason", "y"),
    ):
        code, _out, err = run(*args)
        assert code == 0, err
    code, _out, err = run("invoice", "void-refund", C, "1", "--reason", "ошибка")
    assert code != 0 and "Traceback" not in err
    # the refusal line only: the message after the invoice number names both, worded
    listed = err.split("--id", 1)[1]
    for kind in kinds:
        assert kind in listed, err
    for word in absent:
        assert word not in listed, err
