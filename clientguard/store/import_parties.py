"""Who and where from, for one import run: conversations, clients, contacts, source files.

Split from the hot loop in ``importer.py`` because everything here runs once per
conversation, sender or file, not once per message: plain SQLAlchemy Core statements,
written for clarity rather than speed.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, distinct, func, insert, select, update

from clientguard.domain import Conversation, Message, Role, Sender
from clientguard.errors import ConfigError, msg
from clientguard.ingest.copies import copy_key, same_clock
from clientguard.ingest.notices import Notice, NoticeCode
from clientguard.store.hooks import AfterMoveHook
from clientguard.store.import_keys import ContentKeys, Keys
from clientguard.store.lookup import find_client
from clientguard.store.models import (
    ClientRow,
    ContactRow,
    ConversationRow,
    EventRow,
    IdentityRow,
    MeIdentityRow,
    MessageRow,
    SourceFileRow,
)
from clientguard.store.people import PERSONAL_CHATS, PLATFORM, MeMatcher
from clientguard.store.records import ConversationMove, ImportSummary, NewEvent

#: Why a stored conversation changed client, as the move hooks (the evidence log) record it.
MOVE_REASON = "imported again with --client or a case file naming another client"


def now_utc() -> datetime:
    return datetime.now(UTC)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ConvState:
    """Per-conversation memory of one run (kept across files: HTML exports come in parts)."""

    id: int
    conversation: Conversation
    platform: str
    client_id: int | None
    #: source_id → number of the file that added it in this run (0: already stored).
    seen: dict[str, int]
    events_seen: dict[str, int]
    #: sender key → (contact_id, role)
    senders: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    #: events written but not yet handed to the event hooks (the client was not known yet)
    unhooked_events: list[NewEvent] = field(default_factory=list)
    #: the name of a chat its export does not name (:meth:`Parties.derived_title`)
    derived_title: str | None = None
    #: the stored conversation a file without a chat id was found to be (its title, else key)
    content_match: str | None = None


#: How many of a new chat's first messages :meth:`Parties.find_copy` compares, and how many
#: it needs at least (the analysis's copy rule needs three repeated texts as well).
COPY_SAMPLE = 5
COPY_MIN = 3


@dataclass(frozen=True)
class SameChatMatch:
    """The stored chat a new one repeats: its id, its client, how many messages matched."""

    conversation_id: int
    client_id: int
    matched: int
    title: str
    client: str


def _utc(m: Message, tz: ZoneInfo) -> datetime:
    """A message's time in UTC (naive local times, WhatsApp's, are in the run's zone)."""
    ts = m.timestamp
    assert ts is not None
    return ts.astimezone(UTC) if ts.tzinfo is not None else ts.replace(tzinfo=tz).astimezone(UTC)


