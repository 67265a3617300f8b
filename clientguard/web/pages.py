"""What every route needs: the app state, the current user, rendering, CSRF and access checks.

Kept apart from :mod:`.app` so that route modules import helpers, never the factory.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Final
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from clientguard import config
from clientguard.errors import place_text
from clientguard.report.i18n import fill, plural, plural_form
from clientguard.store import Store
from clientguard.web.auth import LOCAL_USER, RateLimiter, User, allowed_clients
from clientguard.web.fields import FormError
from clientguard.web.i18n import term, tr, tr_optional
from clientguard.web.jobs import Runner
from clientguard.web.profiles import ProfileCache, fingerprint
from clientguard.web.settings import WebConfig
from clientguard.web.svg import LEVEL_COLOURS, sparkline

CSRF_COOKIE = "cg_csrf"
SESSION_COOKIE = "cg_session"
LANG_COOKIE = "cg_lang"

# The largest id a client row can have: the store's ``Integer`` id columns are 32-bit on
# PostgreSQL (SQLite's are wider but allocate ids one by one from 1). A client id in a URL
# is checked against it here, once for every route: a number outside it names no client,
# so the page does not exist (404), and the database never sees it (SQLite raised
# OverflowError, PostgreSQL "integer out of range").
MAX_ROW_ID: Final = 2**31 - 1
ClientId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A client's row id.")]

# Sent with every response, error pages included (:func:`secure`).
SECURITY_HEADERS: Final = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    ),
)


@dataclass
class AppState:
    """Per-process singletons, built once by the app factory."""

    cfg: WebConfig
    store: Store
    cache: ProfileCache
    runner: Runner
    limiter: RateLimiter


class LoginRequired(Exception):
    """Raised in team mode when no valid session: the handler redirects to /login."""


def state(request: Request) -> AppState:
    st: AppState = request.app.state.cg
    return st


def user(request: Request) -> User:
    """The signed-in user (local mode: the implicit owner); team mode without session → login."""
    u: User | None = getattr(request.state, "user", None)
    if u is None:
        if not state(request).cfg.team:
            return LOCAL_USER
        raise LoginRequired()
    return u


def lang(request: Request) -> str:
    value: str = getattr(request.state, "lang", "ru")
    return value


def csrf_token(request: Request) -> str:
    value: str = getattr(request.state, "csrf", "")
    return value


async def check_csrf(request: Request) -> None:
    """Every POST carries the token in the form (``csrf``) or the ``X-CSRF-Token`` header."""
    sent = request.headers.get("x-csrf-token")
    if not sent:
        # Same limit as the app's form parsing: a long field is the form's to name.
        form = await request.form(max_part_size=state(request).cfg.max_upload_bytes)
        value = form.get("csrf")
        sent = value if isinstance(value, str) else None
    expected = csrf_token(request)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail=tr("csrf_failed", lang(request)))


def wants_json(request: Request) -> bool:
    """The JSON API (``/api/…``) and clients that ask for JSON get JSON, errors included."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def secure(response: Response) -> Response:
    """Add the security headers (kept when a route set its own)."""
    for key, value in SECURITY_HEADERS:
        response.headers.setdefault(key, value)
    return response


def error_response(
    request: Request, status: int, message: str, code: str | None = None, where: str | None = None
) -> Response:
    """The one place errors are turned into responses (JSON or HTML by :func:`wants_json`).

    A coded error (``E101``…) is shown as ``where``, the file it is about, and the page
    language's explanation of its code (``error_E101`` in the i18n files), with the
    original message in a details element: the library's messages are English, like the
    CLI's. JSON keeps the original message.
    """
    if wants_json(request):
        body = {"error": {"status": status, "code": code, "message": message}}
        return secure(JSONResponse(body, status_code=status))
    page = render(
        request, "error.html", status_code=status, status=status, message=message, code=code, where=where
    )
    return secure(page)


async def form_again(
    request: Request, exc: FormError, template: str, context: Callable[[], dict[str, Any]]
) -> Response:
    """400 for a form value the user can fix: the page of the form again, with the message
    (``error``) and what the user sent (``context``, built off the event loop), or
    ``{"error": …}`` for JSON clients."""
    message = exc.text(lang(request))
    if wants_json(request):
        return error_response(request, 400, message)
    ctx = await run_in_threadpool(context)
    return render(request, template, status_code=400, error=message, **ctx)


def require_client(request: Request, client_id: int) -> None:
    """403 when the user may not open this client (specialists see granted clients only)."""
    allowed = allowed_clients(state(request).store, user(request))
    if allowed is not None and client_id not in allowed:
        raise HTTPException(status_code=403, detail=tr("forbidden", lang(request)))


