"""Command groups belong to the app that mounted them, however often apps are built.

The groups used to be keyed by ``id(app)``: after an app was freed, a new one could get its
id and with it the dead app's (unmounted) sub-apps, so ``clientguard invoice …`` failed with
"No such command" in a process that had built an app before (tests do, many times).
"""

from __future__ import annotations

import gc

import typer
from typer.testing import CliRunner

from clientguard.cli import _groups, build_app


def test_every_new_app_mounts_its_own_groups() -> None:
    for _ in range(30):  # ids of freed apps are reused quickly
        app = build_app()
        r = CliRunner().invoke(app, ["invoice", "--help"])
        assert r.exit_code == 0, r.output
        del app
        gc.collect()


def test_a_reused_id_does_not_bring_another_apps_group() -> None:
    first = typer.Typer()
    sub = _groups.group(first, "eval")
    second = typer.Typer()
    assert _groups.group(second, "eval") is not sub
    assert _groups.group(first, "eval") is sub  # the same app keeps its group
