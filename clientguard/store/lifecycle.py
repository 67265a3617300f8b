"""Renaming, merging and forgetting clients, and moving a chat to another client.

The store's side of ``clientguard clients rename|merge|move-chat|forget``. Each runs in one
write transaction, with the evidence log's record of it (:mod:`clientguard.evidence.closing`,
and the conversation move hooks for chats that change client), so a failure leaves nothing
half done and ``evidence verify`` stays green after each.

* rename: the client row's name; the old name becomes an alias (``client_aliases``) so a
  later ``import --client OLD`` or a case file naming it finds the client instead of
  starting it again.
* move a chat: the conversation row changes client, as an import with ``--client`` would
  move it (``moved_out`` / ``moved_in``); the people who wrote in it and nowhere else of
  the old client's go with it, so their next chat is filed under the new client too.
* merge FROM INTO: FROM's conversations move to INTO (one move each), then every other
  row of FROM (contacts, notes, contracts, invoices, time entries, dashboard access …:
  every table with a ``client_id``, found by reflection so a feature's new table comes
  along) is handed to INTO. Contacts stay separate people. When both have contract terms,
  INTO's stay and FROM's are dropped (listed in the merge record). Two invoices with one
  number refuse the merge, naming the way on: ``invoice renumber`` one of them, or merge
  with ``--renumber`` (FROM's clashing invoices take a suffixed number first, each a
  logged write, :mod:`clientguard.contracts.renumber`). FROM's row stays, closed
  (``client_closures``), only for its evidence chain; its name becomes INTO's alias.
* forget: every row of the client goes (messages, events, conversations, contacts and
  their identities, notes, contracts, invoices, payments, time entries, the dashboard's
  cached summary, aliases, imported-file records no other client uses, the client's name
  in the import audit and the dashboard's job list); the evidence chain keeps hashes and
  counts only and ends with an ``erased`` record. The row stays, closed and nameless
  (``#<id> (erased)``), only because the chain hangs on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, inspect, select, text, update

from clientguard.errors import ConfigError, NotFoundError, StorageError, msg
from clientguard.store.hooks import after_move_hooks
from clientguard.store.lookup import fold, require_client
from clientguard.store.models import (
    ClientAliasRow,
    ClientClosureRow,
    ClientRow,
    ContactRow,
    ConversationRow,
    EventRow,
    MessageRow,
    SourceFileRow,
)
from clientguard.store.records import ConversationMove
from clientguard.store.store import Store

#: Tables a lifecycle change never touches by ``client_id``: the client row itself, the
#: evidence chain (it stays with the client row) and the closure and alias tables (handled
#: on purpose).
_NOT_GENERIC = frozenset(
    {"clients", "evidence_records", "evidence_heads", "client_closures", "client_aliases"}
)
#: Longest client name the ``clients`` table takes.
NAME_MAX = 300

MOVE_CHAT_REASON = "moved to another client by `clientguard clients move-chat`"
MERGE_REASON = "its client was merged into another by `clientguard clients merge`"


@dataclass(frozen=True)
class Counts:
    """What a client holds, as ``forget`` shows before it asks and the ``erased`` record keeps."""

    conversations: int = 0
    messages: int = 0
    events: int = 0
    contacts: int = 0
    notes: int = 0
    contracts: int = 0
    invoices: int = 0
    payments: int = 0
    time_entries: int = 0
    files: int = 0  # imported files (their records; the files on disk are the user's)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


@dataclass(frozen=True)
class Renamed:
    old: str
    new: str


@dataclass(frozen=True)
class ChatMoved:
    conversation_id: int
    title: str
    from_client: str | None
    into: str
    messages: int
    contacts: int  # people who went with the chat


@dataclass(frozen=True)
class Merged:
    from_client: str
    into: str
    conversations: int
    messages: int
    counts: Counts
    dropped_terms: bool  # FROM's contract terms gave way to INTO's
    #: FROM's invoices that took another number (``--renumber``): (old, new), in number order
    renumbered: tuple[tuple[str, str], ...] = ()
    #: the new numbers among them of voided invoices: a voided invoice clashes too (its number
    #: stays taken), and a list of renumbered invoices without the mark reads as money owed
    renumbered_voided: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Forgotten:
    client_id: int
    name: str
    counts: Counts
    #: the imported files' paths as recorded (the files themselves are the user's to delete)
    paths: tuple[str, ...] = ()
    #: their SHA-256: dashboard uploads kept on disk with these contents are deleted by the caller
    sha256: tuple[str, ...] = field(default=())


def _closing() -> Any:
    """The evidence log's writer of these records (:mod:`clientguard.evidence.closing`), None
    when the feature is not installed (the store does not depend on it, as with its hooks)."""
    import importlib
    import importlib.util

    name = "clientguard.evidence.closing"
    try:
        return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None
    except ModuleNotFoundError:
        return None


def _now() -> datetime:
    return datetime.now(UTC)


def _name_arg(name: str, what: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ConfigError(msg("lifecycle.empty_name", what=what))
    if len(clean) > NAME_MAX:
        raise ConfigError(msg("lifecycle.name_too_long", limit=NAME_MAX, length=len(clean), what=what))
    return clean


def _client_tables(conn: Connection) -> list[tuple[str, str, bool]]:
    """(table, column, unique) of every table with a column referencing ``clients.id``.

    Reflected each time: the contracts, web and any later feature add their own tables.
    ``unique``: the column is unique alone (one row per client, such as the terms).
    """
    insp = inspect(conn)
    out: list[tuple[str, str, bool]] = []
    for table in sorted(insp.get_table_names()):
        if table in _NOT_GENERIC:
            continue
        for fk in insp.get_foreign_keys(table):
            if fk.get("referred_table") != "clients" or len(fk["constrained_columns"]) != 1:
                continue
            column = fk["constrained_columns"][0]
            uniques = [list(u["column_names"]) for u in insp.get_unique_constraints(table)]
            uniques += [
                [str(c) for c in i["column_names"]] for i in insp.get_indexes(table) if i.get("unique")
            ]
            pk = insp.get_pk_constraint(table).get("constrained_columns") or []
            out.append((table, column, [column] in uniques or pk == [column]))
    return out


def _count(conn: Connection, sql: str, client_id: int) -> int:
    return int(conn.execute(text(sql), {"c": client_id}).scalar() or 0)


def counts(conn: Connection, client_id: int) -> Counts:
    """What the client holds now (tables a database does not have count 0)."""
    tables = set(inspect(conn).get_table_names())

    def maybe(table: str, sql: str) -> int:
        return _count(conn, sql, client_id) if table in tables else 0

    convs = "SELECT id FROM conversations WHERE client_id = :c"
    return Counts(
        conversations=_count(conn, "SELECT COUNT(*) FROM conversations WHERE client_id = :c", client_id),
        messages=_count(conn, f"SELECT COUNT(*) FROM messages WHERE conversation_id IN ({convs})", client_id),
        events=_count(conn, f"SELECT COUNT(*) FROM events WHERE conversation_id IN ({convs})", client_id),
        contacts=_count(conn, "SELECT COUNT(*) FROM contacts WHERE client_id = :c", client_id),
        notes=maybe("evidence_notes", "SELECT COUNT(*) FROM evidence_notes WHERE client_id = :c"),
        contracts=maybe("contracts", "SELECT COUNT(*) FROM contracts WHERE client_id = :c"),
        invoices=maybe("invoices", "SELECT COUNT(*) FROM invoices WHERE client_id = :c"),
        payments=maybe(
            "invoice_payments",
            "SELECT COUNT(*) FROM invoice_payments WHERE invoice_id IN "
            "(SELECT id FROM invoices WHERE client_id = :c)",
        ),
        time_entries=maybe("web_time_entries", "SELECT COUNT(*) FROM web_time_entries WHERE client_id = :c"),
        files=len(_files(conn, client_id)),
    )


def _files(conn: Connection, client_id: int) -> dict[int, tuple[str, str]]:
    """id → (path, sha256) of the files the client's messages and events were imported from."""
    ids: set[int] = set()
    for row in (MessageRow, EventRow):
        used = (
            select(row.source_file_id)
            .join(ConversationRow, ConversationRow.id == row.conversation_id)
            .where(ConversationRow.client_id == client_id, row.source_file_id.is_not(None))
            .distinct()
        )
        ids.update(int(i) for i in conn.execute(used).scalars() if i is not None)
    if not ids:
        return {}
    query = select(SourceFileRow.id, SourceFileRow.path, SourceFileRow.sha256).where(
        SourceFileRow.id.in_(ids)
    )
    return {int(i): (str(p), str(h)) for i, p, h in conn.execute(query)}


