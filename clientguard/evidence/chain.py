"""The hash chain itself: canonical JSON, record hashes and streaming verification.

Pure functions over plain tuples, no database: the log module feeds them rows, the
benchmark feeds them a million generated rows, the property tests feed them tampered
lists. Keeping the hot loops here, free of ORM objects, is what makes verifying a
million records take seconds.

A record's hash is ``SHA-256(prev_hash + canonical_json(record))`` where the record is
``{client_id, content_hash, created_at, kind, ref, seq, source_hash}`` and
``content_hash = SHA-256(payload)``, the payload being the canonical JSON of what was
logged. Canonical JSON: keys sorted, UTF-8, no whitespace (``json.dumps(...,
sort_keys=True, ensure_ascii=False, separators=(",", ":"))``).

Record kinds that carry messages (issue #7):

* ``messages`` (:data:`MESSAGES`) — one record per imported chunk of messages, written by
  the import hook and by ``sync``. Its payload is the canonical JSON LISTING of the
  chunk, in insertion order: ``[[id, content_hash], ...]`` where ``id`` is the store's
  message id (an integer) and ``content_hash`` the SHA-256 hex of the message's
  canonical payload (:func:`~clientguard.evidence.sources.message_payload`), i.e. the
  very bytes the cross-check re-hashes from the message row. ``ref`` is
  ``"<first id>..<last id>"`` (for reading only; the listing is authoritative),
  ``created_at`` the import time and ``source_hash`` the SHA-256 of the file the
  messages came from (a chunk spanning several files is split into one record per run
  of messages from the same file). Every message is thus still on the chain, as an
  entry of a record, but the import pays one SHA-256 per message (its content hash)
  plus, per chunk, one C-level join of the ``[id,"hash"]`` entries, one record hash and
  one inserted row, instead of a record JSON, a chain hash and a row per message. The
  payload is stored (unlike a per-message record) because it is the only place the ids
  and hashes live. ``[`` + ``,``-joined entries + ``]`` is byte-identical to
  :func:`canonical_json` of the pairs (:func:`listing_json`), which ``sync`` uses.
* ``message`` (:data:`MESSAGE`) — the format before issue #7: one record per message,
  ``ref`` its id, ``content_hash`` its payload's hash and NO stored payload (the message
  row is the content). Logs written then keep verifying; a log may hold both kinds.
* ``moved_out`` / ``moved_in`` — a conversation leaving one client's chain for
  another's, listing what it hands over; see :mod:`clientguard.evidence.moves`.

What catches what: a listing edited in the log fails its ``content_hash`` (or, edited
together with it, the record hash); records inserted, deleted or reordered break a link
or the head; a message row edited after import no longer hashes to its listed hash
(``source_changed``); a listed row deleted is ``source_missing``; a row no record lists
is ``unlogged`` — all three named by message id, by the cross-check in
:mod:`clientguard.evidence.verify`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, NamedTuple

GENESIS = "0" * 64
#: Kind of a per-message record (the log's format before issue #7; still verified).
MESSAGE = "message"
#: Kind of a per-chunk record listing ``[[id, content_hash], ...]`` of its messages.
MESSAGES = "messages"


def canonical_json(obj: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no whitespace, raw UTF-8."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_json(
    client_id: int,
    content_hash: str,
    created_at: str,
    kind: str,
    ref: str,
    seq: int,
    source_hash: str | None,
) -> str:
    """``canonical_json`` of the record, built by hand because it runs once per record.

    Keys are written in sorted order; strings go through the C JSON string encoder, so
    the result is byte-identical to :func:`canonical_json` (a test checks this).
    """
    sh = "null" if source_hash is None else encode_basestring(source_hash)
    return (
        f'{{"client_id":{client_id},"content_hash":{encode_basestring(content_hash)},'
        f'"created_at":{encode_basestring(created_at)},"kind":{encode_basestring(kind)},'
        f'"ref":{encode_basestring(ref)},"seq":{seq},"source_hash":{sh}}}'
    )


def listing_json(entries: list[tuple[int, str]]) -> str:
    """Canonical JSON of a ``messages`` record's listing, in one C-level ``json.dumps``.

    Entries are (message id, content hash) pairs; tuples serialise as arrays, and with
    integers and hex strings only, the output equals :func:`canonical_json` of the list.
    """
    return json.dumps(entries, separators=(",", ":"))


def listing_entry(mid: int, content_hash: str) -> str:
    """One entry of a listing as canonical JSON, ``[id,"hash"]`` (a hex hash needs no escaping)."""
    return f'[{mid},"{content_hash}"]'


def join_listing(entries: list[str]) -> str:
    """A listing from its :func:`listing_entry` strings: equal to :func:`listing_json` of the pairs."""
    return "[" + ",".join(entries) + "]"


def listing_ref(first_id: int, last_id: int) -> str:
    """The ``ref`` of a ``messages`` record: its id range, for people reading the log."""
    return f"{first_id}..{last_id}"


def parse_listing(payload: str | None) -> list[tuple[int, str]]:
    """The (message id, content hash) entries of a ``messages`` record's payload.

    Raises :class:`ValueError` for anything but a list of ``[int, str]`` pairs: a payload
    of the wrong shape can only come from tampering, and the caller reports it.
    """
    if payload is None:
        raise ValueError("a messages record without a payload")
    data = json.loads(payload)
    if not isinstance(data, list):
        raise ValueError("a messages listing must be a JSON array")
    out: list[tuple[int, str]] = []
    for entry in data:
        if (
            not isinstance(entry, list)
            or len(entry) != 2
            or type(entry[0]) is not int
            or not isinstance(entry[1], str)
        ):
            raise ValueError(f"bad listing entry {entry!r}")
        out.append((entry[0], entry[1]))
    return out


class ChainRow(NamedTuple):
    """One stored record, in the column order verification reads them."""

    seq: int
    kind: str
    ref: str
    payload: str | None  # None for per-message records: the message row is the content
    content_hash: str
    created_at: str
    source_hash: str | None
    prev_hash: str
    hash: str


def build_chain(
    client_id: int,
    items: Iterable[tuple[str, str, str, str, str | None]],
    prev_hash: str = GENESIS,
    start_seq: int = 1,
) -> Iterator[ChainRow]:
    """Chain new records after ``prev_hash``: items are (kind, ref, payload, created_at, source_hash)."""
    sha = hashlib.sha256
    seq = start_seq
    prev = prev_hash
    for kind, ref, payload, created_at, source_hash in items:
        content_hash = sha(payload.encode()).hexdigest()
        rec = record_json(client_id, content_hash, created_at, kind, ref, seq, source_hash)
        digest = sha((prev + rec).encode()).hexdigest()
        yield ChainRow(seq, kind, ref, payload, content_hash, created_at, source_hash, prev, digest)
        prev = digest
        seq += 1


@dataclass(frozen=True)
class Problem:
    """One finding of verification: where (seq, kind, ref) and what is wrong.

    ``what`` is one of ``edited`` (payload or record fields changed), ``broken_link``
    (a record inserted, deleted or moved before this one), ``missing`` (a gap in the
    sequence numbers), ``out_of_order``, ``head_mismatch`` (the chain's end differs from
    the recorded head: records deleted or appended at the end), from the store
    cross-check, ``source_changed``, ``source_missing``, ``unlogged`` and ``inserted``
    (a contract, terms, scope item, invoice or payment not on the log that appeared after
    write-time logging began, see :mod:`clientguard.evidence.baseline`), and for the
    records of a conversation changing client (:mod:`clientguard.evidence.moves`),
    ``bad_move`` (a ``moved_out`` hands over what this chain did not vouch for) and
    ``move_unmatched`` (the other client's chain lacks the move's other half).
    """

    client_id: int
    seq: int | None
    kind: str | None
    ref: str | None
    what: str
    detail: str


@dataclass(frozen=True)
class ChainState:
    """Where a verified chain ends."""

    count: int
    last_seq: int
    head_hash: str


def verify_rows(
    client_id: int,
    rows: Iterable[tuple[Any, ...]],
    problems: list[Problem],
    expected_head: tuple[int, str] | None = None,
) -> ChainState:
    """Check a client's records streamed in ``seq`` order; append findings to ``problems``.

    After a finding the check re-synchronises on the stored hash, so one tampered record
    is reported once (plus the link it broke) rather than poisoning the rest of the chain.
    ``expected_head`` (seq, hash) comes from the heads table and catches records removed
    or appended at the end, which no link inside the chain can show.
    """
    sha = hashlib.sha256
    enc = encode_basestring
    running = GENESIS
    expected_seq = 1
    count = 0
    last_seq = 0
    add = problems.append
    for seq, kind, ref, payload, content_hash, created_at, source_hash, prev_hash, digest in rows:
        count += 1
        if seq != expected_seq:
            if seq > expected_seq:
                add(
                    Problem(
                        client_id,
                        seq,
                        kind,
                        ref,
                        "missing",
                        f"seq {expected_seq}..{seq - 1} missing before this record (deleted)",
                    )
                )
            else:
                add(
                    Problem(
                        client_id,
                        seq,
                        kind,
                        ref,
                        "out_of_order",
                        f"seq {seq} after seq {expected_seq - 1} (inserted or reordered)",
                    )
                )
        if prev_hash != running:
            add(
                Problem(
                    client_id,
                    seq,
                    kind,
                    ref,
                    "broken_link",
                    "does not link to the previous record (a record was inserted, deleted or moved)",
                )
            )
        if payload is not None and sha(payload.encode()).hexdigest() != content_hash:
            add(Problem(client_id, seq, kind, ref, "edited", "content differs from its logged hash"))
        sh = "null" if source_hash is None else enc(source_hash)
        rec = (
            f'{{"client_id":{client_id},"content_hash":{enc(content_hash)},'
            f'"created_at":{enc(created_at)},"kind":{enc(kind)},'
            f'"ref":{enc(ref)},"seq":{seq},"source_hash":{sh}}}'
        )
        if sha((prev_hash + rec).encode()).hexdigest() != digest:
            add(Problem(client_id, seq, kind, ref, "edited", "record fields differ from its hash"))
        running = digest
        last_seq = seq
        expected_seq = seq + 1
    if expected_head is not None:
        head_seq, head_hash = expected_head
        if (head_seq, head_hash) != (last_seq, running):
            add(
                Problem(
                    client_id,
                    last_seq or None,
                    None,
                    None,
                    "head_mismatch",
                    f"the log's head is seq {head_seq} but the chain ends at seq {last_seq} "
                    f"(records deleted or appended at the end)",
                )
            )
    return ChainState(count, last_seq, running)
