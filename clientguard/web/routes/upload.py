"""Upload: drag and drop an export or a contract; the import runs as a job with a progress bar."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from clientguard import config
from clientguard.web import fields
from clientguard.web.auth import allowed_clients
from clientguard.web.fields import FormError
from clientguard.web.i18n import tr
from clientguard.web.import_notes import job_notes
from clientguard.web.jobs import (
    JOB_KINDS,
    QueueUnavailable,
    create_job,
    job_status,
    known_client,
    progress,
    settle,
    visible_names,
)
from clientguard.web.pages import check_csrf, form_again, lang, render, state, user

router = APIRouter()
_CHUNK = 1024 * 1024
_SAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


@router.get("/upload")
def upload_form(request: Request) -> Response:
    limit = fields.size_text(state(request).cfg.max_upload_bytes, lang(request))
    return render(request, "upload.html", max_size=limit)


@router.post("/upload")
async def upload(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    kind: str = Form("chat"),
    client: str = Form(""),
    create_client: str = Form(""),
) -> Response:
    await check_csrf(request)
    st = state(request)
    lg = lang(request)
    if file is None or not file.filename:
        raise HTTPException(status_code=400, detail=tr("no_file", lg))
    try:
        kind = fields.choice(kind, "upload_kind", JOB_KINDS)
        owner = fields.name(client, "client_name")
        if kind == "contract" and not owner:
            raise FormError("client_required")
        if kind == "contract":
            seen = visible_names(st.store, allowed_clients(st.store, user(request)))
            known_client(st.store, owner, "client_name", bool(create_client), seen)
    except FormError as exc:
        limit = fields.size_text(st.cfg.max_upload_bytes, lg)
        offer = bool(create_client) or exc.problem.startswith("unknown")
        again = {"max_size": limit, "kind": kind, "client": client, "offer_create": offer}
        again["create_checked"] = bool(create_client)
        return await form_again(request, exc, "upload.html", lambda: again)
    if owner:  # a specialist may not add to someone else's client (the job checks the file too)
        from clientguard.web.jobs import writable_client

        writable_client(st.store, user(request), owner, lg)
    name = _SAFE.sub("_", Path(file.filename).name)[:120] or "upload"
    folder = (st.cfg.upload_dir or config.data_dir() / "uploads") / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := await file.read(_CHUNK):
            size += len(chunk)
            if size > st.cfg.max_upload_bytes:
                out.close()
                target.unlink()
                refusal = fields.too_large(Path(file.filename).name, st.cfg.max_upload_bytes, lg)
                raise HTTPException(status_code=413, detail=refusal)
            out.write(chunk)
    job_id = create_job(st.store, kind, name, owner or None, user(request).id or None)
    try:
        st.runner.submit(job_id, target, kind, owner or None, st.store)
    except QueueUnavailable as exc:
        target.unlink(missing_ok=True)
        refusal = tr("queue_refused", lg).format(url=exc.redis_url)
        raise HTTPException(status_code=503, detail=refusal) from None
    if request.headers.get("hx-request"):
        return render(request, "_job.html", job=job_status(st.store, job_id), done=0)
    if "application/json" in request.headers.get("accept", ""):
        from fastapi.responses import JSONResponse

        return JSONResponse({"job": job_id, "status_url": f"/jobs/{job_id}"}, status_code=202)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: str) -> Response:
    st = state(request)
    found = job_status(st.store, job_id)
    u = user(request)
    if found is None or (st.cfg.team and found["user_id"] not in (u.id, None) and not u.sees_all):
        raise HTTPException(status_code=404, detail=tr("not_found", lang(request)))
    found, waiting = settle(st.store, st.runner, found)
    done = progress(job_id, st.runner.redis_url)
    if found["status"] == "done":
        st.cache.invalidate()
    accept = request.headers.get("accept", "")
    if "application/json" in accept and "text/html" not in accept:
        from fastapi.responses import JSONResponse

        return JSONResponse(found | {"progress": done, "waiting": waiting})
    template = "_job.html" if request.headers.get("hx-request") else "job.html"
    notes = job_notes(found["result"], lang(request)) if found["status"] == "done" else []
    return render(request, template, job=found, done=done, notes=notes, waiting=waiting)