# -- rename -------------------------------------------------------------------------------
def rename(store: Store, old: str, new: str, by: str | None = None) -> Renamed:
    """Give the client ``old`` the name ``new``; ``old`` stays an alias of it."""
    new = _name_arg(new, "new name")
    with store._write() as conn:
        cid, current = require_client(conn, old)
        if new == current:
            raise ConfigError(msg("lifecycle.same_name", name=current))
        _free_name(conn, cid, new)
        _alias(conn, current, cid)
        conn.execute(delete(ClientAliasRow).where(ClientAliasRow.name == new))
        conn.execute(update(ClientRow).where(ClientRow.id == cid).values(name=new))
        closing = _closing()
        if closing is not None:
            closing.record_rename(conn, cid, current, new, by)
    return Renamed(current, new)


def _free_name(conn: Connection, client_id: int, name: str) -> None:
    """Refuse a name another client has (exactly or but for case and ё); a closed one's too."""
    folded = fold(name)
    for other_id, other in conn.execute(select(ClientRow.id, ClientRow.name)):
        if int(other_id) != client_id and fold(str(other)) == folded:
            raise ConfigError(msg("lifecycle.name_taken", other=other))


def _alias(conn: Connection, name: str, client_id: int) -> None:
    """Let ``name`` find ``client_id`` from now on (replacing what it found before)."""
    conn.execute(delete(ClientAliasRow).where(ClientAliasRow.name == name))
    conn.execute(insert(ClientAliasRow).values(name=name, client_id=client_id, created_at=_now()))


