"""Case files: the facts about one client relationship that a chat alone cannot give.

A case file (JSON or YAML, ``spec/contracts.md`` "Case files") names the client and its
contacts, the specialist's identities, the time zone, working hours, stage, contract
terms and invoices. It is optional: :func:`default_case` fills the documented defaults
and :attr:`CaseFile.assumed` lists which of them were assumed, so the report can say so.
Label-only fields of the data sets (``archetypes``, ``message_labels`` …) are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from clientguard.contracts import validate
from clientguard.domain import ContractTerms, Invoice, WorkingHours
from clientguard.errors import ConfigError, Refusal, msg, os_reason
from clientguard.reasons import yaml_reason
from clientguard.taxonomy import STAGES

DEFAULT_TZ = "Europe/Moscow"
DEFAULT_COUNTRY = "RU"
# Validation context of records read back from the store (see ``CaseContract``).
_STORED = {"stored": True}


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _place(loc: Sequence[int | str]) -> str:
    """A field's place as the user finds it in the file: ``invoices[0].due``, not ``invoices.0.due``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _errors(exc: ValidationError, lang: str = "en") -> str:
    """``place: message`` of every error (``; ``-joined), in our validators' own words.

    All of them, so that a case file with three bad terms is fixed in one go. A
    validator's :class:`~clientguard.errors.Refusal` is worded in ``lang``; the rest are
    English in every language, as they were.
    """
    out = []
    for err in exc.errors():
        where = _place(err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, Refusal):
            text = cause.said.text(lang)
        else:
            text = str(err["msg"]).removeprefix("Value error, ")
        out.append(f"{where}: {text}" if where else text)
    return "; ".join(out)


def _written_out(value: Any, info: ValidationInfo) -> Any:
    """A number given as text, refused when written as the CLI refuses it: "1_000", "1e3".

    Pydantic reads both as numbers (Python's digit separator and exponent), so a case file's
    ``amount: "1_000"`` was 1000 and ``"1e3"`` a thousand, though ``invoice add`` and the
    web forms refuse them (``clientguard.cli._numbers``): a slip of the keyboard ("10_00")
    was stored unseen. Numbers the file writes as numbers pass (``1000``, ``1000.5``); a
    YAML file's unquoted ``1_000`` and ``1e3`` reach here as text (:func:`_yaml_loader`).
    """
    if not isinstance(value, str) or _stored(info):
        return value
    from clientguard.cli._numbers import EXPONENT, UNDERSCORE

    text = value.strip()
    if EXPONENT.fullmatch(text):
        raise Refusal(msg("numbers.exponent", text=value))
    if UNDERSCORE in text:
        raise Refusal(msg("numbers.underscore", text=value))
    return value


class CaseContact(BaseModel):
    """A person on the client's side; ``from_id`` is their platform id."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str = ""
    from_id: str = ""
    role: str | None = None


class CaseClient(BaseModel):
    """The client as the case file names it (the main day-to-day contact)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str = ""
    from_id: str | None = None
    company: str | None = None


