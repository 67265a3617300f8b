"""Dispute-ready exports of a client's evidence log: JSON, self-contained HTML, PDF.

The export is built from the LOG (what the chain vouches for, with each entry's seq and
hash), not from the current tables, and it states the verification verdict and the
chain's head hash, so a reader can later check that nothing was added or removed.
HTML has inline CSS and no external resources; PDF is the same HTML's content laid out by
reportlab (:mod:`.export_pdf`; the ``pdf`` extra, and the DejaVu fonts: Debian
``fonts-dejavu-core``); JSON is written by :mod:`.export_json`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, select

from clientguard.errors import ConfigError
from clientguard.evidence import baseline, moves
from clientguard.evidence.chain import MESSAGE, MESSAGES, Problem, parse_listing
from clientguard.evidence.closing import CLOSING_KINDS, ClosingNote, closing_text
from clientguard.evidence.closing import note as closing_note
from clientguard.evidence.moves import MOVE_KINDS, MOVED_OUT, MoveNote
from clientguard.evidence.notes import Note, notes
from clientguard.evidence.sources import PAYMENTS, current_events, current_messages
from clientguard.evidence.verify import VerifyReport, chain_rows
from clientguard.report.i18n import fill, quote, t
from clientguard.store.models import ConversationRow, MessageRow

if TYPE_CHECKING:
    from clientguard.analysis.model import ClientProfile

log = logging.getLogger(__name__)

PAYMENT = PAYMENTS[2]  # the record kind of an invoice's payment
VOID = "void"  # the record kind of a voided invoice or payment (sources.EXTRA_TABLES)
ADJUSTMENT = "adjustment"  # a refund or credit of an invoice, or the void of one (sources.EXTRA_TABLES)
ADJUSTMENTS_TABLE = "invoice_adjustments"

FORMATS: tuple[str, ...] = ("html", "pdf", "json")


@dataclass(frozen=True)
class Entry:
    """One line of the chronology: a logged record as the reader needs it."""

    seq: int
    hash: str
    kind: str
    ref: str
    when: str | None
    who: str | None
    role: str | None
    text: str
    signals: tuple[str, ...] = ()
    tampered: bool = False  # named by the verification: show it as unreliable
    moved_from: str | None = None  # came with a conversation: the client and seq that logged it before
    move: MoveNote | None = None  # a moved_out / moved_in line: the move it records
    # A rename or merge (``clients rename|merge``): worded per language in the HTML and PDF;
    # not in the JSON format (its ``text`` says it in English).
    closing: ClosingNote | None = None
    # A contract's, invoice's or payment's logged fields, so the HTML can word them; not in
    # the JSON format (its ``text`` keeps the fields as logged).
    data: dict[str, Any] | None = None
    # A message forwarded from someone else (the sender only passed it on) and the time it
    # was last edited (UTC ISO): the chronology printed a partner's forwarded words as the
    # client's own and an edited text as if sent so, in a document for a dispute.
    forwarded_from: str | None = None
    edited: str | None = None
    # The kind of media a message carried (photo, file, …): the log keeps the kind only,
    # never the file, and the HTML says so; the JSON's ``text`` ends in " [kind]" as before.
    attachment: str | None = None
    # A message's canonical JSON as stored: its SHA-256 is the hash its record lists unless
    # the row was edited behind the log, so a reader checks the quoted text against the
    # chain without clientguard (JSON format only).
    logged: str | None = None


#: How a reader recomputes the chain from the JSON export alone (its ``chain`` section).
METHOD = (
    "Each item of 'chain' is one record, in seq order. content_hash = SHA-256 (hex) of the "
    "UTF-8 bytes of 'payload' (records without a payload: the SHA-256 of the 'logged' text of "
    "the chronology entry with kind 'message' and that ref; one outside the export's period "
    "has no such entry: its content_hash is taken as given). record = canonical JSON of "
    "{client_id, content_hash, created_at, kind, ref, seq, source_hash} (keys sorted, no "
    "whitespace, UTF-8 unescaped: json.dumps(obj, sort_keys=True, ensure_ascii=False, "
    "separators=(',', ':'))). hash = SHA-256 (hex) of the UTF-8 bytes of prev_hash + record, "
    "prev_hash of seq 1 being 64 zeros and of every later record the hash before it; the last "
    "hash must equal head_hash. A record of kind 'messages' lists [[message id, SHA-256 of the "
    "message's 'logged' JSON], ...]: a quoted message matches the chain when the SHA-256 of its "
    "'logged' text is the hash listed for its id. The chain is always the whole log, whatever "
    "the period."
)


@dataclass(frozen=True)
class ExportData:
    """Everything an export shows; ``to_json`` is the JSON format verbatim."""

    client: str
    generated_at: str
    period_from: str | None
    period_to: str | None
    head_seq: int
    head_hash: str
    records: int
    verified: bool
    problems: tuple[Problem, ...]
    chronology: tuple[Entry, ...]
    flagged: tuple[Entry, ...]
    signals_note: str | None
    notes: tuple[Note, ...]
    invoices: tuple[dict[str, Any], ...]
    extra: dict[str, Any] = field(default_factory=dict)
    messages: int = 0  # messages the chain vouches for (a chunk record lists many)
    moves: tuple[MoveNote, ...] = ()  # conversations that left or joined the client
    client_id: int = 0  # the log's client id, part of every record's hash
    # Every record of the log as stored (the whole log, whatever the period: the head
    # depends on all of it), so the JSON format can be checked by a short script (METHOD).
    chain: tuple[dict[str, Any], ...] = ()
    method: str = METHOD
    # The client's labelled forwards, each with its own labels (HTML/PDF section "Переслано,
    # не учтено"); the JSON format carries them through the chronology's forwarded_from.
    forwarded: tuple[Entry, ...] = ()

    @property
    def invoice_columns(self) -> tuple[str, ...]:
        """The invoices table's columns (:func:`invoice_columns`)."""
        return invoice_columns(self.invoices)

    def to_json(self) -> dict[str, Any]:
        """The JSON format as a dict (the file itself is written by :func:`export_json.parts`)."""
        from clientguard.evidence.export_json import parts

        out: dict[str, Any] = json.loads("".join(parts(self)))
        return out