# -- move a chat ----------------------------------------------------------------------------
_ID = re.compile(r"#?(\d+)")


def find_chat(conn: Connection, chat: str) -> tuple[int, str, str, int | None]:
    """(conversation id, title, source key, client id) of the chat the user named.

    By id (``12`` or ``#12``: ``conversation_id`` of ``messages --json``), else by title
    (exact, then case-insensitive), else by its source key. Several chats with the title:
    a :class:`ConfigError` listing them by id.
    """
    c = ConversationRow
    live = (
        select(c.id, c.title, c.source_key, c.client_id, ClientRow.name)
        .outerjoin(ClientRow, ClientRow.id == c.client_id)
        .where(c.client_id.is_(None) | c.client_id.not_in(select(ClientClosureRow.client_id)))
    )
    rows = [(int(i), t, str(k), cl, n) for i, t, k, cl, n in conn.execute(live)]
    chat = chat.strip()
    m = _ID.fullmatch(chat)
    found = [r for r in rows if m is not None and r[0] == int(m.group(1))]
    found = found or [r for r in rows if r[1] == chat]
    found = found or [r for r in rows if r[1] is not None and str(r[1]).casefold() == chat.casefold()]
    found = found or [r for r in rows if r[2] == chat]
    if not found:
        import difflib

        titles = sorted({str(r[1]) for r in rows if r[1]})
        close = difflib.get_close_matches(chat, titles, n=3, cutoff=0.6)
        maybe = msg("lookup.did_you_mean", close=close) if close else ""
        raise NotFoundError(msg("lifecycle.no_chat", chat=chat, maybe=maybe))
    if len(found) > 1:
        listed = [msg("lifecycle.chat_under", id=r[0], client=r[4] or "—") for r in found[:6]]
        raise ConfigError(msg("lifecycle.chats_alike", count=len(found), chat=chat, listed=listed))
    cid, title, key, client_id, _name = found[0]
    return cid, str(title or key), key, None if client_id is None else int(client_id)


