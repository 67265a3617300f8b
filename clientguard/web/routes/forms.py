"""Presale screening form and contract check form: thin pages over the library calls."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from clientguard.web.i18n import tr
from clientguard.web.pages import check_csrf, lang, render, state

router = APIRouter()


@router.get("/presale")
def presale_form(request: Request) -> Response:
    return render(request, "presale.html", result=None, messages="", brief="")


@router.post("/presale")
async def presale(request: Request, messages: str = Form(""), brief: str = Form("")) -> Response:
    await check_csrf(request)
    from clientguard.presale.pipeline import screen
    from clientguard.presale.reply import load_pack
    from clientguard.presale.text import parse_messages

    if not messages.strip() and not brief.strip():
        raise HTTPException(
            status_code=400, detail=tr("lead_messages", lang(request)) + " / " + tr("brief", lang(request))
        )
    result = screen(parse_messages(messages), brief)
    pack = load_pack(result.lang)
    return render(request, "presale.html", result=result, pack=pack, messages=messages, brief=brief)


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
    suffix = Path(file.filename).suffix.lower()[:8]
    data = await file.read(state(request).cfg.max_upload_bytes + 1)
    if len(data) > state(request).cfg.max_upload_bytes:
        raise HTTPException(status_code=413, detail=tr("too_large", lg))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"contract{suffix}"
        path.write_bytes(data)
        report = check_contract(path)
        saved = None
        if client.strip():
            from clientguard.contracts.repo import save_contract

            saved = save_contract(state(request).store, client.strip(), path, report)
    return render(request, "contract.html", report=report, filename=file.filename, saved=saved)
