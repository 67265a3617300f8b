"""Session fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CLIENTGUARD_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (data, fixtures, spec); tests that need it skip visibly without it."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found at {SHARED} (set CLIENTGUARD_SHARED)")
    return SHARED


@pytest.fixture()
def tmp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated data dir so no test touches the user's real database."""
    monkeypatch.setenv("CLIENTGUARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CLIENTGUARD_DB", raising=False)
    return tmp_path / "home"
