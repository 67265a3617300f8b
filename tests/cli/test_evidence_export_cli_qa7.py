"""``evidence export`` on the command line (QA pass 7 on the evidence).

F4: a database with a message edited behind the log (sqlite3 UPDATE) exported with exit
code 0 and the same one-line summary shape as a clean one, so a script sending the file
"on success" sent it; ``evidence verify`` exits 2 for the same log. Now export writes the
file (it names every problem) and exits 2.

F5: ``messages --since`` is the README's date filter; ``evidence export --since/--until``
answered "No such option" (only ``--from/--to`` existed). Both spellings work now.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_chat.json"
CLIENT = "Кофейня «Пенка»"


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "x.sqlite3"
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{path}")
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    r = CliRunner().invoke(build_app(), ["import", str(SAMPLE), "--client", CLIENT])
    assert r.exit_code == 0, r.output
    return path


def _run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(build_app(), list(args))
    return r.exit_code, r.output


def test_export_of_a_tampered_log_exits_2_and_still_writes_the_file(db: Path, tmp_path: Path) -> None:
    code, _ = _run("evidence", "export", CLIENT, "--out", str(tmp_path / "clean.json"))
    assert code == 0
    with sqlite3.connect(db) as conn:
        (mid,) = conn.execute("select min(id) from messages").fetchone()
        conn.execute("update messages set text = 'Оплатили всё, спасибо' where id = ?", (mid,))
    out = tmp_path / "bad.html"
    code, output = _run("evidence", "export", CLIENT, "--out", str(out), "--lang", "en")
    assert code == 2, output
    assert "NOT verified" in output
    assert "Integrity check FAILED" in out.read_text(encoding="utf-8")
    verify_code, _ = _run("evidence", "verify", CLIENT)
    assert verify_code == code


def test_since_and_until_limit_the_export_like_from_and_to(db: Path, tmp_path: Path) -> None:
    whole = tmp_path / "all.json"
    assert _run("evidence", "export", CLIENT, "--out", str(whole))[0] == 0
    days = sorted({e["when"][:10] for e in json.loads(whole.read_text())["chronology"] if e["when"]})
    middle = days[len(days) // 2]
    part = tmp_path / "part.json"
    args = ("--since", middle, "--until", middle)
    code, output = _run("evidence", "export", CLIENT, "--out", str(part), *args)
    assert code == 0, output
    data = json.loads(part.read_text())
    shown = {e["when"][:10] for e in data["chronology"]}
    assert shown == {middle}
    assert (data["period_from"], data["period_to"]) == (middle, middle)


def test_a_large_pdf_export_says_first_that_it_will_be_slow(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F10: `--format pdf` of a big client sat silent for minutes (15,272 entries: 227 s, 3.4 GB)."""
    monkeypatch.setattr("clientguard.evidence.export.to_pdf", lambda data, lang="ru": b"%PDF-1.7")
    monkeypatch.setattr("clientguard.cli.evidence.PDF_SLOW_ENTRIES", 20)
    code, output = _run("evidence", "export", CLIENT, "--out", str(tmp_path / "e.pdf"), "--lang", "en")
    assert code == 0, output
    assert "note: a PDF of" in output and "--since/--until" in output
    code, output = _run("evidence", "export", CLIENT, "--out", str(tmp_path / "e.html"), "--lang", "en")
    assert "note: a PDF" not in output
    monkeypatch.setattr("clientguard.cli.evidence.PDF_SLOW_ENTRIES", 10**6)
    code, output = _run("evidence", "export", CLIENT, "--out", str(tmp_path / "f.pdf"), "--lang", "en")
    assert code == 0 and "note: a PDF" not in output
