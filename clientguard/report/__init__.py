"""Rendering of client profiles: a self-contained HTML report (Russian and English)."""

from __future__ import annotations

from clientguard.report.html import render_html, write_html

__all__ = ["render_html", "write_html"]
