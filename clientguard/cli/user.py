"""``clientguard user add|grant|revoke|list|passwd|remove``: team-mode users and their access."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from clientguard.cli._console import LangOption, Texts, texts
from clientguard.cli._groups import group
from clientguard.cli.import_ import DbOption


def _password(say: Texts, confirm: bool = True) -> str:
    """From ``CLIENTGUARD_PASSWORD`` (scripts) or a hidden prompt, never from an option (``ps``)."""
    value = os.environ.get("CLIENTGUARD_PASSWORD")
    if value:
        return value
    entered: str = typer.prompt(
        say("password"), hide_input=True, confirmation_prompt=say("repeat") if confirm else False
    )
    return entered


def register(app: typer.Typer) -> None:
    user = group(app, "user")

    @user.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="User name (login).")],
        role: Annotated[str, typer.Option("--role", help="owner, manager or specialist.")] = "specialist",
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Add a user; the password comes from a prompt or CLIENTGUARD_PASSWORD."""
        from clientguard.store import open_store
        from clientguard.web.auth import ROLES, add_user

        if role not in ROLES:
            from clientguard.cli._refused import OptionRefused
            from clientguard.errors import msg

            said = msg("cli.role_one_of", roles=", ".join(ROLES), role=role)
            raise OptionRefused(said, param_hint="--role")
        say = texts("user_cli", lang)
        with open_store(db) as store:
            found = add_user(store, name, role, _password(say))
        typer.echo(say("added", name=found.name, role=say.term("user_roles", found.role)))

    @user.command("grant")
    def grant_(
        name: Annotated[str, typer.Argument(help="User name.")],
        client: Annotated[str, typer.Argument(help="Client name.")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Let a specialist open one client."""
        from clientguard.store import open_store
        from clientguard.web.auth import grant

        with open_store(db) as store:
            done = grant(store, name, client)
        typer.echo(texts("user_cli", lang)(f"grant_{done.value}", name=name, client=client))

    @user.command("revoke")
    def revoke(
        name: Annotated[str, typer.Argument(help="User name.")],
        client: Annotated[str, typer.Argument(help="Client name.")],
        lang: LangOption = None,
        db: DbOption = None,
    ) -> None:
        """Take a client away from a user."""
        from clientguard.store import open_store
        from clientguard.web.auth import grant

        with open_store(db) as store:
            done = grant(store, name, client, revoke=True)
        typer.echo(texts("user_cli", lang)(f"revoke_{done.value}", name=name, client=client))

    @user.command("passwd")
    def passwd(
        name: Annotated[str, typer.Argument(help="User name.")], lang: LangOption = None, db: DbOption = None
    ) -> None:
        """Set a new password (ends the user's sessions)."""
        from clientguard.store import open_store
        from clientguard.web.auth import set_password

        say = texts("user_cli", lang)
        with open_store(db) as store:
            set_password(store, name, _password(say))
        typer.echo(say("password_changed", name=name))

    @user.command("remove")
    def remove(
        name: Annotated[str, typer.Argument(help="User name.")], lang: LangOption = None, db: DbOption = None
    ) -> None:
        """Delete a user with their sessions and access."""
        from clientguard.store import open_store
        from clientguard.web.auth import remove_user

        with open_store(db) as store:
            remove_user(store, name)
        typer.echo(texts("user_cli", lang)("removed", name=name))

    @user.command("list")
    def list_(lang: LangOption = None, db: DbOption = None) -> None:
        """Users, roles and the clients granted to them."""
        from clientguard.store import open_store
        from clientguard.web.auth import ROLES, users

        say = texts("user_cli", lang)
        width = max(len(say.term("user_roles", r)) for r in ROLES) + 1
        with open_store(db, must_exist=True) as store:  # reads only
            for u, clients in users(store):
                access = say("all_clients") if u.sees_all else (", ".join(clients) or say("no_clients"))
                typer.echo(f"{u.name:<20} {say.term('user_roles', u.role):<{width}} {access}")