class CaseHours(BaseModel):
    """Working days (Monday = 0) and hours ``HH:MM`` in the case's time zone.

    Checked by :mod:`clientguard.contracts.validate`, the same rules ``contract set``
    applies, so stored hours never crash a later analysis or ``contract show``.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    start: str = "10:00"
    end: str = "19:00"

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, v: Any) -> tuple[int, ...]:
        return validate.weekdays(v)

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        return validate.clock(v)

    @model_validator(mode="after")
    def _span(self) -> CaseHours:
        validate.hours_span(self.start, self.end)
        return self

    @classmethod
    def from_domain(cls, wh: WorkingHours) -> CaseHours:
        """Stored hours; ones stored before they were checked are named, not a traceback."""
        try:
            return cls.model_validate(wh, from_attributes=True)
        except ValidationError as exc:
            raise ConfigError(msg("case.stored_hours", errors=_errors(exc))) from exc


class CaseContract(BaseModel):
    """Contract terms analysis holds the client to; None means unknown."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    signed: bool = False
    scope: tuple[str, ...] = ()
    revision_limit: int | None = None
    price: float | None = None
    currency: str | None = None
    payment_due_days: int | None = None
    late_fee_percent_per_day: float | None = None

    _numbers = field_validator(
        "revision_limit", "price", "payment_due_days", "late_fee_percent_per_day", mode="before"
    )(_written_out)

    # The rules of ``contract set`` (contracts.validate): a case file stored a revision
    # limit of -3 and a price of -5 as the client's terms (QA F21). Terms read back from
    # the store (``from_domain``) pass as they are: ones stored before these checks must
    # not stop every later analysis, and none of them can crash it.
    @field_validator("revision_limit")
    @classmethod
    def _limit(cls, v: int | None, info: ValidationInfo) -> int | None:
        return v if v is None or _stored(info) else validate.revision_limit(v)

    @field_validator("payment_due_days")
    @classmethod
    def _due(cls, v: int | None, info: ValidationInfo) -> int | None:
        return v if v is None or _stored(info) else validate.payment_due_days(v)

    @field_validator("price")
    @classmethod
    def _price(cls, v: float | None, info: ValidationInfo) -> float | None:
        return v if v is None or _stored(info) else validate.amount(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None, info: ValidationInfo) -> str | None:
        return v if v is None or _stored(info) else validate.currency(v)

    @field_validator("late_fee_percent_per_day")
    @classmethod
    def _late_fee(cls, v: float | None, info: ValidationInfo) -> float | None:
        return v if v is None or _stored(info) else validate.late_fee(v)

    @classmethod
    def from_domain(cls, t: ContractTerms) -> CaseContract:
        """The inverse of :meth:`CaseFile.terms` (working hours live on the case).

        The fields share their names with :class:`ContractTerms`, so pydantic reads them off
        the dataclass; a field added to both needs no mapping here.
        """
        return cls.model_validate(t, from_attributes=True, context=_STORED)


def _rule(check: Callable[[], Any], what: str) -> Any:
    """``check()``, its :class:`ConfigError` as the ValueError a validator raises: its words,
    less the leading ``what: `` (the place in the file names the field)."""
    try:
        return check()
    except ConfigError as exc:
        raise ValueError(exc.message.removeprefix(f"{what}: ")) from None


def _case_day(value: Any, info: ValidationInfo) -> Any:
    """A case file's date as ISO text, read as the CLI's date options read one.

    ``due: "04/11/2025"`` was kept as typed and refused only when the invoice was stored,
    after the chat had been imported, as "due date: expected a date YYYY-MM-DD" with no
    file or field named. Now ISO, dotted (``04.11.2025``) and slashed dates (ordered by the
    locale, :func:`clientguard.cli._dates.day`) are read here, and YAML's own unquoted dates,
    within the years an invoice may carry; what is not a date is refused with the file.
    """
    if value is None or _stored(info):
        return value
    from clientguard.cli._dates import EXPECTED, day
    from clientguard.contracts.invoices import EARLIEST, latest_date

    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    elif isinstance(value, str):
        found = day(value)  # a ValueError naming the value and both spellings
    else:
        raise ValueError(f"{EXPECTED}, got {value!r}")
    if not EARLIEST <= found <= latest_date():
        raise ValueError(
            f"expected a date from {EARLIEST.isoformat()} to {latest_date().isoformat()}, got {value!r}"
        )
    return found.isoformat()