def chat_owner(store: Store, chat: str) -> str | None:
    """The name of the client the chat is filed under now (None: none)."""
    with store.engine.connect() as conn:
        _conv, _title, _key, owner = find_chat(conn, chat)
        if owner is None:
            return None
        return str(conn.execute(select(ClientRow.name).where(ClientRow.id == owner)).scalar())


def move_chat(store: Store, chat: str, into: str, by: str | None = None) -> ChatMoved:
    """File the chat under the client ``into``, as an import with ``--client`` would move it."""
    with store._write() as conn:
        conv, title, key, old = find_chat(conn, chat)
        into_id, into_name = require_client(conn, into)
        if old == into_id:
            raise ConfigError(msg("lifecycle.chat_already_there", title=title, client=into_name))
        old_name = (
            None if old is None else conn.execute(select(ClientRow.name).where(ClientRow.id == old)).scalar()
        )
        n = int(
            conn.execute(select(func.count(MessageRow.id)).where(MessageRow.conversation_id == conv)).scalar()
            or 0
        )
        people = _movers(conn, conv, old)
        _move(conn, conv, key, title, old, into_id, MOVE_CHAT_REASON + (f" (by {by})" if by else ""))
        if people:
            conn.execute(update(ContactRow).where(ContactRow.id.in_(people)).values(client_id=into_id))
    return ChatMoved(conv, title, None if old_name is None else str(old_name), into_name, n, len(people))


def _movers(conn: Connection, conv: int, old: int | None) -> list[int]:
    """The old client's contacts who wrote in this chat and in no other chat of that client."""
    if old is None:
        return []
    here = set(
        conn.execute(
            select(MessageRow.contact_id).where(
                MessageRow.conversation_id == conv, MessageRow.contact_id.is_not(None)
            )
        ).scalars()
    )
    if not here:
        return []
    elsewhere = set(
        conn.execute(
            select(MessageRow.contact_id)
            .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
            .where(
                ConversationRow.client_id == old, ConversationRow.id != conv, MessageRow.contact_id.in_(here)
            )
        ).scalars()
    )
    mine = set(
        conn.execute(
            select(ContactRow.id).where(ContactRow.client_id == old, ContactRow.id.in_(here))
        ).scalars()
    )
    return sorted(int(i) for i in mine - elsewhere)


def _move(conn: Connection, conv: int, key: str, title: str, old: int | None, new: int, reason: str) -> None:
    """The conversation row changes client; the move hooks record it (as an import's move)."""
    conn.execute(update(ConversationRow).where(ConversationRow.id == conv).values(client_id=new))
    if old is None:  # a chat with no client: nothing was vouched for, the log catches up
        closing = _closing()
        if closing is not None:
            from clientguard.evidence.log import sync

            sync(conn, new)
        return
    move = ConversationMove(conv, key, title, old, new, reason, None, None, None)
    for hook in after_move_hooks():
        hook(conn, move)


