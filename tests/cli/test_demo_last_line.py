"""``make demo`` ends in the interface language: where the report is and what to do with it.

``scripts/demo.sh`` echoed "Open sample_report.html in a browser for the full report." in
English after a Russian run, and ``analyze --html`` itself said only "HTML: <path>". The
line is ``analyze --html``'s own now (``ui.html_written``), and the script adds none.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.suite_helpers import run_main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scripts" / "demo.sh"


def _demo_analyze(out: Path) -> list[str]:
    """The arguments of the demo's ``clientguard analyze`` line, its report going to ``out``."""
    [line] = [s for s in DEMO.read_text(encoding="utf-8").splitlines() if s.startswith("clientguard analyze")]
    words = shlex.split(line)[1:]
    return [str(ROOT / w) if w.startswith("examples/") else str(out) if w == "$out" else w for w in words]


@pytest.mark.parametrize(
    ("lang", "last"),
    [
        ("ru", "Полный отчёт — в файле {path}: откройте его в браузере."),
        ("en", "The full report is in {path}: open it in a browser."),
    ],
)
def test_the_demos_last_line_is_in_the_interface_language(
    tmp_path: Path,
    tmp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    last: str,
) -> None:
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    out = tmp_path / "sample_report.html"
    said = last.format(path=out)
    code, first, err = run_main(monkeypatch, capsys, *_demo_analyze(out))
    assert code == 0, err
    assert out.is_file() and said in first.splitlines()  # the first run then notes the saved `me`
    code, again, err = run_main(monkeypatch, capsys, *_demo_analyze(out))
    assert code == 0, err
    assert again.splitlines()[-1] == said
    if lang == "ru":
        assert "browser" not in first + again


def test_the_demo_script_prints_no_line_of_its_own() -> None:
    """Anything the script echoed itself would be in one language whatever the interface's."""
    lines = [s.strip() for s in DEMO.read_text(encoding="utf-8").splitlines()]
    assert not [s for s in lines if s.startswith(("echo", "printf"))]
    assert any(s.startswith("clientguard analyze") and '--html "$out"' in s for s in lines)
