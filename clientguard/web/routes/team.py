"""The team view: stress load per member per week, time versus revenue, spill-over."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clientguard.report.i18n import week_label, weeks_span_years
from clientguard.web.auth import LOCAL_USER, allowed_clients
from clientguard.web.i18n import tr
from clientguard.web.pages import lang, render, require_role, state, user
from clientguard.web.svg import bars
from clientguard.web.timelog import team_view

router = APIRouter()
PALETTE = ("#4c51bf", "#d53f8c", "#38a169", "#dd6b20", "#3182ce", "#805ad5", "#718096")
TABLE_WEEKS = 6  # the table under the chart: the latest weeks, each with its ISO year


@router.get("/team")
def team(request: Request) -> Response:
    st = state(request)
    if st.cfg.team:
        require_role(request, "owner", "manager")
    rows = st.cache.portfolio(allowed_clients(st.store, user(request)))
    view = team_view(st.store, {r.id: r.data | {"level": r.level} for r in rows}, LOCAL_USER.name)
    if not st.cfg.team:  # the local user is "me" in the data, "Вы"/"You" on the page
        lg = lang(request)
        me = tr("member_me", lg)
        view.stress = [(me if m == LOCAL_USER.name else m, series) for m, series in view.stress]
        for spill in view.spill:
            spill["member"] = me if spill["member"] == LOCAL_USER.name else spill["member"]
    # The chart's accessible name is the card's title ("stress" was read out on every page).
    ui = lang(request)
    chart = bars(view.stress, view.weeks, PALETTE, tr("stress_load", ui), lang=ui) if view.weeks else None
    # The table's total is the sum of the columns it shows, never of weeks it does not.
    shown = view.weeks[-TABLE_WEEKS:]
    yearly = weeks_span_years(shown)
    weeks = [(w, week_label(w, ui, yearly)) for w in shown]  # (ISO week, the day it starts)
    table = [(member, series[-TABLE_WEEKS:], sum(series[-TABLE_WEEKS:])) for member, series in view.stress]
    return render(
        request, "team.html", view=view, chart=chart, palette=PALETTE, table_weeks=weeks, table=table
    )
