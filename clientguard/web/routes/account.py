"""``/account``: a team member changes their own password (team mode only).

The same hashing and policy as ``clientguard user passwd`` (:func:`~clientguard.web.auth.set_password`:
argon2, at least 8 characters), which ends every session of the user: the browser that
changed the password gets a new session at once, so only the user's other sessions
(another browser, a lost phone) end.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from clientguard.errors import ClientguardError
from clientguard.web.auth import authenticate, new_session, set_password
from clientguard.web.i18n import tr
from clientguard.web.pages import (
    check_csrf,
    error_response,
    lang,
    render,
    state,
    user,
    wants_json,
)
from clientguard.web.refusals import word
from clientguard.web.routes.auth import signed_in

router = APIRouter()


def _team_only(request: Request) -> None:
    if not state(request).cfg.team:
        raise HTTPException(status_code=404, detail=tr("account_local_mode", lang(request)))


@router.get("/account")
def account(request: Request) -> Response:
    _team_only(request)
    done = request.query_params.get("done") == "password"
    return render(request, "account.html", done=done, error=None)


@router.post("/account/password")
async def change_password(
    request: Request, current: str = Form(""), new: str = Form(""), repeat: str = Form("")
) -> Response:
    await check_csrf(request)
    _team_only(request)
    st = state(request)
    me = user(request)
    lg = lang(request)

    def refused(status: int, message: str, detail: str | None = None) -> Response:
        if wants_json(request):
            return error_response(request, status, message)
        return render(
            request, "account.html", status_code=status, done=False, error=message, error_detail=detail
        )

    # A guessed current password is a login attempt: the login's limit applies.
    ip = request.client.host if request.client else "?"
    if not st.limiter.hit(f"password:{ip}:{me.name.casefold()}"):
        return refused(429, tr("login_limited", lg))
    if await run_in_threadpool(authenticate, st.store, me.name, current) is None:
        return refused(400, tr("pw_wrong_current", lg))
    if new != repeat:
        return refused(400, tr("pw_mismatch", lg))
    try:
        await run_in_threadpool(set_password, st.store, me.name, new)
    except ClientguardError as exc:
        said = word(exc, lg)
        return refused(400, said.message, said.detail)
    sid, _csrf = await run_in_threadpool(new_session, st.store, me)
    return signed_in(request, sid, "/account?done=password")
