"""Team mode: users (argon2), roles, per-client access, sessions, CSRF and login rate limit.

Roles: ``owner`` manages everything; ``manager`` sees every client and the team view;
``specialist`` sees only clients granted to them (``clientguard user grant``). The
session cookie carries a session id signed with itsdangerous; the session row holds the
CSRF token, so logging out or deleting a user revokes everything at once.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from clientguard.errors import ConfigError, NotFoundError, msg
from clientguard.store import Store
from clientguard.store.lookup import require_client
from clientguard.store.models import ClientClosureRow, ClientRow
from clientguard.store.models_web import ClientAccessRow, SessionRow, UserRow

ROLES: tuple[str, ...] = ("owner", "manager", "specialist")
SESSION_DAYS = 14
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """The signed-in user; in local mode a single implicit owner."""

    id: int
    name: str
    role: str

    @property
    def sees_all(self) -> bool:
        return self.role in ("owner", "manager")


LOCAL_USER = User(0, "me", "owner")


def add_user(store: Store, name: str, role: str, password: str) -> User:
    name = name.strip()
    if role not in ROLES:
        raise ConfigError(msg("users.role_of", roles=", ".join(ROLES), role=role))
    if not name:
        raise ConfigError(msg("users.name_empty"))
    if len(password) < 8:
        raise ConfigError(msg("users.password_short"))
    with store.engine.begin() as conn:
        same = _named(conn, name)
        if same is not None:
            stored = msg("users.exists_as", stored=same[1]) if same[1] != name else ""
            raise ConfigError(msg("users.exists", name=name, stored=stored))
        uid = conn.execute(
            insert(UserRow)
            .values(name=name, role=role, pw_hash=_hasher.hash(password), created_at=datetime.now(UTC))
            .returning(UserRow.id)
        ).scalar_one()
    return User(int(uid), name, role)


def set_password(store: Store, name: str, password: str) -> None:
    if len(password) < 8:
        raise ConfigError(msg("users.password_short"))
    with store.engine.begin() as conn:
        uid = _user_id(conn, name)
        conn.execute(update(UserRow).where(UserRow.id == uid).values(pw_hash=_hasher.hash(password)))
        conn.execute(delete(SessionRow).where(SessionRow.user_id == uid))


def _only_owner(name: str) -> ConfigError:
    return ConfigError(msg("users.only_owner", name=name))


def set_role(store: Store, name: str, role: str) -> User:
    """Give a user another role; the team's only owner stays one (as :func:`remove_user`).

    The owners' rows are locked first (PostgreSQL), so two owners demoting each other at
    the same moment cannot leave the team without one.
    """
    if role not in ROLES:
        raise ConfigError(msg("users.role_of", roles=", ".join(ROLES), role=role))
    with store.engine.begin() as conn:
        uid = _user_id(conn, name)
        owners = set(
            conn.execute(select(UserRow.id).where(UserRow.role == "owner").with_for_update()).scalars()
        )
        if role != "owner" and owners == {uid}:
            raise _only_owner(name)
        conn.execute(update(UserRow).where(UserRow.id == uid).values(role=role))
        stored = conn.execute(select(UserRow.name).where(UserRow.id == uid)).scalar_one()
    return User(uid, str(stored), role)


def remove_user(store: Store, name: str) -> None:
    """Delete a user; the team's only owner stays (QA pass 7).

    Removing the last owner left a team in which nobody could see the team page or every
    client; the CLI could still add one, but nothing said so.
    """
    with store.engine.begin() as conn:
        uid = _user_id(conn, name)
        owners = set(
            conn.execute(select(UserRow.id).where(UserRow.role == "owner").with_for_update()).scalars()
        )
        if owners == {uid}:
            raise _only_owner(name)
        conn.execute(delete(SessionRow).where(SessionRow.user_id == uid))
        conn.execute(delete(ClientAccessRow).where(ClientAccessRow.user_id == uid))
        conn.execute(delete(UserRow).where(UserRow.id == uid))


def users(store: Store) -> list[tuple[User, list[str]]]:
    """Every user with the names of the clients granted to them."""
    with store.engine.connect() as conn:
        out = []
        for uid, name, role in conn.execute(
            select(UserRow.id, UserRow.name, UserRow.role).order_by(UserRow.name)
        ):
            granted = [
                str(n)
                for (n,) in conn.execute(
                    select(ClientRow.name)
                    .join(ClientAccessRow, ClientAccessRow.client_id == ClientRow.id)
                    .where(ClientAccessRow.user_id == uid)
                    .where(ClientRow.id.not_in(select(ClientClosureRow.client_id)))  # merged/erased
                    .order_by(ClientRow.name)
                )
            ]
            out.append((User(int(uid), str(name), str(role)), granted))
    return out


def _user_id(conn: object, name: str) -> int:
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    uid = conn.execute(select(UserRow.id).where(UserRow.name == name)).scalar()
    if uid is None:
        raise NotFoundError(msg("users.no_user", name=name))
    return int(uid)


class Granted(StrEnum):
    """What :func:`grant` found and did, for the command to say it (QA pass 7: a grant to
    a manager, who sees every client anyway, and a revoke of access never given were
    both answered as if they had changed something)."""

    GRANTED = "granted"
    REVOKED = "revoked"
    ALREADY = "already"  # the user had this access already
    HAD_NONE = "had_none"  # nothing to revoke
    SEES_ALL = "sees_all"  # an owner or manager: per-client access does not apply


def grant(store: Store, name: str, client: str, revoke: bool = False) -> Granted:
    """Give (or take away) a user's access to one client; what it changed.

    Access is recorded for an owner or manager too (it applies if their role is lowered),
    and :attr:`Granted.SEES_ALL` says it changes nothing now.
    """
    with store.engine.begin() as conn:
        uid = _user_id(conn, name)
        role = conn.execute(select(UserRow.role).where(UserRow.id == uid)).scalar_one()
        cid = require_client(conn, client)[0]
        had = conn.execute(
            delete(ClientAccessRow).where(ClientAccessRow.user_id == uid, ClientAccessRow.client_id == cid)
        ).rowcount
        if not revoke:
            conn.execute(insert(ClientAccessRow).values(user_id=uid, client_id=cid))
    if User(uid, name, str(role)).sees_all:
        return Granted.SEES_ALL
    if revoke:
        return Granted.REVOKED if had else Granted.HAD_NONE
    return Granted.ALREADY if had else Granted.GRANTED


def grant_ids(store: Store, user_id: int, client_ids: Iterable[int]) -> None:
    """Give a user access to clients by id (the clients a specialist's own upload created)."""
    ids = sorted(set(client_ids))
    if not ids:
        return
    with store.engine.begin() as conn:
        have = set(
            conn.execute(
                select(ClientAccessRow.client_id).where(
                    ClientAccessRow.user_id == user_id, ClientAccessRow.client_id.in_(ids)
                )
            ).scalars()
        )
        for cid in ids:
            if cid not in have:
                conn.execute(insert(ClientAccessRow).values(user_id=user_id, client_id=cid))


def user_by_id(store: Store, user_id: int) -> User | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(UserRow.name, UserRow.role).where(UserRow.id == user_id)).first()
    return None if row is None else User(user_id, str(row.name), str(row.role))


