"""The facts of a case that a reply draft is filled with.

Every field is optional because a draft is useful even when the store knows little:
templates check each fact and fall back to neutral wording, so an unknown fact never
shows up as ``None`` or an empty gap. :func:`facts_from_strings` turns ``--fact key=value``
options into typed values, so the CLI and the store adapter produce the same object.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, get_type_hints

from clientguard.domain import WorkingHours
from clientguard.errors import ConfigError, Msg, Refusal, msg, refusal
from clientguard.reasons import untold


@dataclass(frozen=True)
class FixedFeeFact:
    """The contract's late fee when it is a sum per day or week, not a rate ("пени 500
    рублей за каждый день просрочки"): the drafts quote it instead of a percentage.
    ``per`` is ``"day"`` or ``"week"``; read from the store only."""

    amount: float
    per: str
    currency: str


@dataclass(frozen=True)
class InvoiceFact:
    """One overdue invoice as a payment draft names it, with the figures of ``invoice list``.

    A claim about two overdue invoices named only the oldest: the drafts now list each one
    (:attr:`ReplyFacts.overdue_invoices`) and claim their total.
    """

    id: str
    issued: date | None
    due: date | None
    total: float  # the invoice's own sum
    paid: float | None  # paid of it so far (None: nothing)
    outstanding: float  # what is still owed of it
    days_overdue: int
    late_fee: float | None  # accrued under the contract's rate (None: no rate known)
    # Its own currency: two overdue invoices in roubles and dollars are listed each in its
    # currency and totalled per currency (None: the draft's currency).
    currency: str | None = None


@dataclass(frozen=True)
class ReplyFacts:
    """What a reply may mention; ``None`` (or an empty tuple) means "unknown"."""

    # People
    client_name: str | None = None
    contact_name: str | None = None
    specialist_name: str | None = None
    other_contact_name: str | None = None
    other_contact_role: str | None = None
    manager_name: str | None = None
    # Project and contract
    project: str | None = None
    # A signed contract is on file (``contract add``, ``contract set --signed``): the drafts
    # refer to "the contract" only then, or when its number, date or a clause is known;
    # otherwise they rest on what was agreed in the correspondence.
    contract_signed: bool | None = None
    contract_number: str | None = None
    contract_date: date | None = None
    clause_number: str | None = None
    clause_text: str | None = None
    scope_items: tuple[str, ...] = ()
    out_of_scope_item: str | None = None
    deliverable: str | None = None
    # Revisions
    revision_count: int | None = None
    revision_limit: int | None = None
    # Money
    currency: str | None = None
    amount: float | None = None  # what is owed (of an invoice paid in part: the rest)
    paid_amount: float | None = None  # already paid of that invoice (then the invoice was amount + this)
    extra_price: float | None = None
    invoice_id: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    days_overdue: int | None = None
    pay_by: date | None = None
    penalty_percent_per_day: float | None = None
    penalty_cap_percent: float | None = None  # the late fee stops at this share of the invoice
    penalty_amount: float | None = None
    # The late fee as a sum per day or week (no rate); from the store only, no ``--fact``.
    penalty_fixed: FixedFeeFact | None = None
    # Every overdue invoice when there are two or more (the single-invoice fields above then
    # describe the oldest). Read from the store only: there is no ``--fact`` for it.
    overdue_invoices: tuple[InvoiceFact, ...] = ()
    # Time
    working_hours: WorkingHours | None = None
    timezone: str | None = None
    reply_by: datetime | None = None
    call_date: date | None = None
    confirm_by: date | None = None
    agreed_points: tuple[str, ...] = ()
    # The client's message being answered
    quoted_message: str | None = None
    quoted_message_date: datetime | None = None
    issue_summary: str | None = None
    # Pilot
    pilot_scope: str | None = None
    pilot_price: float | None = None
    pilot_days: int | None = None
    # Termination
    current_stage: str | None = None
    done_items: tuple[str, ...] = ()
    settle_amount: float | None = None
    end_date: date | None = None

    def with_defaults(self, other: ReplyFacts) -> ReplyFacts:
        """Fill this object's unknown fields from ``other`` (explicit facts win)."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            mine = getattr(self, f.name)
            if mine is None or mine == ():
                theirs = getattr(other, f.name)
                if theirs is not None and theirs != ():
                    changes[f.name] = theirs
        return dataclasses.replace(self, **changes)

    def computed_penalty(self) -> float | None:
        """The penalty to claim: given explicitly, else amount × rate × days overdue."""
        if self.penalty_amount is not None:
            return self.penalty_amount
        if self.amount is None or self.penalty_percent_per_day is None or self.days_overdue is None:
            return None
        return round(self.amount * self.penalty_percent_per_day / 100 * self.days_overdue, 2)


#: Facts only the store fills (structured records, not one ``key=value``).
STORE_ONLY: frozenset[str] = frozenset({"overdue_invoices", "penalty_fixed"})


def fact_names() -> tuple[str, ...]:
    """Every field name ``--fact`` takes, for its help and error messages."""
    return tuple(f.name for f in fields(ReplyFacts) if f.name not in STORE_ONLY)


_HINTS: dict[str, Any] = get_type_hints(ReplyFacts)


def _parse_hours(value: str) -> WorkingHours:
    # "mon-fri 10:00-19:00" or "0,1,2,3,4 10:00-19:00" or just "10:00-19:00".
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    parts = value.strip().lower().split()
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    span = parts[-1]
    if len(parts) == 2:
        spec = parts[0]
        if "-" in spec and all(p in names for p in spec.split("-")):
            a, b = (names.index(p) for p in spec.split("-"))
            days = tuple(range(a, b + 1))
        else:
            days = tuple(names.index(p) if p in names else int(p) for p in spec.split(","))
    start, _, end = span.partition("-")
    if not (start and end):
        raise Refusal(msg("reply_facts.hours_form"))
    return WorkingHours(days=days, start=start, end=end)


