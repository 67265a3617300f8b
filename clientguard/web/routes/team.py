"""The team view: stress load per member per week, time versus revenue, spill-over.

In team mode an owner also manages the users here, as ``clientguard user`` does and with
its functions (:mod:`clientguard.web.auth`): add one with a role and an initial password,
grant or revoke a client, change a role, remove; the team's only owner can be neither
demoted nor removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clientguard.errors import ClientguardError
from clientguard.report.i18n import week_label, weeks_span_years
from clientguard.store.lookup import live_names
from clientguard.web.auth import LOCAL_USER, ROLES, allowed_clients
from clientguard.web.i18n import tr
from clientguard.web.pages import (
    check_csrf,
    error_response,
    lang,
    render,
    require_role,
    state,
    user,
    wants_json,
)
from clientguard.web.refusals import Refusal, word
from clientguard.web.svg import bars
from clientguard.web.timelog import team_view

router = APIRouter()
PALETTE = ("#4c51bf", "#d53f8c", "#38a169", "#dd6b20", "#3182ce", "#805ad5", "#718096")
TABLE_WEEKS = 6  # the table under the chart: the latest weeks, each with its ISO year


#: What the team page says after a user form (``?done=…``); a closed set.
DONE: Final = (
    "user_added",
    "role_changed",
    "removed",
    "grant_granted",
    "grant_already",
    "grant_sees_all",
    "revoke_revoked",
    "revoke_had_none",
    "revoke_sees_all",
)


@router.get("/team")
def team(request: Request) -> Response:
    return render(request, "team.html", **_context(request))


def _admin(request: Request) -> dict[str, Any] | None:
    """The users card: for an owner in team mode only."""
    st = state(request)
    if not st.cfg.team or user(request).role != "owner":
        return None
    from clientguard.web.auth import users

    with st.store.engine.connect() as conn:
        clients = sorted(live_names(conn))  # not the rows `clients merge`/`forget` closed
    done = request.query_params.get("done")
    return {
        "users": users(st.store),
        "clients": clients,
        "roles": ROLES,
        "done": done if done in DONE else None,
    }


def _context(request: Request) -> dict[str, Any]:
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
    return {
        "view": view,
        "chart": chart,
        "palette": PALETTE,
        "table_weeks": weeks,
        "table": table,
        "admin": _admin(request),
    }


async def _manage(
    request: Request, kept: dict[str, str], change: Callable[[], str], after: str = "/team"
) -> Response:
    """An owner's change to the users, then the team page (PRG), or the page with the refusal."""
    await _guard(request)
    lg = lang(request)
    try:
        done = await run_in_threadpool(change)
    except ClientguardError as exc:
        said = word(exc, lg)
        return await _again(request, kept, said)
    if after != "/team":
        return RedirectResponse(after, status_code=303)
    return RedirectResponse(f"/team?done={done}#users", status_code=303)


async def _guard(request: Request) -> None:
    """CSRF, team mode (local mode has no users: 404), an owner (403)."""
    await check_csrf(request)
    if not state(request).cfg.team:
        raise HTTPException(status_code=404, detail=tr("account_local_mode", lang(request)))
    require_role(request, "owner")


async def _again(request: Request, kept: dict[str, str], said: Refusal, status: int = 400) -> Response:
    if wants_json(request):
        return error_response(request, status, said.message)
    ctx = await run_in_threadpool(_context, request)
    return render(
        request,
        "team.html",
        status_code=status,
        error=said.message,
        error_detail=said.detail,
        kept=kept,
        **ctx,
    )


@router.post("/team/users")
async def add_user(
    request: Request, name: str = Form(""), role: str = Form("specialist"), password: str = Form("")
) -> Response:
    """``user add``: the same checks (a role of three, a name, 8 characters, no look-alike name)."""
    from clientguard.web.auth import add_user as add

    def change() -> str:
        add(state(request).store, name, role, password)
        return "user_added"

    return await _manage(request, {"form": "add", "name": name, "role": role}, change)


@router.post("/team/users/role")
async def change_role(request: Request, name: str = Form(""), role: str = Form("")) -> Response:
    from clientguard.web.auth import set_role

    me = user(request)

    def change() -> str:
        set_role(state(request).store, name, role)
        return "role_changed"

    # an owner who made themselves a specialist may no longer open the team page
    after = "/" if name.casefold() == me.name.casefold() and role != "owner" else "/team"
    return await _manage(request, {"form": "role", "name": name}, change, after)


@router.post("/team/users/grant")
async def grant_client(request: Request, name: str = Form(""), client: str = Form("")) -> Response:
    from clientguard.web.auth import grant

    def change() -> str:
        return f"grant_{grant(state(request).store, name, client).value}"

    return await _manage(request, {"form": "grant", "name": name, "client": client}, change)


@router.post("/team/users/revoke")
async def revoke_client(request: Request, name: str = Form(""), client: str = Form("")) -> Response:
    from clientguard.web.auth import grant

    def change() -> str:
        return f"revoke_{grant(state(request).store, name, client, revoke=True).value}"

    return await _manage(request, {"form": "revoke", "name": name, "client": client}, change)


@router.post("/team/users/remove")
async def remove_user(request: Request, name: str = Form(""), confirm: str = Form("")) -> Response:
    """``user remove``, with a ticked box (a form sent without it removes nobody)."""
    from clientguard.web.auth import remove_user as remove

    if confirm != "yes":
        await _guard(request)
        said = Refusal(
            tr("form_required", lang(request)).format(field=tr("user_remove_confirm", lang(request)))
        )
        return await _again(request, {"form": "remove", "name": name}, said)

    def change() -> str:
        remove(state(request).store, name)
        return "removed"

    return await _manage(request, {"form": "remove", "name": name}, change)
