"""``clientguard invoice add|paid|refund|credit|list|void|void-payment|void-refund|renumber``: invoices,
money given back and amounts taken off, days overdue, late fee, stage."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._dates import day_option
from clientguard.cli._groups import group
from clientguard.cli._numbers import decimal
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.cli._console import Texts
    from clientguard.contracts.invoices import InvoiceStatus
    from clientguard.domain import Invoice
    from clientguard.store import Store

_STAGE_STYLE = {"friendly": "yellow", "firm": "dark_orange", "formal_claim": "red"}
# "45.000", "1.200": a dot before exactly three digits groups thousands in Russian (and
# German) writing but is a decimal point in English, so the amount is 1 000 times off one way
_DOT_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")


def money(text: str) -> float:
    """An invoice or payment amount as typed: :func:`decimal`, but "45.000" is refused.

    It was read as 45 (an invoice of 45 RUB for 45 000, and reminders and late fees on it);
    no sum of money has three decimals, so the dot can only group thousands here, and the
    user is asked to write it unambiguously (QA pass 7).
    """
    if isinstance(text, str) and _DOT_THOUSANDS.fullmatch(text.strip()):
        whole = text.strip().replace(".", "")
        from clientguard.cli._refused import OptionRefused
        from clientguard.errors import msg

        said = msg("cli.dot_thousands", text=text.strip(), whole=whole, spaced=f"{whole[:-3]} {whole[-3:]}")
        raise OptionRefused(said)
    return decimal(text)


@dataclass(frozen=True)
class AssumedCurrency:
    """The currency an invoice takes when neither --currency nor the contract names one."""

    code: str
    #: "locale" (the locale's territory) or "default" (RUB): the words of the note, cli.yaml.
    source: str
    territory: str
    #: The client has no invoice that counts yet: the note says where the currency came from.
    first: bool


def assumed_currency(store: Store, client: str) -> AssumedCurrency | None:
    """What currency an invoice of ``client`` is in when nothing was typed; None: the contract's.

    Every invoice without --currency and without a contract currency was RUB, so an
    English freelancer's "invoice add 'Tom Baker Ltd' 450" (a pound invoice, in London)
    stored 450 RUB, and reminders asked for roubles (helper 128's English day). Now the
    locale's territory decides (en_GB: GBP, ru_RU: RUB; data in
    ``cli/data/territory_currencies.yaml``), and RUB stays the default of a locale without
    one (C, POSIX). A client's first such invoice says so on stderr, so a wrong guess is
    seen once per client rather than never.
    """
    from sqlalchemy import func, select

    from clientguard.cli._dates import locale_territory
    from clientguard.contracts.repo import terms_for_client
    from clientguard.store.lookup import find_client
    from clientguard.store.models_contracts import InvoiceRow, InvoiceVoidRow

    with store.engine.connect() as conn:
        found = find_client(conn, client)
        voided = select(InvoiceVoidRow.invoice_id).where(InvoiceVoidRow.payment_id.is_(None))
        counted = 0
        if found is not None:
            counted = conn.scalar(
                select(func.count())
                .select_from(InvoiceRow)
                .where(InvoiceRow.client_id == found[0], InvoiceRow.id.not_in(voided))
            ) or 0
    if found is not None:
        terms = terms_for_client(store, client)
        if terms is not None and terms.currency:
            return None
    territory = locale_territory() or ""
    code = locale_currency()
    if code is not None:
        return AssumedCurrency(code, "locale", territory, counted == 0)
    return AssumedCurrency("RUB", "default", territory, counted == 0)


def locale_currency() -> str | None:
    """The currency of the locale's territory (en_GB: GBP), None without a known one."""
    from clientguard.cli._dates import locale_territory

    return _territory_currencies().get(locale_territory() or "")


@cache
def _territory_currencies() -> dict[str, str]:
    """Territory → currency (``cli/data/territory_currencies.yaml``), each code checked."""
    from importlib import resources

    import yaml

    from clientguard.contracts.validate import currency

    text = resources.files("clientguard.cli").joinpath("data/territory_currencies.yaml").read_text(
        encoding="utf-8"
    )
    table = yaml.safe_load(text)["territories"]
    return {str(k): currency(v) for k, v in table.items()}


