"""Finding a client by the name the user typed.

One rule everywhere (CLI, web, contracts, evidence): the exact name first, else the one
name equal once case and ё/е are folded (:func:`fold`). Folding is done in Python because
SQLite's ``lower()`` folds ASCII only and client names are mostly Cyrillic ("игорь" finds
"Игорь"); ё is folded because Russian writers drop its dots at will ("елка" finds «Ёлка»). A name
that finds nothing is answered with the stored names closest to it (a typo must not go
unnoticed, nor silently start a new client).

A client closed by ``clients merge`` or ``clients forget`` (``client_closures``) is never
found: its row stays only for its evidence chain. A name a client had before a rename or a
merge (``client_aliases``) finds that client, after every stored name.
"""

from __future__ import annotations

import difflib

from sqlalchemy import Connection, exists, select

from clientguard.errors import Msg, NotFoundError, msg
from clientguard.store.models import ClientAliasRow, ClientClosureRow, ClientRow, ConversationRow, MessageRow

#: How many close names an unknown name is answered with, and how close they must be.
CLOSE_NAMES = 3
CLOSE_CUTOFF = 0.6


def fold(name: str) -> str:
    """The form two client names are compared in: case folded, ё read as е."""
    return name.casefold().replace("ё", "е")


def find_client(conn: Connection, name: str) -> tuple[int, str] | None:
    """``(id, stored name)`` of the client ``name`` means, or None when none or ambiguous.

    Spaces around the typed name are ignored ("Кофейня «Пенка» " is «Кофейня «Пенка»»).
    """
    name = name.strip() or name
    live = select(ClientRow.id, ClientRow.name).where(ClientRow.id.not_in(select(ClientClosureRow.client_id)))
    row = conn.execute(live.where(ClientRow.name == name)).first()
    if row is not None:
        return int(row[0]), str(row[1])
    folded = fold(name)
    found = [(int(i), str(n)) for i, n in conn.execute(live) if fold(n) == folded]
    if len(found) == 1:
        return found[0]
    if found:
        return None
    aliases = (
        select(ClientAliasRow.name, ClientRow.id, ClientRow.name)
        .join(ClientRow, ClientRow.id == ClientAliasRow.client_id)
        .where(ClientRow.id.not_in(select(ClientClosureRow.client_id)))
    )
    named = [(int(i), str(n)) for a, i, n in conn.execute(aliases) if a == name]
    named = named or [(int(i), str(n)) for a, i, n in conn.execute(aliases) if fold(str(a)) == folded]
    return named[0] if len({i for i, _n in named}) == 1 else None


def live_names(conn: Connection) -> list[str]:
    """The names of the clients that are not closed (merged or erased), in id order."""
    query = (
        select(ClientRow.name)
        .where(ClientRow.id.not_in(select(ClientClosureRow.client_id)))
        .order_by(ClientRow.id)
    )
    return [str(n) for n in conn.execute(query).scalars()]


def is_closed(conn: Connection, client_id: int) -> str | None:
    """``"merged"`` or ``"erased"`` for a closed client, None for a live one."""
    query = select(ClientClosureRow.state).where(ClientClosureRow.client_id == client_id)
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def close_names(conn: Connection, name: str, limit: int = CLOSE_NAMES) -> list[str]:
    """Stored client names close to ``name``: spelled alike (difflib), or holding it whole.

    Compared as :func:`fold` reads them; the closest first, at most ``limit``.
    """
    by_fold: dict[str, str] = {}
    for stored in live_names(conn):
        by_fold.setdefault(fold(stored), stored)
    folded = fold(name).strip()
    if not folded:
        return []
    alike = difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=CLOSE_CUTOFF)
    holding = [f for f in by_fold if len(folded) >= 3 and folded in f and f not in alike]
    return [by_fold[f] for f in (alike + holding)[:limit]]


def unknown_client(conn: Connection, name: str, hint: str | Msg | None = None) -> NotFoundError:
    """The error for a name no client has: names it, the close stored names, and ``hint``
    (what to do; by default, where the names are listed)."""
    close = close_names(conn, name)
    maybe = msg("lookup.did_you_mean", close=close) if close else ""
    hint = hint or msg("lookup.hint_clients")
    return NotFoundError(msg("lookup.no_client", name=name, maybe=maybe, hint=hint))


def require_client(conn: Connection, name: str) -> tuple[int, str]:
    """As :func:`find_client`, but a missing client is a :class:`NotFoundError` naming close names."""
    found = find_client(conn, name)
    if found is None:
        raise unknown_client(conn, name)
    return found


def has_messages(conn: Connection, client_id: int) -> bool:
    """Whether any conversation of the client holds a message."""
    query = select(
        exists().where(
            MessageRow.conversation_id == ConversationRow.id, ConversationRow.client_id == client_id
        )
    )
    return bool(conn.execute(query).scalar())