#: Who may change clients, on the CLI (``clients rename|move-chat|merge|forget --as``,
#: :mod:`clientguard.cli._actor`) and on the web (the client's manage page): merging and
#: erasing cannot be undone and are the owner's; renaming and moving a chat are also a
#: manager's, and a specialist's on clients granted to them (``"specialist:granted"``).
RENAME_ROLES: tuple[str, ...] = ("owner", "manager", "specialist:granted")
CLOSE_ROLES: tuple[str, ...] = ("owner",)  # merge, forget: the client is closed


def may_change(store: Store, user: User, roles: tuple[str, ...], client_ids: Iterable[int]) -> bool:
    """Whether ``user`` may make a change allowed to ``roles`` that touches ``client_ids``.

    One rule for the CLI's ``--as`` and the web's forms, so the two never disagree on who
    may rename or merge: a role named in ``roles`` may; a specialist may when ``roles``
    holds ``"specialist:granted"`` and every client touched is granted to them.
    """
    if user.role in roles:
        return True
    ids = set(client_ids)
    if user.role != "specialist" or "specialist:granted" not in roles or not ids:
        return False
    return ids <= (allowed_clients(store, user) or set())


def allowed_clients(store: Store, user: User) -> set[int] | None:
    """Client ids the user may open; None means all of them."""
    if user.sees_all:
        return None
    with store.engine.connect() as conn:
        return {
            int(c)
            for (c,) in conn.execute(
                select(ClientAccessRow.client_id).where(ClientAccessRow.user_id == user.id)
            )
        }


