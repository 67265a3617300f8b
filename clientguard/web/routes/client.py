"""The client page: risk, timeline, archetype cards with evidence, contacts, contract, replies, notes.

The client's calls outside working time (``off_hours_message`` details) appear where late
messages do: as archetype-card evidence and among the flagged items ("звонок в 02:14 (сб)").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from markupsafe import Markup
from sqlalchemy import Connection, select

from clientguard.analysis.archetypes import MIN_RATE
from clientguard.analysis.export import profile_to_dict
from clientguard.analysis.flags import conversation_marks, forwarded_flags, message_flags
from clientguard.analysis.model import AnalyzedMessage, ClientProfile
from clientguard.errors import ClientguardError
from clientguard.report.charts import timeline_svg
from clientguard.report.html import (
    evidence_marks,
    highlight,
    off_hours_calls,
    quote_why,
    render_marks,
    sender_line,
)
from clientguard.report.i18n import call_text, call_time
from clientguard.store.models import ClientRow
from clientguard.web import fields
from clientguard.web.auth import LOCAL_USER
from clientguard.web.fields import FormError
from clientguard.web.i18n import term, tr
from clientguard.web.pages import (
    ClientId,
    cached_page_async,
    check_csrf,
    form_again,
    lang,
    render,
    require_client,
    state,
    user,
)

router = APIRouter()
MAX_QUOTES = 5
#: The same note (text, kind, day) sent again this soon is the same submission (a double
#: click, a resubmitted form): the evidence log is append-only, so a copy could never go.
NOTE_REPEAT_WINDOW = timedelta(minutes=10)
MAX_FLAGGED = 60
MAX_REPLIES = 4


def _order(when: datetime | None) -> float:
    """A sort key mixing message and call times (undated last, never a comparison error)."""
    return when.timestamp() if when is not None else float("inf")


def client_name(request: Request, client_id: int) -> str:
    """The client's name; 404 for no client or a closed one (merged, erased), 403 for one
    the user may not open. The row a merge or an erasure keeps for its evidence chain is no
    client: its forms (rename, merge, money) must not reach it."""
    from clientguard.store.models import ClientClosureRow

    live = ClientRow.id.not_in(select(ClientClosureRow.client_id))
    with state(request).store.engine.connect() as conn:
        name = conn.execute(select(ClientRow.name).where(ClientRow.id == client_id, live)).scalar()
    if name is None:
        raise HTTPException(status_code=404, detail=tr("not_found", lang(request)))
    require_client(request, client_id)
    return str(name)


def _quote(
    m: AnalyzedMessage, labels: tuple[str, ...] | None, extra: list[str], lg: str,
    shown: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """A quoted message, its marks titled with why in ``lg``; ``shown``: the tags under it
    (its labels and ``extra`` when None), each with its why lines (the report's)."""
    marks = evidence_marks(m.text, m, labels)
    tags = list(m.labels) + extra if shown is None else list(shown)
    return {
        "id": m.id,
        "who": sender_line(m, lg),  # a client's forward is marked: shown, not counted
        "when": m.timestamp,
        "html": render_marks(m.text, marks, lg),
        "labels": tags,
        **quote_why(m.text, m, marks, tags, lg),
    }


def _flagged_quote(m: AnalyzedMessage, labels: tuple[str, ...], lg: str) -> dict[str, Any]:
    """A flagged message with the labels :func:`message_flags` gives it (the export's too)."""
    return _quote(m, None, [], lg, labels)


def _call_quote(d: dict[str, str], lg: str) -> dict[str, Any]:
    """A call shaped like a quoted message (no chat link: a call has no message to open)."""
    return {
        "id": d["source_id"],
        "who": d.get("who", ""),
        "when": call_time(d),
        "html": Markup('<span class="call">{}</span>').format(call_text(d, lg)),
        "labels": ["off_hours_message"],
        "call": True,
        **quote_why("", None, [], ["off_hours_message"], lg),
    }


def _replies(request: Request, name: str, prof: ClientProfile, lg: str) -> list[dict[str, str]]:
    """The reply drafts that fit the recommendation, filled with what the store knows."""
    try:
        from clientguard.analysis.pipeline import fitting_replies
        from clientguard.playbook import render_reply
        from clientguard.playbook.facts import ReplyFacts
        from clientguard.playbook.store_facts import facts_from_store, revision_facts
    except ImportError:
        return []
    try:
        # The same list `analyze` prints (payment ladder narrowed to the rung reached, no
        # "revision limit reached" without a known limit), not a second selection.
        chosen = fitting_replies(prof, lg)[:MAX_REPLIES]
        facts = facts_from_store(state(request).store, name).with_defaults(
            ReplyFacts(**revision_facts(prof.revisions, lg))
        )
        return [
            {"id": sid, "title": title, "text": render_reply(sid, facts, "neutral", lg)}
            for sid, title in chosen
        ]
    except ClientguardError:
        return []


def _contract(request: Request, name: str, lg: str) -> dict[str, Any] | None:
    try:
        from clientguard.contracts.repo import terms_record
        from clientguard.store.models_contracts import ContractRow
    except ImportError:
        return None
    record = terms_record(state(request).store, name)
    if record is None:
        return None
    with state(request).store.engine.connect() as conn:
        rep = conn.execute(
            select(ContractRow.report)
            .join(ClientRow, ClientRow.id == ContractRow.client_id)
            .where(ClientRow.name == record.client)
            .order_by(ContractRow.id.desc())
        ).first()
    clauses = list((rep[0] or {}).get("clauses", [])) if rep else []
    fixed = record.late_fee_fixed  # "500 ₽ за каждый день просрочки": shown as `contract show` words it
    fee = None if fixed is None else fixed.worded(lg)
    return {"terms": record.terms, "source": record.source, "clauses": clauses, "fixed_fee": fee}


def _older_reading(request: Request, name: str, lg: str) -> Any:
    """The contract card's notice when stored terms are an older reading, and the invoices'
    when the late fee is (:mod:`clientguard.web.older_reading`, as ``contract show`` tells
    it); or None."""
    try:
        from clientguard.web.older_reading import older_reading
    except ImportError:
        return None
    return older_reading(state(request).store, name, lg)


def _evidence(request: Request, client_id: int) -> dict[str, Any] | None:
    try:
        from clientguard.evidence.notes import notes
        from clientguard.evidence.verify import verify_client
    except ImportError:
        return None
    with state(request).store.engine.connect() as conn:
        report = verify_client(conn, client_id, cross_check=True)
        return {
            "ok": report.ok,
            "records": report.records,
            "head": report.head_hash[:16],
            "problems": len(report.problems),
            "notes": notes(conn, client_id),
        }


def _body(request: Request, client_id: int, name: str, lg: str) -> dict[str, Any]:
    prof = state(request).cache.profile(client_id, name)
    by_id = {m.id: m for m in prof.messages}
    per_msg = conversation_marks(prof)
    calls = off_hours_calls(prof)
    def card(a: Any) -> dict[str, Any]:
        quotes = [
            _call_quote(calls[mid], lg)
            if mid in calls
            else _quote(by_id[mid], a.kinds, per_msg.get(mid, []), lg)
            for mid in a.evidence[:MAX_QUOTES]
            if mid in by_id or mid in calls
        ]
        return {"hit": a, "quotes": quotes, "more": max(0, len(a.evidence) - MAX_QUOTES)}

    cards = [card(a) for a in prof.archetypes]
    # A high or critical risk no archetype explains: the page said "no archetypes" beside it;
    # its leading patterns are shown as emerging, as the HTML report shows them.
    early = [] if cards else [card(a) for a in prof.emerging]
    # The flagged messages and their labels are the dispute export's too (message_flags).
    flags = message_flags(prof)
    flagged_all = [by_id[mid] for mid in flags]
    # Calls join the flagged messages in time order; the page lists the newest first.
    items: list[tuple[float, Any]] = [(_order(m.timestamp), m) for m in flagged_all]
    items += [(_order(call_time(d)), d) for d in calls.values()]
    items.sort(key=lambda x: x[0])
    flagged = [
        _flagged_quote(x, flags[x.id], lg) if isinstance(x, AnalyzedMessage) else _call_quote(x, lg)
        for _, x in items[-MAX_FLAGGED:]
    ][::-1]
    # A client's forwards with labels: left out of the flagged count (not the client's
    # words), listed apart so the page hides none of them.
    fwd = forwarded_flags(prof)
    forwarded = [_flagged_quote(by_id[mid], fwd[mid], lg) for mid in list(fwd)[-MAX_FLAGGED:]][::-1]
    labels = {
        "high": term("ui", "severity_high", lg),
        "medium": term("ui", "severity_medium", lg),
        "low": term("ui", "severity_low", lg),
        "metadata": term("ui", "metadata", lg),
        "title": tr("timeline", lg),
    }
    return {
        "p": prof,
        "cards": cards,
        "early": early,
        "threshold": f"{MIN_RATE:.0%}",
        "flagged": flagged,
        "flagged_total": len(items),
        "forwarded": forwarded,
        "forwarded_total": len(fwd),
        "timeline": Markup(timeline_svg(prof.weekly[-26:], labels, lang=lg)),
        "messages_total": len(prof.messages),
    }


def _money(request: Request, name: str) -> dict[str, Any] | None:
    try:
        from clientguard.web.routes.money import money_context
    except ImportError:
        return None
    return money_context(state(request).store, name)


def _invoices_today(request: Request, name: str, today: date) -> tuple[Any, ...]:
    """The invoice table's rows as of ``today``: what ``invoice list``, the money forms and
    the reply drafts (``store_facts``) count, so the page and its drafts agree.

    The table showed the profile's rows, judged as of the chat's last message (15 days
    overdue) beside a draft written as of today (441 days). A draft is sent today and the
    money forms judge today, so the table does too; the risk analysis keeps the chat's
    date (``analyze`` reads a chat as of its end), and the table's hint says both dates.
    """
    from clientguard.analysis.records import invoice_status
    from clientguard.analysis.stored import case_for

    return invoice_status(case_for(state(request).store, name), today)


def page_context(request: Request, client_id: int, name: str) -> dict[str, Any]:
    """Everything the client page shows (memoised per database version, language and day:
    the invoices and drafts count overdue days as of today)."""
    from clientguard.contracts.renumber import MERGE_SUFFIX
    from clientguard.web.routes.manage import DONE as MANAGED
    from clientguard.web.routes.manage import merge_report
    from clientguard.web.routes.money import DONE, may_write_money
    from clientguard.web.routes.reread import DONE as REREAD
    from clientguard.web.routes.reread import may_reread

    lg = lang(request)
    today = date.today()

    def build() -> dict[str, Any]:
        body = _body(request, client_id, name, lg)
        return body | {
            "replies": _replies(request, name, body["p"], lg),
            "contract": _contract(request, name, lg),
            "older": _older_reading(request, name, lg),
            "evidence": _evidence(request, client_id),
            "money": _money(request, name),
            "invoices": _invoices_today(request, name, today),
            "invoices_as_of": today,
        }

    ctx = state(request).cache.memo(client_id, f"page:{lg}:{today.isoformat()}", build)
    done = request.query_params.get("done")
    return ctx | {
        "client_id": client_id,
        "name": name,
        "done": done if done in DONE or done in MANAGED or done in REREAD else None,
        "money_writer": may_write_money(request),
        "may_reread": may_reread(request, client_id),
        "time_log_mark": Markup(TIME_LOG_MARK),
        "merge_suffix": MERGE_SUFFIX,  # named by the "merged" line (`clients merge --renumber`)
        "merge_report": merge_report(request, client_id) if done in MANAGED else None,
    }


#: Where the client page's time log goes: the page is cached per database version, which
#: time entries are no part of, so the log is put in on the way out (one indexed query),
#: fresh in every server process whoever logged the hours (the web, ``time add``).
TIME_LOG_MARK = "<!--cg:time-log-->"
TIME_LOG_ROWS = 5


def with_time_log(request: Request, client_id: int, page: HTMLResponse) -> HTMLResponse:
    """``page`` with the client's time log in place of :data:`TIME_LOG_MARK`.

    Served with every client page, cached or not (about a millisecond: one query, a
    small template, a bytes replace), so it stays on the event loop like the page.
    """
    body = bytes(page.body)
    mark = TIME_LOG_MARK.encode()
    if mark not in body:
        return page
    from sqlalchemy import func

    from clientguard.report.i18n import plural_form
    from clientguard.store.models_web import TimeEntryRow
    from clientguard.web.pages import env
    from clientguard.web.timelog import duration

    e = TimeEntryRow
    # one round trip: the latest entries with the client's total and count beside them
    query = (
        select(e.day, e.member, e.hours, e.note, func.sum(e.hours).over(), func.count(e.id).over())
        .where(e.client_id == client_id)
        .order_by(e.day.desc(), e.id.desc())
        .limit(TIME_LOG_ROWS)
    )
    with state(request).store.engine.connect() as conn:
        rows = conn.execute(query).all()
    total, count = (float(rows[0][4]), int(rows[0][5])) if rows else (0.0, 0)
    lg = lang(request)
    me = tr("member_me", lg)
    words = tr("time_entries_word", lg).split("|")  # one|few|many
    entries = [
        {
            "day": r.day,
            "member": me if r.member == "me" else r.member,
            "hours": duration(float(r.hours), lg),
            "note": r.note,
        }
        for r in rows
    ]
    block = (
        env()
        .get_template("_time_log.html")
        .render(
            lang=lg,
            t=lambda key: tr(key, lg),
            entries_word=words[min(plural_form(count, lg), len(words) - 1)],
            total=duration(total, lg),
            count=count,
            entries=entries,
        )
    )
    return HTMLResponse(body.replace(mark, block.encode()), status_code=page.status_code)


@router.get("/clients/{client_id}")
async def client_page(request: Request, client_id: ClientId) -> Response:
    name = client_name(request, client_id)
    page = await cached_page_async(request, "client.html", lambda: page_context(request, client_id, name))
    return with_time_log(request, client_id, page)


@router.get("/api/clients/{client_id}")
def client_json(request: Request, client_id: ClientId) -> dict[str, Any]:
    """The profile in the JSON shape of ``clientguard analyze --json``."""
    name = client_name(request, client_id)
    return profile_to_dict(state(request).cache.profile(client_id, name), lang(request))


@router.get("/clients/{client_id}/messages/{message_id}")
def message_context(request: Request, client_id: ClientId, message_id: str) -> Response:
    """A message with its neighbours (HTMX fragment, or a page without JS)."""
    name = client_name(request, client_id)
    prof = state(request).cache.profile(client_id, name)
    idx = next((i for i, m in enumerate(prof.messages) if m.id == message_id), None)
    if idx is None:
        raise HTTPException(status_code=404, detail=tr("not_found", lang(request)))
    around = [
        {"m": m, "html": highlight(m.text, m, lang=lang(request)), "focus": i == idx}
        for i, m in enumerate(prof.messages[max(0, idx - 3) : idx + 4], start=max(0, idx - 3))
    ]
    template = "_context.html" if request.headers.get("hx-request") else "context.html"
    return render(request, template, around=around, client_id=client_id, name=name)


@router.post("/clients/{client_id}/notes")
async def add_note(
    request: Request,
    client_id: ClientId,
    text: str = Form(""),
    kind: str = Form("agreement"),
    day: str = Form(""),
) -> Response:
    """Write an oral agreement down; a value the user can fix shows the page again (400)."""
    await check_csrf(request)
    name = client_name(request, client_id)
    from clientguard.evidence.notes import NOTE_KINDS
    from clientguard.evidence.notes import add_note as add

    try:
        checked = fields.text(text, "note_text", required=True)
        occurred = fields.day(day, "note_date")
        if occurred is not None:
            from clientguard.evidence.notes import EARLIEST_DAY, check_day

            try:
                check_day(occurred)
            except ValueError:
                problem = "future_date" if occurred > EARLIEST_DAY else "early_date"
                raise FormError(problem, "note_date", value=occurred.isoformat()) from None
        chosen = fields.choice(kind, "note_kind", NOTE_KINDS)
    except FormError as exc:
        note = {"text": text, "kind": kind, "day": day}
        again = await form_again(
            request, exc, "client.html", lambda: page_context(request, client_id, name) | {"note": note}
        )
        return with_time_log(request, client_id, again) if isinstance(again, HTMLResponse) else again
    who = user(request)
    author = None if who.id == LOCAL_USER.id else who.name  # team mode: whose note it is
    with state(request).store.engine.begin() as conn:
        if not _same_note_just_added(conn, client_id, checked, chosen, occurred, author):
            add(conn, client_id, checked, chosen, occurred, author)
    state(request).cache.invalidate(client_id)
    # "✓ Note added" in the notes card, as the money and time forms say what they recorded
    return RedirectResponse(f"/clients/{client_id}?done=note_added#notes", status_code=303)


def _same_note_just_added(
    conn: Connection, client_id: int, text: str, kind: str, day: date | None, author: str | None = None
) -> bool:
    """Whether the client's latest note is this one, written less than the window ago.

    The client's row is locked first (PostgreSQL; SQLite writes one at a time), so two
    copies of one submission arriving together cannot both see "no such note yet".
    """
    from clientguard.store.models_evidence import NoteRow

    conn.execute(select(ClientRow.id).where(ClientRow.id == client_id).with_for_update())
    last = conn.execute(
        select(NoteRow.text, NoteRow.kind, NoteRow.occurred_on, NoteRow.created_at, NoteRow.author)
        .where(NoteRow.client_id == client_id)
        .order_by(NoteRow.id.desc())
        .limit(1)
    ).first()
    if last is None or (last.text, last.kind, last.author) != (text.strip(), kind, author):
        return False
    if last.occurred_on != (day.isoformat() if day else None):
        return False
    created = last.created_at if last.created_at.tzinfo else last.created_at.replace(tzinfo=UTC)
    return bool(datetime.now(UTC) - created < NOTE_REPEAT_WINDOW)


@router.get("/clients/{client_id}/evidence.html")
def evidence_export(request: Request, client_id: ClientId) -> Response:
    """The dispute-ready export of ``clientguard evidence export`` (moves, verify, sync, collect)."""
    return _evidence_download(request, client_id, "html")


@router.get("/clients/{client_id}/evidence.json")
def evidence_export_json(request: Request, client_id: ClientId) -> Response:
    """The same export as JSON: the whole chain, each message's exact JSON and the method.

    The dashboard offered the HTML only, whose head hash nobody can recompute without
    clientguard; the JSON lets the other side check it with a short script.
    """
    return _evidence_download(request, client_id, "json")


def _evidence_download(request: Request, client_id: int, fmt: str) -> Response:
    """The export streamed from the writers the CLI uses (:func:`clientguard.evidence.export.stream`).

    The body was built whole (``render``) before the first byte went out: the JSON of a
    50,000-message client as a str and as bytes at once, the HTML a third time as a str
    for the response. Access is checked, the log synced and the data collected before
    the response starts, so a refusal or a failure is still a proper error page; only
    writing the text is left to the stream. Same bytes, file name and content type.
    """
    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import stream

    name = client_name(request, client_id)  # 404 / 403 before any work
    # The profile the client page shows (cached), so the file flags the page's messages.
    profile = state(request).cache.profile(client_id, name)
    data = prepare(state(request).store.engine, client_id, profile=profile)
    return StreamingResponse(
        stream(data, fmt, lang(request)),
        media_type="text/html" if fmt == "html" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="evidence-{client_id}.{fmt}"'},
    )
