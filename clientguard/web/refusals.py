"""A refusal of the library, worded for a web form in the page's language.

The money, time, team, account and manage forms call the very functions the CLI calls
(:mod:`clientguard.contracts.repo`, :mod:`clientguard.contracts.renumber`,
:func:`clientguard.web.timelog.add_time`, :mod:`clientguard.web.auth`,
:mod:`clientguard.store.lifecycle`), so they refuse exactly what the CLI refuses. Their
errors carry the message as data (:class:`clientguard.errors.Msg`: an id of
``report/data/errors.yaml`` and its parameters), and the form's words are chosen by that
id (:data:`WORDINGS`), never by the English text: a message reworded in the table keeps
its form's wording. The web's texts (``refused_<key>`` of ``web/i18n``) name the form's
fields where the CLI's name its options ("“Invoice number”" rather than ``--id``), and the
parameters fill them, amounts grouped as the page's tables group them.

The refusals with a key of their own (:class:`~clientguard.contracts.repo.VoidRefused`,
:class:`~clientguard.contracts.repo.UnknownInvoice`) are worded from the CLI's
``invoice_cli`` texts, as the CLI does. A message with no form wording of its own is shown
in the table's wording for the page's language (the CLI's), and an error still raised with
a plain English string as it was written; never as an error page. No text is matched by
its wording here: every message a form can meet is ours and has an id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from clientguard.errors import ClientguardError, Msg
from clientguard.report.i18n import fill
from clientguard.web.i18n import tr


@dataclass(frozen=True)
class Wording:
    """How a form says one library message: the web text ``refused_<key>``, and which of
    the message's parameters are sums of money (grouped as the page groups them, "1 250 000,50";
    other numbers as the language writes them)."""

    key: str
    money: tuple[str, ...] = ()


#: A message's id (``outer/inner`` for one that wraps another's reason, as
#: ``invoices.refused`` wraps the amount check's) → the form's wording of it.
WORDINGS: Final[Mapping[str, Wording]] = MappingProxyType({
    # contracts.invoices and contracts.repo: the invoice, payment, refund and credit forms
    "invoices.not_positive": Wording("not_positive", money=("amount",)),
    "invoices.cents": Wording("cents"),
    "invoices.refused/validate.too_big": Wording("too_big", money=("limit", "value")),
    "invoices.refused/validate.number": Wording("not_number"),
    "invoices.refused/validate.finite": Wording("not_number"),
    "invoices.date_span": Wording("date_range"),
    "invoices.due_before_issued": Wording("due_before_issued"),
    "invoices.number_taken": Wording("number_taken"),
    "invoices.number_empty": Wording("number_empty"),
    "invoices.number_control": Wording("number_unprintable"),
    "invoices.currency/validate.currency": Wording("currency"),
    "invoices.currency/validate.currency_type": Wording("currency"),
    "invoices.paid_in_full": Wording("paid_in_full"),
    "invoices.over_due": Wording("over_due", money=("rest", "value")),
    "invoices.paid_before_issued": Wording("paid_before_issued"),
    "invoices.paid_in_future": Wording("paid_future"),
    "lookup.no_client": Wording("no_client"),
    # web.timelog: the time form
    "timelog.hours_range": Wording("hours_range"),
    # web.auth: the team and account pages
    "users.password_short": Wording("password_short"),
    "users.exists": Wording("user_exists"),
    "users.name_empty": Wording("user_name_empty"),
    "users.no_user": Wording("no_user"),
    "users.only_owner": Wording("last_owner"),
    # store.lifecycle and contracts.renumber: the manage page and the renumber form
    "lifecycle.empty_name": Wording("name_empty"),
    "lifecycle.name_too_long": Wording("name_long"),
    "lifecycle.same_name": Wording("name_same"),
    "lifecycle.name_taken": Wording("name_taken"),
    "lifecycle.one_client": Wording("merge_same"),
    "lifecycle.invoices_clash": Wording("merge_clash"),
    "lifecycle.log_not_verified": Wording("merge_unclean"),
    "renumber.same": Wording("renum_same"),
    "renumber.taken": Wording("renum_taken"),
    "renumber.too_long": Wording("renum_long"),
})


@dataclass(frozen=True)
class Refusal:
    """What the form shows: the message in the page's language and, when it is a
    translation, the library's own line under "technical details"."""

    message: str
    detail: str | None = None


