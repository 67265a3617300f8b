"""The client's manage page: rename it, merge it into another client (``clients rename|merge``).

A client imported twice under two names, or renamed by mistake, could be put right on the
command line only. The forms here call the very functions ``clientguard clients rename``
and ``clients merge [--renumber]`` call (:mod:`clientguard.store.lifecycle`): one write
transaction each, with its record on the evidence log, so ``evidence verify`` stays green
and a refusal is the CLI's, worded in the page's language (:mod:`clientguard.web.refusals`).
Who may: as the CLI's ``--as`` (:data:`~clientguard.web.auth.RENAME_ROLES`,
:data:`~clientguard.web.auth.CLOSE_ROLES`; :func:`~clientguard.web.pages.require_change`).
Renumbering one invoice is a money form of the client page (:mod:`.money`).
Post/Redirect/Get: a success goes to the client page (the one that stays after a merge),
which says what was done (``?done=``). A merge also says what the CLI prints
(:func:`merge_report`): the invoices renumbered (old → new, a voided one marked) and what
moved over; the facts ride in the redirect, signed (``?merge=``), so the page can be
reloaded and the report cannot be made up by a link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from clientguard.contracts.renumber import MERGE_SUFFIX
from clientguard.errors import ClientguardError
from clientguard.store.models import ClientAliasRow, ClientClosureRow, ClientRow
from clientguard.web.auth import CLOSE_ROLES, RENAME_ROLES, allowed_clients, may_change
from clientguard.web.fields import FormError
from clientguard.web.pages import (
    ClientId,
    acting_name,
    check_csrf,
    error_response,
    lang,
    render,
    require_change,
    state,
    user,
    wants_json,
)
from clientguard.web.refusals import Refusal, word

if TYPE_CHECKING:
    from clientguard.store.lifecycle import Merged

router = APIRouter()

#: What the client page says after a form here (``?done=…``): a closed set, as the money forms'.
DONE: Final = ("renamed", "merged", "merged_renumbered")
#: The signer's salt for a merge's report (the session cookie's signer, another purpose).
REPORT_SALT: Final = "clientguard-merge-report"
#: Counts the report leaves out, as ``clients merge`` does: imported files are no client's rows.
_NOT_REPORTED: Final = frozenset({"files"})


def _report_token(request: Request, into_id: int, done: Merged) -> str:
    """What ``clients merge`` prints, signed for the client page's URL."""
    counts = done.counts.as_dict()
    facts = {
        "into": into_id,
        "from": done.from_client,
        "renumbered": [[old, new, new in done.renumbered_voided] for old, new in done.renumbered],
        "counts": {k: n for k, n in counts.items() if n and k not in _NOT_REPORTED},
        "terms_dropped": done.dropped_terms,
    }
    return str(request.app.state.signer.dumps(facts, salt=REPORT_SALT))


def merge_report(request: Request, client_id: int) -> dict[str, Any] | None:
    """The report of the merge into ``client_id`` the URL carries (``?merge=``), in the page's
    language; None without one, or with one not signed here or about another client.

    ``renumbered``: (old, new, voided); ``moved``: (what, count) in the order ``clients merge``
    names them (:data:`~clientguard.evidence.closing.COUNT_KEYS`), with its words.
    """
    from itsdangerous import BadSignature

    from clientguard.evidence.closing import COUNT_KEYS
    from clientguard.report.i18n import t

    token = request.query_params.get("merge")
    if not token:
        return None
    try:
        facts = request.app.state.signer.loads(token, salt=REPORT_SALT)
    except BadSignature:
        return None
    if not isinstance(facts, dict) or facts.get("into") != client_id:
        return None
    lg = lang(request)
    counts = facts.get("counts") or {}
    return {
        "from": str(facts.get("from", "")),
        "renumbered": [(str(o), str(n), bool(voided)) for o, n, voided in facts.get("renumbered", [])],
        "moved": [(t("clients_cli", f"n_{k}", lg), int(counts[k])) for k in COUNT_KEYS if counts.get(k)],
        "terms_dropped": bool(facts.get("terms_dropped")),
    }


def _targets(request: Request, client_id: int) -> list[tuple[int, str]]:
    """The live clients this one can be merged into, by name: not itself, not a closed row
    (``clients merge``/``forget`` closed it), only clients the user may open."""
    st = state(request)
    allowed = allowed_clients(st.store, user(request))
    query = select(ClientRow.id, ClientRow.name).where(
        ClientRow.id != client_id, ClientRow.id.not_in(select(ClientClosureRow.client_id))
    )
    with st.store.engine.connect() as conn:
        rows = [(int(i), str(n)) for i, n in conn.execute(query)]
    return sorted(((i, n) for i, n in rows if allowed is None or i in allowed), key=lambda r: r[1].casefold())


def _aliases(request: Request, client_id: int) -> list[str]:
    """The names that still find the client (its old names, merged clients' names)."""
    query = select(ClientAliasRow.name).where(ClientAliasRow.client_id == client_id)
    with state(request).store.engine.connect() as conn:
        return sorted(str(n) for n in conn.execute(query).scalars())


