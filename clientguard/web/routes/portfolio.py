"""The portfolio: every client the user may see, riskiest first, with filter and search."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from clientguard.web.auth import allowed_clients
from clientguard.web.i18n import term, tr
from clientguard.web.pages import env, lang, render, state, user
from clientguard.web.profiles import PortfolioRow

router = APIRouter()
LEVELS = ("critical", "high", "elevated", "low")


def rows_for(request: Request, q: str = "", level: str = "") -> list[PortfolioRow]:
    st = state(request)
    rows = st.cache.portfolio(allowed_clients(st.store, user(request)))
    if level in LEVELS:
        rows = [r for r in rows if r.level == level]
    if q.strip():
        needle = q.strip().casefold()
        rows = [r for r in rows if needle in r.name.casefold()]
    return rows


@router.get("/")
def portfolio(request: Request, q: str = "", level: str = "") -> Response:
    rows = rows_for(request, q, level)
    everyone = rows if not (q or level) else rows_for(request)
    stats = {
        "clients": len(everyone),
        "at_risk": sum(1 for r in everyone if r.level in ("high", "critical")),
        "overdue": sum(int(r.data.get("overdue", 0)) for r in everyone),
    }
    st = state(request)
    lg = lang(request)
    allowed = allowed_clients(st.store, user(request))
    key = (st.cache.version(), lg, q, level, tuple(sorted(allowed)) if allowed is not None else None)

    def rows_html() -> str:
        # 500 rows with inline SVG cost more than the rest of the page: render them once per version.
        return env().get_template("_portfolio_rows.html").render(
            rows=rows, t=lambda k: tr(k, lg), term=lambda s, k: term(s, k, lg)
        )

    html = Markup(st.cache.fragment(key, rows_html))
    if request.headers.get("hx-request"):
        return HTMLResponse(html)
    return render(request, "portfolio.html", rows_html=html, q=q, level=level, levels=LEVELS, stats=stats)


@router.get("/api/clients")
def api_clients(request: Request, q: str = "", level: str = "") -> list[dict[str, Any]]:
    """The portfolio as JSON (same filters), for scripts and the headless checks."""
    return [
        {"id": r.id, "name": r.name, "score": r.score, "level": r.level, "trend": r.trend} | r.data
        for r in rows_for(request, q, level)
    ]