def _date(value: str | None, option: str) -> date | None:
    return day_option(value, option)


def _json(rows: list[dict[str, object]]) -> str:
    """The rows as strict JSON (RFC 8259 has no NaN or Infinity).

    Amounts are checked on the way in, so a non-finite number here is a row stored before
    those checks; it is named instead of printed as ``Infinity``, which parsers reject.
    """
    try:
        return json.dumps(rows, ensure_ascii=False, indent=1, allow_nan=False)
    except ValueError as exc:
        from clientguard.errors import StorageError, msg

        bad = next(
            (r for r in rows if any(isinstance(v, float) and not math.isfinite(v) for v in r.values())), {}
        )
        raise StorageError(msg("cli.json_number", number=bad.get("id"), client=bad.get("client"))) from exc


def register(app: typer.Typer) -> None:
    invoice = group(app, "invoice")

    @invoice.command("add")
    def add(
        client: Annotated[str, typer.Argument(help="Client name.")],
        amount: Annotated[
            float, typer.Argument(help="Invoice amount, more than 0.", parser=money, metavar="amount")
        ],
        due: Annotated[str, typer.Option("--due", help="Due date: 2025-09-15 or 15.09.2025.")],
        issued: Annotated[str | None, typer.Option("--issued", help="Issue date; default today.")] = None,
        number: Annotated[
            str | None, typer.Option("--id", help="Invoice number; default the highest + 1 (INV-7 → INV-8)")
        ] = None,
        currency: Annotated[
            str | None,
            typer.Option(
                "--currency", help="Default: the contract's, else the locale country's (en_GB: GBP), or RUB."
            ),
        ] = None,
        create_client: Annotated[
            bool,
            typer.Option("--create-client", help="Add the client when no client has this name."),
        ] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record an invoice issued to a client.

        The client must exist (a typo must not start a phantom client): an unknown name is
        an error listing the close stored names, unless --create-client asks for a new one.
        """
        from clientguard.contracts.repo import add_invoice
        from clientguard.errors import msg
        from clientguard.store import open_store
        from clientguard.store.lookup import find_client, unknown_client

        with open_store(db) as store:
            if not create_client:
                with store.engine.connect() as conn:
                    if find_client(conn, client) is None:
                        hint = msg("lookup.hint_create_client")
                        raise unknown_client(conn, client, hint)
            due_day, issued_day = _date(due, "--due") or date.today(), _date(issued, "--issued")
            assumed = None if currency is not None else assumed_currency(store, client)
            inv = add_invoice(
                store, client, amount, due_day, issued_day, number, assumed.code if assumed else currency
            )
        say = texts("invoice_cli", lang)
        typer.echo(
            say(
                "added",
                id=inv.id,
                amount=say.money(inv.amount, inv.currency),
                issued=inv.issued,
                due=inv.due,
            )
        )
        if assumed is not None and assumed.first:
            why = say(f"currency_from_{assumed.source}", territory=assumed.territory)
            import shlex

            shown = say.currency(inv.currency)  # "₽ (RUB)" in Russian: the sign and the code to type
            note = say("currency_assumed", currency=shown, why=why, client=shlex.quote(client))
            typer.echo(note, err=True)

    @invoice.command("paid")
    def paid(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number (see `invoice list`).")],
        amount: Annotated[
            float | None,
            typer.Argument(
                help="Amount paid; default the rest (also --amount).", parser=money, metavar="amount"
            ),
        ] = None,
        on: Annotated[
            str | None,
            typer.Option("--on", help="Payment date, from the issue date to today; default today."),
        ] = None,
        partial: Annotated[
            float | None, typer.Option("--amount", help="Partial payment; default the rest.", parser=money)
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record a full or partial payment.

        The amount goes after the number as in `invoice refund` and `invoice credit`
        (`invoice paid CLIENT 1 20000`), or as --amount.
        """
        from clientguard.contracts.repo import pay_invoice
        from clientguard.store import open_store

        if amount is not None and partial is not None and amount != partial:
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import msg

            raise OptionRefused(msg("cli.amount_twice"), param_hint="'--amount'")
        amount = partial if amount is None else amount
        with open_store(db) as store, _worded(lang):
            inv = pay_invoice(store, client, number, _date(on, "--on"), amount)
        rest = round(inv.amount - (inv.paid_amount or 0), 2)
        say = texts("invoice_cli", lang)
        if inv.paid_on:
            typer.echo(say("paid_in_full", id=inv.id, on=inv.paid_on))
        else:
            typer.echo(say("still_due", id=inv.id, rest=say.money(rest, inv.currency)))

    @invoice.command("list")
    def list_(
        client: Annotated[str | None, typer.Argument(help="Client name; default all clients.")] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help="Only unpaid invoices past due.")] = False,
        today: Annotated[str | None, typer.Option("--today", help="Count as of this date.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        show_all: Annotated[
            bool, typer.Option("--all", help="Voided invoices too, marked with the reason.")
        ] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Invoices with days overdue, the contract's late fee and the reminder stage.

        Stages: friendly reminder 1–6 days overdue, firm 7–13, formal claim from day 14.
        Voided invoices count nowhere and are listed only with --all. --json gives each
        invoice's payments with their ids (for `invoice void-payment --payment`), and its
        refunds and credits (for `invoice void-refund --id`).
        """
        from clientguard.contracts.invoices import check_date, invoice_statuses
        from clientguard.store import open_store

        as_of = _date(today, "--today")
        with open_store(db, must_exist=True) as store:
            rows = invoice_statuses(
                store, client, as_of and check_date(as_of, "--today"), include_voided=show_all
            )
            names = sorted({r.client for r in rows})
            pays = _payments(store, names) if as_json else {}
            adjusted = _adjustments(store, names) if as_json else {}
            from clientguard.cli.contract import warn_older_late_fee

            # a late fee computed from a rate an older clientguard read off the contract, or
            # none where today's reader reads one (a fixed sum a day, read as nothing before)
            warn_older_late_fee(store, names, lang)
        if overdue:
            rows = [r for r in rows if r.overdue]
        if as_json:
            typer.echo(
                _json(
                    [
                        r.as_json()
                        | {
                            "payments": pays.get((r.client, r.invoice.id), []),
                            "refunds": adjusted.get((r.client, r.invoice.id), []),
                        }
                        for r in rows
                    ]
                )
            )
            return
        say = texts("invoice_cli", lang)
        if not rows:
            typer.echo(say("none_overdue" if overdue else "none"))
            return
        from rich.markup import escape

        columns = (
            "client",
            "id",
            "amount",
            "due",
            "outstanding",
            "overdue",
            "late_fee",
            "stage",
            "next_step",
        )
        cells: list[tuple[str, ...]] = []
        for r in rows:
            inv = r.invoice
            # credited or refunded down to nothing paid: closed, not "paid"
            settled = say("settled") if (r.credited or r.refunded) and not inv.paid_amount else say("paid")
            label = say.term("reminder_stages", r.stage) if r.stage else (settled if inv.paid_on else "—")
            stage = f"[{_STAGE_STYLE.get(r.stage or '', 'green')}]{escape(label)}[/]"
            if r.void is not None:
                stage = f"[dim]{escape(say('voided_mark', reason=r.void.reason))}[/]"
            fee = _fee_cell(r, say)
            step = (
                say("step_on", step=say.term("reminder_stages", r.next_step), on=r.next_step_on)
                if r.next_step and r.next_step_on
                else "—"
            )
            cells.append(
                (
                    escape(r.client),
                    escape(inv.id),
                    # as issued, and what it asks after its credits and refunds
                    # the sum and its currency on one line: a narrow cell wrapped "… 000" | "RUB"
                    escape(say.money(inv.amount, inv.currency))
                    if r.billed == inv.amount
                    else escape(
                        say(
                            "amount_net",
                            amount=say.amount(r.billed),
                            net=say.money(inv.amount, inv.currency),
                        )
                    ),
                    # a weekend due date with the Monday it moves to, so the days add up
                    inv.due
                    if r.payable_by is None or r.payable_by.isoformat() == inv.due
                    else f"{inv.due} → {r.payable_by.isoformat()}",
                    say.amount(r.outstanding),
                    say("days", n=r.days_overdue) if r.days_overdue else "—",
                    fee,
                    stage,
                    escape(step),
                )
            )
        _print_invoices([say(c) for c in columns], cells)

    @invoice.command("void")
    def void(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number (see `invoice list`).")],
        reason: Annotated[str, typer.Option("--reason", help="Why it is voided (kept in the evidence log).")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Void a wrong invoice (a typo in the amount, the date, the client).

        The invoice stays stored and in the evidence log, marked voided with the reason,
        and counts nowhere: not overdue, not in totals, fees, the profile or reply drafts.
        Its number stays taken; add the correct invoice under a new number.
        """
        from clientguard.contracts.repo import void_invoice
        from clientguard.store import open_store

        say = texts("invoice_cli", lang)
        with open_store(db, must_exist=True) as store, _worded(lang):
            done = void_invoice(store, client, number, reason)
        typer.echo(say("voided", id=number.strip(), reason=done.reason))

    @invoice.command("renumber")
    def renumber(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="The invoice's number now (see `invoice list --all`).")],
        new: Annotated[str, typer.Argument(help="Its new number.")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Give an invoice another number (two clients to merge that both have an invoice 1).

        A logged change: the evidence log keeps the invoice as written and records it, and
        its payments, under the new number; payments, voids, refunds and credits follow it.
        """
        from clientguard.contracts.renumber import renumber_invoice
        from clientguard.store import open_store

        with open_store(db, must_exist=True) as store, _worded(lang):
            done = renumber_invoice(store, client, number, new)
        say = texts("invoice_cli", lang)
        typer.echo(say("renumbered", old=done.old, new=done.new, client=done.client, payments=done.payments))

    @invoice.command("void-payment")
    def void_payment_(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number the payment was recorded on.")],
        reason: Annotated[str, typer.Option("--reason", help="Why it is voided (kept in the evidence log).")],
        payment: Annotated[
            int | None,
            typer.Option(
                "--payment", help="Payment id (`invoice list --json`); needed if there are several."
            ),
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Void a payment recorded by mistake (wrong amount, date or invoice).

        The payment stays stored and in the evidence log, marked voided, and no longer
        pays the invoice; record the right one with `invoice paid`.
        """
        from clientguard.contracts.repo import void_payment
        from clientguard.store import open_store

        say = texts("invoice_cli", lang)
        with open_store(db, must_exist=True) as store, _worded(lang):
            pay, done = void_payment(store, client, number, reason, payment)
            inv = _invoice(store, client, pay.invoice)
        typer.echo(
            say(
                "payment_voided",
                payment=pay.id,
                id=pay.invoice,
                amount=say.money(pay.amount, inv.currency),
                on=pay.paid_on,
                reason=done.reason,
            )
        )

    @invoice.command("refund")
    def refund(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number (see `invoice list`).")],
        amount: Annotated[
            float,
            typer.Argument(help="Money given back, at most what was paid.", parser=money, metavar="amount"),
        ],
        on: Annotated[
            str, typer.Option("--date", "--on", help="Day the money went back (2025-09-20 or 20.09.2025).")
        ],
        reason: Annotated[str, typer.Option("--reason", help="Why (kept in the evidence log).")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record money given back to the client (a refund): a dispute, a cancelled project.

        A real event, not a correction: the payments stay, the refund is a row of its own
        in the evidence log. At most what was paid by that day less earlier refunds. What
        was paid and what the invoice asks both drop by it, so the returned money is not
        due again; to also write off what is still unpaid, use `invoice credit`.
        """
        from clientguard.contracts.repo import refund_invoice
        from clientguard.store import open_store

        say = texts("invoice_cli", lang)
        with open_store(db, must_exist=True) as store, _worded(lang):
            done = refund_invoice(store, client, number, amount, _required(on, "--date"), reason)
            inv = _invoice(store, client, done.invoice)
        typer.echo(
            say(
                "refunded",
                refund=done.id,
                id=done.invoice,
                amount=say.money(done.amount, inv.currency),
                on=done.on,
                reason=done.reason,
                paid=say.money(inv.paid_amount or 0, inv.currency),
                rest=say.money(round(inv.amount - (inv.paid_amount or 0), 2), inv.currency),
            )
        )

    @invoice.command("credit")
    def credit(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number (see `invoice list`).")],
        amount: Annotated[
            float,
            typer.Argument(
                help="Amount taken off, at most what is still due.", parser=money, metavar="amount"
            ),
        ],
        on: Annotated[
            str, typer.Option("--date", "--on", help="Day it was agreed (2025-09-20 or 20.09.2025).")
        ],
        reason: Annotated[str, typer.Option("--reason", help="Why (kept in the evidence log).")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Take an amount off what an invoice asks (a credit note, a discount agreed later).

        The invoice stays as issued; what is due drops (for a VAT payer the paperwork is a
        corrective invoice). An invoice credited down to what was paid is settled: not
        overdue, no late fee. At most what is still due: paid money goes back with
        `invoice refund`.
        """
        from clientguard.contracts.repo import credit_invoice
        from clientguard.store import open_store

        say = texts("invoice_cli", lang)
        with open_store(db, must_exist=True) as store, _worded(lang):
            done = credit_invoice(store, client, number, amount, _required(on, "--date"), reason)
            inv = _invoice(store, client, done.invoice)
        rest = round(inv.amount - (inv.paid_amount or 0), 2)
        typer.echo(
            say(
                "credited" if rest else "credited_settled",
                refund=done.id,
                id=done.invoice,
                amount=say.money(done.amount, inv.currency),
                on=done.on,
                reason=done.reason,
                rest=say.money(rest, inv.currency),
            )
        )

    @invoice.command("void-refund")
    def void_refund(
        client: Annotated[str, typer.Argument(help="Client name.")],
        number: Annotated[str, typer.Argument(help="Invoice number the refund or credit was recorded on.")],
        reason: Annotated[str, typer.Option("--reason", help="Why it is voided (kept in the evidence log).")],
        adjustment: Annotated[
            int | None,
            typer.Option(
                "--id", help="Refund or credit id (`invoice list --json`); needed if there are several."
            ),
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Void a refund or a credit recorded by mistake (wrong amount, date or invoice).

        It stays stored and in the evidence log, marked voided, and counts nowhere; record
        the right one with `invoice refund` or `invoice credit`.
        """
        from clientguard.contracts.repo import void_adjustment
        from clientguard.store import open_store

        say = texts("invoice_cli", lang)
        with open_store(db, must_exist=True) as store, _worded(lang):
            done, void = void_adjustment(store, client, number, reason, adjustment)
            inv = _invoice(store, client, done.invoice)
        typer.echo(
            say(
                "adjustment_voided",
                kind=say(f"kind_{done.kind}"),
                refund=done.id,
                id=done.invoice,
                amount=say.money(done.amount, inv.currency),
                on=done.on,
                reason=void.reason,
            )
        )


def _required(value: str, option: str) -> date:
    found = _date(value, option)
    assert found is not None  # a required option
    return found


def _invoice(store: Store, client: str, number: str) -> Invoice:
    """The invoice as it stands now (net of its credits and refunds)."""
    from clientguard.contracts.repo import invoices

    return next(i for i in invoices(store, client) if i.id == number)


@contextmanager
def _worded(lang: str | None) -> Iterator[None]:
    """A refused void or payment of a voided invoice, in the interface language.

    The store raises it in English (its ``key`` names the text); the CLI prints one line.
    """
    from clientguard.contracts.repo import UnknownInvoice, VoidRefused, shown_values
    from clientguard.errors import ConfigError, NotFoundError, msg
    from clientguard.numbers import currency_text
    from clientguard.report.i18n import LANGS

    try:
        yield
    except (VoidRefused, UnknownInvoice) as exc:
        # Worded in each language (amounts grouped as each writes them): the line is printed
        # in the interface language, and str() of the error stays English like every other.
        worded = {}
        for each in LANGS:
            say = texts("invoice_cli", each)
            values = shown_values(exc.values, say.amount, each)
            if isinstance(values.get("currency"), str):  # "45 000 ₽" in Russian, as `invoice list`
                values["currency"] = currency_text(values["currency"], each)
            worded[each] = say(exc.key, **values)
        said = msg("cli.worded", text=worded)
        raise (NotFoundError if isinstance(exc, UnknownInvoice) else ConfigError)(said) from None


def _payments(store: Store, clients: list[str]) -> dict[tuple[str, str], list[dict[str, object]]]:
    """Each invoice's stored payments with their ids, voided ones marked, per (client, number)."""
    from clientguard.contracts.repo import payment_records

    out: dict[tuple[str, str], list[dict[str, object]]] = {}
    for name in clients:
        for p in payment_records(store, name):
            out.setdefault((name, p.invoice), []).append(
                {
                    "id": p.id,
                    "paid_on": p.paid_on,
                    "amount": p.amount,
                    "voided": p.void.as_json() if p.void else None,
                }
            )
    return out


def _adjustments(store: Store, clients: list[str]) -> dict[tuple[str, str], list[dict[str, object]]]:
    """Each invoice's refunds and credits with their ids, voided ones marked (`void-refund --id`)."""
    from clientguard.contracts.repo import adjustments

    out: dict[tuple[str, str], list[dict[str, object]]] = {}
    for name in clients:
        for x in adjustments(store, name):
            out.setdefault((name, x.invoice), []).append(x.as_json())
    return out


def _print_invoices(heads: list[str], cells: list[tuple[str, ...]]) -> None:
    """A table when it fits the terminal, else one block per invoice.

    Squeezed into 80 columns, nine columns wrapped every figure and date ("9 / 900,50",
    "2026-…"): a user could not read when an invoice is due. A block keeps each value
    whole, labelled, and wraps only at the terminal's edge.
    """
    from rich.measure import Measurement
    from rich.table import Table

    from clientguard.cli._console import console

    out = console()
    table = Table(*heads)
    for row in cells:
        table.add_row(*row)
    if Measurement.get(out, out.options.update_width(100_000), table).maximum <= out.width:
        out.print(table)
        return
    for i, row in enumerate(cells):
        if i:
            out.print()
        out.print(f"[bold]{row[0]}[/] · {heads[1]} {row[1]}", highlight=False)
        for line in ((2, 4, 3), (5, 6, 7)):
            out.print("  " + " · ".join(f"{heads[k]}: {row[k]}" for k in line), highlight=False)
        out.print(f"  {heads[8]}: {row[8]}", highlight=False)


def _fee_cell(r: InvoiceStatus, say: Texts) -> str:
    """The late-fee cell: the sum and the rate, or the sum and the contract's fixed fee
    ("1 500 (500 ₽ в день)"); a fixed fee in another currency says no sum is computed."""
    fixed = r.late_fee_fixed
    if fixed is not None and r.late_fee_other_currency:
        return fixed.other_currency(say.lang)
    if fixed is not None:
        return say("fee_fixed", fee=say.amount(r.late_fee), per=fixed.worded(say.lang, short=True))
    if r.late_fee_rate is None:
        return "—"
    if r.late_fee_cap_sum is not None:  # "не более 10 000 ₽ всего": why the fee stops growing
        cap = r.late_fee_cap_sum.worded(say.lang)
        return say("fee_cap_sum", fee=say.amount(r.late_fee), rate=_rate(r.late_fee_rate, say.lang), cap=cap)
    return say("fee", fee=say.amount(r.late_fee), rate=_rate(r.late_fee_rate, say.lang))


def _rate(value: float, lang: str) -> str:
    """A late-fee rate: "0,1" in Russian, "0.1" in English."""
    from clientguard.numbers import number

    return number(value, lang)
