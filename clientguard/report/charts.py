"""Inline SVG charts for the HTML report: no JavaScript, no external resources.

The timeline is a stacked bar per ISO week: client messages' signals grouped by
severity (``spec/signals.md`` §1) plus the per-message conversation signals, so a
spike in a recent week is visible at a glance.
"""

from __future__ import annotations

import math
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


#: The y axis's width (px) beside the chart; a label's width per character at 12 px (a
#: little over DejaVu Sans's average, Cyrillic included) and the gap kept between labels.
_AXIS_W = 44
_LABEL_PX = 7
_LABEL_GAP = 14
#: The narrowest chart (px) on a desktop (the client page's column at 1024 px is wider) and
#: on a phone (a 360 px screen), for how many week labels fit.
_WIDE_PX = 460
_NARROW_PX = 280


def _group(signal: str) -> str:
    return SEVERITY.get(signal, "metadata")


def timeline_svg(
    weeks: Sequence[WeekPoint],
    labels: dict[str, str],
    height: int = 180,
    lang: str = "en",
) -> str:
    """A stacked-bar chart of signals per week; ``labels`` names the groups for the legend.

    Laid out in percent of its width, not in a viewBox: a 760-unit viewBox scaled to a
    420 px phone's card drew its 10-11 unit labels 4-5 px high. Now the labels keep 12 px
    (``.timeline`` in the page's and the report's CSS) at every width and the bars stretch;
    the y axis is an SVG of its own beside the chart, the legend an HTML list under it that
    wraps. Which weeks are named is decided here, without scripts: as many as fit a 460 px
    chart, and on a phone (``tl-narrow``) as many as fit 280 px, the latest week always.
    Axis numbers and tooltips are written the ``lang`` way ("2,5" in Russian).
    """
    top, bottom = 14, 26
    plot_h = height - top - bottom
    stacks = []
    for w in weeks:
        g = dict.fromkeys((name for name, _ in GROUPS), 0)
        for sig, n in w.signals.items():
            g[_group(sig)] += n
        stacks.append(g)
    peak = max((sum(s.values()) for s in stacks), default=0) or 1
    n = max(len(weeks), 1)
    slot = 100 / n  # percent of the chart's width
    bar = slot * 0.7
    ticks = [(top + plot_h * (1 - frac), number(peak * frac, lang, 1)) for frac in (0.0, 0.5, 1.0)]
    axis = [f'<svg class="tl-y" width="{_AXIS_W}" height="{height}" aria-hidden="true">']
    axis += [
        f'<text x="{_AXIS_W - 4}" y="{y + 4:.1f}" font-size="12" text-anchor="end">{v}</text>'
        for y, v in ticks
    ]
    title = escape(labels.get("title", ""))
    parts = [f'<svg class="tl-plot" role="img" aria-label="{title}" width="100%" height="{height}">']
    parts += [f'<line x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>' for y, _ in ticks]
    yearly = weeks_span_years(w.week for w in weeks)
    names = [week_label(w.week, lang, yearly) for w in weeks]
    room = _LABEL_PX * max((len(s) for s in names), default=1) + _LABEL_GAP
    step = max(1, math.ceil(n / max(1, _WIDE_PX // room)))
    narrow = step * max(1, math.ceil(math.ceil(n / max(1, _NARROW_PX // room)) / step))
    for i, (w, s) in enumerate(zip(weeks, stacks, strict=True)):
        x = i * slot + (slot - bar) / 2
        y = float(top + plot_h)
        for name, colour in GROUPS:
            v = s[name]
            if not v:
                continue
            h = plot_h * v / peak
            y -= h
            parts.append(
                f'<rect x="{x:.2f}%" y="{y:.1f}" width="{bar:.2f}%" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(week_label(w.week, lang))} ({escape(w.week)}): "
                f"{escape(labels.get(name, name))} {number(v, lang)}</title></rect>"
            )
        back = n - 1 - i  # counted from the latest week, which is always named
        if back % step == 0:
            hide = " tl-narrow" if back % narrow else ""
            parts.append(
                f'<text x="{i * slot + slot / 2:.2f}%" y="{top + plot_h + 17}" font-size="12" '
                f'class="tl-week{hide}" text-anchor="middle">{escape(names[i])}</text>'
            )
    legend = [
        f'<li><span class="tl-swatch" style="background: {colour}"></span>'
        f"{escape(labels.get(name, name))}</li>"
        for name, colour in GROUPS
    ]
    # room on the right for half the latest week's label, centred under the last bar
    pad = math.ceil(_LABEL_PX * len(names[-1]) / 2) if names else 0
    return (
        f'<div class="timeline"><div class="tl-chart" style="padding-right: {pad}px">'
        f"{''.join(axis)}</svg>{''.join(parts)}</svg></div>"
        f'<ul class="tl-legend">{"".join(legend)}</ul></div>'
    )


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
