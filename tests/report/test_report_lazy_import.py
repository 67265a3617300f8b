"""``clientguard.report.i18n`` alone does not load the HTML report or the analysis.

Every command words its lines through ``report.i18n``; the package's ``__init__`` imported
``report.html`` (and through it the analysis) for all of them.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import clientguard.report.i18n
heavy = ("clientguard.report.html", "clientguard.analysis")
print(" ".join(sorted(m for m in sys.modules if m.startswith(heavy))))
"""


def test_i18n_imports_neither_the_html_report_nor_the_analysis() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.split() == []


def test_the_renderers_are_still_importable_from_the_package() -> None:
    from clientguard.report import render_html, write_html
    from clientguard.report.html import render_html as html_render
    from clientguard.report.html import write_html as html_write

    assert (render_html, write_html) == (html_render, html_write)
