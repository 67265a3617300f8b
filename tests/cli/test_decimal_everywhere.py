"""Every number with a fraction takes a decimal comma (QA pass 6, CLI N11).

QA pass 5 taught invoice add/paid and contract set to read '25 000,50' and '0,1', but
'time add "Кофейня «Пенка»" 1,5' still failed with click's 'Input should be a valid
number', although the command itself answers '1,5 ч' to a Russian user. This test walks
every command of the CLI: a float argument or option must use the one parser
(cli/_numbers.decimal), so a new one cannot miss it.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
import typer
from suite_helpers import run_main

from clientguard.cli import build_app


def _commands(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """Every command and group under ``cmd`` with its path ("invoice add")."""
    out = [(" ".join(path), cmd)]
    for name, sub in getattr(cmd, "commands", {}).items():
        out += _commands(sub, (*path, name))
    return out


def _plain_float(param: Any) -> bool:
    """A float argument or option left to the framework's own float parser."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return False
    ann = desc.annotation
    floaty = ann is float or float in get_args(ann)
    return floaty and getattr(desc.parameter_info, "parser", None) is None


def test_no_command_parses_a_float_with_the_frameworks_parser() -> None:
    root = typer.main.get_command(build_app())
    found = [(path, cmd) for path, cmd in _commands(root)]
    assert any(path == "invoice add" for path, _ in found)  # the walk reaches the commands
    plain_floats = [f"{path} {p.name}" for path, cmd in found for p in cmd.params if _plain_float(p)]
    assert plain_floats == []


def test_time_add_takes_a_decimal_comma(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_home: object
) -> None:
    db = f"sqlite:///{tmp_home}/cg.sqlite3"
    args = ["100", "--due", "2026-09-20", "--issued", "2026-09-01", "--create-client", "--db", db]
    code, _out, err = run_main(monkeypatch, capsys, "invoice", "add", "Кофейня «Пенка»", *args)
    assert code == 0, err
    code, out, err = run_main(monkeypatch, capsys, "time", "add", "Кофейня «Пенка»", "1,5", "--lang", "ru",
                              "--db", db)  # fmt: skip
    assert code == 0, err
    assert "1,5 ч" in out