# -- merge --------------------------------------------------------------------------------
def merge(store: Store, src: str, into: str, by: str | None = None, renumber: bool = False) -> Merged:
    """Make ``src`` part of ``into``: one profile, one set of records; ``src`` stays an alias.

    ``renumber``: ``src``'s invoices whose number ``into`` has too take the number with
    :data:`~clientguard.contracts.renumber.MERGE_SUFFIX` first (without it they refuse the merge).
    """
    with store._write() as conn:
        from_id, from_name = require_client(conn, src)
        into_id, into_name = require_client(conn, into)
        if from_id == into_id:
            raise ConfigError(msg("lifecycle.one_client", src=src, into=into, name=into_name))
        closing = _closing()
        if closing is not None:
            _require_clean(conn, from_id, from_name)
        tables = _client_tables(conn)
        names = {t for t, _c, _u in tables}
        renumbered = _clashes(conn, (from_id, from_name), (into_id, into_name), names, renumber)
        voided = _voided_numbers(conn, from_id, [new for _old, new in renumbered], names)
        before = counts(conn, from_id)
        dropped = _dropped(conn, from_id, into_id, names)
        arrived = _refs(conn, from_id) - dropped if closing is not None else set()
        convs = list(
            conn.execute(
                select(ConversationRow.id, ConversationRow.source_key, ConversationRow.title)
                .where(ConversationRow.client_id == from_id)
                .order_by(ConversationRow.id)
            )
        )
        reason = MERGE_REASON + f": «{from_name}» into «{into_name}»" + (f" (by {by})" if by else "")
        for conv, key, title in convs:
            _move(conn, int(conv), str(key), str(title or key), from_id, into_id, reason)
        out = None
        if closing is not None:
            out = closing.merge_out(
                conn, (from_id, from_name), (into_id, into_name), by, dropped, before.as_dict()
            )
        _drop(conn, dropped)
        for table, column, unique in tables:
            _hand_over(conn, table, column, unique, from_id, into_id)
        conn.execute(
            update(ClientAliasRow).where(ClientAliasRow.client_id == from_id).values(client_id=into_id)
        )
        if out is not None:
            now = [cur for cur in _currents(conn, into_id) if cur.ref in arrived]
            closing.merge_in(conn, into_id, from_id, out, now)
        zone = conn.execute(select(ClientRow.timezone).where(ClientRow.id == from_id)).scalar()
        if zone:
            conn.execute(
                update(ClientRow)
                .where(ClientRow.id == into_id, ClientRow.timezone.is_(None))
                .values(timezone=zone)
            )
        conn.execute(
            update(ClientRow)
            .where(ClientRow.id == from_id)
            .values(name=f"#{from_id} (merged into #{into_id})")
        )
        _alias(conn, from_name, into_id)
        conn.execute(
            insert(ClientClosureRow).values(
                client_id=from_id, state="merged", into_id=into_id, closed_at=_now(), by=by
            )
        )
    return Merged(
        from_name, into_name, before.conversations, before.messages, before, bool(dropped), renumbered, voided
    )


def _require_clean(conn: Connection, client_id: int, name: str) -> None:
    """Refuse to merge a client whose log does not verify: the merge would log its rows anew."""
    from clientguard.evidence.verify import verify_client

    report = verify_client(conn, client_id)
    if not report.ok:
        raise StorageError(msg("lifecycle.log_not_verified", name=name, problems=len(report.problems)))


def _clashes(
    conn: Connection, src: tuple[int, str], into: tuple[int, str], tables: set[str], renumber: bool
) -> tuple[tuple[str, str], ...]:
    """Two invoices with one number cannot be one client's (the number is the user's own id).

    Without ``renumber`` a clash refuses the merge, naming both ways on; with it FROM's
    clashing invoices take a suffixed number, each a logged write in FROM's chain before
    the merge hands them over (so the merge record lists them as renumbered).
    """
    if "invoices" not in tables:
        return ()
    (from_id, from_name), (into_id, into_name) = src, into
    query = text(
        "SELECT number FROM invoices WHERE client_id IN (:a, :b) "
        "GROUP BY number HAVING COUNT(*) > 1 ORDER BY number"
    )
    clash = [str(n) for n in conn.execute(query, {"a": from_id, "b": into_id}).scalars()]
    if not clash:
        return ()
    from clientguard.contracts.renumber import merge_number, renumber_rows

    taken = {
        str(n)
        for n in conn.execute(
            text("SELECT number FROM invoices WHERE client_id IN (:a, :b)"), {"a": from_id, "b": into_id}
        ).scalars()
    }
    if not renumber:
        first = clash[0]
        raise ConfigError(msg(
            "lifecycle.invoices_clash", numbers=", ".join(clash), src=from_name, first=first,
            suggested=merge_number(first, taken), suffix=_suffix(), into=into_name,
        ))
    done = []
    for number in clash:
        new = merge_number(number, taken)
        invoice_id = conn.execute(
            text("SELECT id FROM invoices WHERE client_id = :c AND number = :n"), {"c": from_id, "n": number}
        ).scalar_one()
        renumber_rows(conn, from_id, int(invoice_id), new)
        taken.add(new)
        done.append((number, new))
    return tuple(done)


