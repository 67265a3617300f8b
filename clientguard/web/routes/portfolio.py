"""The portfolio: every client the user may see, riskiest first, with filter and search."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from clientguard.report.i18n import plural
from clientguard.web import fields
from clientguard.web.auth import allowed_clients
from clientguard.web.i18n import term, tr
from clientguard.web.pages import cached_page_async, env, lang, state, user
from clientguard.web.profiles import PortfolioRow

router = APIRouter()
LEVELS = ("critical", "high", "elevated", "low")
PAGE = 100


def checked_level(level: str) -> str:
    """The level filter: blank for all, else one of :data:`LEVELS`; a typo is a 400
    (``?level=hihg`` listed every client, as if no filter had been asked for)."""
    return fields.choice(level, "level", LEVELS) if level else ""


def rows_for(request: Request, q: str = "", level: str = "") -> list[PortfolioRow]:
    st = state(request)
    rows = st.cache.portfolio(allowed_clients(st.store, user(request)))
    if level in LEVELS:
        rows = [r for r in rows if r.level == level]
    if q.strip():
        rows = [r for r in rows if matches(q, r.name)]
    return rows


_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def search_words(text: str) -> list[str]:
    """A name as search compares it: case, «quotes», punctuation and ё/е do not matter.

    "Кофейня Пенка" found nothing for the client «Кофейня «Пенка»», nor "Семен" for
    "Семён": a Russian user rarely types guillemets or ё.
    """
    return _PUNCT.sub(" ", text.casefold().replace("ё", "е")).split()


def matches(query: str, name: str) -> bool:
    """Every word of the query is part of a word of the name, in any order; or, as before,
    the query is a piece of the name as typed."""
    if query.strip().casefold() in name.casefold():
        return True
    have = search_words(name)
    return all(any(w in h for h in have) for w in search_words(query))


@router.get("/")
async def portfolio(request: Request, q: str = "", level: str = "", offset: int = 0) -> Response:
    lg = lang(request)
    offset = max(0, offset)
    level = checked_level(level)

    def rows_html() -> str:
        # A page of rows, riskiest first; the rest loads on demand ("show more", HTMX or a link).
        rows = rows_for(request, q, level)
        more = max(0, len(rows) - offset - PAGE)
        query = urlencode({"q": q, "level": level, "offset": offset + PAGE})
        return (
            env()
            .get_template("_portfolio_rows.html")
            .render(
                rows=rows[offset : offset + PAGE],
                more=more,
                more_url=f"/?{query}",
                first=offset == 0,
                # Nothing matched the search or level: not "no clients yet, upload one".
                filtered=bool(q.strip() or level),
                q=q.strip(),
                level_name=term("levels", level, lg) if level else "",
                lang=lg,  # amounts are grouped in the page's language
                t=lambda k: tr(k, lg),
                term=lambda s, k: term(s, k, lg),
                plural=lambda n, key: plural(n, key, lg),
            )
        )

    if request.headers.get("hx-request"):
        return HTMLResponse(await run_in_threadpool(rows_html))

    def context() -> dict[str, Any]:
        everyone = rows_for(request)
        stats = {
            "clients": len(everyone),
            "at_risk": sum(1 for r in everyone if r.level in ("high", "critical")),
            "overdue": sum(int(r.data.get("overdue", 0)) for r in everyone),
        }
        return {"rows_html": Markup(rows_html()), "q": q, "level": level, "levels": LEVELS, "stats": stats}

    return await cached_page_async(request, "portfolio.html", context)


@router.get("/api/clients")
def api_clients(request: Request, q: str = "", level: str = "") -> list[dict[str, Any]]:
    """The portfolio as JSON (same filters), for scripts and the headless checks."""
    level = checked_level(level)
    return [
        {"id": r.id, "name": r.name, "score": r.score, "level": r.level, "trend": r.trend} | r.data
        for r in rows_for(request, q, level)
    ]
