"""Output files the user names: a bad target is one clear error, a failed run leaves no half file.

Data-driven over the ways a target can be wrong (a directory, a missing folder, a file
used as a folder, a read-only folder), for the helper and for the commands that write
through it (``signals --out``, the HTML report).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard import outfile
from clientguard.cli import build_app
from clientguard.errors import InputError

Target = Callable[[Path], Path]
BAD_TARGETS: list[tuple[str, Target, str]] = [
    ("directory", lambda d: d, "it is a directory"),
    ("missing folder", lambda d: d / "nope" / "x.out", "does not exist"),
    ("file as folder", lambda d: (d / "f.txt").with_suffix(".txt") / "x.out", "is not a folder"),
]


def _setup(tmp_path: Path) -> Path:
    (tmp_path / "f.txt").write_text("I am a file", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("kind", "target", "reason"), BAD_TARGETS, ids=[k for k, _, _ in BAD_TARGETS])
def test_bad_target_is_one_clear_error(tmp_path: Path, kind: str, target: Target, reason: str) -> None:
    path = target(_setup(tmp_path))
    with pytest.raises(InputError) as err:
        outfile.write_text(path, "data")
    assert reason in str(err.value) and str(path) in str(err.value), kind


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(InputError, match="no permission"):
            outfile.write_text(ro / "x.out", "data")
    finally:
        ro.chmod(0o700)


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")
    with pytest.raises(RuntimeError), outfile.atomic_text(target) as fh:
        fh.write("half of a new rep")
        raise RuntimeError("render failed")
    assert target.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_written_file_has_plain_open_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    outfile.write_bytes(target, b"\x00\x01")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_bytes() == b"\x00\x01"
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(("kind", "target", "reason"), BAD_TARGETS, ids=[k for k, _, _ in BAD_TARGETS])
def test_signals_out_bad_target(tmp_path: Path, kind: str, target: Target, reason: str) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": 1, "text": "оплатим потом"}) + "\n", encoding="utf-8")
    out = target(_setup(tmp_path))
    r = CliRunner().invoke(build_app(), ["signals", "--in", str(inp), "--out", str(out)])
    assert r.exit_code != 0 and isinstance(r.exception, InputError), (kind, r.exception)
    assert reason in str(r.exception) and str(out) in str(r.exception)  # main() prints it as one line


def test_eval_signals_on_an_empty_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    r = CliRunner().invoke(build_app(), ["eval", "signals", str(empty)])
    assert r.exit_code != 0 and isinstance(r.exception, InputError)
    assert "no labelled messages" in str(r.exception) and str(empty) in str(r.exception)


def test_analyze_html_to_a_missing_folder_fails_before_importing(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1] / "examples"
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    bad = tmp_path / "no such folder" / "report.html"
    r = CliRunner().invoke(
        build_app(), ["analyze", str(root / "sample_chat.json"), "--case", str(root / "sample_case.yaml"),
                      "--html", str(bad), "--db", db])
    assert isinstance(r.exception, InputError) and "does not exist" in str(r.exception)
    listed = CliRunner().invoke(build_app(), ["clients", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout or "[]") == []  # nothing was stored
