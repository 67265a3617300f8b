"""A conversation changing client, on the record: the ``moved_out`` / ``moved_in`` pair.

Each client has a chain of its own, and a message is vouched for by the chain of the
client whose conversation holds it. When an import hands a stored conversation to
another client (``--client`` or a case file naming another client), its messages and
events leave one chain's care for another's. The move is written, in the import's
transaction, as two records, each hashed and chained like every other:

* ``moved_out`` (:data:`MOVED_OUT`) appended to the losing client's chain: which
  conversation, from whom to whom, why (the reason, the file and the import run), and
  the LISTING of what it hands over: ``[id, content_hash, seq]`` for every message and
  event of the conversation that this chain vouched for, the hash and the seq copied
  from this chain (the record that logged it), never re-read from the rows;
* ``moved_in`` (:data:`MOVED_IN`) appended to the gaining client's chain: the same
  payload plus ``counterpart`` = the ``moved_out`` record's client, seq and hash.

What verification makes of them (:mod:`clientguard.evidence.verify`): walking a chain
in seq order, a ``moved_out`` takes its entries off what the chain vouches for (each
must be there with the listed hash, else ``bad_move``), a ``moved_in`` puts them on,
under its own seq, with the hashes logged by the first chain. So after a move both
clients verify, and everything still catches what it caught: a message edited before
or after the move no longer hashes to the hash its first import logged
(``source_changed``, in the chain of the client holding it now); one deleted before the
move is not handed over and stays ``source_missing`` in the old chain; one deleted after
it is ``source_missing`` in the new one. The two halves are checked against each other
(``move_unmatched``): the ``moved_in``'s counterpart must be that very record, same
listing, and every ``moved_out`` must have its ``moved_in``, so a deletion dressed up as
a move in one chain alone is still caught.

A big conversation moves in parts of :data:`MOVE_PART` entries (one pair of records
each, ``part`` = [i, n]), so no record grows with the conversation. A move back (B → A)
is a move like any other: a new pair of records, A's ``moved_in`` vouching for the
messages again under its new seq; nothing earlier is rewritten.

This module is pure (payloads in, payloads out); the hook that writes the pair is
:func:`clientguard.evidence.log.after_move`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from clientguard.evidence.chain import canonical_json

#: Kind of the record in the chain of the client a conversation left.
MOVED_OUT = "moved_out"
#: Kind of the record in the chain of the client a conversation came to.
MOVED_IN = "moved_in"
MOVE_KINDS = frozenset({MOVED_OUT, MOVED_IN})
#: Entries (messages + events) per pair of move records.
MOVE_PART = 5000
#: Kinds of the entries a move hands over, and their key in the payload.
_LISTS = (("message", "messages"), ("event", "events"))

#: (kind, ref, content hash, seq of the record that vouched for it in the chain it left)
MovedEntry = tuple[str, str, str, int]
#: What a chain vouches for: (kind, ref) → (seq of the record, content hash).
Logged = dict[tuple[str, str], tuple[int, str]]


@dataclass(frozen=True)
class Move:
    """One move record's payload, read back."""

    conversation_id: int
    source_key: str
    title: str | None
    from_id: int
    from_name: str
    to_id: int
    to_name: str
    reason: str
    file: str | None
    import_id: int | None
    part: int
    parts: int
    entries: tuple[MovedEntry, ...]
    counterpart: tuple[int, int, str] | None  # moved_in: (client id, seq, hash) of its moved_out

    def count(self, kind: str) -> int:
        return sum(1 for e in self.entries if e[0] == kind)


@dataclass(frozen=True)
class MoveNote:
    """A move as a report states it: one per conversation move (its parts summed)."""

    seq: int  # of the first part in this chain
    direction: str  # "out" (the conversation left this client) or "in"
    conversation_id: int
    title: str | None
    other: str  # the other client's name
    other_seq: int | None  # "in": seq of the matching moved_out in the other client's chain
    at: str  # the record's created_at (UTC)
    reason: str
    file: str | None
    messages: int
    events: int

    def describe(self) -> str:
        """One line in English: what moved, where, when and why.

        Names are quoted in English marks (:func:`~clientguard.report.i18n.quote`): «…» around
        them read «Кофейня «Пенка»» in an English line, marks of one kind nested.
        """
        from clientguard.report.i18n import plural, quote  # the count wording the CLI uses ("1 message")

        chat = f"chat {quote(self.title, 'en')}" if self.title else "chat"
        what = f"{chat} (conversation {self.conversation_id})"
        other = quote(self.other, "en")

        counts = f"{plural(self.messages, 'message', 'en')}, {plural(self.events, 'event', 'en')}"
        when = self.at[:19].replace("T", " ") + " UTC"
        if self.direction == "out":
            head = f"{what} moved to client {other} on {when} ({counts})"
        else:
            head = (
                f"{what} moved in from client {other} on {when} ({counts}; "
                f"seq {self.other_seq} of that client's log)"
            )
        why = self.reason + (f", file {self.file}" if self.file else "")
        return f"{head}: {why}"


def header(
    conversation_id: int,
    source_key: str,
    title: str | None,
    from_client: tuple[int, str],
    to_client: tuple[int, str],
    reason: str,
    file: str | None,
    import_id: int | None,
) -> dict[str, Any]:
    """The part of a move payload that both records of every part share."""
    return {
        "conversation": {"id": conversation_id, "source_key": source_key, "title": title},
        "from": {"id": from_client[0], "name": from_client[1]},
        "to": {"id": to_client[0], "name": to_client[1]},
        "reason": reason,
        "file": file,
        "import_id": import_id,
    }


