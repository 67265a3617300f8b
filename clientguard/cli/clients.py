"""``clientguard clients [--json]``: every client with message count and last activity."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from clientguard.cli._console import LangOption
from clientguard.cli.import_ import DbOption


def register(app: typer.Typer) -> None:
    @app.command("clients")
    def clients(
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """List clients, most recently active first."""
        from zoneinfo import ZoneInfo

        from clientguard import config
        from clientguard.cli._console import console, texts
        from clientguard.store import open_store

        with open_store(db, must_exist=True) as store:
            rows = store.clients()
        if as_json:
            data = [
                {
                    "name": c.name,
                    "conversations": c.conversations,
                    "messages": c.messages,
                    "last_activity": c.last_activity.isoformat() if c.last_activity else None,
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
