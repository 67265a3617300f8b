"""``evidence export`` options a careful user gets wrong (QA4 F11, F12).

F11: ``--from 2025-09-10 --to 2025-09-01`` wrote an empty document that still said
"целостность подтверждена". F12: ``--out dispute.pdf`` without ``--format pdf`` wrote
HTML into a file named .pdf, which no PDF viewer opens.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE
from typer.testing import CliRunner

from clientguard.cli import build_app


@pytest.fixture()
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    r = CliRunner().invoke(build_app(), ["import", str(SAMPLE), "--client", CLIENT])
    assert r.exit_code == 0, r.output
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(build_app(), ["evidence", "export", CLIENT, *args], env={"CLIENTGUARD_LANG": "en"})
    return r.exit_code, r.output


def test_reversed_period_is_refused(stored: Path) -> None:
    out = stored / "e.html"
    code, text = run("--from", "2025-09-10", "--to", "2025-09-01", "--out", str(out))
    assert code == 2 and "is after --to" in text and not out.exists()


@pytest.mark.parametrize(
    ("name", "magic"), [("e.json", b"{"), ("e.html", b"<!DOCTYPE html>"), ("e.HTM", b"<!DOCTYPE")]
)
def test_format_follows_the_extension(stored: Path, name: str, magic: bytes) -> None:
    out = stored / name
    code, text = run("--out", str(out))
    assert code == 0, text
    assert out.read_bytes().lstrip().startswith(magic)


def test_pdf_by_extension(stored: Path) -> None:
    pytest.importorskip("reportlab")
    out = stored / "dispute.pdf"
    code, text = run("--out", str(out))
    assert code == 0, text
    assert out.read_bytes().startswith(b"%PDF")


def test_format_contradicting_the_extension_is_refused(stored: Path) -> None:
    out = stored / "dispute.pdf"
    code, text = run("--format", "html", "--out", str(out))
    assert code == 2 and "ends in .pdf" in text and not out.exists()
    code, text = run("--format", "json", "--out", str(stored / "log.txt"))
    assert code == 0  # an extension that names no format does not contradict
