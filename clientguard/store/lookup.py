"""Finding a client by the name the user typed.

One rule everywhere (CLI, web, contracts, evidence): the exact name first, else the one
name equal case-insensitively. Folding is done in Python because SQLite's ``lower()``
folds ASCII only and client names are mostly Cyrillic ("игорь" finds "Игорь").
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from clientguard.errors import NotFoundError
from clientguard.store.models import ClientRow


def find_client(conn: Connection, name: str) -> tuple[int, str] | None:
    """``(id, stored name)`` of the client ``name`` means, or None when none or ambiguous."""
    row = conn.execute(select(ClientRow.id, ClientRow.name).where(ClientRow.name == name)).first()
    if row is not None:
        return int(row[0]), str(row[1])
    folded = name.casefold()
    rows = conn.execute(select(ClientRow.id, ClientRow.name))
    found = [(int(i), str(n)) for i, n in rows if n.casefold() == folded]
    return found[0] if len(found) == 1 else None


def require_client(conn: Connection, name: str) -> tuple[int, str]:
    """As :func:`find_client`, but a missing client is a :class:`NotFoundError`."""
    found = find_client(conn, name)
    if found is None:
        raise NotFoundError(f"no client named {name!r} (see `clientguard clients`)")
    return found
