"""The application factory: state, middleware (language, session, CSRF cookie), errors, routes.

Errors are rendered in ONE place (datasette's lesson): every exception handler goes
through :func:`~clientguard.web.pages.error_response`, which answers JSON to API clients
(``/api/…`` or ``Accept: application/json``) and a styled HTML page to browsers, with the
same text and the same security headers as every other response.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette._utils import parse_host_header
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from clientguard.errors import ClientguardError, ConfigError, InputError, NotFoundError, StorageError
from clientguard.store import open_store
from clientguard.web.auth import SESSION_DAYS, RateLimiter, session_user
from clientguard.web.fields import FormError, too_large, upload_name
from clientguard.web.i18n import pick_lang, tr
from clientguard.web.jobs import Runner
from clientguard.web.pages import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    AppState,
    LoginRequired,
    error_response,
    lang,
    secure,
    wants_json,
)
from clientguard.web.profiles import ProfileCache, cache_dir_for
from clientguard.web.settings import WebConfig

__all__ = ["create_app", "error_response", "signer", "wants_json"]

_STATUS: tuple[tuple[type[ClientguardError], int], ...] = (
    (NotFoundError, 404),
    (InputError, 422),
    (ConfigError, 400),
    (StorageError, 503),
)
# How much of an oversize upload is read to find the file's name (the form's other fields
# come first in the body, then the file part's header).
_NAME_SCAN = 64 * 1024
_PUBLIC = ("/static/", "/login", "/healthz")
# Details Starlette and FastAPI put in their own HTTP errors (whole-text patterns), and
# the i18n key that says the same in the page's language; the status code stays theirs.
_LIBRARY_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Not Found"), "not_found"),
    (re.compile(r"Method Not Allowed"), "method_not_allowed"),
    (re.compile(r"There was an error parsing the body"), "bad_form_body"),
    (re.compile(r"Field exceeded maximum size of \d+KB\."), "field_too_large"),
    (re.compile(r"Too many (fields|files)\. Maximum number of \w+ is \d+\."), "bad_form_body"),
)


def _library_detail(detail: str, lg: str) -> str:
    """The page-language text for a library's English HTTP error detail (else the detail)."""
    key = next((k for pattern, k in _LIBRARY_DETAILS if pattern.fullmatch(detail)), None)
    return tr(key, lg) if key else detail


def _validation_message(exc: RequestValidationError, lg: str) -> str:
    """A query or form value FastAPI could not convert, named as the page would."""
    first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "header", "cookie")]
    value = first.get("input")
    shown = value if isinstance(value, str) and len(value) <= 40 else "…"
    return tr("bad_param", lg).format(name=".".join(loc) or "?", value=shown)


class HostGuard:
    """Starlette's trusted-host check, with a refusal that says what to do.

    QA7: an agency's owner ran ``serve --team --host 0.0.0.0`` for the colleagues, and
    each of them got a bare "Invalid host header": the dashboard answers only the names
    in ``CLIENTGUARD_ALLOWED_HOSTS`` (DNS-rebinding protection), and nothing said so. The
    refusal now names the address used and the setting that allows it, in the
    browser's language. The check itself is the library's (exact names, ``*.domain``).
    """

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(app, allowed_hosts=allowed_hosts, www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.check.allow_any:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        parsed = parse_host_header(headers.get("host"))  # the library's own parsing (IPv6, ports)
        # "[::1]" as sent, "::1" as the default setting writes it
        host = parsed.host.lower().removeprefix("[").removesuffix("]") if parsed is not None else ""
        ok = bool(host) and any(
            host == p or (p.startswith("*.") and host.endswith(p[1:])) for p in self.check.allowed_hosts
        )
        if ok:
            await self.app(scope, receive, send)
            return
        lg = pick_lang(None, None, headers.get("accept-language"))
        text = tr("host_refused", lg).format(host=host or "?", allowed=", ".join(self.check.allowed_hosts))
        response = PlainTextResponse(text, status_code=400)
        for key, value in SECURITY_HEADERS:
            response.headers[key] = value
        await response(scope, receive, send)


def login_redirect(request: Request) -> RedirectResponse:
    """To the login form, then back to where the user was (QA7).

    ``next`` was the bare path: a filtered portfolio (``/?q=…&level=critical``) came back
    unfiltered after logging in, and a form sent with an expired session (a note, the
    logout button) came back as a GET of a POST-only address, "Method not allowed", the
    note's text lost. A GET keeps its query; any other request returns to the page the form
    was on (its same-site ``Referer``), else to the portfolio.
    """
    url = request.url
    if request.method in ("GET", "HEAD"):
        back = url.path + (f"?{url.query}" if url.query else "")
    else:
        ref = urlsplit(request.headers.get("referer", ""))
        same_site = ref.netloc == url.netloc and ref.path.startswith("/")
        back = (ref.path + (f"?{ref.query}" if ref.query else "")) if same_site else "/"
    return RedirectResponse("/login?" + urlencode({"next": back}), status_code=303)


def signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="clientguard-session")


