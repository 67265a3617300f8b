"""`invoice add X 1e3` stored an invoice of 1 000 (and "1e12" one of a trillion): a typed
amount in exponent notation is refused on the command line as the web forms refuse it."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("invoice", "add", "Пенка", "1e3", "--due", "2025-12-01", "--create-client"), "(not 1e3)"),
        (("invoice", "add", "Пенка", "2,5E+4", "--due", "2025-12-01", "--create-client"), "(not 1e3)"),
        (("time", "add", "Пенка", "1e1"), "expected hours such as 1.5"),  # the hours reader's own line
    ],
)
def test_exponent_amounts_are_refused(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: tuple[str, ...],
    said: str,
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")  # the English line, as scripts match it
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    code, out, err = run_main(monkeypatch, capsys, *args, "--db", db)
    assert code != 0 and "Traceback" not in err, out + err
    assert said in err and args[3] in err, err
    code, out, err = run_main(monkeypatch, capsys, "invoice", "list", "--json", "--db", db)
    assert "1000" not in out and "25000" not in out
