"""``clientguard signals`` on long and broken inputs: flat memory, all or nothing, clear errors.

The shape of the output lines is pinned in ``tests/nlp/test_signals.py``; here the point is
the streaming contract: results come out in input order across batch boundaries, standard
input spooled to disk gives the same bytes as a file, a bad line anywhere (invalid JSON,
invalid UTF-8, missing keys) is named by line and leaves no output file and no temporary
file behind, and an existing output file survives a failed run untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.cli import signals as signals_cli
from clientguard.errors import MalformedRecordError

TEXTS = ["дорого, скидку дайте", "Thanks!", "оплатим на следующей неделе", "", "ну бл€, опять", "ок"]


def _jsonl(path: Path, recs: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def _run(*args: str, stdin: bytes | None = None) -> tuple[int, BaseException | None, str]:
    r = CliRunner().invoke(build_app(), ["signals", *args], input=stdin)
    return r.exit_code, r.exception, r.stdout


def test_order_kept_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signals_cli, "BATCH", 4)
    recs: list[dict[str, object]] = [{"id": i, "text": TEXTS[i % len(TEXTS)]} for i in range(11)]
    out = tmp_path / "out.jsonl"
    code, exc, _ = _run("--in", str(_jsonl(tmp_path / "in.jsonl", recs)), "--out", str(out))
    assert code == 0, exc
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == list(range(11))
    assert "discount_request" in got[0]["labels"] and "obscenity" in got[4]["labels"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # temp renamed


def test_stdin_spooled_to_disk_equals_file_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signals_cli, "SPOOL_MEMORY", 64)  # forces the spool onto disk
    recs: list[dict[str, object]] = [{"id": f"m{i}", "text": t} for i, t in enumerate(TEXTS * 3)]
    inp = _jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    assert _run("--in", str(inp), "--out", str(out))[0] == 0
    code, exc, stdout = _run("--in", "-", stdin=inp.read_bytes())
    assert code == 0, exc
    assert stdout == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"{broken\n", "invalid JSON"),
        (b'{"id": 9, "text": "ok \xff"}\n', "expected UTF-8 text, got byte 0xff"),
        (b'{"id": 9}\n', 'expected keys "id" and "text"'),
        (b'{"id": 9, "text": "hi", "lang": "de"}\n', "ru or en"),
        (b"[1, 2]\n", "got list"),
    ],
)
def test_a_bad_late_line_fails_before_any_output(tmp_path: Path, bad: bytes, message: str) -> None:
    good = b"".join(json.dumps({"id": i, "text": "ok"}).encode() + b"\n" for i in range(700))
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(good + bad)
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    code, exc, _ = _run("--in", str(inp), "--out", str(out))
    assert code != 0
    assert isinstance(exc, MalformedRecordError)
    assert f"{inp}:line 701" in str(exc) and message in str(exc)
    assert out.read_text(encoding="utf-8") == "previous results\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no temp left


def test_bad_stdin_line_is_named_and_nothing_is_printed() -> None:
    code, exc, stdout = _run("--in", "-", stdin=b'{"id": 1, "text": "ok"}\n\n{"id": 2}\n')
    assert code != 0 and isinstance(exc, MalformedRecordError)
    assert "<stdin>:line 3" in str(exc)
    assert stdout == ""


def test_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(b"\xef\xbb\xbf" + '{"id": 1, "text": "дорого, скидку дайте"}\n\n\n'.encode())
    code, exc, stdout = _run("--in", str(inp))
    assert code == 0, exc
    assert [json.loads(x)["id"] for x in stdout.splitlines()] == [1]


MIXED = "".join([
    '{"id": 1, "text": "дорого, скидку дайте"}\n', "{bad\n", '{"id": 3}\n',
    '{"id": 4, "text": "ok", "lang": "de"}\n', '{"id": 5, "text": "ok"}\n',
]).encode()


def test_every_bad_line_is_named_and_nothing_written(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(MIXED)
    out = tmp_path / "out.jsonl"
    code, exc, _ = _run("--in", str(inp), "--out", str(out))
    assert code != 0 and isinstance(exc, MalformedRecordError)
    assert f"{inp}:line 2" in str(exc) and "2 more bad line(s): 3, 4" in str(exc) and "--skip-bad" in str(exc)
    assert not out.exists()


@pytest.mark.parametrize(("ui", "said"), [("en", "skipped 3 broken records:"),
                                          ("ru", "пропущено — 3 повреждённые записи:")])
def test_skip_bad_analyses_the_rest_and_lists_the_bad_lines(tmp_path: Path, ui: str, said: str) -> None:
    # The count is said in the interface language (README walk-through: it was English in a Russian run).
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(MIXED)
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(build_app(), ["signals", "--in", str(inp), "--out", str(out), "--skip-bad"],
                           env={"CLIENTGUARD_LANG": ui})
    assert r.exit_code == 0, r.exception
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == [1, 5]
    listed = r.stderr.replace("\n", "")
    assert said in listed
    for no in (2, 3, 4):
        assert f":line {no}:" in listed