class Parties:
    """Resolves conversations, clients and contacts for one run, on the run's connection.

    ``conn`` is a callable, not a connection: the run hands out its connection only once
    a chunk being written in the background is done (see ``ImportRun.conn``).
    """

    def __init__(
        self,
        conn: Callable[[], Connection],
        summary: ImportSummary,
        move_hooks: Sequence[AfterMoveHook] = (),
    ) -> None:
        self._conn = conn
        self.summary = summary
        self.me = MeMatcher()
        self.fixed_client: int | None = None
        self.convs: dict[str, ConvState] = {}
        self.move_hooks = list(move_hooks)
        self.import_id: int | None = None
        #: clients this run created, and (old client, conversation title) of every move:
        #: what an access check over the run needs (:meth:`ImportRun.check_access`)
        self.created_clients: set[int] = set()
        self.moved_from: list[tuple[int, str]] = []
        #: every move of the run, for the summary the user reads
        self.moves: list[ConversationMove] = []
        #: conversations of files without a chat id, found by their first records
        self.content = ContentKeys(conn)
        #: what the import notes should say about the conversation just resolved (its file is
        #: the run's to name: ``ImportRun`` hands these on to the read context)
        self.notices: list[Notice] = []

    def start(
        self, me: list[str], client: str | None, import_id: int | None = None, assumed: Sequence[str] = ()
    ) -> None:
        """Load the user's identities (saving ``me``, the ones the user named) and the
        ``--client`` of the run. ``assumed`` count as the user's in this run only: a guess
        such as "the sender who is not the chat's client" must not make that person the
        user in every later import, where they may well be a client."""
        self.import_id = import_id
        for value in me:
            self.remember_me("", value)
        for value in assumed:
            self.me.add("", value)
        for platform, value in self._conn().execute(select(MeIdentityRow.platform, MeIdentityRow.value)):
            self.me.add(platform, value)
        if client is not None and not client.strip():
            raise ConfigError(msg("store.empty_client"))
        self.fixed_client = self.client_id(client) if client else None

    def remember_me(self, platform: str, value: str) -> None:
        """Add an identity of the user, persistently (it is part of this transaction)."""
        self.me.add(platform, value)
        insert_me_identity(self._conn(), platform, value)

    def source_file(self, path: Path) -> int:
        """The ``source_files`` id of ``path``, known by content hash (a moved file is the same)."""
        sha = file_sha256(path)
        size = path.stat().st_size
        c = self._conn()
        found = c.execute(select(SourceFileRow.id).where(SourceFileRow.sha256 == sha)).scalar()
        if found is not None:
            c.execute(update(SourceFileRow).where(SourceFileRow.id == found).values(path=str(path)))
            return int(found)
        return int(
            c.execute(
                insert(SourceFileRow)
                .values(sha256=sha, path=str(path), size=size, imported_at=now_utc())
                .returning(SourceFileRow.id)
            ).scalar_one()
        )

    def conv_state(
        self, conv: Conversation, file: str | None = None, source_file_id: int | None = None,
        copy_of: SameChatMatch | None = None, keys: Keys = (),
    ) -> ConvState:
        """The run's memory of ``conv``, stored (or found) on first sight.

        ``copy_of``: the stored chat this new one repeats (:meth:`find_copy`); the new chat is
        filed under that chat's client instead of a client named after its own title.

        ``keys``: the content keys of a file without a chat id (``ingest.identity``). Not
        stored under its own (path) key, such a file is the stored conversation its first
        records name: the same table uploaded again or copied elsewhere adds only its new rows
        to the conversation it was, which keeps its key and its title.

        A stored conversation imported with ``--client`` naming another client than its
        own moves to that client; the move hooks hear of it here, before any new row of
        it is written (``file`` and ``source_file_id``: the file being read, for them).
        """
        state = self.convs.get(conv.source_key)
        if state is not None:
            return state
        platform = PLATFORM.get(conv.source, str(conv.source))
        if conv.owner is not None:  # a full-account export names its owner: that is the user
            self.remember_me(platform, conv.owner.source_id)
        derived = self.derived_title(conv, platform) if conv.title is None and conv.participants else None
        c = self._conn()
        columns = (ConversationRow.id, ConversationRow.client_id, ConversationRow.source_key)
        row = c.execute(select(*columns).where(ConversationRow.source_key == conv.source_key)).first()
        by_content = False
        if row is None and keys:
            found = self.content.find(str(conv.source), keys)
            if found is not None:
                same = next((st for st in self.convs.values() if st.id == found), None)
                if same is not None:  # an earlier file of this run is the same table
                    same.content_match = same.conversation.title or same.conversation.source_key
                    self.convs[conv.source_key] = same
                    return same
                row = c.execute(select(*columns).where(ConversationRow.id == found)).first()
                by_content = row is not None
        seen: dict[str, int]
        events_seen: dict[str, int]
        if row is None:
            conv_id = c.execute(
                insert(ConversationRow)
                .values(
                    source=str(conv.source),
                    source_key=conv.source_key,
                    title=conv.title or derived,
                    chat_type=conv.chat_type,
                    client_id=self.fixed_client if copy_of is None else copy_of.client_id,
                )
                .returning(ConversationRow.id)
            ).scalar_one()
            client_id, seen, events_seen = self.fixed_client if copy_of is None else copy_of.client_id, {}, {}
        else:
            conv_id, stored_client, stored_key = row
            client_id = stored_client if self.fixed_client is None else self.fixed_client
            c.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conv_id)
                .values(
                    title=ConversationRow.title if by_content else conv.title or ConversationRow.title,
                    chat_type=conv.chat_type,
                    client_id=client_id,
                )
            )
            if stored_client is not None and client_id is not None and client_id != stored_client:
                move = ConversationMove(
                    conv_id,
                    stored_key,
                    conv.title,
                    int(stored_client),
                    client_id,
                    MOVE_REASON,
                    file,
                    source_file_id,
                    self.import_id,
                )
                self.moved_from.append((int(stored_client), conv.title or conv.source_key))
                self.moves.append(move)
                for hook in self.move_hooks:
                    hook(c, move)
            seen = dict.fromkeys(
                c.execute(
                    select(MessageRow.source_id).where(MessageRow.conversation_id == conv_id)
                ).scalars(),
                0,
            )
            events_seen = dict.fromkeys(
                c.execute(select(EventRow.source_id).where(EventRow.conversation_id == conv_id)).scalars(), 0
            )
        self.content.remember(conv_id, keys)
        state = ConvState(conv_id, conv, platform, client_id, seen, events_seen, derived_title=derived)
        if by_content:
            title = c.execute(select(ConversationRow.title).where(ConversationRow.id == conv_id)).scalar()
            state.content_match = str(title or stored_key)
        self.convs[conv.source_key] = state
        self.summary.conversations += 1
        return state

    def resolve_sender(self, state: ConvState, sender: Sender, role: Role) -> tuple[int | None, str]:
        """Role and contact of a sender not seen before in this conversation."""
        who: tuple[int | None, str]
        if role is Role.SPECIALIST or self.me.matches(state.platform, sender):
            who = (None, Role.SPECIALIST.value)
        else:
            c = self._conn()
            found = c.execute(
                select(ContactRow.id, ContactRow.role, ContactRow.client_id)
                .join(IdentityRow, IdentityRow.contact_id == ContactRow.id)
                .where(IdentityRow.platform == state.platform, IdentityRow.value == sender.source_id)
            ).first()
            if found is not None:
                contact_id, contact_role, contact_client = found
                other = contact_role == Role.OTHER
                if state.client_id is None and not other:  # a known person: the chat is their client's
                    self.assign_client(state, contact_client)
                who = (contact_id, Role.OTHER.value if other else Role.CLIENT.value)
            else:
                client_id = state.client_id
                if client_id is None:
                    client_id = self.set_client(state, sender)
                contact_id = c.execute(
                    insert(ContactRow)
                    .values(client_id=client_id, name=sender.name or sender.source_id, role=None)
                    .returning(ContactRow.id)
                ).scalar_one()
                c.execute(
                    insert(IdentityRow).values(
                        platform=state.platform, value=sender.source_id, contact_id=contact_id
                    )
                )
                who = (contact_id, Role.CLIENT.value)
        state.senders[sender.source_id] = who
        return who

    def client_of(self, state: ConvState) -> int:
        """The conversation's client, picked now (from what names the chat) if it has none yet."""
        return state.client_id if state.client_id is not None else self.set_client(state, None)

    def set_client(self, state: ConvState, first_sender: Sender | None) -> int:
        """Pick the client of a conversation that has none (no ``--client``, not stored before, no
        known person in it): title of a personal chat, else the name derived from the participants
        of a chat the export does not name (:meth:`derived_title`), else the first sender who is
        not the user, else whatever names the chat."""
        conv = state.conversation
        if conv.title and conv.chat_type in PERSONAL_CHATS:
            name = conv.title
        elif state.derived_title:
            name = state.derived_title
        elif first_sender is not None:
            name = first_sender.name or first_sender.source_id
        else:
            name = conv.title or conv.source_key
        return self.assign_client(state, self.client_id(name))

    def find_copy(self, conv: Conversation, head: Sequence[Message], tz: ZoneInfo) -> SameChatMatch | None:
        """The stored chat that ``conv`` (not stored yet) is another export of, if its first
        messages prove it.

        Telegram's HTML export has no chat id and may title the chat differently from the
        JSON export ("Jimmeny Marvelton" / "Jimmeny"), so the two formats of one chat became
        two clients. Proof, the same as the analysis's copy rule (``analysis.history``): the
        first :data:`COPY_SAMPLE` messages with text, at least :data:`COPY_MIN` of them, each
        have a twin in one stored chat of the same platform — same sender name and text, same
        moment up to a whole time-zone offset (HTML exports carry local time) or a minute cut
        short. One chat must match all of them; anything less proves nothing and nothing
        changes. The chats stay two conversations (each keeps its ids, so re-imports stay
        idempotent) under one client, where the analysis's copy rule counts them once.
        """
        platform = PLATFORM.get(conv.source, str(conv.source))
        sample = [m for m in head if m.text.strip() and m.timestamp is not None][:COPY_SAMPLE]
        if len(sample) < COPY_MIN:
            return None
        c = self._conn()
        if c.execute(select(ConversationRow.id).where(ConversationRow.source_key == conv.source_key)).first():
            return None
        # Only another format can hold a copy (one format names a chat by the same key or
        # title each time); and without a stored chat in one, no message scan at all, so a
        # full-account export of hundreds of chats pays one cheap query per chat.
        sources = [str(src) for src, plat in PLATFORM.items() if plat == platform and src != conv.source]
        if not sources or c.execute(
            select(ConversationRow.id).where(ConversationRow.source.in_(sources)).limit(1)
        ).first() is None:
            return None
        rows = c.execute(
            select(ConversationRow.id, ConversationRow.client_id, MessageRow.text, MessageRow.ts_utc,
                   MessageRow.sender_name, MessageRow.sender_key)
            .join(MessageRow, MessageRow.conversation_id == ConversationRow.id)
            .where(
                ConversationRow.source.in_(sources),
                ConversationRow.source_key != conv.source_key,
                ConversationRow.client_id.is_not(None),
                MessageRow.text.in_({m.text for m in sample}),
            )
        ).all()
        stored: dict[int, list[tuple[str, str, float]]] = {}
        clients: dict[int, int] = {}
        for conv_id, client_id, text, ts, name, key in rows:
            if ts is not None and client_id is not None:
                stamp = (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).timestamp()
                twin = (str(name or key).casefold(), str(text).strip(), stamp)
                stored.setdefault(int(conv_id), []).append(twin)
                clients[int(conv_id)] = int(client_id)
        matches = []
        for conv_id, twins in stored.items():
            if all(
                any(
                    (who, text) == copy_key(m) and same_clock(_utc(m, tz).timestamp(), at)
                    for who, text, at in twins
                )
                for m in sample
            ):
                matches.append(conv_id)
        if len(matches) != 1:
            return None
        title, key, client = c.execute(
            select(ConversationRow.title, ConversationRow.source_key, ClientRow.name)
            .join(ClientRow, ClientRow.id == ConversationRow.client_id)
            .where(ConversationRow.id == matches[0])
        ).one()
        return SameChatMatch(matches[0], clients[matches[0]], len(sample), str(title or key), str(client))

    def derived_title(self, conv: Conversation, platform: str) -> str | None:
        """The name of a chat its export does not name (WhatsApp without "Chat with X" in the
        file name): its participants who are not the user, most likely first.

        Naming it after its first sender (as before) named it after the user whenever the
        user wrote first, so the chats with Игорь and with Олег, both opened by Анна, became
        one client «Анна». Who the user is, in order:

        1. a saved identity (``clientguard me add``, ``--me``) among the participants;
        2. else the participant who already wrote in the most *other* stored chats of this
           platform (this run's earlier files included), when exactly one did: the user is
           in every chat they export, a client only in theirs. That participant counts as
           the user for this run only (never saved), so their messages are not taken for
           a client's and their stored identity does not pull this chat to another client;
           the import notes name them and the command that saves them;
        3. else nobody can tell: the chat is named after all its participants
           ("Анна, Игорь"), which is honest and never merges with another chat.

        The chat's identity (``source_key``) is not this name but the set of participants
        (``ingest.whatsapp``), so two chats whose names coincide stay two conversations,
        and a re-import of the same file finds its stored conversation again.
        """
        people = list(conv.participants)
        mine = [p for p in people if self.me.matches(platform, Sender(p, p))]
        if not mine:
            usual = self._usual_sender(conv, platform)
            if usual is not None:
                self.me.add(platform, usual)
                mine = [usual]
                said: dict[str, str | int] = {"who": usual, "add": f"clientguard me add {shlex.quote(usual)}"}
                self.notices.append(Notice(NoticeCode.USUAL_ME_ASSUMED, said))
        others = [p for p in people if p not in mine]
        return ", ".join(others or people) or None

    def _usual_sender(self, conv: Conversation, platform: str) -> str | None:
        """The one participant of ``conv`` who wrote in the most other stored chats of ``platform``."""
        sources = [str(src) for src, plat in PLATFORM.items() if plat == platform]
        rows = (
            self._conn().execute(
                select(MessageRow.sender_key, func.count(distinct(MessageRow.conversation_id)))
                .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
                .where(
                    ConversationRow.source.in_(sources),
                    ConversationRow.source_key != conv.source_key,
                    MessageRow.sender_key.in_(conv.participants),
                )
                .group_by(MessageRow.sender_key)
            ).all()
        )
        counts = {str(key): int(n) for key, n in rows}
        best = max(counts.values(), default=0)
        top = [p for p, n in counts.items() if n == best]
        return top[0] if best > 0 and len(top) == 1 else None

    def assign_client(self, state: ConvState, client_id: int) -> int:
        state.client_id = client_id
        self._conn().execute(
            update(ConversationRow).where(ConversationRow.id == state.id).values(client_id=client_id)
        )
        return client_id

    def client_id(self, name: str) -> int:
        """The client ``name`` means by the rule every other command uses (store.lookup: the
        exact name, else the one equal case-insensitively; spaces around it ignored), else a
        new client. The import alone matched exactly, so 'import --client "кофейня «пенка»"'
        or a trailing space started a second client that invoice add, contract set and
        analyze --client never saw (QA6 CLI N18)."""
        c = self._conn()
        found = find_client(c, name)
        if found is not None:
            return found[0]
        row = insert(ClientRow).values(name=name.strip() or name, created_at=now_utc())
        new = int(c.execute(row.returning(ClientRow.id)).scalar_one())
        self.created_clients.add(new)
        return new


