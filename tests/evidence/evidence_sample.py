"""The sample chat, the client it is imported as, and the steps the evidence tests share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.evidence.log import sync
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CLIENT = "Кофейня «Пенка»"


def report(store: Store) -> VerifyReport:
    """``evidence verify`` of the sample client."""
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, CLIENT))


def sync_client(store: Store) -> int:
    """``evidence sync`` of the sample client; how many records it appended."""
    with store.engine.begin() as conn:
        return sync(conn, resolve_client(conn, CLIENT))


def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """A runner of ``clientguard`` commands on a fresh database; each must succeed."""
    from clientguard.cli import build_app

    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))

    def ok(*args: str) -> str:
        r = CliRunner().invoke(build_app(), list(args))
        assert r.exit_code == 0, r.output
        return r.output

    return ok
