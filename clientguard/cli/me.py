"""``clientguard me add ID`` / ``me list`` / ``me remove ID``: the user's own identities.

Messages from these identities count as the specialist's; everyone else is the client
(or "other" for contacts marked so).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from clientguard.cli._console import LangOption, texts
from clientguard.cli._groups import group
from clientguard.cli.import_ import DbOption

PlatformOption = Annotated[
    str,
    typer.Option(
        "--platform", help="Only on this platform (telegram, whatsapp, slack, email, tabular); default: any."
    ),
]


def register(app: typer.Typer) -> None:
    me = group(app, "me")

    @me.command("add")
    def add(
        identity: Annotated[
            str, typer.Argument(help="Telegram id (user123), phone, e-mail or display name.")
        ],
        platform: PlatformOption = "",
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Name one of your identities; stored messages from it become yours."""
        from clientguard.store import open_store

        with open_store(db) as store:
            added = store.add_me(identity, platform=platform)
        typer.echo(texts("me_cli", lang)("added" if added else "known", identity=identity))

    @me.command("list")
    def list_(
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
        db: DbOption = None,
    ) -> None:
        """List your identities."""
        from clientguard.store import open_store

        with open_store(db, must_exist=True) as store:  # reads only: a --db typo is no new database
            identities = store.me()
        if as_json:
            typer.echo(json.dumps([{"platform": i.platform, "value": i.value} for i in identities]))
            return
        for i in identities:
            typer.echo(f"{i.platform}:{i.value}" if i.platform else i.value)

    @me.command("remove")
    def remove(
        identity: str, platform: PlatformOption = "", lang: LangOption = None, db: DbOption = None
    ) -> None:
        """Forget one of your identities (messages already stored keep their role)."""
        from clientguard.errors import NotFoundError, msg
        from clientguard.store import open_store

        with open_store(db) as store:
            if not store.remove_me(identity, platform=platform):
                raise NotFoundError(msg("cli.not_my_identity", identity=identity))
        typer.echo(texts("me_cli", lang)("removed", identity=identity))
