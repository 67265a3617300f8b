"""Property tests: arbitrary input never crashes an importer with a non-coded error.

User files are hostile by accident (hand edits, truncation, odd tools); the contract is
"a domain object or ctx.bad", never a bare KeyError/TypeError from deep inside.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientguard.domain import Event, Message
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.mail import decode_header, mail_to_message
from clientguard.ingest.quotes import strip_quotes
from clientguard.ingest.telegram_records import Converter

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
message_keys = st.sampled_from(
    ["id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from", "from_id", "text",
     "text_entities", "photo", "file", "media_type", "poll", "reply_to_message_id", "reply_to_peer_id",
     "forwarded_from", "actor", "actor_id", "action", "members", "author"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(message_keys, json_values, max_size=10) | json_values)
def test_telegram_record_converter_never_crashes(record: Any) -> None:
    ctx = ReadContext(skip_bad=True)
    item = Converter(Path("x.json"), ctx, "").convert(record, 0)
    assert item is None or isinstance(item, (Message, Event))
    assert item is not None or ctx.skipped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "=?БЖ\u200e", max_size=80))
def test_header_decoding_never_crashes(raw: str) -> None:
    assert isinstance(decode_header(raw), str)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_mail_parsing_never_crashes(tail: bytes) -> None:
    msg = mail_to_message(b"From: a@b.c\nSubject: x\nContent-Type: text/plain; charset=koi8-r\n\n" + tail)
    assert isinstance(msg, Message) and isinstance(strip_quotes(msg.original_text or ""), str)


line = st.one_of(
    st.builds(lambda d, m, t, a, b: f"{d}/{m}/24, {t} - {a}: {b}",
              st.integers(0, 40), st.integers(0, 40),
              st.sampled_from(["10:00", "25:99", "9:05 PM", "0:00 a. m."]),
              st.text(alphabet="AБ ~:", max_size=6), st.text(max_size=20)),
    st.text(max_size=30),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(line, min_size=1, max_size=8))
def test_whatsapp_lines_never_crash(tmp_path: Path, lines: list[str]) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("12/03/2024, 10:00 - A: start\n" + "\n".join(lines) + "\n", encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    items = [i for pc in read_path(chat, ctx) for i in pc.items]
    assert items and all(isinstance(i, (Message, Event)) for i in items)
