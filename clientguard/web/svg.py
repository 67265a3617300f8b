"""Server-rendered SVG for the dashboard: sparklines and bar charts, no chart library.

Why SVG on the server: no JavaScript to vendor, charts appear without a round trip, and
the page stays readable with scripts off. The weekly timeline reuses the report's chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from clientguard.report.i18n import week_label, weeks_span_years

LEVEL_COLOURS = {"low": "#1f9d55", "elevated": "#d69e2e", "high": "#dd6b20", "critical": "#c53030"}


def sparkline(values: Sequence[float], level: str = "low", width: int = 96, height: int = 26) -> Markup:
    """A small line of the weekly signal weight, last point dotted; flat when empty."""
    colour = LEVEL_COLOURS.get(level, "#718096")
    if not values:
        y = height - 3
        return Markup(
            f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-hidden="true"><line x1="2" x2="{width - 2}" y1="{y}" y2="{y}" stroke="#cbd5e0" '
            'stroke-width="1.5"/></svg>'
        )
    peak = max(values) or 1.0
    n = len(values)
    step = (width - 6) / max(n - 1, 1)
    pts = [(3 + i * step, height - 3 - (height - 6) * v / peak) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    area = f"3,{height - 3} {path} {pts[-1][0]:.1f},{height - 3}"
    lx, ly = pts[-1]
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true"><polygon points="{area}" fill="{colour}" fill-opacity="0.12"/>'
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6" '
        f'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.4" fill="{colour}"/></svg>'
    )


def bars(
    rows: Sequence[tuple[str, Sequence[float]]],
    columns: Sequence[str],
    colours: Sequence[str],
    title: str,
    width: int = 1100,
    height: int = 230,
    lang: str = "en",
) -> Markup:
    """Grouped bars: a group per column (an ISO week, labelled by its first day), a bar per row (member)."""
    left, right, top, bottom = 34, 10, 12, 44
    pw, ph = width - left - right, height - top - bottom
    peak = max((v for _, vs in rows for v in vs), default=0) or 1
    n = max(len(columns), 1)
    slot = pw / n
    k = max(len(rows), 1)
    bw = min(36.0, max(2.0, slot * 0.8 / k))
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        'width="100%">'
    ]
    for frac in (0.0, 0.5, 1.0):
        y = top + ph * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>')
        parts.append(
            f'<text x="{left - 5}" y="{y + 4:.1f}" class="ax" text-anchor="end">'
            f"{round(peak * frac, 1):g}</text>"
        )
    every = max(1, round(n / 10))
    yearly = weeks_span_years(columns)
    for j, col in enumerate(columns):
        x0 = left + j * slot + (slot - bw * k) / 2
        for i, (name, vs) in enumerate(rows):
            v = vs[j] if j < len(vs) else 0
            if not v:
                continue
            h = ph * v / peak
            parts.append(
                f'<rect x="{x0 + i * bw:.1f}" y="{top + ph - h:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" '
                f'rx="1.5" fill="{colours[i % len(colours)]}"><title>{escape(name)} · '
                f"{escape(week_label(col, lang))} ({escape(col)}): {v:g}"
                "</title></rect>"
            )
        if j % every == 0:
            parts.append(
                f'<text x="{left + j * slot + slot / 2:.1f}" y="{top + ph + 14}" class="ax" '
                f'text-anchor="middle">{escape(week_label(col, lang, yearly))}</text>'
            )
    lx = left
    for i, (name, _) in enumerate(rows):
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="10" height="10" rx="2" '
            f'fill="{colours[i % len(colours)]}"/>'
        )
        parts.append(f'<text x="{lx + 14}" y="{height - 5}" class="lg">{escape(name)}</text>')
        lx += 30 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))
