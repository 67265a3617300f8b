"""A client renamed, merged into another or erased, on the record (``clients rename|merge|forget``).

Each is an event of the client's own chain, hashed and linked like every other record,
written in the transaction that makes the change (:mod:`clientguard.store.lifecycle`):

* ``renamed`` (:data:`RENAMED`) — the name before and after, and who renamed. The
  client's rows do not change (no payload holds the client's name), so nothing else is
  written.
* ``merged_out`` / ``merged_in`` (:data:`MERGED_OUT`, :data:`MERGED_IN`) — the client
  FROM merged into INTO. Its conversations go first, each as an ordinary conversation
  move (:mod:`clientguard.evidence.moves`). Then FROM's chain gets a ``merged_out``
  LISTING everything else it vouches for, ``[kind, ref, content_hash, seq]`` (notes,
  confirmations, contracts, terms, scope items, invoices, payments, voids, whatever
  the record hook logs), copied from the chain, and ``dropped``: the rows that do not
  go over (FROM's terms and scope when INTO has terms of its own). Verification takes
  them off what FROM vouches for, each with its hash checked (``bad_move`` otherwise),
  so FROM verifies with nothing left in the store. INTO's chain gets a ``merged_in``:
  the same payload plus ``counterpart`` (FROM's id, the seq and hash of its
  ``merged_out``), then an ordinary record of each row that came over, as it is now
  (contracts and invoices carry ``client_id`` in their payload, so they are logged anew;
  the merge refuses a FROM whose log does not verify, so nothing edited behind the log
  is laundered). The halves are checked against each other (``move_unmatched``).
* ``erased`` (:data:`ERASED`) — the client forgotten (the person asked, or the
  relationship ended). Its payload holds who erased, the reason as the user typed it,
  and counts of what went; NOT the client's name. Before it is appended, the payload of
  every earlier record of the chain is removed except those that hold ids and hashes
  only (:data:`KEPT_ON_ERASURE`: the ``messages`` listings and the ``logging_started``
  line); each record keeps its ``content_hash``, ``created_at``, ``ref`` and ``hash``,
  so the chain still links and still proves its order and its head, and nothing
  personal is left in it. Verification clears what the chain vouches for at the
  ``erased`` record, so the deleted rows are not ``source_missing``; a record whose
  payload is gone is not ``edited`` when an ``erased`` record follows it, and is
  (``edited``: content removed) otherwise. Rows deleted behind the tool, with no
  ``erased`` record at the chain's end, stay ``source_missing`` as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from clientguard.evidence import baseline
from clientguard.evidence.chain import MESSAGE, MESSAGES, Problem, canonical_json, record_json, sha256_hex
from clientguard.evidence.log import Item, append, append_one, by_ref, logged_entries, now_iso
from clientguard.evidence.moves import MOVE_KINDS, Logged
from clientguard.evidence.sources import Current

RENAMED = "renamed"
MERGED_OUT = "merged_out"
MERGED_IN = "merged_in"
ERASED = "erased"
CLOSING_KINDS = frozenset({RENAMED, MERGED_OUT, MERGED_IN, ERASED})
#: Record kinds whose payload survives an erasure: ids and hashes, nothing a person wrote.
KEPT_ON_ERASURE = frozenset({MESSAGES, baseline.KIND, ERASED})
#: Kinds a ``merged_out`` never lists: messages and events go over as conversation moves.
_NOT_LISTED = frozenset({MESSAGE, MESSAGES, "event", baseline.KIND}) | MOVE_KINDS | CLOSING_KINDS

#: A listed entry: (kind, ref, content hash, seq of the record that vouched for it).
Entry = tuple[str, str, str, int]


@dataclass(frozen=True)
class ClosingNote:
    """A rename, merge or erasure as ``evidence verify`` states it."""

    seq: int
    kind: str  # RENAMED, MERGED_OUT, MERGED_IN or ERASED
    at: str  # the record's created_at (UTC ISO)
    by: str | None
    other: str | None  # renamed: the new name; merged_*: the other client's name
    old: str | None  # renamed: the old name
    reason: str | None  # erased: as the user typed it
    counts: dict[str, int]

    def describe(self) -> str:
        """One line in English (the CLI words it per language from the fields); names in
        English marks, as ``closing_text`` quotes them («…» nested a name's own «…»)."""
        from clientguard.report.i18n import quote

        when = self.at[:19].replace("T", " ") + " UTC"
        who = f" by {self.by}" if self.by else ""
        old, other = quote(self.old or "", "en"), quote(self.other or "", "en")
        if self.kind == RENAMED:
            return f"renamed {old} → {other} on {when}{who}"
        if self.kind == MERGED_OUT:
            return f"merged into client {other} on {when}{who}"
        if self.kind == MERGED_IN:
            return f"client {other} merged into this one on {when}{who}"
        counts = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()) if n)
        return f"erased on {when}{who} ({counts or 'nothing stored'}): {self.reason}"