def handed_over(logged: Logged, messages: Iterable[int], events: Iterable[int]) -> list[MovedEntry]:
    """The entries of ``logged`` for the conversation's rows (message and event ids), in id order.

    Rows the chain never vouched for are not handed over (they stay ``unlogged``, now in
    the new client's chain), and logged rows no longer in the store cannot be told to
    belong to the conversation, so they stay behind (``source_missing`` in the old one).
    """
    out: list[MovedEntry] = []
    for kind, ids in (("message", messages), ("event", events)):
        for rid in sorted(ids):
            found = logged.get((kind, str(rid)))
            if found is not None:
                out.append((kind, str(rid), found[1], found[0]))
    return out


def parts(entries: list[MovedEntry]) -> list[list[MovedEntry]]:
    """The entries cut into parts of at most :data:`MOVE_PART` (one part when there are none)."""
    return [entries[i : i + MOVE_PART] for i in range(0, len(entries), MOVE_PART)] or [[]]


def payload(
    head: dict[str, Any],
    entries: list[MovedEntry],
    part: int,
    total: int,
    counterpart: tuple[int, int, str] | None = None,
) -> str:
    """Canonical JSON of one move record: the header, the part's listing, the counterpart."""
    data = dict(head)
    for kind, key in _LISTS:
        data[key] = [[int(ref), h, seq] for k, ref, h, seq in entries if k == kind]
    data["part"] = [part, total]
    if counterpart is not None:
        cid, seq, digest = counterpart
        data["counterpart"] = {"client_id": cid, "seq": seq, "hash": digest}
    return canonical_json(data)


def _int(value: Any, what: str) -> int:
    if type(value) is not int:
        raise ValueError(f"expected an integer {what}, got {value!r}")
    return value


def _str(value: Any, what: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string {what}, got {value!r}")
    return value


def parse(text: str | None) -> Move:
    """A move record's payload; :class:`ValueError` for anything else (only tampering makes one)."""
    if text is None:
        raise ValueError("a move record without a payload")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("a move payload must be a JSON object")
    try:
        conv, src, dst, part = data["conversation"], data["from"], data["to"], data["part"]
        entries: list[MovedEntry] = []
        for kind, key in _LISTS:
            for item in data[key]:
                if not isinstance(item, list) or len(item) != 3:
                    raise ValueError(f"bad {key} entry {item!r}")
                entries.append(
                    (kind, str(_int(item[0], "id")), str(_str(item[1], "hash")), _int(item[2], "seq"))
                )
        counterpart = None
        if "counterpart" in data:
            cp = data["counterpart"]
            counterpart = (
                _int(cp["client_id"], "client id"),
                _int(cp["seq"], "seq"),
                str(_str(cp["hash"], "hash")),
            )
        if not isinstance(part, list) or len(part) != 2:
            raise ValueError(f"bad part {part!r}")
        return Move(
            conversation_id=_int(conv["id"], "conversation id"),
            source_key=str(_str(conv["source_key"], "source key")),
            title=_str(conv.get("title"), "title", optional=True),
            from_id=_int(src["id"], "client id"),
            from_name=str(_str(src["name"], "client name")),
            to_id=_int(dst["id"], "client id"),
            to_name=str(_str(dst["name"], "client name")),
            reason=str(_str(data["reason"], "reason")),
            file=_str(data.get("file"), "file", optional=True),
            import_id=None if data.get("import_id") is None else _int(data["import_id"], "import id"),
            part=_int(part[0], "part"),
            parts=_int(part[1], "part count"),
            entries=tuple(entries),
            counterpart=counterpart,
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"a move payload without {exc}") from exc


def same_move(out_payload: str, in_payload: str) -> bool:
    """Whether a ``moved_in`` payload is its ``moved_out`` plus the counterpart, nothing else."""
    data = json.loads(in_payload)
    if not isinstance(data, dict):
        return False
    data.pop("counterpart", None)
    return canonical_json(data) == out_payload


def apply(kind: str, seq: int, move: Move, logged: Logged) -> list[MovedEntry]:
    """Take a ``moved_out``'s entries off ``logged`` or put a ``moved_in``'s on (under ``seq``).

    Returns the entries of a ``moved_out`` that ``logged`` did not hold with that hash
    (verification reports them as ``bad_move``); a ``moved_in`` returns none.
    """
    bad: list[MovedEntry] = []
    for entry in move.entries:
        key = (entry[0], entry[1])
        if kind == MOVED_OUT:
            held = logged.pop(key, None)
            if held is None or held[1] != entry[2]:
                bad.append(entry)
        else:
            logged[key] = (seq, entry[2])
    return bad


def notes(moves: Iterable[tuple[int, str, str, Move]]) -> tuple[MoveNote, ...]:
    """Report lines of a chain's move records (seq, kind, created_at, move), parts joined."""
    out: list[MoveNote] = []
    for seq, kind, created, move in moves:
        direction = "out" if kind == MOVED_OUT else "in"
        last = out[-1] if out else None
        if (
            last is not None
            and move.part > 1
            and (last.direction, last.conversation_id, last.at) == (direction, move.conversation_id, created)
        ):
            out[-1] = replace(
                last,
                messages=last.messages + move.count("message"),
                events=last.events + move.count("event"),
            )
            continue
        out.append(
            MoveNote(
                seq=seq,
                direction=direction,
                conversation_id=move.conversation_id,
                title=move.title,
                other=move.to_name if direction == "out" else move.from_name,
                other_seq=move.counterpart[1] if move.counterpart is not None else None,
                at=created,
                reason=move.reason,
                file=move.file,
                messages=move.count("message"),
                events=move.count("event"),
            )
        )
    return tuple(out)