_TRUE = frozenset({"1", "yes", "true", "y", "да", "д"})
_FALSE = frozenset({"0", "no", "false", "n", "нет", "н"})


def _parse_bool(text: str) -> bool:
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Refusal(msg("reply_facts.yes_no"))


#: A number sign before an invoice id: "№ 1", "#1", "No. 1" (the templates write "счёт № …").
_NUMBER_SIGN = re.compile(r"^(?:№|#|no\.)\s*", re.IGNORECASE)


def invoice_number(text: str) -> str:
    """An invoice id without its number sign: "№ 2", "#2", "No. 2" and " 2 " are "2".

    One reading for both uses: the store lookup of ``--fact invoice_id=…`` compares ids
    this way, and the draft prints the fact after its own "№" — a user's "№ 1" had made
    "счёт № № 1" while naming the right invoice.
    """
    text = text.strip()
    while (bare := _NUMBER_SIGN.sub("", text, count=1)) != text:
        text = bare
    return text


#: How a fact's type is named when a value does not fit it (not "datetime.date | None").
_HINT_WORDS: dict[Any, Msg] = {
    tuple[str, ...]: msg("reply_facts.hint_list"),
    bool | None: msg("reply_facts.hint_yes_no"),
    int | None: msg("reply_facts.hint_whole"),
    float | None: msg("reply_facts.hint_number"),
    date | None: msg("reply_facts.hint_date"),
    datetime | None: msg("reply_facts.hint_moment"),
    WorkingHours | None: msg("reply_facts.hint_hours"),
}


def _float(text: str) -> float:
    """A number as typed: "45 000,50" (Russian) or "1,200.50" (English); "1,200" is 1200.

    Every comma became a decimal point, so "--fact amount=1,200" drafted a reminder for
    "1.20 GBP" and "1,200.50" was refused (helper 128).
    """
    s = text.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?", s):  # as cli/_numbers reads it
        return float(s.replace(",", ""))
    return float(s.replace(",", "."))


def _convert(
    name: str,
    raw: str,
    day: Callable[[str], date] = date.fromisoformat,
    moment: Callable[[str], datetime] = datetime.fromisoformat,
) -> Any:
    hint = _HINTS[name]
    text = raw.strip()
    if name == "invoice_id":
        if not (number := invoice_number(text)):
            raise Refusal(msg("reply_facts.no_number"))
        return number
    if hint == tuple[str, ...]:
        return tuple(p.strip() for p in text.split(";") if p.strip())
    if hint == (bool | None):
        return _parse_bool(text)
    if hint == (int | None):
        return int(text)
    if hint == (float | None):
        return _float(text)
    if hint == (date | None):
        return day(text)
    if hint == (datetime | None):
        return moment(text)
    if hint == (WorkingHours | None):
        return _parse_hours(text)
    return text


def facts_from_strings(
    pairs: Mapping[str, str],
    day: Callable[[str], date] = date.fromisoformat,
    moment: Callable[[str], datetime] = datetime.fromisoformat,
) -> ReplyFacts:
    """Typed facts from ``key=value`` strings; lists are separated by ``;``.

    ``day`` and ``moment`` read dates: ISO by default; the CLI passes its own readers, so
    ``--fact due_date=15/11/2025`` or ``15.11.2025`` reads as its date options do (it was
    "expected datetime.date | None, got '15/11/2025' (Invalid isoformat string …)").
    Raises :class:`ConfigError` naming the expected form, never a bare ``ValueError``.
    """
    known = set(fact_names())
    values: dict[str, Any] = {}
    for key, raw in pairs.items():
        if key not in known:
            raise ConfigError(msg("reply_facts.unknown_fact", key=key, known=", ".join(sorted(known))))
        if not raw.strip():
            continue
        try:
            values[key] = _convert(key, raw, day, moment)
        except ValueError as exc:
            if _HINTS[key] in (date | None, datetime | None) and repr(raw.strip()) in str(exc):
                # the date reader's own words name the value and the spellings already
                raise ConfigError(msg("reply_facts.fact", key=key, reason=refusal(exc))) from exc
            expected = _HINT_WORDS.get(_HINTS[key], str(_HINTS[key]))
            # int()'s "invalid literal for int() with base 10: 'x'" says nothing the line
            # does not (the value, what was expected): English keeps it, Russian leaves it out
            why = refusal(exc) if isinstance(exc, Refusal) else untold(exc)
            if isinstance(exc, Refusal) and exc.said.id == "reply_facts.hours_form":
                # the expected form gives the example already: both lines said it twice,
                # «…, например «Mon-Fri 10:00-19:00», а указано «xx» (нужно, например, …)»,
                # "… like 'Mon-Fri 10:00-19:00', got 'xx' (expected e.g. 'mon-fri 10:00-19:00')"
                why = ""
            said = msg("reply_facts.fact_value", key=key, expected=expected, raw=raw, reason=why)
            raise ConfigError(said) from exc
    return ReplyFacts(**values)


def parse_fact_options(options: list[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``; guards the ``key=value`` form."""
    out: dict[str, str] = {}
    for opt in options:
        key, sep, value = opt.partition("=")
        if not sep or not key.strip():
            raise ConfigError(msg("reply_facts.key_value", option=opt))
        out[key.strip()] = value
    return out