class CasePayment(BaseModel):
    """A partial payment of an invoice."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    date: str
    amount: float

    _date = field_validator("date", mode="before")(_case_day)
    _number = field_validator("amount", mode="before")(_written_out)

    @field_validator("amount")
    @classmethod
    def _amount(cls, v: float, info: ValidationInfo) -> float:
        return v if _stored(info) else validate.amount(v)


class CaseInvoice(BaseModel):
    """An invoice; ``paid_on`` None means not (fully) paid."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    amount: float
    issued: str
    due: str
    paid_on: str | None = None
    currency: str = "RUB"
    partial_payments: tuple[CasePayment, ...] = ()

    _dates = field_validator("issued", "due", "paid_on", mode="before")(_case_day)
    _written = field_validator("amount", mode="before")(_written_out)

    @field_validator("id")
    @classmethod
    def _number(cls, v: str, info: ValidationInfo) -> str:
        from clientguard.contracts.invoices import check_number

        return v if _stored(info) else _rule(lambda: check_number(v), "invoice number")

    @field_validator("amount")
    @classmethod
    def _amount(cls, v: float, info: ValidationInfo) -> float:
        from clientguard.contracts.invoices import check_amount

        return v if _stored(info) else _rule(lambda: check_amount(v), "invoice amount")

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str, info: ValidationInfo) -> str:
        return v if _stored(info) else validate.currency(v)

    @model_validator(mode="after")
    def _storable(self, info: ValidationInfo) -> CaseInvoice:
        """What ``invoice add`` and ``invoice paid`` would refuse, refused when the file is read.

        The case's invoices are stored after its chat is imported; an invoice due before it
        was issued, or paid before, or paid more than its amount, failed there, half-way.
        """
        if _stored(info):
            return self
        if self.due < self.issued:
            raise ValueError(f"the due date {self.due} is before the issue date {self.issued}")
        paid = [p.date for p in self.partial_payments] + ([self.paid_on] if self.paid_on else [])
        early = [d for d in paid if d < self.issued]
        if early:
            raise ValueError(f"issued on {self.issued}: a payment dated {early[0]} is before that")
        total = round(sum(p.amount for p in self.partial_payments), 2)
        if total > self.amount:
            raise ValueError(f"the payments add up to {total:g}, more than the amount {self.amount:g}")
        return self

    @classmethod
    def from_domain(cls, i: Invoice, payments: Sequence[tuple[str, float]] = ()) -> CaseInvoice:
        """A stored invoice; its ``(date, amount)`` payments count only while it is unpaid."""
        partial = (
            tuple(CasePayment.model_validate({"date": d, "amount": a}, context=_STORED) for d, a in payments)
            if i.paid_on is None
            else ()
        )
        inv = cls.model_validate(i, from_attributes=True, context=_STORED)
        return inv.model_copy(update={"partial_payments": partial})


class CaseFile(BaseModel):
    """One client relationship, as read from a case file or defaulted."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    client: CaseClient = Field(default_factory=CaseClient)
    contacts: tuple[CaseContact, ...] = ()
    specialist_from_id: str | None = None
    specialist_ids: tuple[str, ...] = ()
    timezone: str = DEFAULT_TZ
    country: str | None = None
    working_hours: CaseHours = Field(default_factory=CaseHours)
    stage: str = "contract"
    contract: CaseContract | None = None
    invoices: tuple[CaseInvoice, ...] = ()
    assumed: tuple[str, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"expected an IANA time zone like Europe/Moscow, got {v!r}") from exc
        return v

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str) -> str:
        if v not in STAGES:
            raise ValueError(f"expected one of {', '.join(STAGES)}, got {v!r}")
        return v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def me(self) -> frozenset[str]:
        """Every platform id that counts as the specialist's."""
        ids = set(self.specialist_ids)
        if self.specialist_from_id:
            ids.add(self.specialist_from_id)
        return frozenset(ids)

    def terms(self) -> ContractTerms | None:
        """The contract as the shared domain object (None when no contract is known)."""
        if self.contract is None:
            return None
        hours = WorkingHours(**self.working_hours.model_dump())
        return ContractTerms(**self.contract.model_dump(), working_hours=hours)

    def domain_invoices(self) -> tuple[Invoice, ...]:
        return tuple(
            Invoice(
                id=i.id,
                amount=i.amount,
                issued=i.issued,
                due=i.due,
                paid_on=i.paid_on,
                currency=i.currency,
                paid_amount=sum(p.amount for p in i.partial_payments) or None,
            )
            for i in self.invoices
        )

    def with_me(self, ids: tuple[str, ...]) -> CaseFile:
        """A copy with extra specialist identities (``--me``)."""
        return self.model_copy(update={"specialist_ids": tuple(dict.fromkeys((*self.specialist_ids, *ids)))})


# Which defaulted fields the report mentions, keyed by the case-file field name.
_DEFAULTABLE: tuple[str, ...] = ("timezone", "working_hours", "stage", "contract", "specialist_from_id")


def case_from_dict(data: dict[str, Any], source: str = "<case>") -> CaseFile:
    """Validate a case dict; fields that were absent are recorded in ``assumed``."""
    if not isinstance(data, dict):
        raise ConfigError(msg("case.not_mapping", source=source, kind=type(data).__name__))
    assumed = [name for name in _DEFAULTABLE if data.get(name) is None]
    contract = data.get("contract")
    if "stage" in assumed and isinstance(contract, dict) and contract.get("signed") is True:
        assumed.remove("stage")  # "contract", the default, is what a signed contract means
    if data.get("country") is None:
        assumed.append("country")
    data = _invoices_in_contract_currency(data)
    try:
        case = CaseFile.model_validate({**data, "assumed": tuple(assumed)})
    except ValidationError as exc:
        errors = {"en": _errors(exc), "ru": _errors(exc, "ru")}  # a parameter in each language
        raise ConfigError(msg("case.invalid", source=source, errors=errors)) from exc
    return case


