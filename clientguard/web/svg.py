"""Server-rendered SVG for the dashboard: sparklines and bar charts, no chart library.

Why SVG on the server: no JavaScript to vendor, charts appear without a round trip, and
the page stays readable with scripts off. The weekly timeline reuses the report's chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from clientguard.numbers import number
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
    height: int = 200,
    lang: str = "en",
) -> Markup:
    """Grouped bars: a group per column (an ISO week, labelled by its first day), a bar per row (member).

    Laid out in percent of the chart's width, not in a viewBox: a 1100-unit viewBox scaled to
    a 372 px phone card drew its 10.5 px labels 3.5 px high, and 8.4 px at 960. Now the
    labels keep their CSS size (``.bars``) at every width, the bars stretch, a phone labels
    every third week (``ax narrow-hide``), the y axis is an SVG of its own beside the chart
    and the legend is an HTML list under it, which wraps long names instead of running
    past the edge.
    """
    top, bottom = 10, 24
    ph = height - top - bottom
    peak = max((v for _, vs in rows for v in vs), default=0) or 1
    n = max(len(columns), 1)
    slot = 100 / n  # percent of the chart's width
    k = max(len(rows), 1)
    group = min(0.8, 0.35 + 0.15 * k)  # one member: half the slot, three or more: 80 %
    bw = slot * group / k
    ticks = [(top + ph * (1 - frac), number(round(peak * frac, 1), lang)) for frac in (0.0, 0.5, 1.0)]
    axis = [f'<svg class="bars-y" width="40" height="{height}" aria-hidden="true">']
    axis += [f'<text x="36" y="{y + 4:.1f}" class="ax" text-anchor="end">{v}</text>' for y, v in ticks]
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="100%" height="{height}">']
    parts += [f'<line x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>' for y, _ in ticks]
    yearly = weeks_span_years(columns)
    for j, col in enumerate(columns):
        x0 = j * slot + slot * (1 - group) / 2
        for i, (name, vs) in enumerate(rows):
            v = vs[j] if j < len(vs) else 0
            if not v:
                continue
            h = ph * v / peak
            parts.append(
                f'<rect x="{x0 + i * bw:.2f}%" y="{top + ph - h:.1f}" width="{bw * 0.9:.2f}%" '
                f'height="{h:.1f}" rx="1.5" fill="{colours[i % len(colours)]}"><title>{escape(name)} · '
                f"{escape(week_label(col, lang))} ({escape(col)}): {number(v, lang)}"
                "</title></rect>"
            )
        hide = " narrow-hide" if (n - 1 - j) % 3 else ""  # the latest week is always named
        parts.append(
            f'<text x="{j * slot + slot / 2:.2f}%" y="{top + ph + 16}" class="ax{hide}" '
            f'text-anchor="middle">{escape(week_label(col, lang, yearly))}</text>'
        )
    legend = [
        f'<li><span class="swatch" style="background: {colours[i % len(colours)]}"></span>{escape(name)}</li>'
        for i, (name, _) in enumerate(rows)
    ]
    return Markup(
        f'<div class="bars">{"".join(axis)}</svg>{"".join(parts)}</svg></div>'
        f'<ul class="bars-legend">{"".join(legend)}</ul>'
    )
