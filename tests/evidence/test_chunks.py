"""Property tests for chunk records (issue #7): every single tampering is detected and named.

A log here is what the import and older versions write: per-message ``message`` records
(the old format, no payload) followed by ``messages`` records listing chunks of random
size, with the odd other record between them; the "store" is the messages' current payloads.
:func:`~clientguard.evidence.verify.check_log` is the pure core of ``evidence verify``,
so these run it on tampered copies without a database.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clientguard.evidence.chain import (
    GENESIS,
    MESSAGE,
    MESSAGES,
    ChainRow,
    build_chain,
    canonical_json,
    listing_json,
    listing_ref,
    parse_listing,
    sha256_hex,
)
from clientguard.evidence.sources import Current
from clientguard.evidence.verify import LogCheck, check_log

CLIENT = 7
CREATED = "2025-09-01T10:00:00.000000+00:00"
CHAIN_PROBLEMS = {"edited", "broken_link", "missing", "out_of_order", "head_mismatch"}

Store = dict[int, str]  # message id -> its current canonical payload


def payload_of(mid: int, text: str) -> str:
    return canonical_json({"id": mid, "text": text})


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[ChainRow], Store]:
    n = draw(st.integers(min_value=1, max_value=30))
    gaps = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    ids = [sum(gaps[: i + 1]) for i in range(n)]
    store = {mid: payload_of(mid, draw(st.text(max_size=12))) for mid in ids}
    legacy = draw(st.integers(0, n))  # the first ``legacy`` messages were logged one record each
    items: list[tuple[str, str, str, str, str | None]] = []
    for mid in ids[:legacy]:
        items.append((MESSAGE, str(mid), store[mid], CREATED, draw(st.sampled_from([None, "a" * 64]))))
    rest = ids[legacy:]
    while rest:
        size = draw(st.integers(1, 6))
        chunk, rest = rest[:size], rest[size:]
        entries = [(mid, sha256_hex(store[mid])) for mid in chunk]
        items.append(
            (
                MESSAGES,
                listing_ref(chunk[0], chunk[-1]),
                listing_json(entries),
                CREATED,
                draw(st.sampled_from([None, "b" * 64])),
            )
        )
        if draw(st.integers(0, 4)) == 0:
            # another kind of record between chunks (one the cross-check does not look up)
            items.append(("memo", str(len(items)), canonical_json({"text": "call"}), CREATED, None))
    rows = [r._replace(payload=None) if r.kind == MESSAGE else r for r in build_chain(CLIENT, items)]
    return rows, store


def head_of(rows: list[ChainRow]) -> tuple[int, str]:
    return (rows[-1].seq, rows[-1].hash) if rows else (0, GENESIS)


def check(rows: list[ChainRow], store: Store, head: tuple[int, str]) -> LogCheck:
    currents = [Current(MESSAGE, str(mid), p, None) for mid, p in sorted(store.items())]
    return check_log(CLIENT, rows, currents, head)


def listed_in(rows: list[ChainRow]) -> dict[int, int]:
    """message id -> seq of the record that logged it."""
    out: dict[int, int] = {}
    for r in rows:
        if r.kind == MESSAGE:
            out[int(r.ref)] = r.seq
        elif r.kind == MESSAGES:
            out.update((mid, r.seq) for mid, _ in parse_listing(r.payload))
    return out


def found(result: LogCheck) -> set[tuple[int | None, str, str | None]]:
    return {(p.seq, p.what, p.ref) for p in result.problems}


@given(logs())
def test_untouched_log_verifies(log: tuple[list[ChainRow], Store]) -> None:
    rows, store = log
    result = check(rows, store, head_of(rows))
    assert result.problems == () and result.messages == len(store)


@settings(max_examples=200)
@given(logs(), st.data())
def test_message_edited_in_the_store_is_named(log: tuple[list[ChainRow], Store], data: st.DataObject) -> None:
    rows, store = log
    mid = data.draw(st.sampled_from(sorted(store)))
    edited = dict(store)
    edited[mid] = payload_of(mid, data.draw(st.text(max_size=12)).join("xy"))
    problems = found(check(rows, edited, head_of(rows)))
    assert problems == {(listed_in(rows)[mid], "source_changed", str(mid))}


@settings(max_examples=200)
@given(logs(), st.data())
def test_message_deleted_from_the_store_is_named(
    log: tuple[list[ChainRow], Store], data: st.DataObject
) -> None:
    rows, store = log
    mid = data.draw(st.sampled_from(sorted(store)))
    problems = found(check(rows, {k: v for k, v in store.items() if k != mid}, head_of(rows)))
    assert problems == {(listed_in(rows)[mid], "source_missing", str(mid))}


@settings(max_examples=200)
@given(logs(), st.data())
def test_message_inserted_in_the_store_is_named(
    log: tuple[list[ChainRow], Store], data: st.DataObject
) -> None:
    rows, store = log
    mid = data.draw(st.integers(0, 200).filter(lambda i: i not in store))
    problems = found(check(rows, {**store, mid: payload_of(mid, "forged")}, head_of(rows)))
    assert problems == {(None, "unlogged", str(mid))}


FIELDS = list(ChainRow._fields)


@settings(max_examples=400)
@given(logs(), st.data())
def test_any_changed_field_of_any_record_is_detected_at_its_seq(
    log: tuple[list[ChainRow], Store], data: st.DataObject
) -> None:
    rows, store = log
    i = data.draw(st.integers(0, len(rows) - 1))
    name = data.draw(st.sampled_from(FIELDS))
    old = getattr(rows[i], name)
    if isinstance(old, int):
        new: Any = data.draw(st.integers(-5, 50).filter(lambda v: v != old))
    elif old is None:
        new = data.draw(st.text(min_size=1, max_size=64))
    else:
        new = data.draw(st.text(max_size=70).filter(lambda v: v != old))
    tampered = list(rows)
    tampered[i] = rows[i]._replace(**{name: new})
    result = check(tampered, store, head_of(rows))
    assert any(p.seq in (rows[i].seq, new) or p.what == "head_mismatch" for p in result.problems)


@settings(max_examples=300)
@given(logs(), st.data())
def test_deleted_record_is_detected_and_its_messages_named(
    log: tuple[list[ChainRow], Store], data: st.DataObject
) -> None:
    rows, store = log
    i = data.draw(st.integers(0, len(rows) - 1))
    gone = rows[i]
    problems = found(check(rows[:i] + rows[i + 1 :], store, head_of(rows)))
    if i < len(rows) - 1:
        assert {
            (rows[i + 1].seq, "missing", rows[i + 1].ref),
            (rows[i + 1].seq, "broken_link", rows[i + 1].ref),
        } <= problems
    else:
        assert any(what == "head_mismatch" for _, what, _ in problems)
    lost = {mid for mid, seq in listed_in(rows).items() if seq == gone.seq}
    assert {(None, "unlogged", str(mid)) for mid in lost} <= problems


@settings(max_examples=300)
@given(logs(), st.data())
def test_forged_listing_inserted_is_detected(log: tuple[list[ChainRow], Store], data: st.DataObject) -> None:
    """A listing for a message slipped into the store, chained to its predecessor.

    A link or the head breaks.
    """
    rows, store = log
    i = data.draw(st.integers(0, len(rows)))
    prev = rows[i - 1].hash if i else GENESIS
    mid = max(store) + 1
    forged_store = {**store, mid: payload_of(mid, "Я всё оплатил")}
    listing = listing_json([(mid, sha256_hex(forged_store[mid]))])
    seq = data.draw(st.sampled_from([i + 1, i, 10_000]))
    forged = next(build_chain(CLIENT, [(MESSAGES, listing_ref(mid, mid), listing, CREATED, None)], prev, seq))
    renumber = data.draw(st.booleans())
    after = [r._replace(seq=r.seq + 1) if renumber else r for r in rows[i:]]
    problems = check([*rows[:i], forged, *after], forged_store, head_of(rows)).problems
    assert {p.what for p in problems} & CHAIN_PROBLEMS


@settings(max_examples=300)
@given(logs().filter(lambda log: len(log[0]) >= 2), st.data())
def test_two_records_swapped_are_detected(log: tuple[list[ChainRow], Store], data: st.DataObject) -> None:
    rows, store = log
    i, j = sorted(data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=2, max_size=2, unique=True)))
    keep_seq = data.draw(st.booleans())
    a, b = rows[i], rows[j]
    swapped = list(rows)
    swapped[i], swapped[j] = (b._replace(seq=a.seq), a._replace(seq=b.seq)) if keep_seq else (b, a)
    problems = check(swapped, store, head_of(rows)).problems
    assert any(p.seq in (a.seq, b.seq) and p.what in CHAIN_PROBLEMS for p in problems)


@settings(max_examples=300)
@given(logs().filter(lambda log: any(r.kind == MESSAGES for r in log[0])), st.data())
def test_rewritten_listing_is_detected_and_the_message_named(
    log: tuple[list[ChainRow], Store], data: st.DataObject
) -> None:
    """A listing rewritten and the record re-chained to its predecessor (so it verifies by itself).

    The next link (or the head) always breaks, naming the record; when the listing now
    disagrees with the store (``edit_listing``), the message is named as well.
    """
    rows, store = log
    i = data.draw(st.sampled_from([k for k, r in enumerate(rows) if r.kind == MESSAGES]))
    entries = parse_listing(rows[i].payload)
    k = data.draw(st.integers(0, len(entries) - 1))
    mid = entries[k][0]
    how = data.draw(st.sampled_from(["edit_both", "edit_listing", "drop", "reorder"]))
    new_store = dict(store)
    if how == "edit_both":  # the store's message and its listed hash, consistently
        new_store[mid] = payload_of(mid, "подделка")
        entries[k] = (mid, sha256_hex(new_store[mid]))
    elif how == "edit_listing":
        entries[k] = (mid, sha256_hex("подделка"))
    elif how == "drop":  # the message and its entry gone
        del entries[k]
        del new_store[mid]
    else:
        entries = [*entries[1:], entries[0]] if len(entries) > 1 else [(mid, sha256_hex("x"))]
    payload = json.dumps(entries, separators=(",", ":"))
    prev = rows[i - 1].hash if i else GENESIS
    item = (MESSAGES, rows[i].ref, payload, rows[i].created_at, rows[i].source_hash)
    (forged,) = build_chain(CLIENT, [item], prev, rows[i].seq)
    tampered = [*rows[:i], forged, *rows[i + 1 :]]
    problems = found(check(tampered, new_store, head_of(rows)))
    if i < len(rows) - 1:
        assert (rows[i + 1].seq, "broken_link", rows[i + 1].ref) in problems
    else:
        assert any(what == "head_mismatch" for _, what, _ in problems)
    if how == "edit_listing" or (how == "reorder" and len(entries) == 1):
        assert (rows[i].seq, "source_changed", str(mid)) in problems
