"""The contract re-read from the dashboard: a confirmation page, then one POST that writes it.

``clientguard contract reread`` reads a client's stored contract again with today's reader
and writes every changed term at once (all or nothing), keeping what the user set by hand,
the new version of the terms going on the evidence log. The client page said only which
command to run. Here the notice's button leads to ``GET /clients/{id}/reread``: the dry
run, every old → new and every term kept with why, written nowhere. Its form posts a
token signed by the app (the merge report's signer, another salt) that holds a digest of
what the page showed (:func:`clientguard.contracts.reread.seen`); the POST plans the
re-read again and writes it with the CLI's own writer
(:func:`clientguard.contracts.repo.put_rereads`) only when the new plan's digest is the one
shown. A contract file edited, a new contract added or the terms set by hand in between
refuse it (409), nothing written, and the page shows what the re-read would do now.

Who may: whoever may change the client's terms elsewhere in the dashboard: a contract
uploaded on the contract page may be saved to a client by owners, managers and the
specialists it is granted to (:func:`clientguard.web.jobs.writable_client`), and a
re-read writes nothing that saving the same contract again would not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clientguard.errors import ClientguardError
from clientguard.web.i18n import tr
from clientguard.web.older_reading import term_line
from clientguard.web.pages import (
    ClientId,
    check_csrf,
    error_response,
    lang,
    render,
    require_change,
    state,
    user,
)
from clientguard.web.refusals import word

if TYPE_CHECKING:
    from clientguard.contracts.reread import Reread

router = APIRouter()

#: Who may re-read a client's contract: as ``clients rename`` (a specialist: granted clients).
REREAD_ROLES: Final = ("owner", "manager", "specialist:granted")
#: What the client page says after the re-read (``?done=…``).
DONE: Final = ("terms_reread",)
#: The signer's salt for the confirmation page's token.
TOKEN_SALT: Final = "clientguard-contract-reread"
#: How long a confirmation page may be left open before its button asks to look again.
TOKEN_MAX_AGE_S: Final = 24 * 3600


def may_reread(request: Request, client_id: int) -> bool:
    """Whether the client page offers this user the re-read (the notice's button)."""
    from clientguard.web.auth import may_change

    return may_change(state(request).store, user(request), REREAD_ROLES, (client_id,))


def _plan(request: Request, name: str, take_unsure: bool) -> Reread | None:
    from clientguard.contracts.reread import plan

    return plan(state(request).store, name, take_unsure=take_unsure)


def _context(
    request: Request, client_id: int, name: str, found: Reread | None, take_unsure: bool
) -> dict[str, Any]:
    """What the confirmation page shows of ``found``: old → new, what stays and why, the token."""
    from clientguard.contracts.reread import seen

    lg = lang(request)
    if found is None:
        return {"client_id": client_id, "name": name, "found": None}
    token = request.app.state.signer.dumps(
        {"client": client_id, "seen": seen(found), "take_unsure": take_unsure}, salt=TOKEN_SALT
    )
    kept = [(term_line(c, None, lg), c.why) for c in found.kept]
    return {
        "client_id": client_id,
        "name": name,
        "found": found,
        "how": tr("reread_whole" if found.whole else "reread_quote", lg),
        "changes": [term_line(c, found.late_fee_unread, lg) for c in found.changes],
        "kept": kept,
        "unsure": any(why == "unsure" for _, why in kept),
        "take_unsure": take_unsure,
        "token": token,
    }


@router.get("/clients/{client_id}/reread")
async def reread_page(request: Request, client_id: ClientId) -> Response:
    """The dry run of ``contract reread``: nothing is written here."""
    from clientguard.web.routes.client import client_name

    name = client_name(request, client_id)  # 404 / 403
    require_change(request, REREAD_ROLES, client_id)
    take_unsure = request.query_params.get("take_unsure") == "1"
    found = await run_in_threadpool(_plan, request, name, take_unsure)
    ctx = _context(request, client_id, name, found, take_unsure)
    return render(request, "reread_confirm.html", status_code=200 if found else 404, **ctx)


@router.post("/clients/{client_id}/reread")
async def reread_write(request: Request, client_id: ClientId, token: str = Form("")) -> Response:
    """Write the re-read the confirmation page showed, or refuse it when anything changed."""
    from itsdangerous import BadSignature, SignatureExpired

    from clientguard.contracts.repo import TermsChanged, put_rereads
    from clientguard.contracts.reread import seen
    from clientguard.web.routes.client import client_name

    await check_csrf(request)
    name = client_name(request, client_id)
    require_change(request, REREAD_ROLES, client_id)
    lg = lang(request)
    try:
        facts = request.app.state.signer.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE_S)
    except SignatureExpired:
        facts, problem = None, "reread_expired"
    except BadSignature:
        facts, problem = None, "reread_not_shown"
    else:
        problem = "" if isinstance(facts, dict) and facts.get("client") == client_id else "reread_not_shown"
    take_unsure = bool(facts.get("take_unsure")) if isinstance(facts, dict) else False
    found = await run_in_threadpool(_plan, request, name, take_unsure)
    if not problem and (found is None or seen(found) != facts.get("seen")):
        problem = "reread_changed"
    if not problem and found is not None:
        try:
            await run_in_threadpool(put_rereads, state(request).store, [found])
        except TermsChanged:  # a write between this plan and the transaction's check
            problem = "reread_changed"
            found = await run_in_threadpool(_plan, request, name, take_unsure)
        except ClientguardError as exc:
            from clientguard.evidence.log import EditedBehindLogError

            status = 409 if isinstance(exc, EditedBehindLogError) else 400
            return error_response(request, status, word(exc, lg).message)
        else:
            state(request).cache.invalidate(client_id)
            return RedirectResponse(f"/clients/{client_id}?done=terms_reread#contract", status_code=303)
    status = 409 if problem == "reread_changed" else 400
    ctx = _context(request, client_id, name, found, take_unsure)
    return render(request, "reread_confirm.html", status_code=status, refused=tr(problem, lg), **ctx)