#: The order an erasure's counts are named in; their words are ``clients_cli.n_<key>``.
COUNT_KEYS: tuple[str, ...] = (
    "conversations",
    "messages",
    "events",
    "contacts",
    "notes",
    "contracts",
    "invoices",
    "payments",
    "time_entries",
    "files",
)


def closing_text(note: ClosingNote, lang: str) -> str:
    """A rename, merge or erasure record in ``lang``, as ``evidence verify`` prints it and
    the evidence export's chronology shows it (it showed "renamed — from: …, to: …" and a
    merge's raw JSON, in English inside a Russian document)."""
    from clientguard.report.i18n import fill, t

    at = note.at[:16].replace("T", " ") + " UTC"
    by = t("evidence_cli", "closing_by", lang).format(by=note.by) if note.by else ""
    counts = ", ".join(
        f"{t('clients_cli', f'n_{k}', lang)}: {note.counts[k]}" for k in COUNT_KEYS if note.counts.get(k)
    )
    said = t("evidence_cli", f"closing_{note.kind}", lang)
    return fill(
        said, lang, old=note.old or "", other=note.other or "", at=at, by=by, counts=counts or "—",
        reason=note.reason or "",
    )  # fmt: skip


def note(seq: int, kind: str, created: str, payload: str | None) -> ClosingNote:
    """The report line of a closing record; an unreadable payload gives an empty note."""
    try:
        data = json.loads(payload or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    other = None
    if kind == RENAMED:
        other = data.get("to")
    elif kind == MERGED_OUT:
        other = (data.get("into") or {}).get("name")
    elif kind == MERGED_IN:
        other = (data.get("from") or {}).get("name")
    found = data.get("counts")
    counts: dict[str, Any] = found if isinstance(found, dict) else {}
    return ClosingNote(
        seq,
        kind,
        created,
        data.get("by"),
        other,
        data.get("from") if kind == RENAMED else None,
        data.get("reason"),
        {str(k): int(v) for k, v in counts.items() if type(v) is int},
    )


# -- writing ------------------------------------------------------------------------------
def record_rename(conn: Connection, client_id: int, old: str, new: str, by: str | None) -> None:
    """Append the ``renamed`` record to the client's chain."""
    payload = canonical_json({"from": old, "to": new, "by": by})
    append(conn, client_id, [(RENAMED, "client", payload, now_iso(), None)])


def listed(conn: Connection, client_id: int) -> Logged:
    """What the client's chain vouches for that a ``merged_out`` hands over (not messages, events)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    kinds = {
        str(k)
        for (k,) in conn.exec_driver_sql(
            f"SELECT DISTINCT kind FROM evidence_records WHERE client_id = {mark}", (client_id,)
        )
    }
    wanted = sorted(kinds - _NOT_LISTED)
    if not wanted:
        return {}
    return {key: v for key, v in logged_entries(conn, client_id, wanted).items() if key[0] in wanted}


def merge_out(
    conn: Connection,
    from_client: tuple[int, str],
    into_client: tuple[int, str],
    by: str | None,
    dropped: set[str],
    counts: dict[str, int],
) -> tuple[int, str, str]:
    """Append FROM's ``merged_out``; returns (seq, hash, payload) for INTO's ``merged_in``.

    ``dropped``: refs of FROM's rows that do not go over (listed apart, deleted).
    """
    entries = listed(conn, from_client[0])
    go: list[list[Any]] = []
    stay: list[list[Any]] = []
    for (kind, ref), (seq, digest) in sorted(entries.items(), key=lambda kv: kv[1][0]):
        (stay if ref in dropped else go).append([kind, ref, digest, seq])
    payload = canonical_json(
        {
            "from": {"id": from_client[0], "name": from_client[1]},
            "into": {"id": into_client[0], "name": into_client[1]},
            "by": by,
            "counts": counts,
            "entries": go,
            "dropped": stay,
        }
    )
    row = append_one(conn, from_client[0], (MERGED_OUT, str(into_client[0]), payload, now_iso(), None))
    return row.seq, row.hash, payload


def merge_in(
    conn: Connection, into_id: int, from_id: int, out: tuple[int, str, str], arrived: Sequence[Current]
) -> int:
    """Append INTO's ``merged_in`` and a record of each row that came over; returns how many."""
    seq, digest, out_payload = out
    created = now_iso()
    items: list[Item] = [
        (MERGED_IN, str(from_id), with_counterpart(out_payload, from_id, seq, digest), created, None)
    ]
    items += [(cur.kind, cur.ref, cur.payload, created, None) for cur in arrived]
    return append(conn, into_id, items).count


def with_counterpart(out_payload: str, client_id: int, seq: int, digest: str) -> str:
    """A ``merged_in`` payload: its ``merged_out``'s plus the counterpart, canonical."""
    data = json.loads(out_payload)
    data["counterpart"] = {"client_id": client_id, "seq": seq, "hash": digest}
    return canonical_json(data)


def without_counterpart(in_payload: str) -> str:
    data = json.loads(in_payload)
    if isinstance(data, dict):
        data.pop("counterpart", None)
    return canonical_json(data)


def erase(conn: Connection, client_id: int, by: str | None, reason: str, counts: dict[str, int]) -> int:
    """Remove the content of the client's records and append the ``erased`` record; returns its seq.

    Kinds in :data:`KEPT_ON_ERASURE` keep their payload (ids and hashes only).
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    kept = sorted(KEPT_ON_ERASURE)
    conn.exec_driver_sql(
        f"UPDATE evidence_records SET payload = NULL WHERE client_id = {mark} "
        f"AND kind NOT IN ({', '.join([mark] * len(kept))})",
        (client_id, *kept),
    )
    payload = canonical_json({"by": by, "reason": reason, "counts": counts})
    return append_one(conn, client_id, (ERASED, ERASED, payload, now_iso(), None)).seq


def erased_seq(conn: Connection, client_id: int) -> int | None:
    """The seq of the client's ``erased`` record (by its ref, one indexed lookup), None when none."""
    where, params = by_ref(conn, client_id, [ERASED])
    rows = conn.exec_driver_sql(f"SELECT seq, kind FROM evidence_records WHERE {where}", params)
    found = [int(seq) for seq, kind in rows if kind == ERASED]
    return min(found) if found else None


# -- verifying ----------------------------------------------------------------------------
def parse_entries(payload: str | None) -> tuple[list[Entry], dict[str, Any]]:
    """The ``entries`` and ``dropped`` of a ``merged_out`` payload, and the payload itself.

    :class:`ValueError` for any other shape (only tampering makes one).
    """
    data = json.loads(payload or "null")
    if not isinstance(data, dict):
        raise ValueError("a merge record must be a JSON object")
    out: list[Entry] = []
    for key in ("entries", "dropped"):
        for item in data.get(key, []):
            if (
                not isinstance(item, list)
                or len(item) != 4
                or not all(isinstance(x, str) for x in item[:3])
                or type(item[3]) is not int
            ):
                raise ValueError(f"bad {key} entry {item!r}")
            out.append((item[0], item[1], item[2], item[3]))
    return out, data


def apply_merge_out(
    seq: int, payload: str | None, logged: dict[tuple[str, str], tuple[int, str]]
) -> list[Entry]:
    """Take a ``merged_out``'s entries off ``logged``; returns those it did not hold with that hash."""
    entries, _data = parse_entries(payload)
    bad: list[Entry] = []
    for entry in entries:
        held = logged.pop((entry[0], entry[1]), None)
        if held is None or held[1] != entry[2]:
            bad.append(entry)
    return bad


_RECORD_SQL = (
    "SELECT seq, kind, ref, payload, content_hash, created_at, source_hash, prev_hash, hash "
    "FROM evidence_records WHERE client_id = {mark} AND seq = {mark}"
)


def check_merges(conn: Connection, client_id: int, merged: Iterable[tuple[Any, ...]]) -> list[Problem]:
    """Check each merge record (a chain row as read) against its other half.

    A ``merged_in`` must name (client, seq, hash) of an intact ``merged_out`` there whose
    content hash is its own payload less the counterpart; a ``merged_out`` must have, in
    the chain of the client it went into, a ``merged_in`` whose content hash is its
    payload plus the counterpart. Both are compared by hash, so they hold after either
    chain's content was erased.
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    problems: list[Problem] = []
    for row in merged:
        seq, kind, ref, payload, digest = row[0], row[1], row[2], row[3], row[8]
        if payload is None:
            continue  # erased with its client: the chain check vouches for the record
        try:
            data = json.loads(payload)
        except ValueError:
            continue  # reported as edited by the chain walk
        if not isinstance(data, dict):
            continue
        why = (
            _sent_why(conn, mark, payload, data)
            if kind == MERGED_IN
            else _received_why(conn, mark, client_id, seq, digest, payload, data)
        )
        if why is not None:
            problems.append(Problem(client_id, seq, kind, ref, "move_unmatched", why))
    return problems


def _sent_why(conn: Connection, mark: str, payload: str, data: dict[str, Any]) -> str | None:
    """Why a ``merged_in``'s counterpart is not the ``merged_out`` it names (None: it is)."""
    cp = data.get("counterpart")
    cid, cseq, chash = (
        (cp.get("client_id"), cp.get("seq"), cp.get("hash")) if isinstance(cp, dict) else (None,) * 3
    )
    row = None
    if type(cid) is int and type(cseq) is int:
        row = conn.exec_driver_sql(_RECORD_SQL.format(mark=mark), (cid, cseq)).first()
    if row is not None:
        rseq, rkind, rref, _p, content_hash, created, source, prev, stored = row
        record = record_json(cid, content_hash, created, rkind, rref, rseq, source)  # type: ignore[arg-type]
        if (
            rkind == MERGED_OUT
            and stored == chash
            and sha256_hex(prev + record) == stored
            and content_hash == sha256_hex(without_counterpart(payload))
        ):
            return None
    return (
        f"client #{cid}'s log has no matching record of the merge at its seq {cseq}: "
        "this merge did not happen as recorded"
    )


def _received_why(
    conn: Connection, mark: str, client_id: int, seq: int, digest: str, payload: str, data: dict[str, Any]
) -> str | None:
    """Why a ``merged_out`` has no ``merged_in`` naming it (None: it has)."""
    into = data.get("into")
    into_id = into.get("id") if isinstance(into, dict) else None
    if type(into_id) is not int:
        return "the merge record names no client it went into"
    expected = sha256_hex(with_counterpart(payload, client_id, seq, digest))
    found = conn.exec_driver_sql(
        f"SELECT seq FROM evidence_records WHERE client_id = {mark} AND kind = {mark} "
        f"AND content_hash = {mark}",
        (into_id, MERGED_IN, expected),
    ).first()
    if found is None:
        return (
            f"client #{into_id}'s log has no record of receiving this merge: what left this log "
            "arrived on no other"
        )
    return None


# -- finding ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """The client ``evidence verify NAME`` checks, and what became of the name typed.

    ``history``: the records that explain the name, oldest first: the rename that made it
    a former name, the merge that closed the client (``merged_out``), the erasure. Empty
    for a live client found by its own name.
    """

    client_id: int
    name: str  # as typed
    history: tuple[ClosingNote, ...] = ()
    into: str | None = None  # a merged client: the live client that holds its records now


_ERASED_OR_MERGED = re.compile(r"#(?P<id>\d+)(?: \((?:erased|merged into #\d+)\))?")
_CLOSED_NAME = re.compile(r"#(?P<id>\d+) \((?:(?P<erased>erased)|merged into #(?P<into>\d+))\)")


def shown_name(name: str, lang: str) -> str:
    """A closed client's stored name ("#7 (merged into #3)", "#7 (erased)") in ``lang``.

    A merged or erased client keeps no name of its own; the store holds that English
    placeholder, and ``evidence verify`` printed it at the head of a Russian line. Any other
    name is returned as it is. ``#7`` alone still finds the client (:func:`find_target`).
    """
    found = _CLOSED_NAME.fullmatch(name)
    if found is None or lang == "en":
        return name
    from clientguard.report.i18n import t

    key = "erased" if found["erased"] else "merged"
    return t("closed_clients", key, lang).format(id=found["id"], into=found["into"])


def find_target(conn: Connection, name: str) -> Target:
    """The client named ``name`` for ``evidence verify``, closed ones included.

    Lookups find live clients only, and a former name finds the client that has it now
    (:mod:`clientguard.store.lookup`), so ``evidence verify`` could not check the chain of a
    client merged away (its name led to the client it went into) nor of an erased one,
    and said nothing of a rename. Here: a live client by its name; else ``#N`` (the
    number a closed client is listed by, as ``evidence verify`` names it: "#7 (erased)",
    "#7 (merged into #3)"); else a former name, traced through the ``renamed`` and
    ``merged_out`` records of the client holding it now and of the clients merged into
    it, so the chain checked is the one that had the name. An erased client's name is
    kept nowhere (the erasure removes it), so only its number finds it; a name found
    nowhere is :class:`~clientguard.errors.NotFoundError`, which then says so when the
    store holds erased clients.
    """
    from sqlalchemy import select

    from clientguard.store.lookup import find_client, unknown_client
    from clientguard.store.models import ClientClosureRow, ClientRow

    typed = name.strip() or name
    found = find_client(conn, typed)
    if found is not None and found[1].casefold() == typed.casefold():
        return Target(found[0], typed)
    closed = {int(c): (str(s), i) for c, s, i in conn.execute(
        select(ClientClosureRow.client_id, ClientClosureRow.state, ClientClosureRow.into_id)
    )}  # fmt: skip
    numbered = _ERASED_OR_MERGED.fullmatch(typed)
    if numbered is not None:
        cid = int(numbered["id"])
        if conn.execute(select(ClientRow.id).where(ClientRow.id == cid)).first() is not None:
            history = tuple(n for n, _p in _notes(conn, cid, closed) if n.kind in (MERGED_OUT, ERASED))
            return Target(cid, typed, history, _into(conn, cid, closed))
    if found is not None:
        return _former(conn, typed, found[0], closed)
    error = unknown_client(conn, typed)
    if any(state == "erased" for state, _i in closed.values()):
        # the message, not str(error): that starts with the code, and the line read "E400: E400: …"
        from clientguard.errors import msg

        error = type(error)(msg("lookup.erased_no_name", error=error.said or error.message))
    raise error


def _former(conn: Connection, typed: str, holder: int, closed: dict[int, tuple[str, int | None]]) -> Target:
    """The client whose ``renamed`` or ``merged_out`` record gave up ``typed``, now held by ``holder``."""
    candidates = [holder] + [c for c in closed if _final(c, closed) == holder and c != holder]
    for fold in (False, True):  # the name as typed first, then in any case
        for cid in candidates:
            notes = _notes(conn, cid, closed)
            for i, named in enumerate(notes):
                gave_up = _gave_up(named)
                if gave_up is not None and (
                    gave_up.casefold() == typed.casefold() if fold else gave_up == typed
                ):
                    later = tuple(m for m, _p in notes[i + 1 :] if m.kind in (MERGED_OUT, ERASED))
                    return Target(cid, typed, (named[0], *later), _into(conn, cid, closed))
    return Target(holder, typed)  # an alias with no record (written with the log off): the holder


def _final(cid: int, closed: dict[int, tuple[str, int | None]]) -> int | None:
    """Where a merged client's records are now: the end of its ``into`` chain."""
    seen = set()
    while cid in closed and cid not in seen:
        seen.add(cid)
        state, into = closed[cid]
        if state != "merged" or into is None:
            return None
        cid = into
    return cid


