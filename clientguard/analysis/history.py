"""A client's stored history as analysis input: every conversation, roles settled, ids unique.

Why this exists: a client is profiled from everything stored for it (a March and a May
export, a WhatsApp and a Telegram chat), not from the file just read. The store keeps
messages per conversation with the roles it assigned at import time; this module turns
them into one message stream that :func:`~clientguard.analysis.build_profile` can take:

* **Roles.** The file being analysed decides the roles of its own senders (exactly as
  ``analyze --only-file`` would). Elsewhere the stored role holds, except that a sender
  matching one of the user's identities (``me``, ``--me``, the case's specialist ids,
  the specialists of the file) is the specialist: a chat imported before the user was
  known has the user stored as a client. A stored conversation where nobody is on the
  specialist's side gets the same fallback as a file (the case's contacts, a personal
  chat's id, the client's name, else the first sender).
* **Ids.** Message ids stay the SOURCE ids of the exports. Only where two conversations
  use the same source id (Telegram numbers every chat from 1) the message of the
  conversation that is not the anchor (the analysed file's, else the first stored one)
  gets ``<source id>@<conversation key>``, so evidence never points at two messages.
* **Copies.** The same chat exported in two formats (Telegram JSON and HTML) is two
  conversations in the store. When a conversation repeats messages of an earlier one
  (same sender, same text, same time up to a whole time-zone offset: HTML exports carry
  local time), the repeats are dropped instead of counted twice.

* **Calls.** The client's calls (service events, :mod:`.calls`) come from one read of
  the stored events per profile (:func:`stored_calls`); a call by one of the user's
  identities is the specialist's and is left out, as a message of theirs would be.

Store access goes through the public :class:`~clientguard.store.Store` API plus one
read of the ``conversations`` table (keys, titles), which the Store does not expose.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from clientguard.analysis.case import CaseFile
from clientguard.analysis.dataset import client_ids
from clientguard.analysis.model import CallEvent
from clientguard.domain import Message, Role, Sender
from clientguard.ingest.copies import copy_key, distinctive, same_clock

if TYPE_CHECKING:  # the store is imported when used: analysis runs without it
    from clientguard.store import Store
    from clientguard.store.people import MeMatcher
    from clientguard.store.records import StoredMessage

#: Repeats of at least this many distinctive messages make a conversation a copy.
_COPY_MIN = 3


@dataclass(frozen=True)
class StoredConversation:
    """A stored conversation of the client (store id, export source and key)."""

    id: int
    source: str
    source_key: str
    title: str | None
    chat_type: str | None


@dataclass(frozen=True)
class History:
    """What a profile over the stored history covers (for the summary line)."""

    client: str
    conversations: int
    messages: int
    from_store: int
    duplicates: int


@dataclass(frozen=True)
class Assembled:
    """Stored messages to add to the file's ones, ready for labelling."""

    messages: tuple[Message, ...]
    conversations: int
    duplicates: int


def conversation_client(store: Store, source_key: str) -> str | None:
    """The name of the client a stored conversation belongs to (None when not stored)."""
    from sqlalchemy import select

    from clientguard.store.models import ClientRow, ConversationRow

    query = (
        select(ClientRow.name)
        .join(ConversationRow, ConversationRow.client_id == ClientRow.id)
        .where(ConversationRow.source_key == source_key)
    )
    with store.engine.connect() as conn:
        name = conn.execute(query).scalar()
    return None if name is None else str(name)


def client_conversations(store: Store, client: str) -> list[StoredConversation]:
    """The client's conversations, first stored first (a NotFoundError when no such client)."""
    from sqlalchemy import select

    from clientguard.store.models import ClientRow, ConversationRow

    name = store.client(client).name  # the stored spelling; raises NotFoundError
    c = ConversationRow
    query = (
        select(c.id, c.source, c.source_key, c.title, c.chat_type)
        .join(ClientRow, ClientRow.id == c.client_id)
        .where(ClientRow.name == name)
        .order_by(c.id)
    )
    with store.engine.connect() as conn:
        return [StoredConversation(int(i), str(s), str(k), t, ct) for i, s, k, t, ct in conn.execute(query)]


def stored_count(store: Store, client: str) -> int:
    """How many messages the client has in the store (one aggregate query)."""
    from sqlalchemy import func, select

    from clientguard.store.models import ClientRow, ConversationRow, MessageRow

    query = (
        select(func.count(MessageRow.id))
        .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
        .join(ClientRow, ClientRow.id == ConversationRow.client_id)
        .where(ClientRow.name == client)
    )
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def me_matcher(store: Store, case: CaseFile, extra: Iterable[str] = ()) -> MeMatcher:
    """The user's identities: stored ones, the case's specialist ids and ``extra``."""
    from clientguard.store.people import MeMatcher

    me = MeMatcher()
    for ident in store.me():
        me.add(ident.platform, ident.value)
    for value in (*case.me, *extra):
        me.add("", value)
    return me


