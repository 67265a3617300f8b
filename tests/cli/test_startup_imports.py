"""Building the command tree imports no database, importer or analysis code.

``clients`` registers ``--as`` from ``cli/_actor.py``, which imported SQLAlchemy and the
store at module level; the store pulls in the importers, the HTML report and the analysis,
so every command, ``--help`` and ``version`` included, spent about a second importing
them before doing anything (1.16 s → 0.19 s for the tree alone).
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "sqlalchemy",
    "clientguard.store",
    "clientguard.ingest",
    "clientguard.analysis",
    "clientguard.report",
)

PROBE = """
import sys
from clientguard.cli import build_app
build_app()
print("\\n".join(sorted(m for m in sys.modules if m.startswith(%r))))
"""


def test_building_the_app_imports_nothing_heavy() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == []
