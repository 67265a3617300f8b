"""Presale screening form and contract check form: thin pages over the library calls."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from clientguard.errors import InputError, Where
from clientguard.web import fields
from clientguard.web.fields import FormError
from clientguard.web.i18n import tr, tr_optional
from clientguard.web.pages import check_csrf, form_again, lang, render, state, user, wants_json

if TYPE_CHECKING:
    from clientguard.contracts.terms import ExtractedTerms
    from clientguard.presale.model import LeadMessage
    from clientguard.store import Store

router = APIRouter()


@router.get("/presale")
def presale_form(request: Request) -> Response:
    return render(request, "presale.html", result=None, messages="", brief="")


@router.post("/presale")
async def presale(request: Request, messages: str = Form(""), brief: str = Form("")) -> Response:
    """Screen a lead; a value the user can fix shows the form again with the input (400)."""
    await check_csrf(request)
    from clientguard.presale.pipeline import screen
    from clientguard.presale.reply import load_pack

    try:
        lead = _lead_messages(fields.text(messages, "lead_messages"))
        text = fields.text(brief, "brief")
        if not lead and not text:
            raise FormError("presale_empty")
    except FormError as exc:
        return await form_again(request, exc, "presale.html", lambda: {"messages": messages, "brief": brief})
    # The verdict and reasons in the page's language, the reply in the lead's: a Russian
    # page showed "take the project", "no red flags" for an English lead.
    result = screen(lead, text, ui_lang=lang(request))
    pack = load_pack(result.ui_lang or result.lang)
    return render(request, "presale.html", result=result, pack=pack, messages=messages, brief=brief)


def _lead_messages(text: str) -> list[LeadMessage]:
    """The lead's messages, one per paragraph; a time prefix that is no real time is named."""
    from clientguard.presale.text import TimePrefixError, parse_messages

    try:
        return parse_messages(text)
    except TimePrefixError as exc:
        raise FormError("bad_prefix", "lead_messages", number=exc.number, value=exc.prefix[:40]) from None


def _client_of(store: Store, name: str) -> int:
    from sqlalchemy import select

    from clientguard.store.models import ClientRow

    with store.engine.connect() as conn:
        return int(conn.execute(select(ClientRow.id).where(ClientRow.name == name)).scalar_one())


@router.get("/contract")
def contract_form(request: Request) -> Response:
    return render(request, "contract.html", report=None)


@router.post("/contract")
async def contract(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    client: str = Form(""),
    create_client: str = Form(""),
) -> Response:
    await check_csrf(request)
    from clientguard.contracts import check_contract
    from clientguard.web.auth import allowed_clients
    from clientguard.web.jobs import known_client, visible_names

    lg = lang(request)
    # A ticked "new client" survives the form coming back for another reason (no file…).
    kept = {"offer_create": bool(create_client), "create_checked": bool(create_client)}
    try:
        owner = fields.name(client, "save_to_client")
        if owner:
            store = state(request).store
            seen = visible_names(store, allowed_clients(store, user(request)))
            known_client(store, owner, "save_to_client", bool(create_client), seen)
    except FormError as exc:
        again = {"report": None, "client": client} | kept
        again["offer_create"] = again["offer_create"] or exc.problem.startswith("unknown")
        return await form_again(request, exc, "contract.html", lambda: again)
    if file is None or not file.filename:
        if wants_json(request):
            raise HTTPException(status_code=400, detail=tr("no_file", lg))
        # The form again with the client typed, not an error page that lost it.
        again = {"report": None, "client": client, "error": tr("no_file", lg)} | kept
        return render(request, "contract.html", status_code=400, **again)
    suffix = Path(file.filename).suffix.lower()[:8]
    data = await file.read(state(request).cfg.max_upload_bytes + 1)
    if len(data) > state(request).cfg.max_upload_bytes:
        detail = fields.too_large(Path(file.filename).name, state(request).cfg.max_upload_bytes, lg)
        raise HTTPException(status_code=413, detail=detail)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"contract{suffix}"
        path.write_bytes(data)
        try:
            report = check_contract(path)
        except InputError as exc:
            # The user's file, not our temporary copy: name it as they know it. The form
            # comes back with the client typed and a contract's explanation: a chat export
            # checked here was told "not a Telegram export" on a dead-end error page.
            named = type(exc)(exc.message, Where(Path(file.filename).name, exc.where.where))
            if wants_json(request):
                raise named from None
            hint = tr_optional(f"error_contract_{exc.code}", lg) or tr_optional(f"error_{exc.code}", lg)
            shown = f"{Path(file.filename).name} — {hint}" if hint else str(named)
            return render(
                request,
                "contract.html",
                status_code=422,
                report=None,
                client=client,
                **kept,
                error=shown,
                error_detail=str(named) if hint else None,
            )
        saved = None
        if owner:
            from clientguard.contracts.repo import save_contract
            from clientguard.web.jobs import writable_client

            store = state(request).store
            existing = writable_client(store, user(request), owner, lg)
            saved = save_contract(store, owner, path, report, shown_as=Path(file.filename).name)
            if existing is None and not user(request).sees_all and user(request).id:
                from clientguard.web.auth import grant_ids

                created = _client_of(store, saved.client)
                grant_ids(store, user(request).id, [created])
    saved_id = _client_of(state(request).store, saved.client) if saved is not None else None
    return render(
        request,
        "contract.html",
        report=report,
        filename=file.filename,
        saved=saved,
        saved_id=saved_id,
        terms=_terms_rows(report.extracted, lg),
    )


def _terms_rows(extracted: ExtractedTerms, lg: str) -> list[tuple[str, str]]:
    """The terms read off the contract, as the page lists them (label, value).

    The page showed the clauses only: a user who typed a client name to save the terms was
    never told they were saved, nor which revision limit, payment days, price or hours
    the analysis would now hold the client to (the CLI prints both).
    """
    from clientguard.playbook.formatting import hours
    from clientguard.web.pages import money_text

    def count(n: int | None) -> str:
        return "—" if n is None else str(n)

    rows = [
        ("revision_limit", count(extracted.revision_limit)),
        ("payment_due_days", count(extracted.payment_due_days)),
        ("price", money_text(extracted.price, extracted.currency, lg)),
        ("working_hours", hours(extracted.working_hours, None, lg) if extracted.working_hours else "—"),
    ]
    if extracted.late_fee_percent_per_day is not None:
        from clientguard.numbers import number

        rows.append(("late_fee", number(extracted.late_fee_percent_per_day, lg)))
    elif extracted.late_fee_unread:  # a rate tied to the key rate, or with no period: why none
        rows.append(("late_fee", tr(f"late_fee_{extracted.late_fee_unread}", lg)))
    if extracted.late_fee_fixed is not None:  # "пени 500 рублей в день" was shown as nothing
        rows.append(("late_fee_fixed", extracted.late_fee_fixed.worded(lg)))
    return [(tr(key, lg), value) for key, value in rows]
