"""A store with the bundled sample chat imported, so every evidence test starts logged."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientguard.store import Store, open_store

sys.path.insert(0, str(Path(__file__).parent))
from evidence_sample import CLIENT, SAMPLE


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'cg.sqlite3'}") as st:
        st.import_paths([SAMPLE], client=CLIENT)
        yield st
