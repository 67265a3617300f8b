"""``clientguard.jsonl``: every way a JSON Lines file can be broken is named by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.errors import MalformedRecordError
from clientguard.jsonl import iter_objects


def test_objects_with_line_numbers_bom_and_blank_lines() -> None:
    lines = [b'\xef\xbb\xbf{"a": 1}\n', b"\n", b"   \n", '{"b": "ё"}\n'.encode()]
    assert list(iter_objects(lines, "f.jsonl")) == [(1, {"a": 1}), (4, {"b": "ё"})]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"a": "\xd0"}\n', "expected UTF-8 text, got byte 0xd0 at byte 8"),
        (b"{nope\n", "invalid JSON"),
        (b'"just a string"\n', "got str"),
        (b'\xef\xbb\xbf{"a": 1}\n', "invalid JSON"),  # a BOM is only a BOM on line 1
    ],
)
def test_bad_line_is_named(line: bytes, message: str) -> None:
    with pytest.raises(MalformedRecordError) as err:
        list(iter_objects([b'{"ok": 1}\n', line], "f.jsonl"))
    assert "f.jsonl:line 2" in str(err.value) and message in str(err.value)


def test_eval_signals_names_a_bad_byte(tmp_path: Path) -> None:
    p = tmp_path / "lab.jsonl"
    p.write_bytes(b'{"id": "1", "text": "ok", "labels": []}\n{"id": "2", "text": "\xff", "labels": []}\n')
    r = CliRunner().invoke(build_app(), ["eval", "signals", str(p)])
    assert r.exit_code != 0
    assert isinstance(r.exception, MalformedRecordError)
    assert f"{p}:line 2" in str(r.exception)


def test_collecting_mode_skips_every_bad_line() -> None:
    bad: list[MalformedRecordError] = []
    lines = [b'{"a": 1}\n', b"{x\n", b'{"b": 2}\n', b"\xff\n", b"[]\n", b'{"c": 3}\n']
    got = list(iter_objects(lines, "f.jsonl", bad))
    assert got == [(1, {"a": 1}), (3, {"b": 2}), (6, {"c": 3})]
    assert [e.where.where for e in bad] == ["line 2", "line 4", "line 5"]