def create_app(cfg: WebConfig) -> FastAPI:
    """Build the app for ``cfg``; the database is opened (and migrated) here, once."""
    store = open_store(cfg.db_url)
    cache_dir = cache_dir_for(cfg.upload_dir) if cfg.upload_dir else None
    st = AppState(
        cfg=cfg,
        store=store,
        cache=ProfileCache(store, cache_dir),
        runner=Runner(cfg.db_url, cfg.redis_url if cfg.team else None, cache_dir),
        limiter=RateLimiter(cfg.login_per_minute, cfg.redis_url if cfg.team else None),
    )
    sign = signer(cfg.secret or secrets.token_urlsafe(32))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        st.runner.shutdown()
        store.close()

    app = FastAPI(
        title="clientguard",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        # The body limit (``_guarded``) is the only size limit of the parser: a text field
        # too long for its form is refused by the form, which can name it (web.fields).
        form_limits={"max_part_size": cfg.max_upload_bytes},
    )
    app.state.cg = st
    app.state.signer = sign
    # A loopback server with no login must not answer a page whose DNS name was rebound to
    # 127.0.0.1 by some web site: only the configured host names are served.
    app.add_middleware(HostGuard, allowed_hosts=list(cfg.allowed_hosts))
    static = resources.files("clientguard.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    async def _guarded(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Refuse oversize bodies and anonymous team-mode requests before any route runs."""
        if request.method == "POST" and request.url.path != "/login":
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > cfg.max_upload_bytes:
                refusal = too_large(await _first_file_name(request), cfg.max_upload_bytes, lang(request))
                return error_response(request, 413, refusal)
        if cfg.team and request.state.user is None and not request.url.path.startswith(_PUBLIC):
            if wants_json(request):
                return error_response(request, 401, tr("login_required", lang(request)))
            return login_redirect(request)
        return await call_next(request)

    async def _first_file_name(request: Request) -> str:
        """The uploaded file's name, from the first kilobytes of a multipart body (the rest
        is never read): the refusal of an oversize upload names the file (QA6 W2)."""
        if "multipart/form-data" not in request.headers.get("content-type", ""):
            return ""
        head = b""
        async for chunk in request.stream():
            head += chunk
            if len(head) >= _NAME_SCAN or upload_name(head):
                break
        return upload_name(head[:_NAME_SCAN])

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
        secure(response)
        return response

    @app.exception_handler(ClientguardError)
    async def _domain_error(request: Request, exc: ClientguardError) -> Response:
        status = next((s for t, s in _STATUS if isinstance(exc, t)), 400)
        # JSON keeps the English (clients match it); a page says it in its language when
        # the error has a wording per language (clientguard.errors.Msg), as the CLI does.
        said = exc.line("en" if wants_json(request) else lang(request))
        if isinstance(exc, InputError):
            where = Path(exc.where.file).name
            return error_response(request, status, said.split(": ", 1)[1], exc.code, where)
        return error_response(request, status, said.split(": ", 1)[1], exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        lg = lang(request)
        message = _library_detail(exc.detail, lg) if isinstance(exc.detail, str) else tr("not_found", lg)
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        """A path that does not convert (``/clients/abc``, an id out of range) names no page:
        404. A query or form value that does not is the request's mistake: 400, named."""
        lg = lang(request)
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
            return error_response(request, 404, tr("not_found", lg))
        return error_response(request, 400, _validation_message(exc, lg))

    @app.exception_handler(FormError)
    async def _form_error(request: Request, exc: FormError) -> Response:
        """A form value the user can fix, raised where the form is not shown again."""
        return error_response(request, 400, exc.text(lang(request)))

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return login_redirect(request)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        # Outside the middleware (Starlette's last resort): error_response adds the headers.
        return error_response(request, 500, f"{tr('error_title', lang(request))} ({type(exc).__name__})")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    from clientguard.web.routes import (
        account,
        auth,
        client,
        forms,
        manage,
        money,
        portfolio,
        reread,
        team,
        upload,
    )

    for module in (auth, portfolio, client, money, manage, reread, upload, forms, team, account):
        app.include_router(module.router)
    return app