def _voided_numbers(conn: Connection, client_id: int, numbers: list[str], tables: set[str]) -> frozenset[str]:
    """Which of the client's invoice ``numbers`` are voided (a void of the invoice itself,
    not of one of its payments: ``contracts.repo`` reads voids so)."""
    if not numbers or "invoice_voids" not in tables:
        return frozenset()
    query = text(
        "SELECT i.number FROM invoices i JOIN invoice_voids v ON v.invoice_id = i.id "
        "WHERE i.client_id = :c AND v.payment_id IS NULL"
    )
    return frozenset(str(n) for n in conn.execute(query, {"c": client_id}).scalars()) & set(numbers)


def _suffix() -> str:
    from clientguard.contracts.renumber import MERGE_SUFFIX

    return f"«{MERGE_SUFFIX}»"


def _dropped(conn: Connection, from_id: int, into_id: int, tables: set[str]) -> set[str]:
    """Refs of FROM's rows that do not go over: its terms and scope when INTO has terms."""
    if "contract_terms" not in tables:
        return set()
    has = text("SELECT id FROM contract_terms WHERE client_id = :c")
    mine = [int(i) for i in conn.execute(has, {"c": from_id}).scalars()]
    if not mine or not list(conn.execute(has, {"c": into_id}).scalars()):
        return set()
    out = {f"contract_terms:{i}" for i in mine}
    if "scope_items" in tables:
        scope = conn.execute(
            text("SELECT id FROM scope_items WHERE client_id = :c"), {"c": from_id}
        ).scalars()
        out |= {f"scope_items:{int(i)}" for i in scope}
    return out


def _drop(conn: Connection, refs: Iterable[str]) -> None:
    for ref in sorted(refs, key=lambda r: r.startswith("contract_terms")):  # scope items first
        table, _, row_id = ref.partition(":")
        conn.execute(text(f"DELETE FROM {table} WHERE id = :i"), {"i": int(row_id)})  # a constant name


def _hand_over(conn: Connection, table: str, column: str, unique: bool, from_id: int, into_id: int) -> None:
    """FROM's rows of one table become INTO's (a one-per-client row: INTO's stays, FROM's goes)."""
    q = f'"{table}"'
    c = f'"{column}"'
    if table == "web_client_access":  # one grant per (user, client): keep INTO's, add FROM's others
        conn.execute(
            text(f"DELETE FROM {q} WHERE {c} = :a AND user_id IN (SELECT user_id FROM {q} WHERE {c} = :b)"),
            {"a": from_id, "b": into_id},
        )
    elif unique:
        held = conn.execute(text(f"SELECT COUNT(*) FROM {q} WHERE {c} = :b"), {"b": into_id}).scalar()
        if held:
            conn.execute(text(f"DELETE FROM {q} WHERE {c} = :a"), {"a": from_id})
            return
    conn.execute(text(f"UPDATE {q} SET {c} = :b WHERE {c} = :a"), {"a": from_id, "b": into_id})


def _refs(conn: Connection, client_id: int) -> set[str]:
    return {cur.ref for cur in _currents(conn, client_id)}


def _currents(conn: Connection, client_id: int) -> list[Any]:
    """The client's rows the record hooks log (notes, confirmations, contracts, invoices, payments)."""
    from clientguard.evidence.sources import current_extra, current_notes

    return [*current_notes(conn, client_id), *current_extra(conn, client_id)]