def _in_period(when: str | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if not when:
        return False
    day = date.fromisoformat(when[:10])
    return (start is None or day >= start) and (end is None or day <= end)


#: Chronology texts that stand in for an unreadable or missing record (the JSON format keeps
#: them as written; the HTML shows them in the page's language, ``evidence_doc`` strings).
_STAND_INS = {
    "(deleted from the store)": "deleted",
    "(unreadable message listing)": "unreadable_listing",
    "(unreadable move record)": "unreadable_move",
}
_DELETED, _BAD_LISTING, _BAD_MOVE = _STAND_INS
#: How :func:`_describe` words a note and a confirmation; :func:`entry_text` reads them back.
_NOTE = re.compile(r"\[(?P<kind>[a-z]+)\] (?P<text>.*)", re.S)
_CONFIRMS = re.compile(r"confirms note #(?P<note>\d+): (?:message #(?P<message>\d+)|(?P<text>.*))", re.S)


def _describe(kind: str, data: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """(when, who, text) of a logged payload."""
    if kind == "message":
        extra = f" [{data['attachment']}]" if data.get("attachment") not in (None, "none") else ""
        ts = data.get("ts")  # epoch seconds in message payloads
        when = datetime.fromtimestamp(ts, UTC).isoformat() if isinstance(ts, int | float) else None
        return when, data.get("sender_name") or data.get("sender_key"), (data.get("text") or "") + extra
    if kind == "event":
        details = ", ".join(f"{k}: {v}" for k, v in sorted((data.get("details") or {}).items()))
        return (
            data.get("ts"),
            data.get("actor_name"),
            f"{data.get('kind')}" + (f" ({details})" if details else ""),
        )
    if kind == "note":
        return (
            data.get("occurred_on") or data.get("created_at"),
            data.get("author"),  # team mode: which member wrote it
            f"[{data.get('kind')}] {data.get('text')}",
        )
    if kind == "confirmation":
        what = data.get("text") or f"message #{data.get('message_id')}"
        return data.get("created_at"), None, f"confirms note #{data.get('note_id')}: {what}"
    keys = ("voided_at", "issued", "paid_on", "signed_on", "created_at", "added_at", "updated_at", "date")
    when = next((data[k] for k in keys if data.get(k)), None)
    shown = {k: v for k, v in data.items() if k not in ("client_id",) and v not in (None, "")}
    return None if when is None else str(when), None, ", ".join(f"{k}: {_plain(v)}" for k, v in shown.items())


def _plain(value: Any) -> str:
    """A logged value as JSON writes it (``true``, ``{"days": [0, 1]}``), not as Python's repr."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


#: Invoice fields shown first, in this order; internal ids and timestamps are left out.
_INVOICE_KEYS = ("number", "issued", "due", "amount", "currency", "paid_on", "paid_amount")
_INVOICE_HIDDEN = frozenset({"id", "client_id", "created_at", "updated_at"})


#: Invoice fields shown last, in this order: what the export works out from the log (a void,
#: refunds and credits, the payments and what is left) after what the invoice record holds.
_INVOICE_TAIL = ("voided", "credited", "refunded", "paid_amount", "outstanding", "payments", "seq")

#: A payment's fields in the invoices table (its invoice's number and currency are the row's).
_PAYMENT_KEYS = ("amount", "paid_on")


def invoice_columns(invoices: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The invoices table's columns: every field any invoice has, in one fixed order.

    The table took its columns from the first invoice, so a field only a later one logged
    (a paid date, a currency, a renumbering) was dropped from the page and the PDF, though
    the JSON kept it. :data:`_INVOICE_KEYS` come first, then other logged fields in the
    order the invoices first show them, then :data:`_INVOICE_TAIL`.
    """
    seen = dict.fromkeys(k for inv in invoices for k in inv)

    def rank(key: str) -> int:
        if key in _INVOICE_TAIL:
            return 2000 + _INVOICE_TAIL.index(key)
        if key in _INVOICE_KEYS:
            return _INVOICE_KEYS.index(key)
        return 1000  # sorted() is stable: these stay in the order they were first seen

    return tuple(sorted(seen, key=rank))


def _whole(value: Any) -> Any:
    """45000.0 as 45000: the JSON and the table print the amount as the user typed it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _invoice_view(data: dict[str, Any], seq: int) -> dict[str, Any]:
    view = {k: data[k] for k in _INVOICE_KEYS if k in data}
    view |= {k: v for k, v in data.items() if k not in view and k not in _INVOICE_HIDDEN}
    if "amount" in view:
        view["amount"] = _whole(view["amount"])
    return view | {"seq": seq}


def _with_payments(
    invoice: dict[str, Any], payments: list[dict[str, Any]], adjusted: dict[str, float] | None = None
) -> dict[str, Any]:
    """An invoice's view with its logged payments, what they add up to and what is left.

    ``payments`` are the logged payment records of this invoice, in seq order, each as
    ``{"amount", "paid_on", "seq"}``; ``paid_amount`` and ``outstanding`` are their sum
    and the rest of the amount (never below 0), to the kopeck. A voided payment (its
    ``voided`` is the void's reason) is listed but pays nothing; a voided invoice (its
    ``voided``) is owed nothing: the export must not claim a debt the user cancelled.
    ``adjusted`` (when the client has refunds or credits): this invoice's ``credited`` and
    ``refunded`` sums, as ``invoice list`` nets them: money returned leaves what was paid
    and is not owed again; a credit lowers what is owed. Without it an invoice credited by
    agreement was still shown as owed in a document made for a dispute.
    """
    counted = [p for p in payments if not p.get("voided") and isinstance(p.get("amount"), int | float)]
    paid = round(sum(float(p["amount"]) for p in counted), 2)
    credited = refunded = 0.0
    out = dict(invoice)
    seq = out.pop("seq")
    if adjusted is not None:
        credited, refunded = adjusted["credited"], adjusted["refunded"]
        out["credited"], out["refunded"] = _whole(round(credited, 2)), _whole(round(refunded, 2))
    out["paid_amount"] = _whole(round(paid - refunded, 2))
    amount = out.get("amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        rest = 0.0 if out.get("voided") else max(0.0, float(amount) - credited - paid)
        out["outstanding"] = _whole(round(rest, 2))
    out["payments"] = [
        {k: _whole(p[k]) for k in (*_PAYMENT_KEYS, "voided", "seq") if k in p} for p in payments
    ]
    return out | {"seq": seq}


def _void_named(
    data: dict[str, Any],
    invoices: dict[str, dict[str, Any]],
    payments: dict[str, dict[str, Any]],
    voided: dict[str, str],
) -> str:
    """A logged void's payload with what it voids as logged before it (the invoice's number,
    the payment's amount and date), for its chronology line; notes the void in ``voided``.

    Only the words: the record's hash covers the logged payload, not this.
    """
    invoice_ref = f"{PAYMENTS[1]}:{data.get('invoice_id')}"
    invoice = invoices.get(invoice_ref, {})
    named = dict(data) | {"invoice_number": invoice.get("number"), "currency": invoice.get("currency")}
    reason = str(data.get("reason") or "")
    if data.get("payment_id") is None:
        voided[invoice_ref] = reason
    else:
        payment_ref = f"{PAYMENTS[0]}:{data['payment_id']}"
        voided[payment_ref] = reason
        pay = payments.get(payment_ref, {})
        named |= {"amount": pay.get("amount"), "paid_on": pay.get("paid_on")}
    return json.dumps(named, ensure_ascii=False)


def _note_day(n: Note) -> str:
    return n.occurred_on or n.created_at.isoformat()


def _roles(conn: Connection, client_id: int) -> dict[int, str]:
    query = (
        select(MessageRow.id, MessageRow.role)
        .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
        .where(ConversationRow.client_id == client_id)
    )
    return {int(i): str(r) for i, r in conn.execute(query)}


#: Message id → labels of the flagged messages (None when detection is not available), the
#: note the document prints instead of the column when it is not, and message id → labels
#: of the client's labelled forwards (someone else's words: listed apart, never flagged).
Flags = tuple[dict[str, tuple[str, ...]] | None, str | None, dict[str, tuple[str, ...]]]


def _flags(conn: Connection, client: str, profile: ClientProfile | None, *, one_shot: bool = False) -> Flags:
    """Message id → labels, as the dashboard's client page flags the client's messages.

    The export ran the message detector alone over the client's texts, while the client
    page also reads each message in context (a "Ответьте сейчас" sent at night is an
    off-hours demand only by its time; the third small edit in a row is nitpicking) and
    marks the messages that conversation signals name: QA counted 11 flagged messages in
    the document and 13 on the page. Both now read
    :func:`clientguard.analysis.flags.message_flags` of the profile
    :func:`~clientguard.web.profiles.compute_profile` builds (``profile`` when the caller
    already has it, as the web page does), so the document flags what the dashboard showed.
    ``one_shot``: the caller analyses nothing else (:func:`flags_first`), so the profile is
    computed with ``release_models`` (the NLP models dropped once the messages are labelled).
    """
    try:
        from clientguard.analysis.flags import forwarded_flags, message_flags
        from clientguard.web.profiles import compute_profile
    except ImportError as exc:
        log.warning("signal detection is not available: %s", exc)
        return None, "signal detection (clientguard.analysis) is not installed; column omitted", {}
    try:
        if profile is None:
            from clientguard.store import Store

            # not closed: the caller's engine
            profile = compute_profile(Store(conn.engine), client, release_models=one_shot)
        # Only the flags leave: the profile (every message analysed, ~100 MB at 50,000
        # messages) is dropped here, before the chronology is read (:func:`flags_first`).
        return message_flags(profile), None, forwarded_flags(profile)
    except Exception as exc:  # the analysis is another feature: its failure must not block an export
        log.warning("signal detection failed: %s", exc)
        return None, f"signal detection failed ({exc.__class__.__name__}); column omitted", {}


def flags_first(conn: Connection, client_id: int) -> Flags | None:
    """The client's flags, computed before anything else of the export is read; None: no messages.

    Why first: the profile the flags come from is the export's biggest transient (the
    analysis models, ~100 MB, plus every message analysed and in context, ~120 MB at
    50,000 messages). Computed in :func:`collect`, it stood on top of the verification
    and the chronology with its chain (~110 MB), and the JSON export of that client
    peaked at 406 MB; computed first, only the flags (a dict of labels) are held by
    the time the log is read, and the memory the analysis freed is reused for it. The
    messages, events, contracts and invoices it reads are the ones the collection
    later sees (moves, verification and sync only append to the log), so the flags are
    the same. It is the one-shot path (the CLI; the web passes its cached profile): the NLP
    models are released as soon as the messages are labelled, before the profile step,
    where the JSON export of 50,000 messages peaked with them still held (308 MB).
    """
    from clientguard.store.lookup import has_messages
    from clientguard.store.models import ClientRow

    if not has_messages(conn, client_id):
        return None
    name = conn.execute(select(ClientRow.name).where(ClientRow.id == client_id)).scalar_one()
    return _flags(conn, str(name), None, one_shot=True)


#: Findings of the cross-check against the store: they name a (kind, ref), not a record.
_STORE_FINDINGS = frozenset({"source_changed", "source_missing", "unlogged", "inserted"})


def _entry(
    seq: int,
    digest: str,
    kind: str,
    ref: str,
    text: str | None,
    roles: dict[int, str],
    start: date | None,
    end: date | None,
) -> Entry | None:
    """The chronology line of one logged item (``text`` its payload), or None outside the period."""
    if text is None:
        return Entry(seq, digest, kind, ref, None, None, None, _DELETED)
    data = json.loads(text)
    when, who, shown = _describe(kind, data)
    if not _in_period(when, start, end):
        return None
    role = roles.get(int(ref)) if kind == MESSAGE and ref.isdigit() else None
    kept = data if (kind in _WORDED or kind == "event") and isinstance(data, dict) else None
    if kind != MESSAGE:
        return Entry(seq, digest, kind, ref, when, who, role, shown, data=kept)
    edited = data.get("edited")
    return Entry(
        seq, digest, kind, ref, when, who, role, shown,
        forwarded_from=data.get("forwarded_from") or None,
        edited=datetime.fromtimestamp(edited, UTC).isoformat() if isinstance(edited, int | float) else None,
        attachment=None if data.get("attachment") in (None, "none") else str(data["attachment"]),
        logged=text,
    )  # fmt: skip


def _renumbered(text: str, data: dict[str, Any], before: dict[str, Any] | None, key: str) -> str:
    """An invoice's (or payment's) record logged again by ``invoice renumber``: its words say so.

    The record repeats the row with the invoice's new number; read alone it looked like a
    second invoice issued (or a second payment). ``renumbered_from`` (the number of the
    record before) is only for the words; the hash covers the logged payload, not this.
    """
    if before is None or before.get(key) == data.get(key):
        return text
    return json.dumps(data | {"renumbered_from": before.get(key)}, ensure_ascii=False)


def _adjustment_named(
    data: dict[str, Any], invoices: dict[str, dict[str, Any]], adjustments: dict[str, dict[str, Any]]
) -> str:
    """A logged refund, credit or void of one with its invoice's number and currency, and
    for a void what it voids (kind and amount as logged before it), for its chronology line.

    Only the words: the record's hash covers the logged payload, not this.
    """
    invoice = invoices.get(f"{PAYMENTS[1]}:{data.get('invoice_id')}", {})
    named = dict(data) | {"invoice_number": invoice.get("number"), "currency": invoice.get("currency")}
    if data.get("kind") == "void":
        target = adjustments.get(f"{ADJUSTMENTS_TABLE}:{data.get('void_of')}", {})
        named |= {"voided_kind": target.get("kind"), "voided_amount": target.get("amount")}
    return json.dumps(named, ensure_ascii=False)


def _adjusted(adjustments: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per invoice ref: what refunds and credits not voided since add up to."""
    voids = (a for a in adjustments.values() if a.get("kind") == "void")
    voided = {f"{ADJUSTMENTS_TABLE}:{a.get('void_of')}" for a in voids}
    sums: dict[str, dict[str, float]] = {}
    for ref, adj in adjustments.items():
        kind, amount = adj.get("kind"), adj.get("amount")
        if ref in voided or kind not in ("refund", "credit") or not isinstance(amount, int | float):
            continue
        per = sums.setdefault(f"{PAYMENTS[1]}:{adj.get('invoice_id')}", {"credited": 0.0, "refunded": 0.0})
        per["credited" if kind == "credit" else "refunded"] += float(amount)
    return sums