def _named(conn: Connection, name: str) -> tuple[int, str] | None:
    """The user called ``name``, letter case aside: (id, name as stored).

    QA7: phones capitalise the first letter typed into a text field, so "Olga" could not
    log in as olga ("wrong user name or password"). User names are unique regardless of
    case (``add_user`` refuses "Olga" beside "olga"), so the match is unambiguous; the
    exact name wins should an older database hold both.
    """
    folded = name.casefold()
    found = [
        (int(i), str(n))
        for i, n in conn.execute(select(UserRow.id, UserRow.name))
        if str(n).casefold() == folded
    ]
    exact = [f for f in found if f[1] == name]
    return (exact or found)[0] if found else None


def authenticate(store: Store, name: str, password: str) -> User | None:
    with store.engine.connect() as conn:
        named = _named(conn, name)
        row = (
            conn.execute(
                select(UserRow.id, UserRow.name, UserRow.role, UserRow.pw_hash).where(UserRow.id == named[0])
            ).first()
            if named is not None
            else None
        )
    if row is None:
        _hasher.hash(password)  # same cost as a wrong password: no user-name oracle by timing
        return None
    try:
        _hasher.verify(row.pw_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(int(row.id), str(row.name), str(row.role))


def new_session(store: Store, user: User) -> tuple[str, str]:
    """Create a session; returns (session id, csrf token)."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(
            insert(SessionRow).values(
                id=sid,
                user_id=user.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + timedelta(days=SESSION_DAYS),
            )
        )
    return sid, csrf


def session_user(store: Store, sid: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(UserRow.id, UserRow.name, UserRow.role, SessionRow.csrf, SessionRow.expires_at)
            .join(SessionRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.id == sid)
        ).first()
    if row is None or row.expires_at < datetime.now(UTC):
        return None
    return User(int(row.id), str(row.name), str(row.role)), str(row.csrf)


def end_session(store: Store, sid: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(SessionRow).where(SessionRow.id == sid))


class RateLimiter:
    """At most ``limit`` attempts per key per minute: in Redis when given, else in memory.

    Redis makes the limit hold across several server processes; the in-memory fallback
    keeps local mode dependency-free.
    """

    def __init__(self, limit: int, redis_url: str | None = None) -> None:
        self.limit = limit
        self._redis = None
        if redis_url:
            try:
                import redis

                client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
                client.ping()
                self._redis = client
            except Exception:  # Redis down: fall back to memory, the limit still holds per process
                self._redis = None
        self._hits: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Count one attempt; False when the key is over its limit."""
        if self._redis is not None:
            from redis.exceptions import RedisError

            # The window opens at the first attempt and lasts a minute (no reset at :00).
            rkey = f"clientguard:login:{key}"
            try:
                n = int(self._redis.incr(rkey))
                if n == 1:
                    self._redis.expire(rkey, 60)
                return n <= self.limit
            except RedisError:
                # Redis went away after start-up (QA7: every login was a 500 page until it
                # came back): the limit holds in this process's memory meanwhile.
                pass
        now = time.monotonic()
        with self._lock:
            hits = [t for t in self._hits.get(key, []) if now - t < 60]
            hits.append(now)
            self._hits[key] = hits
            return len(hits) <= self.limit