@dataclass(frozen=True)
class WeighedGuess:
    """What a guess of who the user is in a chat becomes: who is saved, who counts for one run."""

    #: saved as the user's identity (``me``): at most one, the one the messages point at
    saved: tuple[str, ...]
    #: the user's in this run only (``assume_me``): the store's roles agree with the analysis
    assumed: tuple[str, ...]
    #: what the import notes say about it (None: a chat of two, nothing new to say)
    notice: Notice | None = None


def weigh_guess(file: str, counts: Mapping[str, int]) -> WeighedGuess:
    """Which of the participants guessed to be the user to save, from their message counts.

    ``analyze FILE`` on a chat that does not say who the user is takes its first sender for
    the client and everyone else for the user. In a chat of two that is one person, saved
    as before (``analyze`` says it was a guess and how to undo it). A WhatsApp group export
    with no owner saved *every* other participant as the user, and every later import then
    took each of them for the user, also in chats where they are the client. Now only the
    one who wrote the most besides the client is saved, when no one ties with them (the
    user usually carries the work chat); the others count as the user's in this run only.
    A tie saves nobody. The notice names who was saved and the command that undoes it.
    """
    if len(counts) <= 1:
        return WeighedGuess(tuple(counts), ())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (top, most), (_, next_most) = ranked[0], ranked[1]
    if most > next_most:
        rest = tuple(sorted(k for k in counts if k != top))
        said: dict[str, str | int] = {
            "who": top, "undo": f"clientguard me remove {shlex.quote(top)}", "others": len(rest)
        }
        return WeighedGuess((top,), rest, Notice(NoticeCode.GROUP_ME_GUESSED, said, file))
    tie: dict[str, str | int] = {"count": len(counts), "most": most}
    return WeighedGuess((), tuple(sorted(counts)), Notice(NoticeCode.GROUP_ME_UNKNOWN, tie, file))


def insert_me_identity(conn: Connection, platform: str, value: str) -> bool:
    """Add one of the user's identities unless it is there; True when it was added.

    ``ON CONFLICT DO NOTHING`` rather than look-then-insert: parallel imports on
    PostgreSQL (team mode workers) would otherwise race on the unique key and one of
    them would fail.
    """
    values = {"platform": platform, "value": value}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = (
            pg_insert(MeIdentityRow).values(**values).on_conflict_do_nothing().returning(MeIdentityRow.id)
        )
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = (
            sqlite_insert(MeIdentityRow).values(**values).on_conflict_do_nothing().returning(MeIdentityRow.id)
        )
    else:
        exists = conn.execute(
            select(MeIdentityRow.id).where(MeIdentityRow.platform == platform, MeIdentityRow.value == value)
        ).first()
        if exists is not None:
            return False
        stmt = insert(MeIdentityRow).values(**values).returning(MeIdentityRow.id)
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped conflict.
    return conn.execute(stmt).first() is not None