def _chronology(
    conn: Connection, client_id: int, start: date | None, end: date | None
) -> tuple[list[Entry], dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The chronology lines of the log, in seq order, the invoices as last logged, and the log's records.

    Each invoice carries the payments logged for it (``payments``, in seq order), their
    sum (``paid_amount``) and what is left (``outstanding``).

    A conversation that left the client (``moved_out``) takes its messages' and events'
    lines with it and leaves one line saying where it went, when and why; one that came
    (``moved_in``) brings one line per message and event, vouched for by the
    ``moved_in`` record and naming where each was logged before.
    """
    roles = _roles(conn, client_id)
    messages = {cur.ref: cur.payload for cur in current_messages(conn, client_id)}
    events = {cur.ref: cur.payload for cur in current_events(conn, client_id)}
    entries: list[Entry | None] = []
    held: dict[tuple[str, str], int] = {}  # (kind, ref) → index of the line vouching for it
    invoices: dict[str, dict[str, Any]] = {}
    voided: dict[str, str] = {}  # ref of a voided invoice or payment → the void's reason
    payments: dict[str, dict[str, Any]] = {}  # payment ref → its logged fields and seq
    adjustments: dict[str, dict[str, Any]] = {}  # refund/credit/void-of-one ref → its logged fields
    chain: list[dict[str, Any]] = []  # every record as stored, for ExportData.chain

    def add(entry: Entry | None) -> None:
        if entry is not None:
            if entry.kind in (MESSAGE, "event"):
                held[(entry.kind, entry.ref)] = len(entries)
            entries.append(entry)

    for row in chain_rows(conn, client_id):
        seq, kind, ref, payload, content_hash, created, source_hash, prev, digest = row
        chain.append({
            "seq": seq, "kind": kind, "ref": ref, "created_at": created, "source_hash": source_hash,
            "content_hash": content_hash, "prev_hash": prev, "hash": digest, "payload": payload,
        })  # fmt: skip
        if kind == MESSAGES:
            # A chunk's listing: one chronology line per listed message, each vouched
            # for by the chunk record (its seq and hash).
            try:
                listing = parse_listing(payload)
            except ValueError:
                add(Entry(seq, digest, kind, ref, None, None, None, _BAD_LISTING))
                continue
            for mid, _content_hash in listing:
                add(_entry(seq, digest, MESSAGE, str(mid), messages.get(str(mid)), roles, start, end))
            continue
        if kind == baseline.KIND:
            # The log's own bookkeeping (from which row ids on every write is chained when
            # made), not a fact of the case: counted and verified with the chain, not a line.
            continue
        if kind in CLOSING_KINDS:
            # A rename or merge: one line in words, not its payload (a merge lists every row
            # it handed over; each is a line of its own where it was logged).
            if _in_period(created, start, end):
                said = closing_note(seq, kind, created, payload)
                add(Entry(seq, digest, kind, ref, created, said.by, None, said.describe(), closing=said))
            continue
        if kind in MOVE_KINDS:
            try:
                move = moves.parse(payload)
            except ValueError:
                add(Entry(seq, digest, kind, ref, None, None, None, _BAD_MOVE))
                continue
            for what, rid, _h, origin in move.entries:
                if kind == MOVED_OUT:
                    index = held.pop((what, rid), None)
                    if index is not None:
                        entries[index] = None
                else:
                    now = (messages if what == MESSAGE else events).get(rid)
                    entry = _entry(seq, digest, what, rid, now, roles, start, end)
                    if entry is not None:
                        add(dataclasses.replace(entry, moved_from=f"«{move.from_name}», seq {origin}"))
            if _in_period(created, start, end):
                note = moves.notes([(seq, kind, created, move)])[0]
                add(Entry(seq, digest, kind, ref, created, None, None, note.describe(), move=note))
            continue
        # A per-message record holds only the hash; its text is the stored row, which the
        # verification verdict (printed in the export) vouches for.
        text = payload if payload is not None else messages.get(ref)
        if kind == "invoice" and text is not None:
            logged = json.loads(text)
            text = _renumbered(text, logged, invoices.get(ref), "number")
            invoices[ref] = _invoice_view(logged, seq)
        if kind == PAYMENT and text is not None:
            logged = json.loads(text)
            text = _renumbered(text, logged, payments.get(ref), "invoice_number")
            payments[ref] = logged | {"seq": seq}
        if kind == VOID and text is not None:
            text = _void_named(json.loads(text), invoices, payments, voided)
        if kind == ADJUSTMENT and text is not None:
            adjustments[ref] = json.loads(text)
            text = _adjustment_named(adjustments[ref], invoices, adjustments)
        add(_entry(seq, digest, kind, ref, text, roles, start, end))
    by_invoice: dict[str, list[dict[str, Any]]] = {}
    for ref, pay in payments.items():
        if ref in voided:
            pay = pay | {"voided": voided[ref]}
        by_invoice.setdefault(f"{PAYMENTS[1]}:{pay.get('invoice_id')}", []).append(pay)
    # "voided" on every invoice when one was voided (the JSON's invoices keep one shape)
    mark = any(ref in voided for ref in invoices)
    # refunds and credits (`invoice refund|credit`): columns only when there are any
    sums = _adjusted(adjustments)
    shown = {
        ref: _with_payments(
            view | ({"voided": voided.get(ref)} if mark else {}),
            by_invoice.get(ref, []),
            sums.get(ref, {"credited": 0.0, "refunded": 0.0}) if sums else None,
        )
        for ref, view in invoices.items()
    }
    return [e for e in entries if e is not None], shown, chain


def collect(
    conn: Connection,
    client_id: int,
    report: VerifyReport,
    start: date | None = None,
    end: date | None = None,
    profile: ClientProfile | None = None,
    flags_known: Flags | None = None,
) -> ExportData:
    """Read the log (and roles, notes) into an :class:`ExportData`; period filters by the record's date.

    Messages are flagged as the dashboard flags them (:func:`_flags`): ``flags_known`` when the
    caller computed them already (:func:`flags_first`), else from ``profile``, the
    client's dashboard profile when the caller has it, else computed here.
    """
    entries, invoices, chain = _chronology(conn, client_id, start, end)
    # A seq names the whole record only for chain problems; the cross-check's findings
    # (source_changed, ...) carry the seq of the record listing the message, and must
    # mark that one message, not every message of its chunk.
    flagged_refs = {(p.kind, p.ref) for p in report.problems if p.kind and p.ref}
    flagged_seqs = {p.seq for p in report.problems if p.seq is not None and p.what not in _STORE_FINDINGS}
    entries = [
        dataclasses.replace(e, tampered=True)
        if (e.kind, e.ref) in flagged_refs or e.seq in flagged_seqs
        else e
        for e in entries
    ]
    entries.sort(key=lambda e: (e.when is None, e.when or "", e.seq))
    has_messages = any(e.kind == MESSAGE for e in entries)
    flags: dict[str, tuple[str, ...]] | None = {}
    forwards: dict[str, tuple[str, ...]] = {}
    note = None
    if has_messages:
        known = flags_known if flags_known is not None else _flags(conn, report.client, profile)
        flags, note, forwards = known
    if flags:
        entries = [
            dataclasses.replace(e, signals=flags[e.ref]) if e.kind == MESSAGE and e.ref in flags else e
            for e in entries
        ]
    flagged = tuple(e for e in entries if e.signals)
    # The client page lists labelled forwards apart ("forwarded, not counted"); so does the
    # document, so that leaving them out of the flagged table hides nothing.
    forwarded = tuple(
        dataclasses.replace(e, signals=forwards[e.ref])
        for e in entries
        if e.kind == MESSAGE and e.ref in forwards
    )
    return ExportData(
        client=report.client,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        period_from=start.isoformat() if start else None,
        period_to=end.isoformat() if end else None,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        records=report.records,
        verified=report.ok,
        problems=report.problems,
        chronology=tuple(entries),
        flagged=flagged,
        forwarded=forwarded,
        signals_note=note,
        notes=tuple(n for n in notes(conn, client_id) if _in_period(_note_day(n), start, end)),
        invoices=tuple(invoices.values()),
        messages=report.messages,
        moves=report.moves,
        client_id=client_id,
        chain=tuple(chain),
    )


def _reason_text(reason: str, lang: str) -> str:
    """A move's stored reason in ``lang``: the known English reasons by the constant that wrote them."""
    from clientguard.evidence.handover import LATE_REASON
    from clientguard.store.import_parties import MOVE_REASON

    key = {MOVE_REASON: "import", LATE_REASON: "late"}.get(reason)
    return t("move_reasons", key, lang) if key else reason


def move_text(note: MoveNote, lang: str) -> str:
    """One line for a conversation that changed client; English is :meth:`MoveNote.describe`."""
    if lang != "ru":
        return note.describe()
    titled = t("moves", "chat_titled", lang)
    chat = fill(titled, lang, title=note.title) if note.title else t("moves", "chat", lang)
    head = fill(
        t("moves", note.direction, lang), lang,
        chat=chat,
        conversation=note.conversation_id,
        other=note.other,
        other_seq=note.other_seq,
        at=note.at[:16].replace("T", " ") + " UTC",
        messages=note.messages,
        events=note.events,
        reason=_reason_text(note.reason, lang),
    )
    return head + (t("moves", "file", lang).format(file=note.file) if note.file else "")


def entry_text(entry: Entry, lang: str) -> str:
    """A chronology line's text in ``lang``: our own wording is translated, the record's data is not.

    Stand-ins for missing records, a note's kind and a confirmation's frame are ours;
    the note's and the client's words, and the fields of contracts and invoices, stay as logged.
    """
    if entry.closing is not None:
        return closing_text(entry.closing, lang)
    if entry.data is not None and entry.move is None:
        worded = record_text(entry.ref, entry.data, lang)
        if worded is not None:
            return worded
    if entry.kind == "event" and entry.data is not None:
        return event_text(entry.data, lang)
    suffix = f" [{entry.attachment}]"
    if entry.attachment and entry.text.endswith(suffix):
        # The HTML names the attachment on a line of its own, in the page's language.
        return entry.text[: -len(suffix)]
    if lang != "ru" or entry.move is not None:
        return entry.text
    if entry.text in _STAND_INS:
        return t("evidence_doc", _STAND_INS[entry.text], lang)
    note = _NOTE.fullmatch(entry.text) if entry.kind == "note" else None
    if note:
        return f"[{t('note_kinds', note['kind'], lang)}] {note['text']}"
    confirms = _CONFIRMS.fullmatch(entry.text) if entry.kind == "confirmation" else None
    if confirms:
        what = confirms["text"]
        if confirms["message"]:
            what = t("evidence_doc", "client_message", lang).format(id=confirms["message"])
        return t("evidence_doc", "confirms", lang).format(note=confirms["note"], what=what)
    return entry.text


@functools.cache
def _event_words() -> dict[str, dict[str, dict[str, str]]]:
    import yaml

    text = resources.files("clientguard.evidence").joinpath("data/events.yaml").read_text(encoding="utf-8")
    words: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(text)
    return words


def event_text(data: dict[str, Any], lang: str) -> str:
    """A chat's service event in words: "звонок (длительность, с: 45; как завершён: hangup)".

    Kinds and detail names from ``data/events.yaml`` in ``lang``; one not listed keeps its
    id, and every value stays as logged (the hash covers the logged fields, not these words).
    """
    words = _event_words()
    kind = str(data.get("kind"))
    name = words["kinds"].get(kind, {}).get(lang, kind)
    details = data.get("details") or {}
    if not isinstance(details, dict) or not details:
        return name
    fields = words["fields"]
    shown = "; ".join(f"{fields.get(k, {}).get(lang, k)}: {_plain(v)}" for k, v in sorted(details.items()))
    return f"{name} ({shown})"


#: Record kinds whose fields the HTML words (:func:`record_text`).
_WORDED = frozenset({"contract", "invoice", PAYMENT, VOID, ADJUSTMENT})


def amount_text(value: Any, lang: str) -> str:
    """An amount with every kopeck, grouped per language ("1 250 000,50" / "1,250,000.50")."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    from clientguard.numbers import amount

    return amount(value, lang)


def money_text(value: Any, currency: Any, lang: str) -> str:
    """A logged sum and its currency on one line: "20 000 RUB" (U+00A0, as everywhere).

    The document names a currency by its ISO code, as its invoices table's currency column
    and the logged records do, not by "₽" as the pages and letters do.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"{value} {currency or ''}".strip()
    from clientguard.numbers import money

    return money(value, str(currency or ""), lang, names={})


def _terms_text(data: dict[str, Any], lang: str) -> str:
    """Stored contract terms in words: "подписан — да; лимит правок — 2; цена — 45 000 RUB"."""
    from clientguard.domain import WorkingHours
    from clientguard.playbook.formatting import hours

    doc = "evidence_doc"
    parts = [
        f"{t(doc, 'signed', lang)} — {t(doc, 'answer_yes' if data.get('signed') else 'answer_no', lang)}"
    ]
    for key in ("revision_limit", "payment_due_days", "price", "working_hours", "late_fee_percent_per_day",
                "late_fee_fixed", "late_fee_cap_percent", "late_fee_cap_sum"):  # fmt: skip
        value = data.get(key)
        if value is None:
            continue
        if key == "price":
            shown = money_text(value, data.get("currency"), lang)
        elif key == "late_fee_fixed":
            # "500 RUB за каждый день просрочки": a sum per day or week, worded as everywhere
            # else, its currency by ISO code as this document names currencies
            from clientguard.contracts.terms import FixedLateFee

            fee = FixedLateFee.from_json(value)
            shown = _plain(value) if fee is None else fee.worded(lang, names={})
        elif key == "late_fee_cap_sum":
            # "не более 10 000 RUB всего": a rate's cap written as a sum
            from clientguard.contracts.terms import SumCap

            cap = SumCap.from_json(value)
            shown = _plain(value) if cap is None else cap.worded(lang, names={})
        elif key == "working_hours" and isinstance(value, dict):
            try:
                wh = WorkingHours(days=tuple(value["days"]), start=value["start"], end=value["end"])
                shown = hours(wh, None, lang)
            except (KeyError, TypeError, ValueError):
                shown = _plain(value)
        elif isinstance(value, float):  # a percentage: as written, decimal comma in Russian
            from clientguard.numbers import number

            shown = number(value, lang)
        else:
            shown = str(value)
        parts.append(f"{t('terms', key, lang)} — {shown}")
    return "; ".join(parts)


def record_text(ref: str, data: dict[str, Any], lang: str) -> str | None:
    """A logged contract, terms, scope item, invoice or payment in words; None for a shape not known here.

    The chronology printed these records as Python dictionaries ("working_hours: {'days':
    [0, 1, 2, 3, 4], …}", "signed: True", a whole clause report of 7 KB, the file's full
    local path) in a document meant for a dispute. The hash covers the logged fields, not
    these words, so wording them changes nothing the verification checks.
    """
    table = ref.split(":", 1)[0]
    doc = "evidence_doc"
    try:
        if table == "invoices" and data.get("renumbered_from") is not None:
            old = data["renumbered_from"]
            return t(doc, "invoice_renumbered", lang).format(old=old, number=data["number"])
        if table == "invoices":
            return t(doc, "invoice", lang).format(
                number=data["number"],
                issued=data["issued"],
                amount=money_text(data["amount"], data.get("currency"), lang),
                due=data["due"],
            )
        if table == PAYMENTS[0]:
            return payment_text(data, lang)
        if table == "invoice_voids":
            number = data.get("invoice_number") or f"#{data['invoice_id']}"
            if data.get("payment_id") is None:
                return t(doc, "invoice_voided", lang).format(number=number, reason=data["reason"])
            if data.get("amount") is None:
                what = t(doc, "payment_id", lang).format(id=data["payment_id"], number=number)
            else:
                what = payment_text(data | {"invoice_number": number}, lang)
            return t(doc, "payment_voided", lang).format(payment=what, reason=data["reason"])
        if table == ADJUSTMENTS_TABLE:
            return _adjustment_text(data, lang)
        if table == "scope_items":
            return t(doc, "scope_item", lang).format(n=int(data["position"]) + 1, text=data["text"])
        if table == "contract_terms":
            source = t("terms_source", str(data.get("source")), lang)
            return t(doc, "contract_terms", lang).format(source=source, terms=_terms_text(data, lang))
        if table == "contracts":
            clauses = (data.get("report") or {}).get("clauses") or []
            count = {
                s: sum(1 for c in clauses if c.get("status") == s) for s in ("present", "weak", "missing")
            }
            name = str(data["path"]).replace("\\", "/").rsplit("/", 1)[-1]
            return fill(
                t(doc, "contract_file", lang), lang,
                file=name, fmt=data.get("fmt", "?"), lang=data.get("lang", "?"), **count
            )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return None


def _adjustment_text(data: dict[str, Any], lang: str) -> str:
    """A logged refund, credit or void of one in words (KeyError when a field is missing)."""
    number = data.get("invoice_number") or f"#{data['invoice_id']}"
    currency = data.get("currency") or ""
    kind = str(data["kind"])
    if kind == "void":
        what = data.get("voided_kind")
        amount = data.get("voided_amount")
        shown = "" if amount is None else money_text(amount, currency, lang)
        key = f"adjustment_void_{what if what in ('refund', 'credit') else 'other'}"
        return t("evidence_doc", key, lang).format(
            id=data["void_of"], amount=shown, number=number, reason=data["reason"]
        )
    amount = money_text(data["amount"], currency, lang)
    return t("evidence_doc", kind, lang).format(
        amount=amount, number=number, date=data["date"], reason=data["reason"]
    )


def _payment_line(pay: dict[str, Any], invoice: dict[str, Any], lang: str) -> str:
    """A payment in the invoices table, marked when it was voided (it pays nothing)."""
    line = payment_text(pay | {"currency": invoice.get("currency")}, lang, invoice=False)
    if pay.get("voided"):
        line += " — " + t("evidence_doc", "voided_mark", lang).format(reason=pay["voided"])
    return line


def payment_text(data: dict[str, Any], lang: str, *, invoice: bool = True) -> str:
    """A logged payment in words: "оплата 20 000 RUB по счёту № П-09, 2025-09-20".

    ``invoice`` False leaves the invoice out ("оплата 20 000 RUB, 2025-09-20"), for the
    invoices table, whose row names it. Raises KeyError when a field is missing.
    """
    amount = money_text(data["amount"], data.get("currency"), lang)
    if not invoice:
        return t("evidence_doc", "payment_line", lang).format(amount=amount, paid_on=data["paid_on"])
    number = data.get("invoice_number") or f"#{data['invoice_id']}"
    said = t("evidence_doc", "payment", lang).format(amount=amount, number=number, paid_on=data["paid_on"])
    if data.get("renumbered_from") is not None:  # logged again by `invoice renumber`
        said += t("evidence_doc", "payment_renumbered", lang).format(old=data["renumbered_from"])
    return said


def problem_text(problem: Problem, lang: str) -> str:
    """What a verification finding means: English keeps the verifier's own "what: detail".

    The Russian sentence is the finding's kind in words (``evidence_problems`` of the
    interface strings); an unknown kind keeps the English detail rather than hide it.
    """
    sentence = t("evidence_problems", problem.what, lang) if lang == "ru" else problem.what
    if sentence == problem.what:
        return f"{problem.what}: {problem.detail}"
    return sentence


def local_time(value: str, zone: str) -> str:
    """A logged time in ``zone`` with its offset: "2025-09-03 23:47 +03:00"; a date as is.

    The export printed UTC only ("2025-09-03 20:47 UTC"), so a client's message sent at a
    quarter to midnight read as an evening one in a document whose point is off-hours
    pressure, and it disagreed with the dashboard (23:47). The JSON keeps UTC.
    """
    if len(value) <= 10:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:16].replace("T", " ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        tz: tzinfo = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    shown = moment.astimezone(tz)
    offset = shown.strftime("%z")  # "+0300"
    return f"{shown:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def _tampered_texts(data: ExportData, kind: str) -> dict[int, str | None]:
    """Id → logged text of each ``kind`` record the verification flagged (None: not readable)."""
    out: dict[int, str | None] = {}
    for e in data.chronology:
        if e.kind == kind and e.tampered and e.ref.isdigit():
            note = _NOTE.fullmatch(e.text) if kind == "note" else _CONFIRMS.fullmatch(e.text)
            out[int(e.ref)] = note["text"] if note and note["text"] is not None else None
    return out


def to_html(data: ExportData, lang: str = "ru") -> str:
    """A self-contained HTML page (inline CSS, no scripts, no external files): :func:`html_parts` joined."""
    return "".join(html_parts(data, lang))


def html_parts(data: ExportData, lang: str = "ru") -> Iterator[str]:
    """The HTML export as consecutive pieces of text (Jinja2's ``generate``), so a file is written
    without the whole page in memory at once.

    Domain ids (signals, record and note kinds, invoice fields) are shown by name in the
    page's language, the id kept in the element's ``title``; the JSON format keeps ids.
    """
    import jinja2

    from clientguard import config

    zone = config.get("tz")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("clientguard.evidence", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("export.html.j2").generate(
        d=data,
        en=(lang == "en"),
        term=lambda section, key: t(section, key, lang),
        move_text=lambda note: move_text(note, lang),
        entry_text=lambda entry: entry_text(entry, lang),
        problem_text=lambda problem: problem_text(problem, lang),
        amount=lambda value: amount_text(value, lang),
        payment_line=lambda pay, inv: _payment_line(pay, inv, lang),
        quote=lambda text: quote(text, lang),  # «…» in Russian, “…” in English
        local_time=lambda value: local_time(value, zone),
        zone=zone,
        # A confirmation naming the client's message quotes it (text, sender, time): the
        # notes table said "client's message #4" and the reader had to hunt for it.
        quoted={e.ref: e for e in data.chronology if e.kind == MESSAGE},
        # Notes and confirmations the verification names: the notes table read the store,
        # so a note edited in the database behind the log was printed there as agreed,
        # unmarked, while only the chronology flagged it. Each maps to its logged text.
        bad_notes=_tampered_texts(data, "note"),
        bad_confirmations=_tampered_texts(data, "confirmation"),
    )


def to_pdf(data: ExportData, lang: str = "ru") -> bytes:
    """The HTML export laid out as PDF (:mod:`clientguard.evidence.export_pdf`, reportlab).

    Linear in the entries: the whole 50,000-message client of ``bench/bench_evidence_export.py``
    (4,919 pages) takes 36 s of CPU and 0.5 GB with its ``prepare`` (WeasyPrint, before, needed
    227 s and 3.4 GB for 15,272 entries and was killed on the whole client at 300 s and 9.2 GB).
    """
    from clientguard.evidence.export_pdf import html_to_pdf

    return html_to_pdf(html_parts(data, lang))


def render(data: ExportData, fmt: str, lang: str = "ru") -> bytes:
    """The export in ``fmt`` (html, pdf or json) as bytes ready to write (the web's downloads)."""
    if fmt == "pdf":
        return to_pdf(data, lang)
    return "".join(_text_parts(data, fmt, lang)).encode("utf-8")


#: The web's downloads send the text formats in pieces of about this many bytes: Jinja2's
#: ``generate`` yields a piece per tag and value, one ASGI message each would cost more
#: than the bytes they carry.
STREAM_CHUNK = 64 * 1024


def stream(data: ExportData, fmt: str, lang: str = "ru") -> Iterator[bytes]:
    """The HTML or JSON export as UTF-8 pieces, from the writers :func:`write` uses.

    The dashboard's downloads built the whole body (``render``): the 56 MB JSON of a
    50,000-message client as a str and again as bytes (HTML also decoded back to a str for
    the response). Joined, the pieces are :func:`render`'s bytes. A format other than
    html or json is a :class:`ConfigError` here, before anything is sent (PDF is made
    whole by reportlab: :func:`render`).
    """
    if fmt == "pdf":
        raise ConfigError("a PDF export is laid out whole: write it with render() or write(), not stream()")
    parts = _text_parts(data, fmt, lang)  # raises now, not at the first piece
    return _chunks(parts)


def _chunks(parts: Iterator[str]) -> Iterator[bytes]:
    held: list[str] = []
    size = 0
    for part in parts:
        held.append(part)
        size += len(part)
        if size >= STREAM_CHUNK:
            yield "".join(held).encode("utf-8")
            held.clear()
            size = 0
    if held:
        yield "".join(held).encode("utf-8")


def write(data: ExportData, fmt: str, path: Path, lang: str = "ru") -> None:
    """Write the export in ``fmt`` to ``path`` atomically; HTML and JSON piece by piece.

    The CLI wrote ``render``'s bytes: the whole file in memory beside the data it was
    made of (JSON of a 50,000-message client peaked at 0.87 GB, HTML at 0.57 GB).
    """
    from clientguard import outfile

    if fmt == "pdf":
        outfile.write_bytes(path, to_pdf(data, lang))
        return
    parts = _text_parts(data, fmt, lang)  # a bad format fails before the file is touched
    with outfile.atomic_text(path) as fh:
        for part in parts:
            fh.write(part)


def _text_parts(data: ExportData, fmt: str, lang: str) -> Iterator[str]:
    if fmt == "json":
        from clientguard.evidence.export_json import parts

        return parts(data)
    if fmt == "html":
        return html_parts(data, lang)
    raise ConfigError(f"expected a format of {', '.join(FORMATS)}, got {fmt!r}")
