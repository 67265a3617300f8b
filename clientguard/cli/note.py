"""``clientguard note add|confirm|list``: oral agreements on record, in the evidence log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._dates import day_option
from clientguard.cli._groups import group
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _clients_own(conn: Connection, client_id: int, message_id: int, lang: str | None) -> None:
    """Refuse a confirming message the client did not write.

    ``note confirm --message 2`` took the user's own "Отлично, выставлю счёт сегодня." as the
    client's written confirmation, and the dispute export printed the note as confirmed. The
    log is append-only, so the mistake could not be undone. A message of another client is
    left to :func:`~clientguard.evidence.notes.confirm_note` (not found).
    """
    from sqlalchemy import select

    from clientguard.store.models import ConversationRow, MessageRow

    query = (
        select(MessageRow.role, MessageRow.sender_name, MessageRow.sender_key)
        .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
        .where(ConversationRow.client_id == client_id, MessageRow.id == message_id)
    )
    row = conn.execute(query).first()
    if row is not None and row.role != "client":
        say = texts("note_cli", lang)
        who = row.sender_name or row.sender_key
        role = say.term("roles", row.role)
        words = say("not_clients_message", id=message_id, who=who, role=role)
        raise typer.BadParameter(words, param_hint="'--message'")


def _kind(value: str) -> str:
    """The note kind typed as `note list` shows it: "звонок" is call, "Call" is call.

    `note list` prints the kinds in the interface language, and a Russian user who typed
    the word they saw (`--kind звонок`) was refused with "expected a note kind of call,
    meeting, agreement". Anything else goes on as typed, for the store's own refusal.
    """
    from clientguard.evidence.notes import NOTE_KINDS
    from clientguard.report.i18n import LANGS, t

    def fold(word: str) -> str:
        return word.strip().casefold().replace("ё", "е")

    typed = fold(value)
    for kind in NOTE_KINDS:
        if typed in {fold(kind), *(fold(t("note_kinds", kind, lang)) for lang in LANGS)}:
            return kind
    return value


def register(app: typer.Typer) -> None:
    note = group(app, "note")

    @note.command("add")
    def add(
        client: Annotated[str, typer.Argument(help="Client name (see `clientguard clients`).")],
        text: Annotated[str, typer.Argument(help="What was agreed, in your words.")],
        kind: Annotated[
            str, typer.Option("--kind", help="call, meeting or agreement (also as `note list` words them).")
        ] = "agreement",
        on: Annotated[
            str | None,
            typer.Option("--date", help="When it happened (2025-09-05 or 05.09.2025); default: not stated."),
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record an oral agreement, call or meeting; it is hash-chained into the evidence log."""
        from clientguard.evidence.log import sync
        from clientguard.evidence.notes import add_note, check_day
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        day = day_option(on, "--date")
        try:
            day = check_day(day) if day else None
        except ValueError as exc:
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import refusal

            raise OptionRefused(refusal(exc), param_hint="'--date'") from None
        with open_store(db) as store, store.engine.begin() as conn:
            cid = resolve_client(conn, client)
            sync(conn, cid)
            created = add_note(conn, cid, text, _kind(kind), day)
        say = texts("note_cli", lang)
        typer.echo(say("recorded", id=created.id, kind=say.term("note_kinds", created.kind)))
        typer.echo(say("confirm_hint", client=client, id=created.id))

    @note.command("confirm")
    def confirm(
        client: Annotated[str, typer.Argument(help="Client name.")],
        note_id: Annotated[int, typer.Argument(help="The note's number (see `clientguard note list`).")],
        text: Annotated[str | None, typer.Option("--text", help="The client's confirming words.")] = None,
        message: Annotated[
            int | None, typer.Option("--message", help="Id of the client's confirming message.")
        ] = None,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Record the client's written confirmation of a note."""
        from clientguard.evidence.notes import confirm_note
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        with open_store(db) as store, store.engine.begin() as conn:
            cid = resolve_client(conn, client)
            if message is not None:
                _clients_own(conn, cid, message, lang)
            conf = confirm_note(conn, cid, note_id, text, message)
        typer.echo(texts("note_cli", lang)("confirmed_recorded", id=conf.id, note=note_id))

    @note.command("list")
    def list_(
        client: Annotated[str, typer.Argument(help="Client name.")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """List a client's notes and whether the client confirmed them."""
        from clientguard.evidence.notes import notes
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        with open_store(db, must_exist=True) as store, store.engine.connect() as conn:  # reads only
            found = notes(conn, resolve_client(conn, client))
        from datetime import UTC
        from zoneinfo import ZoneInfo

        from clientguard import config
        from clientguard.evidence.notes import NOTE_KINDS

        say = texts("note_cli", lang)
        # Columns as wide as this language's longest word, so the texts line up.
        kind_width = max(len(say.term("note_kinds", k)) for k in NOTE_KINDS)
        mark_width = max(len(say(m)) for m in ("confirmed", "not_confirmed")) + 1
        zone = ZoneInfo(config.get("tz"))
        for n in found:
            mark = say("confirmed" if n.confirmations else "not_confirmed")
            # the day it was written where the user is, as the evidence export shows it: the
            # UTC date put an evening note on the next (or previous) day (QA7)
            written = n.created_at if n.created_at.tzinfo else n.created_at.replace(tzinfo=UTC)
            day = n.occurred_on or written.astimezone(zone).date().isoformat()
            kind = say.term("note_kinds", n.kind)
            typer.echo(f"{n.id:>4}  {day}  {kind:<{kind_width}} {mark:<{mark_width}}{n.text}")
