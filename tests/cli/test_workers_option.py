"""``--workers 0`` is refused with the option named, instead of quietly meaning 1 (serve)
or starting no worker at all (worker)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


@pytest.mark.parametrize("command", ["serve", "worker"])
@pytest.mark.parametrize("value", ["0", "-2", "65"])
def test_workers_out_of_range_is_a_usage_error(command: str, value: str) -> None:
    result = CliRunner().invoke(build_app(), [command, "--workers", value])
    assert result.exit_code == 2
    assert "--workers" in result.output and "Traceback" not in result.output
