"""Rendering of client profiles: a self-contained HTML report (Russian and English).

``render_html`` and ``write_html`` are loaded on first use: every command words its
lines through :mod:`clientguard.report.i18n`, and importing this package for that used
to load the HTML report (and through it the analysis) as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientguard.report.html import render_html, write_html

__all__ = ["render_html", "write_html"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from clientguard.report import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