def _into(conn: Connection, cid: int, closed: dict[int, tuple[str, int | None]]) -> str | None:
    """The name of the live client a merged client's records are with now (None when not merged)."""
    if closed.get(cid, ("", None))[0] != "merged":
        return None
    final = _final(cid, closed)
    if final is None or final in closed:
        return None
    from sqlalchemy import select

    from clientguard.store.models import ClientRow

    name = conn.execute(select(ClientRow.name).where(ClientRow.id == final)).scalar()
    return None if name is None else str(name)


#: A closing record as found by name: its note and its payload (None once erased).
Named = tuple[ClosingNote, str | None]
_NAMED_SQL = "SELECT seq, kind, created_at, payload FROM evidence_records WHERE {where}"


def _notes(conn: Connection, cid: int, closed: dict[int, tuple[str, int | None]]) -> list[Named]:
    """The client's rename, merge-out and erasure records (note, payload), in seq order, by the ref index."""
    refs = ["client", ERASED]
    into = closed.get(cid, ("", None))[1]
    if into is not None:
        refs.append(str(into))  # a merged_out's ref is the client it went into
    where, params = by_ref(conn, cid, refs)
    rows = sorted(conn.exec_driver_sql(_NAMED_SQL.format(where=where), params))
    return [(note(int(s), str(k), str(c), p), p) for s, k, c, p in rows if k in (RENAMED, MERGED_OUT, ERASED)]


def _gave_up(named: Named) -> str | None:
    """The name a ``renamed`` (``from``) or ``merged_out`` (``from.name``) record gave up; None otherwise."""
    n, payload = named
    if n.kind == RENAMED:
        return n.old
    if n.kind != MERGED_OUT:
        return None
    try:
        data = json.loads(payload or "null")
    except ValueError:
        return None
    client = data.get("from") if isinstance(data, dict) else None
    found = client.get("name") if isinstance(client, dict) else None
    return found if isinstance(found, str) else None
