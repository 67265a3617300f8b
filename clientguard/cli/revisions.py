"""``clientguard revisions CLIENT``: revision rounds per deliverable against the contract limit."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from clientguard.cli.import_ import DbOption


def register(app: typer.Typer) -> None:
    @app.command("revisions")
    def revisions(
        client: Annotated[str, typer.Argument(help="Client name.")],
        limit: Annotated[int | None, typer.Option("--limit", help="Override the contract's limit.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        db: DbOption = None,
    ) -> None:
        """Count revision rounds per deliverable (a delivery, then change requests)."""
        from clientguard.contracts.repo import terms_for_client
        from clientguard.contracts.revisions import count_rounds
        from clientguard.store import open_store

        with open_store(db) as store:
            terms = terms_for_client(store, client)
            messages = [m.message for m in store.iter_messages(client)]
        if limit is None and terms is not None:
            limit = terms.revision_limit
        items = count_rounds(messages, limit)
        if as_json:
            typer.echo(json.dumps([d.as_json() for d in items], ensure_ascii=False, indent=1))
            return
        if not items:
            typer.echo("No deliveries found in the conversation.")
            return
        from rich.markup import escape
        from rich.table import Table

        from clientguard.cli._console import console

        table = Table("deliverable", "delivered", "rounds", "limit", "state")
        for d in items:
            state = "[red]over limit[/]" if d.over_limit else ("approved" if d.approved else "open")
            when = d.delivered_at.strftime("%Y-%m-%d %H:%M") if d.delivered_at else "—"
            limit_txt = "—" if d.limit is None else str(d.limit)
            table.add_row(escape(d.name), when, str(d.rounds), limit_txt, state)
        console().print(table)
        if limit is None:
            console().print(
                "No revision limit on file: `clientguard contract set CLIENT --revision-limit N`."
            )
