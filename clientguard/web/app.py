"""The application factory: state, middleware (language, session, CSRF cookie), errors, routes.

Errors are rendered in ONE place (datasette's lesson): every exception handler goes
through :func:`error_response`, which answers JSON to API clients (``Accept:
application/json``) and a styled HTML page to browsers, with the same text.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from clientguard.errors import ClientguardError, ConfigError, InputError, NotFoundError, StorageError
from clientguard.store import open_store
from clientguard.web.auth import SESSION_DAYS, RateLimiter, session_user
from clientguard.web.i18n import pick_lang, tr
from clientguard.web.jobs import Runner
from clientguard.web.pages import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    AppState,
    LoginRequired,
    render,
)
from clientguard.web.profiles import ProfileCache
from clientguard.web.settings import WebConfig

_STATUS: tuple[tuple[type[ClientguardError], int], ...] = (
    (NotFoundError, 404),
    (InputError, 422),
    (ConfigError, 400),
    (StorageError, 503),
)
_PUBLIC = ("/static/", "/login", "/healthz")


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, message: str, code: str | None = None) -> Response:
    """The one place errors are turned into responses (JSON or HTML by ``Accept``)."""
    if wants_json(request):
        return JSONResponse(
            {"error": {"status": status, "code": code, "message": message}}, status_code=status
        )
    return render(request, "error.html", status_code=status, status=status, message=message, code=code)


def signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="clientguard-session")


def create_app(cfg: WebConfig) -> FastAPI:
    """Build the app for ``cfg``; the database is opened (and migrated) here, once."""
    store = open_store(cfg.db_url)
    st = AppState(
        cfg=cfg,
        store=store,
        cache=ProfileCache(store, (cfg.upload_dir.parent / "cache") if cfg.upload_dir else None),
        runner=Runner(cfg.db_url, cfg.redis_url if cfg.team else None),
        limiter=RateLimiter(cfg.login_per_minute, cfg.redis_url if cfg.team else None),
    )
    sign = signer(cfg.secret or secrets.token_urlsafe(32))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        st.runner.shutdown()
        store.close()

    app = FastAPI(title="clientguard", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.cg = st
    app.state.signer = sign
    # A loopback server with no login must not answer a page whose DNS name was rebound to
    # 127.0.0.1 by some web site: only the configured host names are served.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(cfg.allowed_hosts))
    static = resources.files("clientguard.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    async def _guarded(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Refuse oversize bodies and anonymous team-mode requests before any route runs."""
        if request.method == "POST" and request.url.path != "/login":
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > cfg.max_upload_bytes:
                mb = cfg.max_upload_bytes // (1024 * 1024)
                return error_response(request, 413, f"{tr('too_large', request.state.lang)} (≤ {mb} MB)")
        if cfg.team and request.state.user is None and not request.url.path.startswith(_PUBLIC):
            if wants_json(request):
                return error_response(request, 401, "login required")
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return await call_next(request)

    @app.middleware("http")
    async def context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        query_lang = request.query_params.get("lang")
        request.state.lang = pick_lang(
            query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
        )
        request.state.user = None
        csrf_cookie = request.cookies.get(CSRF_COOKIE)
        new_csrf = None
        if cfg.team:
            raw = request.cookies.get(SESSION_COOKIE)
            if raw:
                try:
                    sid = sign.loads(raw, max_age=SESSION_DAYS * 86400)
                except BadSignature:
                    sid = None
                found = session_user(store, sid) if isinstance(sid, str) else None
                if found is not None:
                    request.state.user, request.state.csrf = found
                    request.state.sid = sid
        if getattr(request.state, "csrf", None) is None:
            if not csrf_cookie:
                new_csrf = csrf_cookie = secrets.token_urlsafe(32)
            request.state.csrf = csrf_cookie
        response = await _guarded(request, call_next)
        if new_csrf:
            response.set_cookie(
                CSRF_COOKIE, new_csrf, httponly=True, samesite="strict", secure=cfg.cookie_secure
            )
        if query_lang in ("ru", "en"):
            response.set_cookie(LANG_COOKIE, query_lang, max_age=365 * 86400, samesite="lax")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        )
        return response

    @app.exception_handler(ClientguardError)
    async def _domain_error(request: Request, exc: ClientguardError) -> Response:
        status = next((s for t, s in _STATUS if isinstance(exc, t)), 400)
        return error_response(
            request,
            status,
            exc.message if not isinstance(exc, InputError) else str(exc).split(": ", 1)[1],
            exc.code,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else tr("not_found", request.state.lang)
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = tr("not_found", request.state.lang)
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(request, 422, f"{where}: {first.get('msg', 'invalid input')}")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return error_response(request, 500, f"{tr('error_title', request.state.lang)} ({type(exc).__name__})")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    from clientguard.web.routes import auth, client, forms, portfolio, team, upload

    for module in (auth, portfolio, client, upload, forms, team):
        app.include_router(module.router)
    return app
