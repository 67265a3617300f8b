"""Importing the importers loads neither the HTML report nor the analysis.

``ingest/notices.py`` imported ``clientguard.report.i18n`` at module level; the
``clientguard.report`` package loads the HTML report and with it the analysis, so every
command that opens the store (``clients``, ``invoice list``, ``note list`` …) paid for
both before doing anything (about 0.2 s of a 1 s run).
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import clientguard.ingest
import clientguard.store
heavy = ("clientguard.report", "clientguard.analysis")
print("\\n".join(sorted(m for m in sys.modules if m.startswith(heavy))))
"""


def test_the_store_and_the_importers_load_no_report_or_analysis() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.split() == []
