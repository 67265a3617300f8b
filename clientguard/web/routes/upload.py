"""Upload: drag and drop an export or a contract; the import runs as a job with a progress bar."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Annotated, Any

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
    kept_upload,
    known_client,
    progress,
    settle,
    visible_names,
)
from clientguard.web.pages import AppState, check_csrf, form_again, lang, render, state, user

router = APIRouter()
_CHUNK = 1024 * 1024
_SAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _upload_root(st: AppState) -> Path:
    """Where uploads are kept, one folder each (the server's and the workers' alike)."""
    return st.cfg.upload_dir or config.data_dir() / "uploads"


def _started(request: Request, job_id: str) -> Response:
    """The answer to a form that started a job: its box (htmx), 202 (JSON) or its page."""
    if request.headers.get("hx-request"):
        return render(request, "_job.html", job=job_status(state(request).store, job_id), done=0)
    if "application/json" in request.headers.get("accept", ""):
        from fastapi.responses import JSONResponse

        return JSONResponse({"job": job_id, "status_url": f"/jobs/{job_id}"}, status_code=202)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


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
    skip_bad: str = Form(""),
) -> Response:
    """Keep the file and start its job. ``skip_bad`` (the form's "skip broken records", off
    by default as in ``clientguard import``): a chat's broken records are left out and
    listed on the job page instead of failing the whole upload; a contract ignores it."""
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
        again["skip_checked"] = bool(skip_bad)
        return await form_again(request, exc, "upload.html", lambda: again)
    if owner:  # a specialist may not add to someone else's client (the job checks the file too)
        from clientguard.web.jobs import writable_client

        writable_client(st.store, user(request), owner, lg)
    name = _SAFE.sub("_", Path(file.filename).name)[:120] or "upload"
    folder = _upload_root(st) / uuid.uuid4().hex
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
    skipping = bool(skip_bad) and kind == "chat"
    try:
        st.runner.submit(job_id, target, kind, owner or None, st.store, skip_bad=skipping)
    except QueueUnavailable as exc:
        target.unlink(missing_ok=True)
        refusal = tr("queue_refused", lg).format(url=exc.redis_url)
        raise HTTPException(status_code=503, detail=refusal) from None
    return _started(request, job_id)


@router.post("/jobs/{job_id}/again")
async def job_again(request: Request, job_id: str) -> Response:
    """The same upload imported again with broken records skipped: the job page's offer
    after a job failed on one (E102), so the user need not find and pick the file again.

    A new job (the failed one stays as it was), by whoever asks, with the checks of an
    upload: a specialist may only write to their clients. 409 when the job did not fail on
    a broken record or its file is no longer kept (the page then says to upload it again).
    """
    await check_csrf(request)
    found = _visible_job(request, job_id)
    st = state(request)
    lg = lang(request)
    kept = kept_upload(_upload_root(st), found)
    if kept is None:
        raise HTTPException(status_code=409, detail=tr("job_again_unavailable", lg))
    owner = found["client"] or None
    if owner:
        from clientguard.web.jobs import writable_client

        writable_client(st.store, user(request), owner, lg)
    again = create_job(st.store, "chat", found["filename"], owner, user(request).id or None)
    try:
        st.runner.submit(again, kept, "chat", owner, st.store, skip_bad=True)
    except QueueUnavailable as exc:  # the kept file stays: the offer holds once Redis is back
        refusal = tr("queue_refused", lg).format(url=exc.redis_url)
        raise HTTPException(status_code=503, detail=refusal) from None
    return _started(request, again)


def _visible_job(request: Request, job_id: str) -> dict[str, Any]:
    """The job, when the user may see it (the uploader, or an owner or manager); else 404."""
    st = state(request)
    found = job_status(st.store, job_id)
    u = user(request)
    if found is None or (st.cfg.team and found["user_id"] not in (u.id, None) and not u.sees_all):
        raise HTTPException(status_code=404, detail=tr("not_found", lang(request)))
    return found


def _who_is_me(request: Request, found: dict[str, Any]) -> dict[str, Any] | None:
    """What the result page says about who the user is (see :mod:`clientguard.web.who_is_me`).

    Asked again on every view, so the offer goes once an identity is stored (here, by the
    CLI or by another upload's page), and the page says who "you" now are after the form.
    """
    if found["status"] != "done" or found["kind"] == "contract":
        return None
    from clientguard.web import who_is_me

    store = state(request).store
    result = found["result"] or {}
    if request.query_params.get("done") == "me_added" and not who_is_me.unknown(store):
        mine = who_is_me.my_names(store)
        # a client the import named after the user too ("Анна, Игорь"): its name stays
        folded = {n.casefold() for n in mine}
        named = [
            str(c["name"])
            for c in result.get("clients") or []
            if folded & {part.strip().casefold() for part in str(c["name"]).split(",")}
        ]
        return {"added": mine, "clients": named}
    if not result.get("conversations") or not who_is_me.unknown(store):
        return None
    people = who_is_me.participants(store, [int(c["id"]) for c in result.get("clients") or []])
    return {"people": people} if people else None


@router.post("/jobs/{job_id}/me")
async def job_me(request: Request, job_id: str, contact: str = Form("")) -> Response:
    """``me add`` from the result page: the participant picked is the user.

    Only a participant the page offered (a contact of the job's clients) can be picked; a
    specialist only one whose messages lie in clients they may write to (team mode).
    """
    await check_csrf(request)
    found = _visible_job(request, job_id)
    from clientguard.web import who_is_me

    st = state(request)
    lg = lang(request)
    ids = [int(c["id"]) for c in (found["result"] or {}).get("clients") or []]
    people = {str(p.contact_id): p for p in who_is_me.participants(st.store, ids)}
    chosen = people.get(contact.strip())
    if found["status"] != "done" or chosen is None:
        raise HTTPException(status_code=400, detail=tr("who_is_me_unknown_person", lg))
    allowed = allowed_clients(st.store, user(request))
    if allowed is not None and not who_is_me.clients_touched(st.store, chosen) <= allowed:
        raise HTTPException(status_code=403, detail=tr("who_is_me_forbidden", lg))
    who_is_me.add(st.store, chosen)
    st.cache.invalidate()  # every client: the identity may be in any of their chats
    return RedirectResponse(f"/jobs/{job_id}?done=me_added#who-is-me", status_code=303)


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: str) -> Response:
    st = state(request)
    found = _visible_job(request, job_id)
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
    me = _who_is_me(request, found)
    again = _again(st, found)
    return render(request, template, job=found, done=done, notes=notes, waiting=waiting, me=me, again=again)


def _again(st: AppState, found: dict[str, Any]) -> str | None:
    """What a job that failed on a broken record offers: ``"kept"`` (run the same upload
    again skipping broken records), ``"gone"`` (its file is not kept: upload it again with
    the box ticked), None (it did not fail that way)."""
    if found["status"] != "failed" or not (found["result"] or {}).get("upload"):
        return None
    return "kept" if kept_upload(_upload_root(st), found) is not None else "gone"