def _invoices_in_contract_currency(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the contract's currency on every invoice that names none.

    An invoice's own default is RUB; a case with ``contract: {currency: USD}`` and an
    invoice of 1200 without a currency of its own stored "1,200 RUB", and the payment
    drafts asked an American client for roubles. The contract's currency is the one the
    invoice is written in unless the invoice says otherwise.
    """
    contract, invoices = data.get("contract"), data.get("invoices")
    currency = contract.get("currency") if isinstance(contract, dict) else None
    if currency is None or not isinstance(invoices, list):
        return data
    filled = [
        {**inv, "currency": currency} if isinstance(inv, dict) and inv.get("currency") is None else inv
        for inv in invoices
    ]
    return {**data, "invoices": filled}


def load_case(path: str | Path) -> CaseFile:
    """Read a case file; JSON or YAML is told by content, not by the file name."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(msg("case.cannot_read", path=p, reason=os_reason(exc))) from exc
    data: Any
    try:
        data = json.loads(raw, parse_float=_json_float)
    except json.JSONDecodeError:
        import yaml

        try:
            data = yaml.load(raw, Loader=_yaml_loader())  # a SafeLoader: no Python objects
        except yaml.YAMLError as exc:
            raise ConfigError(msg("case.not_json_yaml", path=p, error=yaml_reason(exc))) from exc
    case = case_from_dict(data, str(p))
    _storable(case, str(p))
    return case


def _json_float(text: str) -> float | str:
    """A JSON number with a fraction or an exponent: ``1e3`` stays text, which the number
    fields refuse (:func:`_written_out`), as a YAML file's does; any other is a float."""
    return text if "e" in text or "E" in text else float(text)


@cache
def _yaml_loader() -> type[Any]:
    """``yaml.SafeLoader`` whose unquoted numbers are only plain decimals (``1000``, ``-2``,
    ``1000.5``, ``.5``; ``.inf`` and ``.nan``, which the validators name).

    YAML 1.1 reads ``1_000`` as 1000, ``1.0e+3`` as 1000.0, ``010`` as 8 and ``1:30`` as
    90: an amount typed so in a case file was stored as another number, unseen. Any other
    spelling stays text and reaches the fields' validators, which refuse it with the file
    and the field named, or read it as pydantic reads text ("010" is 10).
    """
    import re

    import yaml

    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"

    class CaseLoader(yaml.SafeLoader):
        pass

    CaseLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (int_tag, float_tag)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    CaseLoader.add_implicit_resolver(int_tag, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
    CaseLoader.add_implicit_resolver(
        float_tag,
        re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+0123456789."),
    )
    return CaseLoader


def _storable(case: CaseFile, source: str, today: date | None = None) -> None:
    """What storing the case's invoices would refuse, refused before anything is stored.

    ``analyze FILE --case`` stores the case's invoices after importing the chat; a payment
    dated after today (``invoice paid`` refuses it) or a second invoice with a number
    already listed ("already exists") failed there, with the chat imported, the first
    invoices stored and the user's identity saved. Checked here and not in
    :func:`case_from_dict`: a labelled data set is read, never stored, and its payment
    dates must not expire with time.
    """
    today = today or date.today()
    seen: dict[str, int] = {}
    for i, inv in enumerate(case.invoices):
        number = inv.id.strip()
        if number in seen:
            first = f"invoices[{seen[number]}]"
            raise ConfigError(msg("case.invoice_twice", source=source, i=i, number=number, first=first))
        seen[number] = i
        dated = [(f"partial_payments[{j}].date", p.date) for j, p in enumerate(inv.partial_payments)]
        dated += [("paid_on", inv.paid_on)] if inv.paid_on else []
        for where, when in dated:
            if when > today.isoformat():
                raise ConfigError(
                    msg(
                        "case.future_payment",
                        source=source,
                        i=i,
                        where=where,
                        when=when,
                        today=today.isoformat(),
                    )
                )


def default_case(client_name: str = "", stage: str = "contract") -> CaseFile:
    """The case assumed when there is no case file: every defaultable field is assumed."""
    return CaseFile(client=CaseClient(name=client_name), stage=stage, assumed=(*_DEFAULTABLE, "country"))
