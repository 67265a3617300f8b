"""Login and logout (team mode): rate-limited, CSRF-protected, signed session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from clientguard.web.auth import SESSION_DAYS, authenticate, end_session, new_session
from clientguard.web.i18n import tr
from clientguard.web.pages import SESSION_COOKIE, check_csrf, lang, render, state

router = APIRouter()


def _safe_next(value: str) -> str:
    """Only local paths: no open redirect to another site."""
    return value if value.startswith("/") and not value.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The login form; with a session cookie that no longer opens a session, says so.

    QA7: a user whose session expired, or ended because the owner set a new password
    (``user passwd``) or removed them, landed on a bare login form mid-work and could not
    tell a lapse from a fault. The dead cookie is dropped.
    """
    if not state(request).cfg.team:
        return RedirectResponse("/", status_code=303)
    ended = SESSION_COOKIE in request.cookies and getattr(request.state, "user", None) is None
    response = render(
        request, "login.html", next=_safe_next(next), error=None,
        notice=tr("session_ended", lang(request)) if ended else None,
    )  # fmt: skip
    if ended:
        response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/login")
async def login(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    await check_csrf(request)
    st = state(request)
    lg = lang(request)
    ip = request.client.host if request.client else "?"

    def refused(status: int, error: str) -> Response:
        # The form comes back with the name kept (QA pass 6 N12) and the reason.
        return render(
            request, "login.html", status_code=status, next=_safe_next(next), error=tr(error, lg),
            username=username.strip(),
        )  # fmt: skip

    if not st.limiter.hit(f"{ip}:{username.strip().casefold()}"):
        return refused(429, "login_limited")
    found = authenticate(st.store, username.strip(), password)
    if found is None:
        return refused(401, "login_failed")
    sid, _csrf = new_session(st.store, found)
    return signed_in(request, sid, _safe_next(next))


def signed_in(request: Request, sid: str, to: str) -> RedirectResponse:
    """A redirect to ``to`` carrying the session cookie of ``sid`` (login, a password change)."""
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.signer.dumps(sid),
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=state(request).cfg.cookie_secure,
    )
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await check_csrf(request)
    sid = getattr(request.state, "sid", None)
    if sid:
        end_session(state(request).store, sid)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
