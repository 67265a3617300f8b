"""The :class:`Store`: the one write path to the database and its typed query API.

Nothing outside this package sees ORM rows or SQL; methods take names and return the
domain objects of :mod:`clientguard.domain` or the records of :mod:`.records`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine, delete, exists, func, select, true, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import ColumnElement

from clientguard import config
from clientguard.domain import (
    AttachmentKind,
    Client,
    Contact,
    Conversation,
    Event,
    Identity,
    Message,
    Role,
    Sender,
    Source,
)
from clientguard.errors import (
    ConfigError,
    InputError,
    Msg,
    NotFoundError,
    StorageError,
    Where,
    msg,
    os_reason,
)
from clientguard.ingest.base import ReadContext
from clientguard.store.engine import SQLITE_BEGIN, make_engine
from clientguard.store.failures import db_failure
from clientguard.store.hooks import after_import_event_hooks, after_import_hooks, after_move_hooks
from clientguard.store.importer import ImportRun, ProgressCallback, Reader, insert_me_identity
from clientguard.store.lookup import require_client
from clientguard.store.migrate import upgrade
from clientguard.store.models import (
    ClientClosureRow,
    ClientRow,
    ContactRow,
    ConversationRow,
    EventRow,
    IdentityRow,
    MeIdentityRow,
    MessageRow,
)
from clientguard.store.people import PLATFORM
from clientguard.store.records import ClientSummary, ImportSummary, StoredEvent, StoredMessage


def _platform(name: str) -> str:
    """A platform an identity can belong to ("" = any); ``icq`` used to be stored as given,
    an identity no import would ever match."""
    folded = name.strip().lower()
    known = sorted(set(PLATFORM.values()))
    if folded and folded not in known:
        raise ConfigError(msg("store.platform", known=", ".join(known), name=name))
    return folded


def open_store(url: str | None = None, must_exist: bool = False) -> Store:
    """Open (creating and migrating if needed) the database at ``url`` or the configured one.

    ``must_exist``: for commands that only read (``clients``, ``messages``, ``analyze
    --client``, ``evidence verify``…). A named SQLite file that is not there is then an error
    ("no database at …", most likely a typo in ``--db``) instead of a new empty database
    that answers "no clients". The default database is still created on first use: a fresh
    install's ``clients`` lists nothing rather than failing.
    """
    explicit = bool(url) or bool(config.get("db"))
    engine = make_engine(config.db_url(url), must_exist=must_exist and explicit)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()  # a refused database leaves no pooled connection behind
        raise
    return Store(engine)


def _write_failed(words: str) -> Msg:
    """A write the driver refused for a reason :mod:`clientguard.store.failures` has no case for."""
    return msg("store.write_failed", reason=words)


class Store:
    """A migrated database. Close it (or use it as a context manager) when done."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; on SQLite it takes the write lock at once.

        Database failures (locked file, lost server, constraint) become a
        :class:`StorageError` after the rollback, so the CLI prints one line.
        """
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StorageError(db_failure(exc, self.engine, _write_failed)) from exc

    # -- writing ----------------------------------------------------------------------
    def import_paths(
        self,
        paths: Sequence[str | Path],
        client: str | None = None,
        me: Sequence[str] = (),
        tz: str | None = None,
        skip_bad: bool = False,
        progress: ProgressCallback | None = None,
        *,
        reader: Reader | None = None,
        assume_me: Sequence[str] = (),
        allowed_clients: Collection[int] | None = None,
    ) -> ImportSummary:
        """Import files and directories in ONE transaction: all of it, or nothing.

        ``me`` are identities the user named (``--me``): saved, like ``me add``.
        ``assume_me`` count as the user's in this run only and are not saved: a guess of
        who the user is in a chat that does not say (``analyze FILE``, a web upload).
        ``allowed_clients`` (team mode, a specialist's upload): the run may write only to
        these clients and to clients it creates; a chat of any other client, stored or
        named, rolls it all back with an :class:`~clientguard.errors.AccessError`.
        ``reader`` defaults to :func:`clientguard.ingest.read_path`; tests pass a fake.
        A :class:`~clientguard.errors.InputError` (malformed file, unless ``skip_bad``)
        rolls everything back and propagates.
        """
        if reader is None:
            reader = _default_reader()
        ctx = ReadContext(tz=_zone(tz or config.get("tz")), skip_bad=skip_bad)
        files = [Path(p) for p in paths]
        for path in files:
            try:
                there = path.exists()
            except OSError as exc:  # a name too long for the file system: exists() raises, not answers
                raise InputError(msg("ingest.cannot_read", reason=os_reason(exc)), Where(str(path))) from None
            if not there:
                raise ConfigError(msg("store.no_such_path", path=path))
        hooks, event_hooks, move_hooks = after_import_hooks(), after_import_event_hooks(), after_move_hooks()
        with self._write() as conn:
            return ImportRun(
                conn,
                reader=reader,
                ctx=ctx,
                client=client,
                me=me,
                assume_me=assume_me,
                hooks=hooks,
                event_hooks=event_hooks,
                move_hooks=move_hooks,
                progress=progress,
                allowed_clients=None if allowed_clients is None else frozenset(allowed_clients),
            ).run(files)

    def add_me(self, value: str, platform: str = "") -> bool:
        """Name an identity of the user; messages already stored from it become the specialist's.

        Returns False when it was known already.
        """
        value = value.strip()
        if not value:
            raise ConfigError(msg("store.empty_identity"))
        platform = _platform(platform)
        with self._write() as conn:
            if not insert_me_identity(conn, platform, value):
                return False
            folded = value.casefold()
            scope: ColumnElement[bool] = true()
            if platform:
                sources = [s.value for s in Source if PLATFORM[s] == platform]
                scope = MessageRow.conversation_id.in_(
                    select(ConversationRow.id).where(ConversationRow.source.in_(sources))
                )
            senders = select(MessageRow.sender_key, MessageRow.sender_name).where(scope).distinct()
            # Matched in Python: SQLite's lower() folds ASCII only.
            keys = {
                key
                for key, name in conn.execute(senders)
                if key.casefold() == folded or (name or "").casefold() == folded
            }
            if keys:
                conn.execute(
                    update(MessageRow)
                    .where(scope, MessageRow.sender_key.in_(keys))
                    .values(role=Role.SPECIALIST.value, contact_id=None)
                )
                self._forget_people(conn, keys, platform)
            return True

    @staticmethod
    def _forget_people(conn: Connection, keys: set[str], platform: str) -> None:
        """The user was taken for one of the client's people: drop those identities, and the
        contacts left with no identity and no message."""
        scope: ColumnElement[bool] = IdentityRow.value.in_(keys)
        if platform:
            scope = scope & (IdentityRow.platform == platform)
        contact_ids = set(conn.execute(select(IdentityRow.contact_id).where(scope)).scalars())
        conn.execute(delete(IdentityRow).where(scope))
        if contact_ids:
            conn.execute(
                delete(ContactRow).where(
                    ContactRow.id.in_(contact_ids),
                    ~exists().where(IdentityRow.contact_id == ContactRow.id),
                    ~exists().where(MessageRow.contact_id == ContactRow.id),
                )
            )

    def set_contact_role(self, platform: str, value: str, role: str | None) -> None:
        """Mark the contact behind an identity, e.g. ``role="other"`` for a third party."""
        with self._write() as conn:
            contact_id = conn.execute(
                select(IdentityRow.contact_id).where(
                    IdentityRow.platform == platform, IdentityRow.value == value
                )
            ).scalar()
            if contact_id is None:
                raise NotFoundError(msg("store.no_contact", platform=platform, value=value))
            conn.execute(update(ContactRow).where(ContactRow.id == contact_id).values(role=role))
            msg_role = Role.OTHER.value if role == Role.OTHER else Role.CLIENT.value
            conn.execute(update(MessageRow).where(MessageRow.contact_id == contact_id).values(role=msg_role))

    def remove_me(self, value: str, platform: str = "") -> bool:
        """Forget an identity of the user (stored roles are left as they are)."""
        value, platform = value.strip(), _platform(platform)
        with self._write() as conn:
            result = conn.execute(
                delete(MeIdentityRow).where(MeIdentityRow.platform == platform, MeIdentityRow.value == value)
            )
            return bool(result.rowcount)

    # -- reading ----------------------------------------------------------------------
    def me(self) -> list[Identity]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(MeIdentityRow.platform, MeIdentityRow.value).order_by(MeIdentityRow.id)
            )
            return [Identity(platform, value) for platform, value in rows]

    def sender_names(self, keys: Collection[str]) -> dict[str, str]:
        """The display name stored messages give each sender key ("user42" → "Анна"), so
        an identity can be shown as the person it is; keys with no named message are left out."""
        if not keys:
            return {}
        query = (
            select(MessageRow.sender_key, func.max(MessageRow.sender_name))
            .where(MessageRow.sender_key.in_(list(keys)), MessageRow.sender_name.is_not(None))
            .group_by(MessageRow.sender_key)
        )
        with self.engine.connect() as conn:
            return {str(k): str(n) for k, n in conn.execute(query) if n}

    def clients(self) -> list[ClientSummary]:
        """Every client with its message count and last activity, most recent first."""
        counts = (
            select(
                ConversationRow.client_id.label("client_id"),
                func.count(func.distinct(ConversationRow.id)).label("conversations"),
                func.count(MessageRow.id).label("messages"),
                func.max(MessageRow.ts_utc).label("last"),
            )
            .outerjoin(MessageRow, MessageRow.conversation_id == ConversationRow.id)
            .group_by(ConversationRow.client_id)
            .subquery()
        )
        query = (
            select(ClientRow.id, ClientRow.name, counts.c.conversations, counts.c.messages, counts.c.last)
            .outerjoin(counts, counts.c.client_id == ClientRow.id)
            .where(ClientRow.id.not_in(select(ClientClosureRow.client_id)))  # merged or erased: gone
        )
        with self.engine.connect() as conn:
            out = [
                ClientSummary(
                    id=cid,
                    name=name,
                    conversations=int(convs or 0),
                    messages=int(msgs or 0),
                    last_activity=_aware(last),
                )
                for cid, name, convs, msgs, last in conn.execute(query)
            ]
        return sorted(
            out, key=lambda c: (c.last_activity is None, -(c.last_activity or _EPOCH).timestamp(), c.name)
        )

    def client(self, name: str) -> Client:
        """The client with its contacts."""
        return Client(name=self._client_row(name)[1], contacts=tuple(self.contacts(name)))

    def client_timezone(self, name: str) -> str | None:
        """The zone the client's case file named (None: the configured zone applies)."""
        client_id = self._client_row(name)[0]
        with self.engine.connect() as conn:
            found = conn.execute(select(ClientRow.timezone).where(ClientRow.id == client_id)).scalar()
        return None if found is None else str(found)

    def set_client_timezone(self, name: str, timezone: str) -> None:
        """Keep the zone a case file named for the client, for every later profile."""
        client_id = self._client_row(name)[0]
        with self._write() as conn:
            conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(timezone=timezone))

    def contacts(self, client: str) -> list[Contact]:
        client_id = self._client_row(client)[0]
        query = (
            select(ContactRow.id, ContactRow.name, ContactRow.role, IdentityRow.platform, IdentityRow.value)
            .outerjoin(IdentityRow, IdentityRow.contact_id == ContactRow.id)
            .where(ContactRow.client_id == client_id)
            .order_by(ContactRow.id, IdentityRow.id)
        )
        people: dict[int, tuple[str, str | None, list[Identity]]] = {}
        with self.engine.connect() as conn:
            for cid, name, role, platform, value in conn.execute(query):
                entry = people.setdefault(cid, (name, role, []))
                if platform is not None and value is not None:
                    entry[2].append(Identity(platform, value))
        return [Contact(name=n, identities=tuple(ids), role=r) for n, r, ids in people.values()]

    def conversations(self, client: str) -> list[Conversation]:
        client_id = self._client_row(client)[0]
        query = (
            select(
                ConversationRow.source,
                ConversationRow.source_key,
                ConversationRow.title,
                ConversationRow.chat_type,
            )
            .where(ConversationRow.client_id == client_id)
            .order_by(ConversationRow.id)
        )
        with self.engine.connect() as conn:
            return [
                Conversation(source=Source(src), source_key=key, title=title, chat_type=chat_type)
                for src, key, title, chat_type in conn.execute(query)
            ]

    def messages(self, client: str, since: date | datetime | None = None) -> list[StoredMessage]:
        """The client's messages in time order (undated ones last)."""
        return list(self.iter_messages(client, since))

    def iter_messages(self, client: str, since: date | datetime | None = None) -> Iterator[StoredMessage]:
        """Like :meth:`messages`, streamed in batches for big histories.

        A date (or naive datetime) in ``since`` is local time of the configured zone.
        """
        client_id = self._client_row(client)[0]
        m = MessageRow
        query = (
            select(
                m.id,
                m.conversation_id,
                m.contact_id,
                m.source_id,
                m.sender_key,
                m.sender_name,
                m.ts_utc,
                m.text,
                m.original_text,
                m.role,
                m.reply_to,
                m.edited,
                m.forwarded_from,
                m.attachment,
                m.subject,
            )
        )
        query = _in_time_order_for(query, m, client_id)
        if since is not None:
            query = query.where(m.ts_utc >= _since(since))
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(query)
            for row in result:
                (
                    mid,
                    conv_id,
                    contact_id,
                    source_id,
                    key,
                    name,
                    ts,
                    text,
                    original,
                    role,
                    reply_to,
                    edited,
                    forwarded,
                    attachment,
                    subject,
                ) = row
                message = Message(
                    source_id=source_id,
                    sender=Sender(key, name),
                    timestamp=ts,
                    text=text,
                    original_text=original,
                    role=Role(role),
                    reply_to=reply_to,
                    edited=edited,
                    forwarded_from=forwarded,
                    attachment=AttachmentKind(attachment),
                    subject=subject,
                )
                yield StoredMessage(id=mid, conversation_id=conv_id, contact_id=contact_id, message=message)

    def events(
        self,
        client: str,
        kinds: Collection[str] | None = None,
        conversation: str | None = None,
    ) -> list[StoredEvent]:
        """The client's service events (all, or of ``kinds``) in time order, undated last.

        ``conversation`` (a source key) limits them to one chat. Events are few (calls,
        pins, joins), so one query returns them all; the analysis reads them once per
        profile because a client's calls count toward its off-hours signal.
        """
        client_id = self._client_row(client)[0]
        e = EventRow
        query = (
            select(
                e.id,
                e.conversation_id,
                ConversationRow.source_key,
                e.source_id,
                e.kind,
                e.ts_utc,
                e.actor_key,
                e.actor_name,
                e.details,
            )
        )
        query = _in_time_order_for(query, e, client_id)
        if kinds is not None:
            query = query.where(e.kind.in_(sorted(kinds)))
        if conversation is not None:
            query = query.where(ConversationRow.source_key == conversation)
        out: list[StoredEvent] = []
        with self.engine.connect() as conn:
            for eid, conv_id, key, sid, kind, ts, actor_key, actor_name, details in conn.execute(query):
                actor = Sender(actor_key, actor_name) if actor_key else None
                info = {str(k): str(v) for k, v in details.items()} if isinstance(details, dict) else {}
                event = Event(source_id=sid, kind=kind, timestamp=ts, actor=actor, details=info)
                out.append(StoredEvent(id=eid, conversation_id=conv_id, source_key=key, event=event))
        return out

    def _client_row(self, name: str) -> tuple[int, str]:
        """Find a client by exact name, else by case-insensitive name (in Python: SQLite's
        ``lower()`` folds ASCII only, and client names are mostly Cyrillic)."""
        with self.engine.connect() as conn:
            return require_client(conn, name)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates (MAX) bypass the column type, so SQLite hands back a string or naive value."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _since(value: date | datetime) -> datetime:
    zone = _zone(config.get("tz"))
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(msg("store.bad_zone", name=name)) from exc


def _default_reader() -> Reader:
    # Imported late: the importers are only needed by imports, not by queries.
    from clientguard.ingest import read_path

    return read_path


def _in_time_order_for(query: Any, row: Any, client_id: int) -> Any:
    """``query`` over ``row`` (messages or service events) limited to the client's
    conversations, in time order with undated rows last, then by id."""
    return (
        query.join(ConversationRow, ConversationRow.id == row.conversation_id)
        .where(ConversationRow.client_id == client_id)
        .order_by(row.ts_utc.is_(None), row.ts_utc, row.id)
    )
