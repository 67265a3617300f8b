"""Oral agreements on record: notes of calls and meetings, and the client's confirmations.

A note and its chain record are written in one transaction, so there is never a note
the log does not vouch for. Confirming a note records the client's own words (or the id
of the message in which they confirmed), the written trail the playbook asks for after
every call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert, select

from clientguard.errors import ConfigError, NotFoundError, Refusal, msg, refusal
from clientguard.evidence import log
from clientguard.evidence.sources import confirmation_payload, note_payload
from clientguard.store.models import ConversationRow, MessageRow
from clientguard.store.models_evidence import ConfirmationRow, NoteRow

NOTE_KINDS: tuple[str, ...] = ("call", "meeting", "agreement")


@dataclass(frozen=True)
class Note:
    """A note with its confirmations, as exports and the CLI show it."""

    id: int
    kind: str
    text: str
    occurred_on: str | None
    created_at: datetime
    confirmations: tuple[Confirmation, ...] = ()
    #: the team member who wrote it down (None: the local user)
    author: str | None = None


@dataclass(frozen=True)
class Confirmation:
    id: int
    note_id: int
    text: str | None
    message_id: int | None
    created_at: datetime


#: The earliest day a note may say it happened on (as for invoices: no client work before).
EARLIEST_DAY = date(1990, 1, 1)


def check_day(day: date, today: date | None = None) -> date:
    """``day`` if a note can have happened on it, else a ValueError (:class:`Refusal`) naming the problem.

    A note is chained for good, with no edit: '2052-09-12' typed for '2025-09-12' (or
    year 0001) was logged as the day of a call in the dispute record. One day of slack
    covers a user ahead of UTC.
    """
    latest = (today or datetime.now(UTC).date()) + timedelta(days=1)
    if day > latest:
        raise Refusal(msg("notes.future_day", day=day.isoformat()))
    if day < EARLIEST_DAY:
        raise Refusal(msg("notes.early_day", day=day.isoformat(), earliest=EARLIEST_DAY.isoformat()))
    return day


def add_note(
    conn: Connection,
    client_id: int,
    text: str,
    kind: str = "agreement",
    occurred_on: date | None = None,
    author: str | None = None,
) -> Note:
    """Record a note and chain it; raises :class:`ConfigError` on an empty text or bad kind.

    ``author``: the team member writing it (team mode), so an owner reading the client's
    notes knows whose word each one is; it is part of the chained record.
    """
    if kind not in NOTE_KINDS:
        raise ConfigError(msg("notes.kind", kinds=", ".join(NOTE_KINDS), kind=kind))
    if not text.strip():
        raise ConfigError(msg("notes.no_text"))
    if occurred_on is not None:
        try:
            check_day(occurred_on)
        except ValueError as exc:
            raise ConfigError(msg("notes.date", reason=refusal(exc))) from None
    now = datetime.now(UTC)
    day = occurred_on.isoformat() if occurred_on else None
    values = {
        "client_id": client_id,
        "kind": kind,
        "text": text.strip(),
        "occurred_on": day,
        "created_at": now,
        "author": author,
    }
    note_id = conn.execute(insert(NoteRow).values(**values).returning(NoteRow.id)).scalar_one()
    note = Note(note_id, kind, text.strip(), day, now, author=author)
    log.append(conn, client_id, [("note", str(note_id), note_payload(note), log.now_iso(), None)])
    return note


def confirm_note(
    conn: Connection, client_id: int, note_id: int, text: str | None = None, message_id: int | None = None
) -> Confirmation:
    """Record the client's written confirmation of a note, by their words or a message id."""
    found = conn.execute(
        select(NoteRow.id).where(NoteRow.id == note_id, NoteRow.client_id == client_id)
    ).scalar()
    if found is None:
        raise NotFoundError(msg("notes.no_note", id=note_id))
    if not (text and text.strip()) and message_id is None:
        raise ConfigError(msg("notes.no_confirmation"))
    if message_id is not None:
        owner = conn.execute(
            select(ConversationRow.client_id)
            .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
            .where(MessageRow.id == message_id)
        ).scalar()
        if owner != client_id:
            raise NotFoundError(msg("notes.no_message", id=message_id))
    now = datetime.now(UTC)
    clean = text.strip() if text and text.strip() else None
    values = {"note_id": note_id, "client_id": client_id, "text": clean, "message_id": message_id}
    conf_id = conn.execute(
        insert(ConfirmationRow).values(**values, created_at=now).returning(ConfirmationRow.id)
    ).scalar_one()
    conf = Confirmation(conf_id, note_id, clean, message_id, now)
    log.append(
        conn, client_id, [("confirmation", str(conf_id), confirmation_payload(conf), log.now_iso(), None)]
    )
    return conf


def notes(conn: Connection, client_id: int) -> list[Note]:
    """The client's notes with their confirmations, oldest first."""
    n, c = NoteRow, ConfirmationRow
    confs: dict[int, list[Confirmation]] = {}
    query = select(c.id, c.note_id, c.text, c.message_id, c.created_at).where(c.client_id == client_id)
    for cid, nid, text, mid, created in conn.execute(query.order_by(c.id)):
        confs.setdefault(nid, []).append(Confirmation(cid, nid, text, mid, created))
    rows = conn.execute(
        select(n.id, n.kind, n.text, n.occurred_on, n.created_at, n.author)
        .where(n.client_id == client_id)
        .order_by(n.id)
    )
    return [Note(i, k, t, o, cr, tuple(confs.get(i, ())), a) for i, k, t, o, cr, a in rows]