def word(exc: ClientguardError, lang: str) -> Refusal:
    """``exc`` as the page says it (see the module's docstring)."""
    from clientguard.contracts.repo import UnknownInvoice, VoidRefused
    from clientguard.evidence.log import EditedBehindLogError

    if isinstance(exc, VoidRefused | UnknownInvoice):
        from clientguard.contracts.repo import shown_values
        from clientguard.numbers import currency_text
        from clientguard.report.i18n import t
        from clientguard.web.i18n import tr_optional
        from clientguard.web.pages import money_text

        # Amounts grouped as the page groups them (a refund's limit read "1000.0"); a
        # refusal that tells a CLI user which command to run instead has the page's own
        # words (``refused_cli_<key>``), naming the form.
        values = shown_values(exc.values, lambda a: money_text(a, None, lang), lang)
        if isinstance(values.get("currency"), str):  # "₽" on Russian pages, as the tables
            values["currency"] = currency_text(values["currency"], lang)
        text = tr_optional(f"refused_cli_{exc.key}", lang) or t("invoice_cli", exc.key, lang)
        return Refusal(fill(text, lang, **values))
    if isinstance(exc, EditedBehindLogError):
        # The log words its refusal in the server's language (CLIENTGUARD_LANG): the page
        # says it in its own and keeps that line, which names the row and the fields.
        return Refusal(tr("refused_tampered", lang), exc.message)
    if exc.said is None:  # a plain English string: shown as the library wrote it
        return Refusal(exc.message)
    wording = WORDINGS.get(key_of(exc.said))
    if wording is not None:
        values = {k: _shown(k, v, wording, lang) for k, v in params_of(exc.said).items()}
        try:
            return Refusal(fill(tr(f"refused_{wording.key}", lang), lang, **values), exc.message)
        except (KeyError, IndexError, ValueError):  # a wording out of step with its message
            pass
    text = exc.text(lang)
    return Refusal(text, exc.message if text != exc.message else None)


def key_of(said: Msg) -> str:
    """The message's key in :data:`WORDINGS`: its id, ``outer/inner`` when its ``reason`` is
    itself a message (``invoices.refused/validate.too_big``: which check refused the amount)."""
    reason = said.params.get("reason")
    return f"{said.id}/{reason.id}" if isinstance(reason, Msg) else said.id


def params_of(said: Msg) -> dict[str, Any]:
    """The parameters a form's wording takes: the message's, and its reason's when that is a
    message (the amount check's ``limit`` and ``value`` beside the wrapper's ``what``)."""
    reason = said.params.get("reason")
    inner = dict(reason.params) if isinstance(reason, Msg) else {}
    return {**inner, **{k: v for k, v in said.params.items() if k != "reason" or not inner}}


def _shown(name: str, value: Any, wording: Wording, lang: str) -> Any:
    """One parameter as the page writes it: the field's name for ``what`` ("Сумма оплаты"),
    money grouped as the tables, "₽" for roubles on Russian pages, numbers in the language."""
    from clientguard.report.i18n import number
    from clientguard.web.i18n import tr_optional

    if name == "what" and isinstance(value, str):
        return tr_optional(f"refused_what_{value.replace(' ', '_')}", lang) or value
    if name in wording.money and isinstance(value, int | float):
        from clientguard.web.pages import money_text

        return money_text(float(value), None, lang)
    if name == "currency" and isinstance(value, str):
        from clientguard.numbers import currency_text

        return currency_text(value, lang)
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang)
    return value
