"""Session fixtures shared by every test package.

Plain helpers (paths, the CI skip policy, PostgreSQL plumbing) live in
``suite_helpers.py``; import them from there, never from a conftest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import SHARED


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
