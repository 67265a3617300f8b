"""Read stored contracts again with today's reader, keeping the terms the user set by hand.

A contract's terms are read once, when it is added, and stored; reminders and late fees
are computed from what was stored. When the reader changes so that old readings are
wrong (the seventeenth session: "4% above the Bank of England base rate" had been stored
as 4% a day, and reminders claimed a hundred times the interest the contract allows),
the stored terms keep the old reading. ``contract reread`` reads the contract again: the
file when it is still where it was added from and unchanged (its SHA-256), otherwise the
late-payment clause's stored quote alone (the rate is read from that sentence only).

What changes and what stays:

* a term the new reading states replaces the stored one, unless the user set it by hand
  (``contract set``, a case file: :class:`~clientguard.contracts.repo.TermOrigin`), which
  is kept and shown beside the reading;
* a term the new reading leaves unknown keeps its stored value, as ``contract add`` does;
* a late-payment clause read as no figure (a rate tied to a published rate, or a bare
  percentage) clears a stored rate that came from a reading, since "unknown" here is
  exactly what the old reading got wrong;
* terms stored before origins were kept (migration ``0005_contracts_term_origins``) are
  an older reading when the terms were last written from a contract; when they were last
  written by hand, a term equal to what the stored contract's report extracted is a
  reading, and one that differs, or that the report does not carry (the late fee), is
  ``unsure``: kept unless the user asks for the reading (``--take-unsure``).

Why no automatic re-read: a re-read changes the figures reminders claim and writes a new
version of the terms on the evidence log; the user should see old → new before that
happens, and the commands that notice an older reading (``contract show``, ``invoice
list``) only read the store. They say so instead (:func:`older_late_fee`), and the
re-read is one command away, with ``--dry-run`` to look first. The dashboard offers the
same re-read behind a confirmation page that shows old → new and writes only that
(:func:`seen`): :mod:`clientguard.web.routes.reread`. Which terms are an older reading,
for the notices, is :mod:`clientguard.contracts.older`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from clientguard.contracts.repo import (
    CAP_SUM,
    FEE_CAP,
    FIXED_FEE,
    LATE_FEE,
    TRACKED_TERMS,
    StoredContract,
    StoredTerms,
    TermOrigin,
    contract_on_file,
    put_rereads,
    stored_term,
    term_origins,
    terms_record,
)
from clientguard.domain import ContractTerms, WorkingHours

if TYPE_CHECKING:
    from clientguard.contracts.terms import FixedLateFee, SumCap
    from clientguard.store import Store


@dataclass(frozen=True)
class TermChange:
    """One term: the stored value and the value of today's reading.

    ``why`` says why a term whose reading differs was kept: ``manual`` (set by hand) or
    ``unsure`` (stored before origins were kept; possibly the user's); empty for a change.
    """

    field: str
    old: object
    new: object
    why: str = ""


@dataclass(frozen=True)
class Reread:
    """What reading a client's stored contract again gives, before or after it is written."""

    client: str
    contract: str
    #: True: the file was read again; False: only the late fee, from the stored quote
    whole: bool
    changes: tuple[TermChange, ...]
    kept: tuple[TermChange, ...]
    #: terms read as they are stored (their origin takes today's reader when applied)
    confirmed: tuple[str, ...]
    late_fee_unread: str | None
    terms: ContractTerms
    cap: float | None
    source: str
    updated_at: datetime
    #: SHA-256 of the contract's file as it was when this reading was made (None: no
    #: file there), so a confirmation can tell that the file changed since the preview
    file_sha: str | None = None
    #: the late fee as a sum per day or week, as the write leaves it
    fixed: FixedLateFee | None = None
    #: a rate's cap written as a sum, as the write leaves it
    cap_sum: SumCap | None = None


@dataclass(frozen=True)
class _Reading:
    values: dict[str, object]
    unread: str | None
    whole: bool
    file_sha: str | None = None


def _file_sha(contract: StoredContract) -> str | None:
    """The SHA-256 of the file at the contract's path now; None when there is none to read."""
    path = Path(contract.path)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        return None


def _late_fee_quote(contract: StoredContract) -> str | None:
    for clause in contract.report.get("clauses", ()):
        if (
            isinstance(clause, dict)
            and clause.get("id") == "late_payment_penalty"
            and clause.get("status") == "present"
            and clause.get("quote")
        ):
            return str(clause["quote"])
    return None


def _read(contract: StoredContract, whole: bool) -> _Reading:
    """Today's reading: every term from the file when it is the one stored (its SHA-256),
    else the late fee from its stored quote."""
    from clientguard.contracts.terms import LateFee, contract_cap, read_late_fee

    sha = _file_sha(contract) if whole else None
    if sha is not None and sha == contract.sha256:
        from clientguard.contracts.checker import check_contract

        ext = check_contract(Path(contract.path), lang=contract.lang).extracted
        values: dict[str, object] = {
            name: ext.late_fee_cap_percent if name == FEE_CAP else getattr(ext, name)
            for name in TRACKED_TERMS
        }
        return _Reading(values, ext.late_fee_unread, True, sha)
    quote = _late_fee_quote(contract)
    fee = read_late_fee(quote) if quote else LateFee()
    # a cap in another currency than the contract's is not read, as `contract add` reads it
    cap_sum = contract_cap(fee.cap_sum, _contract_currency(contract))
    values = {LATE_FEE: fee.percent_per_day, FEE_CAP: fee.cap_percent, FIXED_FEE: fee.fixed, CAP_SUM: cap_sum}
    return _Reading(values, fee.unread, False, sha)


def _contract_currency(contract: StoredContract) -> str | None:
    """The currency of the stored contract's price as its report keeps it."""
    extracted = contract.report.get("extracted")
    found = extracted.get("currency") if isinstance(extracted, dict) else None
    return str(found) if found else None


#: Whole readings made for the notices (:func:`plan` with ``cached``), by the file's state:
#: a client page is rebuilt whenever the database changes (a message imported, a note),
#: and reading a .docx or a .pdf again each time would cost more than the page.
_READINGS: OrderedDict[tuple[object, ...], _Reading] = OrderedDict()
_READINGS_SIZE = 64
_READINGS_LOCK = threading.Lock()


def _read_cached(contract: StoredContract) -> _Reading:
    """:func:`_read` of the whole file, made once per stored contract, file state
    (modification time, size, inode) and reader version.

    For what is only shown: a file rewritten within the same nanosecond at the same size
    would be missed, so what is written (:func:`reread`) always reads the file itself.
    """
    from clientguard.contracts.terms import reader_version

    try:
        st = Path(contract.path).stat()
        stamp: tuple[int, ...] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        stamp = None
    key = (contract.id, contract.path, contract.sha256, contract.lang, stamp, reader_version())
    with _READINGS_LOCK:
        hit = _READINGS.get(key)
        if hit is not None:
            _READINGS.move_to_end(key)
            return hit
    reading = _read(contract, whole=True)
    with _READINGS_LOCK:
        _READINGS[key] = reading
        while len(_READINGS) > _READINGS_SIZE:
            _READINGS.popitem(last=False)
    return reading


def _as_json(value: object) -> object:
    """A term as the stored report's ``extracted`` object writes it."""
    from clientguard.contracts.terms import FixedLateFee, SumCap

    if isinstance(value, (FixedLateFee, SumCap)):
        return value.as_json()
    if isinstance(value, WorkingHours):
        return {"days": list(value.days), "start": value.start, "end": value.end}
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _why_kept(
    name: str, current: StoredTerms, origins: dict[str, TermOrigin], contract: StoredContract
) -> str:
    """``manual``, ``unsure`` or "" (a reading, which the new one may replace)."""
    found = origins.get(name)
    if found is not None:
        return "manual" if found.origin == "manual" else ""
    if current.source == "contract":
        return ""
    extracted = contract.report.get("extracted")
    given = extracted.get(name) if isinstance(extracted, dict) else None
    if given not in (None, []) and _as_json(_value(current, name)) == given:
        return ""  # the value the contract gave, kept through a later `contract set`
    return "unsure"


def _value(current: StoredTerms, name: str) -> object:
    return stored_term(current, name)


def _stated(name: str, new: object, reading: _Reading) -> bool:
    """Whether the reading states the term ``name``: a value; for the rate, a clause read as
    no figure or as a sum; for the sum, a clause read as a rate (the two replace each other)."""
    if new not in (None, ()):
        return True
    if name == LATE_FEE:
        return reading.unread is not None or reading.values.get(FIXED_FEE) is not None
    return name == FIXED_FEE and reading.values.get(LATE_FEE) is not None


def plan(
    store: Store, client: str, *, whole: bool = True, take_unsure: bool = False, cached: bool = False
) -> Reread | None:
    """What a re-read of the client's stored contract would change; None without one.

    ``whole`` False reads only the late fee from the stored quote (cheap: no file is
    opened), as the late-fee notice of ``invoice list`` does. ``take_unsure`` lets the
    reading replace terms stored before origins were kept that may have been set by hand.
    ``cached``: a whole reading of the same file state is made once per process (the
    notices, :mod:`clientguard.contracts.older`); never for a plan that is written.
    """
    current = terms_record(store, client)
    contract = contract_on_file(store, client)
    if current is None or contract is None:
        return None
    origins = term_origins(store, client)
    reading = _read_cached(contract) if cached and whole else _read(contract, whole)
    changes: list[TermChange] = []
    kept: list[TermChange] = []
    confirmed: list[str] = []
    for name in TRACKED_TERMS:
        if name not in reading.values:
            continue
        new = reading.values[name]
        if not _stated(name, new, reading):
            continue  # unknown to the reading: the stored term stays, as `contract add` keeps it
        old = _value(current, name)
        if new == old:
            confirmed.append(name)
            continue
        why = _why_kept(name, current, origins, contract)
        if why == "manual" or (why == "unsure" and not take_unsure):
            kept.append(TermChange(name, old, new, why))
        else:
            changes.append(TermChange(name, old, new))
    values: dict[str, Any] = {c.field: c.new for c in changes if c.field not in (FEE_CAP, FIXED_FEE, CAP_SUM)}
    cap_change = next((c for c in changes if c.field == FEE_CAP), None)
    cap = current.late_fee_cap_percent if cap_change is None else cast("float | None", cap_change.new)
    fixed_change = next((c for c in changes if c.field == FIXED_FEE), None)
    fixed = current.late_fee_fixed if fixed_change is None else cast("FixedLateFee | None", fixed_change.new)
    sum_change = next((c for c in changes if c.field == CAP_SUM), None)
    cap_sum = current.late_fee_cap_sum if sum_change is None else cast("SumCap | None", sum_change.new)
    return Reread(
        client=current.client,
        contract=contract.path,
        whole=reading.whole,
        changes=tuple(changes),
        kept=tuple(kept),
        confirmed=tuple(confirmed),
        late_fee_unread=reading.unread,
        terms=replace(current.terms, **values),
        cap=cap,
        source=current.source,
        updated_at=current.updated_at,
        file_sha=reading.file_sha,
        fixed=fixed,
        cap_sum=cap_sum,
    )


def seen(found: Reread) -> str:
    """A digest of everything a confirmation page shows of ``found`` and everything its
    write depends on: the terms' version, the file's state, each old → new and what stays.

    The dashboard's re-read is confirmed on a page made from one plan and written from a
    plan made again on the POST; the two digests must match, or the user would confirm
    something they did not see (the file edited, a ``contract set`` in between).
    """
    lines = [[c.field, repr(c.old), repr(c.new), c.why] for c in (*found.changes, *found.kept)]
    facts = [
        found.client,
        found.contract,
        found.whole,
        found.file_sha,
        found.updated_at.isoformat(),
        found.late_fee_unread,
        lines,
        list(found.confirmed),
    ]
    return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()


def reread(
    store: Store, clients: list[str], *, apply: bool = True, take_unsure: bool = False
) -> list[Reread]:
    """Re-read the stored contract of each of ``clients``; with ``apply``, write all at once.

    A client with no stored contract is left out. The writes are one transaction
    (:func:`~clientguard.contracts.repo.put_rereads`): all clients' new terms, or none.
    """
    plans = [p for p in (plan(store, c, take_unsure=take_unsure) for c in clients) if p is not None]
    if apply:
        put_rereads(store, plans)
    return plans


def older_late_fee(store: Store, client: str) -> Reread | None:
    """The re-read of the late fee alone, when the stored rate is an older reading that
    today's reader reads otherwise (a change, or a term kept as ``unsure``); else None.

    Cheap enough for every listing: a rate read by today's reader or set by hand is not
    looked at again, and the rest is read from the stored clause quote, no file opened.
    """
    from clientguard.contracts.terms import reader_version

    origin = term_origins(store, client).get(LATE_FEE)
    if origin is not None and (origin.origin == "manual" or origin.reader == reader_version()):
        return None
    found = plan(store, client, whole=False)
    if found is None:
        return None
    fees = (LATE_FEE, FEE_CAP, FIXED_FEE, CAP_SUM)
    fee = [c for c in (*found.changes, *found.kept) if c.field in fees and c.why != "manual"]
    return found if fee else None