def require_change(request: Request, roles: tuple[str, ...], *client_ids: int) -> None:
    """403 unless the user may make a change allowed to ``roles`` on every one of ``client_ids``.

    ``roles`` as the CLI's ``--as`` takes them (:data:`~clientguard.web.auth.RENAME_ROLES`,
    :data:`~clientguard.web.auth.CLOSE_ROLES`; :func:`~clientguard.web.auth.may_change`), so
    a form allows exactly whom ``clients rename|merge`` allow. Local mode: the one user may.
    """
    from clientguard.web.auth import may_change

    for client_id in client_ids:
        require_client(request, client_id)  # a client the user may not even open: 403 first
    if not may_change(state(request).store, user(request), roles, client_ids):
        lg = lang(request)
        names = ", ".join(tr(f"role_{r.split(':')[0]}", lg) for r in roles if ":" not in r)
        raise HTTPException(status_code=403, detail=tr("forbidden_role", lg).format(roles=names))


def acting_name(request: Request) -> str | None:
    """Who the evidence log names for a change: the team user; None for the local user,
    as the CLI names no one on a one-person database."""
    who = user(request)
    return None if who.id == LOCAL_USER.id else who.name


def require_role(request: Request, *roles: str) -> None:
    """403 naming the roles the page is for (not "no access to this client": no client here)."""
    if user(request).role not in roles:
        lg = lang(request)
        names = ", ".join(tr(f"role_{r}", lg) for r in roles)
        raise HTTPException(status_code=403, detail=tr("forbidden_role", lg).format(roles=names))


def _when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(value.astimezone(ZoneInfo(config.get("tz"))).strftime(fmt))


def money_text(value: float | None, currency: str | None, lang: str) -> str:
    """An amount with every kopeck or cent, grouped in ``lang``; "—" when unknown.

    Written as everywhere else (:func:`clientguard.numbers.money`): "45 000 ₽" / "45,000 RUB",
    the sum and its currency on one line. The pages grouped with U+202F while the drafts on
    the same page, the CLI and the report used U+00A0, so a sum copied from a table into a
    form or a letter came out in another character than the draft beside it.
    """
    if value is None:
        return "—"
    from clientguard.numbers import money

    return money(value, currency, lang)


@pass_context
def _money(ctx: Any, value: float | None, currency: str | None = None) -> str:
    """:func:`money_text` in the page's language (the template's ``lang``)."""
    return money_text(value, currency, str(ctx.get("lang") or "ru"))


@pass_context
def _num(ctx: Any, value: float | None, places: int = 2) -> str:
    """A plain number in the page's language, up to ``places`` decimals: "7,25" / "7.25".

    The team page printed hours with ``%.1f``: 7.25 h logged showed as "7.2" (and "0.0"
    with a decimal point on Russian pages), while ``clientguard time add`` said "7,25 ч".
    """
    from clientguard.report.i18n import number

    return "—" if value is None else number(value, str(ctx.get("lang") or "ru"), places)


def _count_word(n: int, key: str, lg: str) -> str:
    forms = tr(key, lg).split("|")
    return forms[min(plural_form(n, lg), len(forms) - 1)]


