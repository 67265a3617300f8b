"""The client page's forms that record money and time: invoices, payments, refunds, credits, voids, hours.

Each form calls the function its CLI command calls (``invoice add|paid|refund|credit|void|
void-payment|void-refund`` → :mod:`clientguard.contracts.repo`, ``invoice renumber`` →
:mod:`clientguard.contracts.renumber`, ``time add`` →
:func:`clientguard.web.timelog.add_time`),
so the checks, the evidence-log record written in the same transaction and the pre-write
tamper check are the CLI's; a refusal comes back in the form, in the page's language
(:mod:`clientguard.web.refusals`). Post/Redirect/Get: a success redirects to the client
page, which says what was recorded (``?done=``).

Who may write: money (invoices, payments, refunds, credits, voids) is for owners and
managers in team mode, as the team page and every client are; time is logged by anyone
who may open the client, as themselves, and an owner may log it for another member who
works on the client (:func:`time_members`). In local mode the one user does everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from clientguard.contracts.validate import MAX_AMOUNT
from clientguard.errors import ClientguardError
from clientguard.store import Store
from clientguard.web import fields
from clientguard.web.auth import LOCAL_USER
from clientguard.web.fields import FormError
from clientguard.web.i18n import tr
from clientguard.web.pages import (
    ClientId,
    check_csrf,
    error_response,
    lang,
    render,
    require_role,
    state,
    user,
    wants_json,
)
from clientguard.web.refusals import Refusal, word

router = APIRouter()

MONEY_ROLES: Final = ("owner", "manager")
#: What the client page says after a form (``?done=…``): a closed set, so a forged value
#: shows nothing and the cached pages stay few.
DONE: Final = (
    "invoice_added",
    "payment_added",
    "refund_added",
    "credit_added",
    "invoice_voided",
    "payment_voided",
    "adjustment_voided",
    "time_added",
    "note_added",  # the notes card's form (routes/client.py), said in that card
    "invoice_renumbered",
)
#: The two kinds of adjustment a form records (``invoice refund`` / ``invoice credit``).
ADJUSTMENTS: Final = ("refund", "credit")
_DOT_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")  # as `invoice add` refuses "45.000"
MAX_MINUTES: Final = 59


def may_write_money(request: Request) -> bool:
    """Whether the money forms are for this user (owners and managers; local mode: yes)."""
    return user(request).role in MONEY_ROLES


@dataclass(frozen=True)
class Target:
    """What the void form names: an invoice by number, or one payment, refund or credit of it by id."""

    number: str
    payment: int | None = None
    adjustment: int | None = None


def money_context(store: Store, client: str) -> dict[str, Any]:
    """What the money forms offer: the default currency, invoices open today, what can be voided.

    Read as of today, as ``invoice paid`` judges (the profile's table is as of the last
    message): an invoice paid today is no longer offered for a payment. ``adjusted`` is
    each invoice's (credited, refunded) by today, what ``invoice list`` shows the amount
    as issued beside the net one with; the profile's invoices carry the net amount only.
    ``members``: who works on the client, whose time an owner may log (the page puts the
    signed-in user first); the same for every viewer, so it is cached with the page.
    """
    from clientguard.contracts.repo import (
        adjustment_totals,
        adjustments,
        invoices,
        payment_records,
        terms_for_client,
    )
    from clientguard.web.timelog import time_members

    today = date.today()
    terms = terms_for_client(store, client)
    current = invoices(store, client, as_of=today)  # voided ones left out
    live = {i.id for i in current}
    payments = [p for p in payment_records(store, client) if p.void is None and p.invoice in live]
    currency = {i.id: i.currency for i in current}
    return {
        "currency": ((terms.currency if terms else None) or "RUB").upper(),
        "open": [i for i in current if round(i.amount - (i.paid_amount or 0), 2) > 0],
        # what a refund may give back: paid, less the refunds already made
        "refundable": [i for i in current if round(i.paid_amount or 0, 2) > 0],
        "invoices": current,
        # each with its invoice's currency, as the adjustments: the options name the amount in full
        "payments": [(p, currency[p.invoice]) for p in payments],
        "adjustments": [
            (x, currency[x.invoice])
            for x in adjustments(store, client)
            if x.void is None and x.invoice in live
        ],
        "adjusted": {k: v for k, v in adjustment_totals(store, client, today).items() if k in live},
        # what `invoice renumber` takes: every number the client holds, a voided one's too
        # (its number stays taken, and a merge meets it as a clash)
        "numbers": [i.id for i in invoices(store, client, include_voided=True, payments={})],
        "today": today.isoformat(),
        "members": time_members(store, client),
    }


def _amount(value: str, field: str, *, required: bool = True) -> float | None:
    """A sum as typed, read as the CLI reads it ("25 000,50", "1,250.50"); "45.000" is ambiguous."""
    from clientguard.cli._numbers import EXPONENT, UNDERSCORE, decimal

    cleaned = value.strip()
    if not cleaned:
        if required:
            raise FormError("required", field)
        return None
    if EXPONENT.fullmatch(re.sub(r"[\s\u00a0\u202f\u2009']", "", cleaned)):  # "1e12": a slip, not a sum
        raise FormError("exponent", field, value=cleaned[:40])
    if UNDERSCORE in cleaned:  # "1_000": float() reads it, nobody writes money so (the CLI refuses it too)
        raise FormError("underscore", field, value=cleaned[:40])
    if _DOT_THOUSANDS.fullmatch(cleaned):
        whole = cleaned.replace(".", "")
        raise FormError("amount_ambiguous", field, value=cleaned, whole=whole)
    try:
        number = decimal(cleaned)
    except Exception:  # typer.BadParameter: the CLI's wording is English, the field's is not
        raise FormError("bad_number", field, value=cleaned[:40]) from None
    # The library refuses it too, but prints the sum with 6 significant digits ("got
    # 1.23457e+12"): the page then showed "1 234 570 000 000" for the 1 234 567 890 123 typed.
    if number > MAX_AMOUNT:
        raise FormError("amount_too_big", field, value=cleaned[:40])
    return number


def _target(value: str) -> Target:
    kind, _, rest = value.partition(":")
    if kind == "invoice" and rest.strip():
        return Target(rest.strip())
    if kind in ("payment", "adjustment"):
        rid, _, number = rest.partition(":")
        if rid.isdigit() and number.strip():
            if kind == "payment":
                return Target(number.strip(), int(rid))
            return Target(number.strip(), adjustment=int(rid))
    raise FormError("required", "void_what")


async def _again(
    request: Request,
    client_id: int,
    name: str,
    form: str,
    kept: dict[str, str],
    refusal: Refusal,
    status: int,
) -> Response:
    """The client page again, the message in the form that was sent, the input kept."""
    if wants_json(request):
        return error_response(request, status, refusal.message)
    from clientguard.web.routes.client import page_context, with_time_log

    ctx = await run_in_threadpool(page_context, request, client_id, name)
    page = render(
        request,
        "client.html",
        status_code=status,
        error=refusal.message,
        error_detail=refusal.detail,
        form=form,
        kept=kept,
        **ctx,
    )
    return await run_in_threadpool(with_time_log, request, client_id, page)


async def _run(
    request: Request,
    client_id: int,
    form: str,
    kept: dict[str, str],
    write: Callable[[str], None],
    done: str,
) -> Response:
    """Parse and write (``write`` raises :class:`FormError` or the library's refusal), then PRG."""
    from clientguard.web.routes.client import client_name

    name = client_name(request, client_id)  # 404 / 403 before anything else
    lg = lang(request)
    try:
        await run_in_threadpool(write, name)
    except FormError as exc:
        return await _again(request, client_id, name, form, kept, Refusal(exc.text(lg)), 400)
    except ClientguardError as exc:
        from clientguard.evidence.log import EditedBehindLogError

        status = 409 if isinstance(exc, EditedBehindLogError) else 400
        return await _again(request, client_id, name, form, kept, word(exc, lg), status)
    state(request).cache.invalidate(client_id)
    anchor = "time" if form == "time" else "money"
    return RedirectResponse(f"/clients/{client_id}?done={done}#{anchor}", status_code=303)


@router.post("/clients/{client_id}/invoices")
async def add_invoice(
    request: Request,
    client_id: ClientId,
    number: str = Form(""),
    amount: str = Form(""),
    currency: str = Form(""),
    issued: str = Form(""),
    due: str = Form(""),
) -> Response:
    """``invoice add``: the number defaults to the next free one, the currency to the contract's."""
    await check_csrf(request)
    require_role(request, *MONEY_ROLES)
    kept = {"number": number, "amount": amount, "currency": currency, "issued": issued, "due": due}

    def write(name: str) -> None:
        from clientguard.contracts.repo import add_invoice as add

        value = _amount(amount, "inv_amount")
        assert value is not None
        issued_on = fields.day(issued, "inv_issued")
        due_on = fields.day(due, "inv_due")
        if due_on is None:
            raise FormError("required", "inv_due")
        given = fields.name(number, "inv_number") or None
        add(state(request).store, name, value, due_on, issued_on, given, currency.strip() or None)

    return await _run(request, client_id, "invoice", kept, write, "invoice_added")


@router.post("/clients/{client_id}/payments")
async def add_payment(
    request: Request,
    client_id: ClientId,
    number: str = Form(""),
    amount: str = Form(""),
    day: str = Form(""),
) -> Response:
    """``invoice paid``: without an amount the rest of the invoice, without a date today."""
    await check_csrf(request)
    require_role(request, *MONEY_ROLES)
    kept = {"number": number, "amount": amount, "day": day}

    def write(name: str) -> None:
        from clientguard.contracts.repo import pay_invoice

        if not number.strip():
            raise FormError("required", "pay_invoice")
        value = _amount(amount, "pay_amount", required=False)
        on = fields.day(day, "pay_date")
        pay_invoice(state(request).store, name, number, on, value)

    return await _run(request, client_id, "payment", kept, write, "payment_added")


@router.post("/clients/{client_id}/void")
async def void(
    request: Request,
    client_id: ClientId,
    target: str = Form(""),
    reason: str = Form(""),
    confirm: str = Form(""),
) -> Response:
    """``invoice void`` / ``void-payment``, in two steps: the form, then a page that says
    what the void does and asks to confirm (no JavaScript needed)."""
    await check_csrf(request)
    require_role(request, *MONEY_ROLES)
    from clientguard.web.routes.client import client_name

    kept = {"target": target, "reason": reason}
    if confirm != "yes":
        name = client_name(request, client_id)
        lg = lang(request)
        try:
            chosen = _target(target)
            text = fields.text(reason, "void_reason", required=True, max_bytes=4000)
        except FormError as exc:
            return await _again(request, client_id, name, "void", kept, Refusal(exc.text(lg)), 400)
        what, effect = await run_in_threadpool(_described, state(request).store, name, chosen, lg)
        return render(
            request,
            "void_confirm.html",
            client_id=client_id,
            name=name,
            target=target,
            reason=text,
            what=what,
            effect=effect,
        )

    def write(name: str) -> None:
        from clientguard.contracts.repo import void_adjustment, void_invoice, void_payment

        chosen = _target(target)
        text = fields.text(reason, "void_reason", required=True, max_bytes=4000)
        if chosen.payment is not None:
            void_payment(state(request).store, name, chosen.number, text, chosen.payment)
        elif chosen.adjustment is not None:
            void_adjustment(state(request).store, name, chosen.number, text, chosen.adjustment)
        else:
            void_invoice(state(request).store, name, chosen.number, text)

    kind = target.partition(":")[0]
    done = {"payment": "payment_voided", "adjustment": "adjustment_voided"}.get(kind, "invoice_voided")
    return await _run(request, client_id, "void", kept, write, done)


def _described(store: Store, client: str, target: Target, lg: str) -> tuple[str, str]:
    """The record to be voided as the confirmation names it, and the i18n key of what voiding it does."""
    from clientguard.contracts.repo import adjustments, invoices, payment_records
    from clientguard.web.pages import money_text

    invoice = next((i for i in invoices(store, client, include_voided=True) if i.id == target.number), None)
    currency = invoice.currency if invoice else None
    if target.adjustment is not None:
        x = next((a for a in adjustments(store, client) if a.id == target.adjustment), None)
        kind = x.kind if x is not None else "adjustment"
        named = tr(f"void_{kind}_named", lg).format(
            number=target.number,
            amount=money_text(x.amount, currency, lg) if x else "?",
            on=x.on if x else "?",
        )
        return named, f"void_{kind}_effect"
    if target.payment is None:
        if invoice is None:
            named = tr("void_invoice_named", lg).format(number=target.number, amount="?", due="?")
        else:
            amount = money_text(invoice.amount, currency, lg)
            named = tr("void_invoice_named", lg).format(number=invoice.id, amount=amount, due=invoice.due)
        return named, "void_invoice_effect"
    pay = next((p for p in payment_records(store, client) if p.id == target.payment), None)
    amount = money_text(pay.amount, currency, lg) if pay else "?"
    named = tr("void_payment_named", lg).format(
        number=target.number, amount=amount, on=pay.paid_on if pay else "?"
    )
    return named, "void_payment_effect"


@router.post("/clients/{client_id}/renumber")
async def renumber(
    request: Request, client_id: ClientId, number: str = Form(""), new: str = Form("")
) -> Response:
    """``invoice renumber``: one logged write (the invoice and its payments are logged anew
    under the new number; payments, voids, refunds and credits follow it by id). The way
    to free a number before merging two clients that both have it."""
    await check_csrf(request)
    require_role(request, *MONEY_ROLES)
    kept = {"number": number, "new": new}

    def write(name: str) -> None:
        from clientguard.contracts.renumber import renumber_invoice

        if not number.strip():
            raise FormError("required", "renum_invoice")
        if not new.strip():
            raise FormError("required", "renum_new")
        renumber_invoice(state(request).store, name, number, new)

    return await _run(request, client_id, "renumber", kept, write, "invoice_renumbered")


@router.post("/clients/{client_id}/refunds")
async def add_refund(
    request: Request,
    client_id: ClientId,
    number: str = Form(""),
    amount: str = Form(""),
    day: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """``invoice refund``: money given back on an invoice, at most what was paid by that day."""
    return await _adjust(request, client_id, "refund", number, amount, day, reason)


@router.post("/clients/{client_id}/credits")
async def add_credit(
    request: Request,
    client_id: ClientId,
    number: str = Form(""),
    amount: str = Form(""),
    day: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """``invoice credit``: an amount taken off what an invoice asks, at most what is still due."""
    return await _adjust(request, client_id, "credit", number, amount, day, reason)


async def _adjust(
    request: Request, client_id: int, kind: str, number: str, amount: str, day: str, reason: str
) -> Response:
    """A refund or credit: every field the CLI requires (amount, date, reason) is required here."""
    await check_csrf(request)
    require_role(request, *MONEY_ROLES)
    kept = {"number": number, "amount": amount, "day": day, "reason": reason}

    def write(name: str) -> None:
        from clientguard.contracts.repo import credit_invoice, refund_invoice

        if not number.strip():
            raise FormError("required", "adj_invoice")
        value = _amount(amount, f"{kind}_amount")
        assert value is not None
        on = fields.day(day, f"{kind}_date")
        if on is None:
            raise FormError("required", f"{kind}_date")
        text = fields.text(reason, "adj_reason", required=True, max_bytes=4000)
        _check_day(state(request).store, name, number.strip(), on, f"{kind}_date")
        record = refund_invoice if kind == "refund" else credit_invoice
        record(state(request).store, name, number, value, on, text)

    return await _run(request, client_id, kind, kept, write, f"{kind}_added")


def _check_day(store: Store, client: str, number: str, on: date, field: str) -> None:
    """The day a refund or credit happened, refused in the form's own words.

    The library refuses the same days (after today, before the invoice was issued), but
    words them for a payment ("a payment dated …"); the form says what the field is.
    """
    from clientguard.contracts.repo import invoices

    today = date.today()
    if on > today:
        raise FormError("adj_future", field, value=on.isoformat(), today=today.isoformat())
    invoice = next((i for i in invoices(store, client, payments={}) if i.id == number), None)
    if invoice is not None and on.isoformat() < invoice.issued:
        raise FormError(
            "adj_before_issued", field, value=on.isoformat(), number=number, issued=invoice.issued
        )


@router.post("/clients/{client_id}/time")
async def add_time(
    request: Request,
    client_id: ClientId,
    day: str = Form(""),
    hours: str = Form(""),
    minutes: str = Form(""),
    note: str = Form(""),
    member: str = Form(""),
) -> Response:
    """``time add``: hours and minutes on a day (default today), by the signed-in user or,
    for an owner, by another member who works on the client (``--member``)."""
    await check_csrf(request)
    who = user(request)
    own = "me" if who.id == LOCAL_USER.id else who.name
    chosen = member.strip() or own
    if chosen != own and who.role != "owner":
        # the form offers no choice to anyone else: a forged one is refused, not rewritten
        lg = lang(request)
        raise HTTPException(status_code=403, detail=tr("forbidden_time_member", lg))
    kept = {"day": day, "hours": hours, "minutes": minutes, "note": note, "member": chosen}

    def write(name: str) -> None:
        from clientguard.web.timelog import add_time as add
        from clientguard.web.timelog import time_members

        if chosen != own and chosen not in time_members(state(request).store, name):
            raise FormError("member_no_access", "member", value=chosen[:40])

        h = _amount(hours, "time_hours", required=False) or 0.0
        m = _amount(minutes, "time_minutes", required=False) or 0.0
        if not (0 <= m <= MAX_MINUTES and float(m).is_integer()):
            raise FormError("bad_minutes", "time_minutes", value=minutes.strip()[:10])
        if not hours.strip() and not minutes.strip():
            raise FormError("required", "time_hours")
        on = fields.day(day, "time_day")
        if on is not None and on > date.today():  # as add_time refuses it, in the form's words
            raise FormError("adj_future", "time_day", value=on.isoformat(), today=date.today().isoformat())
        text = fields.text(note, "time_note", max_bytes=4000) or None
        add(state(request).store, name, round(h + m / 60, 4), chosen, on, text)

    return await _run(request, client_id, "time", kept, write, "time_added")
