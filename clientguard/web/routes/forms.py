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
from clientguard.web.i18n import tr
from clientguard.web.pages import check_csrf, form_again, lang, render, state, user

if TYPE_CHECKING:
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
    result = screen(lead, text)
    pack = load_pack(result.lang)
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
    request: Request, file: Annotated[UploadFile | None, File()] = None, client: str = Form("")
) -> Response:
    await check_csrf(request)
    from clientguard.contracts import check_contract

    lg = lang(request)
    if file is None or not file.filename:
        raise HTTPException(status_code=400, detail=tr("no_file", lg))
    try:
        owner = fields.name(client, "save_to_client")
    except FormError as exc:
        return await form_again(request, exc, "contract.html", lambda: {"report": None, "client": client})
    suffix = Path(file.filename).suffix.lower()[:8]
    data = await file.read(state(request).cfg.max_upload_bytes + 1)
    if len(data) > state(request).cfg.max_upload_bytes:
        raise HTTPException(status_code=413, detail=tr("too_large", lg))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"contract{suffix}"
        path.write_bytes(data)
        try:
            report = check_contract(path)
        except InputError as exc:
            # The user's file, not our temporary copy: name it as they know it.
            raise type(exc)(exc.message, Where(Path(file.filename).name, exc.where.where)) from None
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
    return render(request, "contract.html", report=report, filename=file.filename, saved=saved)
