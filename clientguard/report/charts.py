"""Inline SVG charts for the HTML report: no JavaScript, no external resources.

The timeline is a stacked bar per ISO week: client messages' signals grouped by
severity (``spec/signals.md`` §1) plus the per-message conversation signals, so a
spike in a recent week is visible at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from clientguard.analysis.model import WeekPoint
from clientguard.report.i18n import number, week_label, weeks_span_years
from clientguard.taxonomy import SEVERITY

# group → fill colour; order is the stacking order, bottom up.
GROUPS: tuple[tuple[str, str], ...] = (
    ("high", "#c0392b"),
    ("medium", "#e67e22"),
    ("low", "#f1c40f"),
    ("metadata", "#7f8c8d"),
)


def _group(signal: str) -> str:
    return SEVERITY.get(signal, "metadata")


def timeline_svg(
    weeks: Sequence[WeekPoint],
    labels: dict[str, str],
    width: int = 760,
    height: int = 220,
    lang: str = "en",
) -> str:
    """A stacked-bar SVG of signals per week; ``labels`` names the groups for the legend.

    The axis numbers are written the ``lang`` way ("2,5" in Russian).
    """
    left, right, top, bottom = 36, 10, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg class="timeline" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-label="{escape(labels.get("title", ""))}">'
    ]
    stacks = []
    for w in weeks:
        g = dict.fromkeys((name for name, _ in GROUPS), 0)
        for sig, n in w.signals.items():
            g[_group(sig)] += n
        stacks.append(g)
    peak = max((sum(s.values()) for s in stacks), default=0) or 1
    n = max(len(weeks), 1)
    slot = plot_w / n
    bar = max(1.0, slot * 0.7)
    # grid and y axis
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{number(peak * frac, lang, 1)}</text>"
        )
    step = max(1, round(n / 12))
    yearly = weeks_span_years(w.week for w in weeks)
    for i, (w, s) in enumerate(zip(weeks, stacks, strict=True)):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for name, colour in GROUPS:
            v = s[name]
            if not v:
                continue
            h = plot_h * v / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(week_label(w.week, lang))} ({escape(w.week)}): "
                f"{escape(labels.get(name, name))} {v}</title></rect>"
            )
        if i % step == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle">'
                f"{escape(week_label(w.week, lang, yearly))}</text>"
            )
    # legend
    lx = left
    for name, colour in GROUPS:
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        label = escape(labels.get(name, name))
        parts.append(f'<text x="{lx + 14}" y="{height - 5}" font-size="11">{label}</text>')
        lx += 24 + 7 * len(labels.get(name, name))
    parts.append("</svg>")
    return "".join(parts)


def risk_gauge_svg(score: int, level: str, size: int = 120) -> str:
    """A half-ring gauge 0–100 coloured by level."""
    colours = {"low": "#27ae60", "elevated": "#f1c40f", "high": "#e67e22", "critical": "#c0392b"}
    import math

    r = size / 2 - 8
    cx, cy = size / 2, size / 2 + 4
    angle = math.pi * (1 - max(0, min(100, score)) / 100)
    x, y = cx + r * math.cos(angle), cy - r * math.sin(angle)
    large = 0
    return (
        f'<svg viewBox="0 0 {size} {size / 2 + 16}" width="{size}" '
        f'class="gauge">'
        f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 0 1 {cx + r:.1f} {cy:.1f}" stroke="#eee" '
        f'stroke-width="12" fill="none"/>'
        f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 {large} 1 {x:.1f} {y:.1f}" '
        f'stroke="{colours.get(level, "#999")}" stroke-width="12" fill="none"/>'
        f'<text x="{cx:.1f}" y="{cy - 4:.1f}" font-size="24" font-weight="bold" '
        f'text-anchor="middle">{score}</text>'
        "</svg>"
    )