def _context(request: Request, client_id: int, name: str) -> dict[str, Any]:
    st, who = state(request), user(request)
    may_merge = may_change(st.store, who, CLOSE_ROLES, (client_id,))
    return {
        "client_id": client_id,
        "name": name,
        "aliases": _aliases(request, client_id),
        "may_rename": may_change(st.store, who, RENAME_ROLES, (client_id,)),
        "may_merge": may_merge,
        "targets": _targets(request, client_id) if may_merge else [],
        "merge_suffix": MERGE_SUFFIX,
    }


@router.get("/clients/{client_id}/manage")
def manage_page(request: Request, client_id: ClientId) -> Response:
    from clientguard.web.routes.client import client_name

    name = client_name(request, client_id)  # 404 / 403
    return render(request, "client_manage.html", **_context(request, client_id, name))


async def _again(
    request: Request, client_id: int, name: str, form: str, kept: dict[str, str], said: Refusal, status: int
) -> Response:
    """The manage page again: the message in the form that was sent, the input kept."""
    if wants_json(request):
        return error_response(request, status, said.message)
    ctx = await run_in_threadpool(_context, request, client_id, name)
    return render(
        request,
        "client_manage.html",
        status_code=status,
        error=said.message,
        error_detail=said.detail,
        form=form,
        kept=kept,
        **ctx,
    )


async def _change(
    request: Request,
    client_id: int,
    name: str,
    form: str,
    kept: dict[str, str],
    write: Callable[[], tuple[int, str, str]],
    touched: tuple[int, ...],
) -> Response:
    """Run ``write`` (it returns the client page to go to, the ``done`` key and any more of
    the query, already encoded); PRG, or the form again with the refusal. The profile caches
    of every client ``touched`` follow."""
    from clientguard.errors import StorageError
    from clientguard.evidence.log import EditedBehindLogError

    lg = lang(request)
    try:
        goes_to, done, more = await run_in_threadpool(write)
    except FormError as exc:
        return await _again(request, client_id, name, form, kept, Refusal(exc.text(lg)), 400)
    except ClientguardError as exc:
        # a log that does not verify (a row edited behind it): the state conflicts, not the form
        status = 409 if isinstance(exc, EditedBehindLogError | StorageError) else 400
        return await _again(request, client_id, name, form, kept, word(exc, lg), status)
    cache = state(request).cache
    for cid in touched:
        cache.invalidate(cid)
    return RedirectResponse(f"/clients/{goes_to}?done={done}{more}", status_code=303)


@router.post("/clients/{client_id}/rename")
async def rename_client(request: Request, client_id: ClientId, new_name: str = Form("")) -> Response:
    """``clients rename``: the old name stays an alias (a later import under it finds the client)."""
    from clientguard.store.lifecycle import rename
    from clientguard.web.routes.client import client_name

    await check_csrf(request)
    name = client_name(request, client_id)
    require_change(request, RENAME_ROLES, client_id)
    by = acting_name(request)

    def write() -> tuple[int, str, str]:
        rename(state(request).store, name, new_name, by)
        return client_id, "renamed", ""

    return await _change(request, client_id, name, "rename", {"new_name": new_name}, write, (client_id,))


@router.post("/clients/{client_id}/merge")
async def merge_client(
    request: Request,
    client_id: ClientId,
    into: str = Form(""),
    confirm: str = Form(""),
    renumber: str = Form(""),
) -> Response:
    """``clients merge THIS INTO [--renumber]``, with a ticked box: it cannot be undone.

    The client chosen must be a live one the user may open; the merge itself is owners'
    only on a team (as ``--as``). Two invoices with one number refuse it, the page saying
    so and offering the renumber box, as the CLI names ``--renumber``.
    """
    from clientguard.store.lifecycle import merge
    from clientguard.web.routes.client import client_name

    await check_csrf(request)
    name = client_name(request, client_id)
    require_change(request, CLOSE_ROLES, client_id)
    kept = {"into": into, "renumber": renumber}
    lg = lang(request)
    targets = dict(await run_in_threadpool(_targets, request, client_id))
    chosen = int(into) if into.strip().isdigit() else None
    if chosen is None or chosen not in targets:
        said = Refusal(FormError("required", "merge_into").text(lg))
        return await _again(request, client_id, name, "merge", kept, said, 400)
    require_change(request, CLOSE_ROLES, client_id, chosen)
    if confirm != "yes":
        said = Refusal(FormError("required", "merge_confirm").text(lg))
        return await _again(request, client_id, name, "merge", kept, said, 400)
    by = acting_name(request)

    def write() -> tuple[int, str, str]:
        done = merge(state(request).store, name, targets[chosen], by, renumber=renumber == "yes")
        report = urlencode({"merge": _report_token(request, chosen, done)})
        return chosen, "merged_renumbered" if done.renumbered else "merged", f"&{report}"

    return await _change(request, client_id, name, "merge", kept, write, (client_id, chosen))