# -- forget -------------------------------------------------------------------------------
def client_counts(store: Store, name: str) -> tuple[str, Counts]:
    """The client's stored name and what forgetting it would delete (shown before asking)."""
    with store.engine.connect() as conn:
        cid, stored = require_client(conn, name)
        return stored, counts(conn, cid)


def forget(store: Store, name: str, reason: str, by: str | None = None) -> Forgotten:
    """Delete everything stored of the client; its evidence chain keeps hashes and counts only."""
    why = " ".join(reason.split())
    if not why:
        raise ConfigError(msg("lifecycle.no_reason"))
    with store._write() as conn:
        cid, stored = require_client(conn, name)
        held = counts(conn, cid)
        files = _files(conn, cid)
        aliases = [
            str(a)
            for a in conn.execute(
                select(ClientAliasRow.name).where(ClientAliasRow.client_id == cid)
            ).scalars()
        ]
        closing = _closing()
        if closing is not None:
            closing.erase(conn, cid, by, why, held.as_dict())
        for table, column, _unique in _client_tables(conn):
            conn.execute(text(f'DELETE FROM "{table}" WHERE "{column}" = :c'), {"c": cid})
        conn.execute(delete(ClientAliasRow).where(ClientAliasRow.client_id == cid))
        _forget_files(conn, files)
        _forget_names(conn, cid, [stored, *aliases])
        conn.execute(
            update(ClientRow).where(ClientRow.id == cid).values(name=f"#{cid} (erased)", timezone=None)
        )
        conn.execute(insert(ClientClosureRow).values(client_id=cid, state="erased", closed_at=_now(), by=by))
        _erase_merged(conn, cid, closing, by, why)
    return Forgotten(
        cid,
        stored,
        held,
        tuple(sorted({p for p, _h in files.values()})),
        tuple(sorted({h for _p, h in files.values()})),
    )


def _erase_merged(conn: Connection, client_id: int, closing: Any, by: str | None, why: str) -> None:
    """The clients once merged into this one are the same person: their closed chains are erased too.

    Their rows went over at the merge (and were deleted above); their chains still held the
    client's names and the moved chats' titles in the merge and move records.
    """
    todo = [client_id]
    while todo:
        into = todo.pop()
        query = select(ClientClosureRow.client_id).where(
            ClientClosureRow.into_id == into, ClientClosureRow.state == "merged"
        )
        for merged in [int(i) for i in conn.execute(query).scalars()]:
            if closing is not None:
                closing.erase(conn, merged, by, why, {})
            conn.execute(update(ClientRow).where(ClientRow.id == merged).values(name=f"#{merged} (erased)"))
            conn.execute(
                update(ClientClosureRow).where(ClientClosureRow.client_id == merged).values(state="erased")
            )
            todo.append(merged)


def _forget_files(conn: Connection, files: dict[int, tuple[str, str]]) -> None:
    """Records of imported files no remaining message or event came from (their paths name people)."""
    for fid in files:
        used = conn.execute(select(MessageRow.id).where(MessageRow.source_file_id == fid).limit(1)).first()
        used = (
            used or conn.execute(select(EventRow.id).where(EventRow.source_file_id == fid).limit(1)).first()
        )
        if used is None:
            conn.execute(delete(SourceFileRow).where(SourceFileRow.id == fid))


def _forget_names(conn: Connection, client_id: int, names: list[str]) -> None:
    """The client's name where other tables kept it as text: the import audit, the dashboard's jobs.

    An import run without ``--client`` keeps its paths (it may have read other clients'
    chats too): a path that names the person stays there, as ``docs/ARCHITECTURE.md`` says.
    """
    from clientguard.store.models import ImportRow

    # a run named for the client (--client, a case file): its paths are the client's files too
    conn.execute(update(ImportRow).where(ImportRow.client.in_(names)).values(client=None, paths=[]))
    if "web_jobs" in inspect(conn).get_table_names():
        for n in names:
            conn.execute(text("DELETE FROM web_jobs WHERE client = :n"), {"n": n})
