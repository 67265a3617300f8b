"""The inlined payload loop of ``current_messages`` must give message_payload's bytes.

Verification compares these payloads' hashes with what the import hook logged; if the
fast loop ever drifted from :func:`message_payload`, every message would show as edited.
"""

from __future__ import annotations

from evidence_sample import CLIENT, SAMPLE
from sqlalchemy import select

from clientguard.evidence.sources import current_messages, message_payload
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
