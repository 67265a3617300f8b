"""``clientguard clients [--json]``: every client with message count and last activity.

A group since ``clients rename|merge|move-chat|forget`` (:mod:`clientguard.cli.clients_admin`);
with no subcommand it lists, exactly as before.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.cli._console import LangOption
from clientguard.cli.import_ import DbOption

if TYPE_CHECKING:
    from clientguard.store import Store
    from clientguard.store.records import ClientSummary


def register(app: typer.Typer) -> None:
    clients_ = typer.Typer(name="clients", invoke_without_command=True, no_args_is_help=False)
    app.add_typer(clients_, name="clients")

    @clients_.callback(invoke_without_command=True)
    def clients(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """List clients, most recently active first.

        Subcommands rename a client, merge two that are one customer, move a chat filed
        under the wrong client, and forget (erase) a client.
        """
        if ctx.invoked_subcommand is not None:
            return
        _list(as_json, lang, db)

    from clientguard.cli.clients_admin import register_admin

    register_admin(clients_)


def _list(as_json: bool, lang: str | None, db: str | None) -> None:
    """``clientguard clients [--json]``: the table (or JSON array) of live clients."""
    from zoneinfo import ZoneInfo

    from clientguard import config
    from clientguard.cli._console import console, texts
    from clientguard.store import open_store

    with open_store(db, must_exist=True) as store:
        rows, copies = _distinct_counts(store, store.clients())
    if as_json:
        data = [
            {
                "name": c.name,
                "conversations": c.conversations,
                "messages": c.messages,
                "last_activity": c.last_activity.isoformat() if c.last_activity else None,
                "copies_left_out": copies.get(c.id, 0),
            }
            for c in rows
        ]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    say = texts("clients_cli", lang)
    if not rows:
        typer.echo(say("none"))
        return
    from rich.markup import escape
    from rich.table import Table

    zone = ZoneInfo(config.get("tz"))
    table = Table(say("client"), say("conversations"), say("messages"), say("last_activity"))
    for c in rows:
        last = c.last_activity.astimezone(zone).strftime("%Y-%m-%d %H:%M") if c.last_activity else "—"
        table.add_row(escape(c.name), str(c.conversations), str(c.messages), last)
    console().print(table)
    if total := sum(copies.values()):
        typer.echo(say("copies", n=total))
    if any(c.last_activity for c in rows):
        typer.echo(say("times_in", zone=zone.key), err=True)


def _distinct_counts(store: Store, rows: list[ClientSummary]) -> tuple[list[ClientSummary], dict[int, int]]:
    """Conversations and messages as ``analyze`` counts them, and the repeats left out per client.

    A chat imported as Telegram JSON and as HTML is two stored conversations of one client
    (the copy joins the first one's client at import): ``clients`` said 2 conversations and
    8 messages where the profile counted 4. Only a client with several conversations can
    hold a copy, so only those are read, through the analysis's own copy rule (imported
    only then: it loads the ``clientguard.analysis`` package, ~20 ms a one-chat store skips).
    """
    from dataclasses import replace

    from sqlalchemy import select

    from clientguard.store.models import ConversationRow, MessageRow

    def texts(client_id: int) -> list[tuple[int, str]]:
        query = (
            select(MessageRow.conversation_id, MessageRow.text)
            .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
            .where(ConversationRow.client_id == client_id)
        )
        with store.engine.connect() as conn:
            return [(int(cid), str(text)) for cid, text in conn.execute(query)]

    out: list[ClientSummary] = []
    copies: dict[int, int] = {}
    for c in rows:
        if c.conversations < 2:
            out.append(c)
            continue
        from clientguard.analysis.history import distinct_stored, may_hold_copies

        if may_hold_copies(texts(c.id)):
            found = distinct_stored(store.iter_messages(c.name))
            if found.duplicates:
                copies[c.id] = found.duplicates
                c = replace(c, conversations=found.conversations, messages=len(found.messages))
        out.append(c)
    return out, copies
