"""Property tests: any single tampering of a chain is detected and located."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clientguard.evidence.chain import (
    GENESIS,
    ChainRow,
    Problem,
    build_chain,
    canonical_json,
    join_listing,
    listing_entry,
    listing_json,
    parse_listing,
    record_json,
    verify_rows,
)
from clientguard.evidence.sources import message_payload
from clientguard.store.records import NewMessage

CLIENT = 7
texts = st.text(min_size=0, max_size=30)


@st.composite
def chains(draw: st.DrawFn) -> list[ChainRow]:
    n = draw(st.integers(min_value=1, max_value=25))
    items = [
        (
            draw(st.sampled_from(["message", "messages", "event", "note", "confirmation", "invoice"])),
            str(i),
            canonical_json({"text": draw(texts), "i": i}),
            f"2025-09-{1 + i % 28:02d}T10:00:00.000000+00:00",
            draw(st.sampled_from([None, "a" * 64])),
        )
        for i in range(n)
    ]
    return list(build_chain(CLIENT, items))


def check(rows: list[ChainRow], head: tuple[int, str]) -> list[Problem]:
    problems: list[Problem] = []
    verify_rows(CLIENT, rows, problems, head)
    return problems


def head_of(rows: list[ChainRow]) -> tuple[int, str]:
    return (rows[-1].seq, rows[-1].hash) if rows else (0, GENESIS)


@given(chains())
def test_untouched_chain_verifies(rows: list[ChainRow]) -> None:
    assert check(rows, head_of(rows)) == []


FIELDS = list(ChainRow._fields)


@settings(max_examples=300)
@given(chains(), st.data())
def test_any_changed_field_is_detected_at_its_seq(rows: list[ChainRow], data: st.DataObject) -> None:
    head = head_of(rows)
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
    problems = check(tampered, head)
    assert problems, f"changing {name} of seq {rows[i].seq} went unnoticed"
    assert any(p.seq in (rows[i].seq, new) or p.what == "head_mismatch" for p in problems)


@settings(max_examples=300)
@given(chains(), st.data())
def test_any_deleted_record_is_detected(rows: list[ChainRow], data: st.DataObject) -> None:
    head = head_of(rows)
    i = data.draw(st.integers(0, len(rows) - 1))
    problems = check(rows[:i] + rows[i + 1 :], head)
    assert problems
    if i < len(rows) - 1:  # the next record names the gap
        assert any(p.seq == rows[i + 1].seq and p.what in ("missing", "broken_link") for p in problems)


@settings(max_examples=300)
@given(chains(), st.data())
def test_any_inserted_record_is_detected(rows: list[ChainRow], data: st.DataObject) -> None:
    """Even a forged record chained correctly to its predecessor breaks the next link or the head."""
    head = head_of(rows)
    i = data.draw(st.integers(0, len(rows)))
    prev = rows[i - 1].hash if i else GENESIS
    seq = data.draw(st.sampled_from([i + 1, i, 10_000]))
    renumber = data.draw(st.booleans())
    forged = next(
        build_chain(
            CLIENT,
            [("message", "x", canonical_json({"text": data.draw(texts)}), "2025-09-30", None)],
            prev,
            seq,
        )
    )
    after = [r._replace(seq=r.seq + 1) if renumber else r for r in rows[i:]]
    assert check([*rows[:i], forged, *after], head)


@settings(max_examples=300)
@given(chains().filter(lambda r: len(r) >= 2), st.data())
def test_any_two_records_swapped_are_detected(rows: list[ChainRow], data: st.DataObject) -> None:
    head = head_of(rows)
    i, j = sorted(data.draw(st.lists(st.integers(0, len(rows) - 1), min_size=2, max_size=2, unique=True)))
    keep_seq = data.draw(st.booleans())  # swap positions only, or swap positions and seq numbers
    a, b = rows[i], rows[j]
    swapped = list(rows)
    swapped[i], swapped[j] = (b._replace(seq=a.seq), a._replace(seq=b.seq)) if keep_seq else (b, a)
    problems = check(swapped, head)
    assert problems
    assert any(p.seq in (a.seq, b.seq) for p in problems)


@given(
    st.integers(0, 10**9),
    st.text(max_size=64),
    st.text(max_size=30),
    st.text(max_size=20),
    st.text(max_size=20),
    st.integers(0, 10**6),
    st.one_of(st.none(), st.text(max_size=64)),
)
def test_fast_record_json_is_canonical(
    cid: int, ch: str, created: str, kind: str, ref: str, seq: int, sh: str | None
) -> None:
    fast = record_json(cid, ch, created, kind, ref, seq, sh)
    slow = canonical_json(
        {
            "client_id": cid,
            "content_hash": ch,
            "created_at": created,
            "kind": kind,
            "ref": ref,
            "seq": seq,
            "source_hash": sh,
        }
    )
    assert fast == slow


@given(st.text(max_size=50), st.one_of(st.none(), st.text(max_size=10)), st.text(max_size=10))
def test_fast_message_payload_is_canonical(text: str, name: str | None, key: str) -> None:
    from datetime import UTC, datetime

    ts = datetime(2025, 9, 1, 8, 2, tzinfo=UTC)
    m = NewMessage(
        5, 2, "1001", key, name, None, "client", ts, text, None, None, None, None, "none", None, None, 1
    )
    fast = message_payload(
        m.id,
        m.conversation_id,
        m.source_id,
        m.sender_key,
        m.sender_name,
        m.ts_utc,
        m.text,
        m.original_text,
        m.reply_to,
        m.edited,
        m.forwarded_from,
        m.attachment,
        m.subject,
    )
    parsed = json.loads(fast)
    assert canonical_json(parsed) == fast
    assert parsed["text"] == text and parsed["ts"] == ts.timestamp()


@given(
    st.lists(st.tuples(st.integers(0, 2**62), st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)))
)
def test_listing_json_is_canonical_and_round_trips(entries: list[tuple[int, str]]) -> None:
    """The import's one ``json.dumps`` of (id, hash) tuples is the canonical JSON of the listing."""
    fast = listing_json(entries)
    assert fast == canonical_json([list(e) for e in entries])
    assert join_listing([listing_entry(mid, h) for mid, h in entries]) == fast  # the import's way
    assert parse_listing(fast) == entries


def test_parse_listing_rejects_other_shapes() -> None:
    import pytest

    for bad in (None, "{}", "[1]", '[[1,"a",2]]', '[["1","a"]]', '[[1.0,"a"]]', '[[true,"a"]]', "not json"):
        with pytest.raises(ValueError):
            parse_listing(bad)
