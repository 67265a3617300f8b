"""Who runs a command that changes clients, and whether they may (team databases).

A database with team users (``clientguard user add``) is a team's: there, a command that
merges, erases, renames clients or moves a chat must say who runs it (``--as NAME``, the
password from ``CLIENTGUARD_PASSWORD`` or a hidden prompt, as ``user`` takes it) and the
role must allow it. Merging and erasing are the owner's: they cannot be undone. Renaming
and moving a chat are also a manager's, and a specialist's on clients granted to them.
The name goes on the evidence log's record. A database without team users is one
person's: nobody is asked, and the log names no one (the local user).

The CLI reaches the database directly, so this is a guard against mistakes within a team,
not a security boundary (anyone holding the database URL can write to it).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from clientguard.errors import AccessError, msg

if TYPE_CHECKING:  # the store (SQLAlchemy, the importers, the analysis) is imported when used:
    # `clients` registers --as at start-up, and importing it there cost every command,
    # `--help` and `version` included, about a second.
    from clientguard.store import Store

#: ``--as`` of a command that changes clients.
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Team database: your user name (password from CLIENTGUARD_PASSWORD or a prompt).",
    ),
]


def team_database(store: Store) -> bool:
    """Whether the database has team users."""
    from sqlalchemy import func, inspect, select

    from clientguard.store.models_web import UserRow

    with store.engine.connect() as conn:
        if "web_users" not in inspect(conn).get_table_names():
            return False
        return bool(conn.execute(select(func.count(UserRow.id))).scalar())


def actor(
    store: Store, as_name: str | None, roles: tuple[str, ...], clients: tuple[str, ...] = ()
) -> str | None:
    """The team user running the command (None: a one-person database); refuses who may not.

    ``roles``: the roles allowed, ``"specialist:granted"`` meaning a specialist to whom
    every client named in ``clients`` is granted.
    """
    if not team_database(store):
        return None
    named = [r.split(":")[0] + (" (granted clients)" if ":" in r else "") for r in roles]
    if as_name is None:
        raise AccessError(msg("cli.team_who", roles=named))
    from clientguard.cli._console import texts
    from clientguard.store.lookup import require_client
    from clientguard.web.auth import authenticate, may_change

    password = os.environ.get("CLIENTGUARD_PASSWORD") or typer.prompt(
        texts("user_cli", None)("password"), hide_input=True
    )
    user = authenticate(store, as_name, password)
    if user is None:
        raise AccessError(msg("cli.wrong_password", name=as_name))
    if user.role in roles:
        return user.name
    if user.role == "specialist" and "specialist:granted" in roles:  # names looked up only then
        with store.engine.connect() as conn:
            ids = {require_client(conn, c)[0] for c in clients}
        if may_change(store, user, roles, ids):  # the dashboard's forms ask the same question
            return user.name
    raise AccessError(msg("cli.role_refused", name=user.name, role=user.role, roles=named))