def stored_calls(
    store: Store, client: str, conversations: Sequence[StoredConversation], me: MeMatcher
) -> tuple[CallEvent, ...]:
    """The client's stored calls, read once, without the user's own (see module docstring).

    Which remaining calls are the client's is decided with the messages' roles by
    :func:`~clientguard.analysis.calls.client_calls` inside the profile.
    """
    from clientguard.analysis.calls import CALL_KINDS, calls_from_stored
    from clientguard.store.people import PLATFORM

    platform = {c.source_key: PLATFORM.get(c.source, c.source) for c in conversations}
    events = [
        e
        for e in store.events(client, CALL_KINDS)
        if e.event.actor is None or not me.matches(platform.get(e.source_key, ""), e.event.actor)
    ]
    return calls_from_stored(events)


def _chat_id(source_key: str) -> str | None:
    tail = source_key.removeprefix("telegram:")
    return tail if tail.lstrip("-").isdigit() else None


def _role(client: bool) -> Role:
    return Role.CLIENT if client else Role.SPECIALIST


def _settle_roles(
    conv: StoredConversation,
    msgs: list[Message],
    case: CaseFile,
    me: MeMatcher,
    file_roles: dict[str, Role] | None,
) -> list[Message]:
    """Roles of one stored conversation's messages (see the module docstring)."""
    from clientguard.store.people import PLATFORM

    platform = PLATFORM.get(conv.source, conv.source)
    decided: dict[tuple[str, str | None, Role], Role] = {}  # a chat has few senders
    out: list[Message] = []
    for m in msgs:
        who = (m.sender.source_id, m.sender.name, m.role)
        role = decided.get(who)
        if role is None:
            role = m.role
            if file_roles is not None and m.sender.source_id in file_roles:
                role = file_roles[m.sender.source_id]
            elif role is not Role.OTHER and me.matches(platform, m.sender):
                role = Role.SPECIALIST
            decided[who] = role
        out.append(m if role is m.role else replace(m, role=role))
    if file_roles is None and not any(m.role is Role.SPECIALIST for m in out):
        # Nobody known on the user's side: the fallback a file gets (source.read_chat).
        people = [m for m in out if m.role is not Role.OTHER]
        clients = client_ids(case, people, _chat_id(conv.source_key))
        settled: list[Message] = []
        for m in out:
            role = m.role if m.role is Role.OTHER else _role(m.sender.source_id in clients)
            settled.append(m if role is m.role else replace(m, role=role))
        out = settled
    return out


#: (conversation key, its conversation or None for the file's messages, messages)
_Group = tuple[str, "StoredConversation | None", list[Message]]


def _distinctive(m: Message) -> bool:
    return distinctive(m.text)


def _drop_copies(groups: list[_Group]) -> tuple[list[_Group], int]:
    """Remove messages of a conversation that is a copy of an earlier one (another format).

    Decided per conversation, not per message: one "ок" at the same second in two chats
    is chance; several longer texts repeated in the same order of time are an export of
    the same chat. The copy's messages that remain (a later export's new ones) are written
    by the earlier conversation's people: a Telegram HTML export has no user ids, so its
    "Jimmeny Marvelton" was a second contact of one name beside the JSON's ``user1`` in
    the profile's contacts table (QA pass 6 follow-up, K1).
    """
    index: dict[tuple[str, str], list[tuple[str, float, Sender]]] = defaultdict(list)
    out: list[_Group] = []
    dropped = 0
    for key, conv, msgs in groups:
        repeats: set[int] = set()
        same: dict[str, Sender] = {}  # the copy's sender id → the earlier conversation's sender
        strong = 0
        for i, m in enumerate(msgs):
            ck = copy_key(m)
            if ck is None or ck not in index:
                continue
            ts = m.timestamp.timestamp()  # type: ignore[union-attr]
            twin = next((who for k, other, who in index[ck] if k != key and same_clock(ts, other)), None)
            if twin is not None:
                repeats.add(i)
                same.setdefault(m.sender.source_id, twin)
                strong += _distinctive(m)
        texted = sum(1 for m in msgs if _distinctive(m))
        if repeats and (strong >= _COPY_MIN or (texted and strong == texted)):
            msgs = [m for i, m in enumerate(msgs) if i not in repeats]
            msgs = [m if m.sender.source_id not in same else replace(m, sender=same[m.sender.source_id])
                    for m in msgs]  # fmt: skip
            dropped += len(repeats)
        for m in msgs:
            ck = copy_key(m)
            if ck is not None:
                index[ck].append((key, m.timestamp.timestamp(), m.sender))  # type: ignore[union-attr]
        out.append((key, conv, msgs))
    return out, dropped


@dataclass(frozen=True)
class DistinctMessages:
    """A client's stored messages as the analysis counts them: a second export format of
    one chat (:func:`_drop_copies`) is not counted twice."""

    messages: tuple[StoredMessage, ...]
    conversations: int
    duplicates: int