def clip(text: str, limit: int = 60) -> str:
    """``text`` shortened to ``limit`` characters at a word boundary, with "…" when cut.

    A quote cut with ``[:60]`` ended mid-word and without a mark ("…которые идут мимо н"),
    so a shortened quote read as the whole of what the lead wrote.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rfind(" ")
    head = head[:cut] if cut > limit // 2 else text[:limit]
    return head.rstrip(" ,;:—–-") + "…"


_SEPARATOR = re.compile(r"([/\\\-_.])(?=\w)")


def breaks(value: object) -> Markup:
    """An invoice number that may wrap after its separators only: "СЧ-<wbr>2026/<wbr>15".

    In the narrow invoices column a number must neither break inside ("1|2", the compact
    table's break-anywhere rule for names) nor push the table past its card ("СЧ-2026/15"
    held whole by ``nowrap`` ran 30 px out at 1280 px): browsers do not break between a
    hyphen or a slash and a digit on their own.
    """
    return Markup(_SEPARATOR.sub(r"\1<wbr>", str(escape(str(value)))))


def _hours(wh: Any, lg: str) -> str:
    from clientguard.playbook.formatting import hours

    return hours(wh, None, lg)


def _flag(key: str, lg: str) -> str:
    """A red flag's name: a message signal from the report's table, else a presale-only flag."""
    named = term("signals", key, lg)
    return named if named != key else tr(f"flag_{key}", lg)


@cache
def env() -> Environment:
    e = Environment(
        loader=PackageLoader("clientguard.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters["when"] = _when
    e.filters["money"] = _money
    e.filters["num"] = _num
    e.filters["clip"] = clip
    e.filters["breaks"] = breaks
    e.globals["spark"] = sparkline
    e.globals["level_colour"] = LEVEL_COLOURS
    return e


_CSRF_MARK = "\x00csrf\x00"


def _page_key(request: Request, template: str) -> tuple[object, ...]:
    st = state(request)
    u = user(request)
    allowed = allowed_clients(st.store, u)  # a new grant changes a specialist's pages
    return (
        "page",
        fingerprint(st.store),
        template,
        lang(request),
        u.id,
        u.role,
        tuple(sorted(allowed)) if allowed is not None else None,
        str(request.url.path),
        str(request.url.query),
    )


def cached_page(request: Request, template: str, build: Callable[[], dict[str, Any]]) -> HTMLResponse:
    """A page rendered once per database version, language, user and URL.

    The CSRF token is the one per-request part: pages are cached with a marker in its
    place and the request's token is put in on the way out.
    """
    st = state(request)
    key = _page_key(request, template)

    def html() -> str:
        saved = request.state.csrf
        request.state.csrf = _CSRF_MARK
        try:
            return bytes(render(request, template, **build()).body).decode("utf-8")
        finally:
            request.state.csrf = saved

    return HTMLResponse(st.cache.fragment(key, html).replace(_CSRF_MARK, csrf_token(request)))


async def cached_page_async(
    request: Request, template: str, build: Callable[[], dict[str, Any]]
) -> HTMLResponse:
    """:func:`cached_page` for async routes: a cached page is served on the event loop
    (one indexed query, no thread hop); building one goes to the thread pool, so a cold
    profile never blocks other requests."""
    hit = state(request).cache.peek(_page_key(request, template))
    if hit is not None:
        return HTMLResponse(hit.replace(_CSRF_MARK, csrf_token(request)))
    return await run_in_threadpool(cached_page, request, template, build)


def _lang_href(request: Request, other: str) -> str:
    """This page in the other language: the query kept, only ``lang`` replaced."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*kept, ("lang", other)])


def render(request: Request, template: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """Render a page with the shared context (language, user, CSRF token, nav)."""
    lg = lang(request)
    st: AppState | None = getattr(request.app.state, "cg", None)
    u: User | None = getattr(request.state, "user", None)
    if u is None and st is not None and not st.cfg.team:
        u = LOCAL_USER
    base = {
        "lang": lg,
        # ``t('job_moved', chat=…)``: a text with its placeholders filled, a name quoted once
        # where the text says ``{chat:q}`` (``.format`` would refuse that spec)
        "t": lambda key, **values: fill(tr(key, lg), lg, **values) if values else tr(key, lg),
        "term": lambda section, key: term(section, key, lg),
        "plural": lambda n, key: plural(n, key, lg),
        # A place in a file as the job row keeps it ("line 2"), in the page's language.
        "place": lambda where: place_text(str(where), lg),
        # The word under a count, from this UI's own "one|few|many" texts: the portfolio's
        # cards read "1 клиентов", "3 просроченных счетов".
        "count_word": lambda n, key: _count_word(n, key, lg),
        "flag": lambda key: _flag(key, lg),
        "quoted": lambda names: ", ".join(fill(tr("quoted_name", lg), lg, name=n) for n in names),
        # Days and times ("вт–сб с 10:00 до 19:00"): the client page showed "10:00–19:00"
        # only, the same for a Tue–Sat schedule as for Mon–Fri.
        "hours_text": lambda wh: _hours(wh, lg),
        # ``kind``: what the user meant to upload; a chat export sent as a contract is E101
        # too, and the chat wording ("not a Telegram export …") told them the opposite.
        "explain": lambda code, kind=None: (
            ((kind and tr_optional(f"error_{kind}_{code}", lg)) or tr_optional(f"error_{code}", lg))
            if code
            else None
        ),
        "user": u,
        "team": bool(st and st.cfg.team),
        "csrf": csrf_token(request),
        "path": request.url.path,
        # The language switch keeps the rest of the address: "?lang=en" alone dropped the
        # portfolio's search and level filter (?q=…&level=critical) on every switch.
        "lang_href": _lang_href(request, tr("lang_other", lg)),
        "Markup": Markup,
    }
    html = env().get_template(template).render(**base, **ctx)
    return HTMLResponse(html, status_code=status_code)
