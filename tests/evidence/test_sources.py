"""The inlined payload loop of ``current_messages`` must give message_payload's bytes.

Verification compares these payloads' hashes with what the import hook logged; if the
fast loop ever drifted from :func:`message_payload`, every message would show as edited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from evidence_sample import CLIENT, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clientguard.evidence.sources import _raw_epoch, current_messages, epoch, message_payload
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store
from clientguard.store.models import MessageRow


def test_current_messages_payload_is_message_payload(store: Store) -> None:
    store.import_paths([SAMPLE], client=CLIENT)
    m = MessageRow
    with store.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
        fast = {cur.ref: cur.payload for cur in current_messages(conn, cid)}
        rows = conn.execute(
            select(
                m.id, m.conversation_id, m.source_id, m.sender_key, m.sender_name, m.ts_utc, m.text,
                m.original_text, m.reply_to, m.edited, m.forwarded_from, m.attachment, m.subject,
            )
        ).all()
    assert len(rows) >= 5 and len(fast) == len(rows)
    for r in rows:
        assert fast[str(r.id)] == message_payload(*r), r.id


_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-7, minutes=-30)),
                          ZoneInfo("Europe/Moscow"), ZoneInfo("America/New_York"), None])


@settings(max_examples=3000, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1)), _ZONES)
def test_epoch_is_the_same_float_as_timestamp(when: datetime, zone: tzinfo | None) -> None:
    """Message payloads hash ``repr(epoch(ts))``: it must stay bit-identical to ``timestamp()``
    (naive = UTC), or every log written before would read as tampered."""
    ts = when if zone is None else when.replace(tzinfo=zone)
    expected = (ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)).timestamp()
    assert repr(epoch(ts)) == repr(expected)
    if zone is None:
        assert repr(_raw_epoch(str(ts))) == repr(expected) == repr(_raw_epoch(ts))