def may_hold_copies(texts: Iterable[tuple[int, str]]) -> bool:
    """Whether (conversation id, text) rows can hold a copy :func:`_drop_copies` would drop.

    A necessary condition of that rule, read from texts alone: some conversation shares
    at least :data:`_COPY_MIN` distinctive texts with the others, or every distinctive
    text it has (sender and clock only narrow the rule further). ``clients`` asks this
    first, so a client with two large distinct chats is not read message by message: that
    full pass took ``clients`` from 0.7 s to 4-5 s on 200,000 messages.
    """
    convs: dict[str, set[int]] = defaultdict(set)
    per_conv: dict[int, list[str]] = defaultdict(list)
    for cid, raw in texts:
        text = raw.strip()
        if text and distinctive(text):
            convs[text].add(cid)
            per_conv[cid].append(text)
    for own in per_conv.values():
        shared = sum(1 for t in own if len(convs[t]) > 1)
        if shared >= _COPY_MIN or (shared and shared == len(own)):
            return True
    return False


def distinct_stored(stored: Iterable[StoredMessage]) -> DistinctMessages:
    """``stored`` (any order, one client's) without the repeats of another export format.

    ``clients`` counted both copies of a chat imported as Telegram JSON and HTML (2
    conversations, 8 messages) while ``analyze`` counted 4; ``clients`` and ``messages``
    use this, the analysis's own copy rule (first stored conversation first, as
    :func:`assemble` orders them), so they count what the profile counts. The input order
    is kept.
    """
    kept = list(stored)
    by_conv: dict[int, list[Message]] = defaultdict(list)
    for sm in kept:
        by_conv[sm.conversation_id].append(sm.message)
    if len(by_conv) < 2:
        return DistinctMessages(tuple(kept), len(by_conv), 0)
    groups: list[_Group] = [(str(cid), None, msgs) for cid, msgs in sorted(by_conv.items())]
    groups, duplicates = _drop_copies(groups)
    if not duplicates:
        return DistinctMessages(tuple(kept), len(by_conv), 0)
    left = {(key, m.source_id, m.timestamp, m.text) for key, _, msgs in groups for m in msgs}
    out = tuple(
        sm for sm in kept
        if (str(sm.conversation_id), sm.message.source_id, sm.message.timestamp, sm.message.text) in left
    )  # fmt: skip
    return DistinctMessages(out, sum(1 for _, _, msgs in groups if msgs), duplicates)


def assemble(
    conversations: Sequence[StoredConversation],
    stored: Iterable[StoredMessage],
    case: CaseFile,
    me: MeMatcher,
    anchor: str | None = None,
    file_messages: Sequence[Message] = (),
) -> Assembled:
    """The stored messages that complete the file's ones into the client's history.

    ``anchor`` is the source key of the analysed file's conversation (its messages are
    ``file_messages``, already read and labelled by the caller, so the stored copies of
    them are skipped); without a file, the first stored conversation is the anchor.
    """
    by_conv: dict[int, list[Message]] = defaultdict(list)
    for sm in stored:
        by_conv[sm.conversation_id].append(sm.message)
    convs = [c for c in conversations if c.id in by_conv or c.source_key == anchor]
    if anchor is None and convs:
        anchor = convs[0].source_key
    file_ids = {m.source_id for m in file_messages}
    file_roles = {m.sender.source_id: m.role for m in file_messages}

    groups: list[_Group] = [(anchor or "", None, list(file_messages))]
    for conv in sorted(convs, key=lambda c: (c.source_key != anchor, c.id)):
        msgs = by_conv.get(conv.id, [])
        is_anchor = conv.source_key == anchor
        if is_anchor and file_ids:
            msgs = [m for m in msgs if m.source_id not in file_ids]
        roles = file_roles if is_anchor and file_messages else None
        groups.append((conv.source_key, conv, _settle_roles(conv, msgs, case, me, roles)))
    if len({key for key, _, msgs in groups if msgs}) < 2:
        # One conversation: nothing can repeat another or share its ids (the usual case).
        single = tuple(m for _, conv_, msgs in groups if conv_ is not None for m in msgs)
        return Assembled(single, 1 if single or file_messages else 0, 0)
    groups, duplicates = _drop_copies(groups)

    # Source ids used by more than one conversation: qualified outside the anchor.
    owner: dict[str, str] = {}
    shared: set[str] = set()
    for key, _, msgs in groups:
        for m in msgs:
            if owner.setdefault(m.source_id, key) != key:
                shared.add(m.source_id)
    out: list[Message] = []
    for key, stored_conv, msgs in groups:
        if stored_conv is None:
            continue  # the file's own messages: the caller has them
        if key == anchor or not shared:
            out.extend(msgs)
            continue
        suffix = "@" + key
        for m in msgs:
            if m.source_id in shared:
                reply = m.reply_to + suffix if m.reply_to in shared else m.reply_to
                m = replace(m, source_id=m.source_id + suffix, reply_to=reply)
            out.append(m)
    used = len({key for key, _, msgs in groups if msgs})
    return Assembled(tuple(out), used, duplicates)
