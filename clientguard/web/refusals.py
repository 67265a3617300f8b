"""A refusal of the library, worded for a web form in the page's language.

The money, time and team forms call the very functions the CLI calls
(:mod:`clientguard.contracts.repo`, :func:`clientguard.web.timelog.add_time`,
:mod:`clientguard.web.auth`), so they refuse exactly what the CLI refuses. Those
functions raise one English line (the CLI prints it after its code); the page must say it
in its own language. The refusals with a key of their own (:class:`VoidRefused`,
:class:`UnknownInvoice`) are worded from the CLI's ``invoice_cli`` texts, as the CLI does;
the others are matched here by their wording, a pattern per message (the tests produce each
message with the library and check that its pattern still matches it). A message no
pattern knows is shown as the library wrote it, never as an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from clientguard.errors import ClientguardError
from clientguard.web.i18n import tr

_Q = r"""['"](?P<number>.*)['"]"""  # a Python repr of a string, as the messages quote names
_USER = r"""['"](?P<name>.*)['"]"""
_SUM = "(?P<what>invoice amount|payment|refund|credit)"  # check_amount's ``what``
_DAY = "(?P<what>due date|issue date|payment date|refund date|credit date)"

#: (pattern of the library's whole message, i18n key ``refused_<key>``); groups fill it.
PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(p), key)
    for p, key in (
        (rf"{_SUM}: expected more than 0, got (?P<value>.+)", "not_positive"),
        (
            rf"{_SUM}: expected at most 2 decimal places .*, got (?P<value>.+)",
            "cents",
        ),
        (rf"{_SUM}: expected at most (?P<max>[\d,]+), got (?P<value>.+)", "too_big"),
        (rf"{_SUM}: expected a number.*", "not_number"),
        (
            rf"{_DAY}: expected a date from (?P<first>\S+) "
            r"to (?P<last>\S+), got (?P<value>\S+)",
            "date_range",
        ),
        (r"the due date (?P<due>\S+) is before the issue date (?P<issued>\S+)", "due_before_issued"),
        (rf"invoice {_Q} already exists for .*", "number_taken"),
        (rf"invoice {_Q} is already paid in full", "paid_in_full"),
        (
            r"payment: expected at most the (?P<rest>[\d,.]+) (?P<currency>\S+) still due, "
            r"got (?P<value>[\d,.]+)",
            "over_due",
        ),
        (
            rf"invoice {_Q} was issued on (?P<issued>\S+): a payment dated (?P<paid>\S+) is before that",
            "paid_before_issued",
        ),
        (
            rf"invoice {_Q}: a payment dated (?P<paid>\S+) is in the future \(today is (?P<today>\S+)\).*",
            "paid_future",
        ),
        (r"invoice number: expected printable text, got .*", "number_unprintable"),
        (r"invoice number: expected some text.*", "number_empty"),
        (r"currency: expected .*currency code.*, got (?P<value>.+)", "currency"),
        (r"expected hours between 0 and 24, got (?P<value>.+)", "hours_range"),
        (r"expected a password of at least 8 characters", "password_short"),
        (rf"user {_USER} already exists(?: as ['\"](?P<stored>.*)['\"])?", "user_exists"),
        (r"expected a user name, got nothing", "user_name_empty"),
        (rf"no user named {_USER}.*", "no_user"),
        (rf"{_USER} is the team's only owner.*", "last_owner"),
        (r"no client named ['\"](?P<client>.*)['\"].*", "no_client"),
        # the manage page (`clients rename|merge`, store.lifecycle) and `invoice renumber`
        (r"expected a new name, got an empty one", "name_empty"),
        (r"a client name has at most (?P<max>\d+) characters, got (?P<length>\d+) \(new name\)", "name_long"),
        (r"client «(?P<name>.*)» is already named so; nothing changed", "name_same"),
        (r"a client named «(?P<name>.*)» already exists; to make the two one client: .*", "name_taken"),
        (r"«.*» and «.*» are one client \(«(?P<name>.*)»\); nothing to merge", "merge_same"),
        (
            r"both clients have invoice (?P<numbers>.+?) \(an invoice number is one per client, .*"
            r"nothing was merged\..*",
            "merge_clash",
        ),
        (
            r"client «(?P<name>.*)»'s evidence log does not verify \((?P<problems>\d+) problems\): .*",
            "merge_unclean",
        ),
        (rf"invoice {_Q} of «.*» already has that number; nothing changed", "renum_same"),
        (rf"«.*» already has an invoice {_Q}: choose another number", "renum_taken"),
        (r"an invoice number has at most (?P<max>\d+) characters, got (?P<length>\d+)", "renum_long"),
    )
)
_AMOUNTS = ("rest", "value")  # numbers the messages print with every digit ("1,250,000.50")


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
        from clientguard.playbook.formatting import currency_text
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
        return Refusal(text.format(**values))
    if isinstance(exc, EditedBehindLogError):
        # The log words its refusal in the server's language (CLIENTGUARD_LANG): the page
        # says it in its own and keeps that line, which names the row and the fields.
        return Refusal(tr("refused_tampered", lang), exc.message)
    for pattern, key in PATTERNS:
        found = pattern.fullmatch(exc.message)
        if found is not None:
            values = {k: v for k, v in found.groupdict().items() if v is not None}
            if "what" in values:
                values["what"] = tr(f"refused_what_{values['what'].replace(' ', '_')}", lang)
            if key == "over_due" or key == "too_big":
                for k in (*_AMOUNTS, "max"):
                    if k in values:
                        values[k] = _amount(values[k], lang)
            if "currency" in values:
                from clientguard.playbook.formatting import currency_text

                values["currency"] = currency_text(values["currency"], lang)
            return Refusal(tr(f"refused_{key}", lang).format(**values), exc.message)
    return Refusal(exc.message)


def _amount(text: str, lang: str) -> str:
    """An amount as the library prints it ("1,250,000.50"), grouped as the page groups."""
    from clientguard.web.pages import money_text

    try:
        return money_text(float(text.replace(",", "")), None, lang)
    except ValueError:
        return text
