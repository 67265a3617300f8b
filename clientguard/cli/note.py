"""``clientguard note add|confirm|list``: oral agreements on record, in the evidence log."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from clientguard.cli._groups import group
from clientguard.cli.import_ import DbOption


def register(app: typer.Typer) -> None:
    note = group(app, "note")

    @note.command("add")
    def add(
        client: Annotated[str, typer.Argument(help="Client name (see `clientguard clients`).")],
        text: Annotated[str, typer.Argument(help="What was agreed, in your words.")],
        kind: Annotated[str, typer.Option("--kind", help="call, meeting or agreement.")] = "agreement",
        on: Annotated[
            str | None, typer.Option("--date", help="When it happened (YYYY-MM-DD); default: not stated.")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Record an oral agreement, call or meeting; it is hash-chained into the evidence log."""
        from clientguard.evidence.log import sync
        from clientguard.evidence.notes import add_note
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        try:
            day = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise typer.BadParameter(f"expected a date like 2025-09-01, got {on!r}") from exc
        with open_store(db) as store, store.engine.begin() as conn:
            cid = resolve_client(conn, client)
            sync(conn, cid)
            created = add_note(conn, cid, text, kind, day)
        typer.echo(
            f"note {created.id} recorded ({created.kind}). Ask the client to confirm it in writing, then:"
        )
        typer.echo(f'  clientguard note confirm "{client}" {created.id} --text "…their words…"')

    @note.command("confirm")
    def confirm(
        client: Annotated[str, typer.Argument(help="Client name.")],
        note_id: Annotated[int, typer.Argument(help="The note's number (see `clientguard note list`).")],
        text: Annotated[str | None, typer.Option("--text", help="The client's confirming words.")] = None,
        message: Annotated[
            int | None, typer.Option("--message", help="Id of the client's confirming message.")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Record the client's written confirmation of a note."""
        from clientguard.evidence.notes import confirm_note
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        with open_store(db) as store, store.engine.begin() as conn:
            conf = confirm_note(conn, resolve_client(conn, client), note_id, text, message)
        typer.echo(f"confirmation {conf.id} of note {note_id} recorded.")

    @note.command("list")
    def list_(
        client: Annotated[str, typer.Argument(help="Client name.")],
        db: DbOption = None,
    ) -> None:
        """List a client's notes and whether the client confirmed them."""
        from clientguard.evidence.notes import notes
        from clientguard.evidence.verify import resolve_client
        from clientguard.store import open_store

        with open_store(db) as store, store.engine.connect() as conn:
            found = notes(conn, resolve_client(conn, client))
        for n in found:
            mark = "confirmed" if n.confirmations else "NOT confirmed"
            day = n.occurred_on or n.created_at.date().isoformat()
            typer.echo(f"{n.id:>4}  {day}  {n.kind:<9} {mark:<13} {n.text}")
