"""Telegram JSON and HTML importers on hand-written fixtures (tests/fixtures/ingest)."""

from __future__ import annotations

import sys
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clientguard.domain import AttachmentKind, Event, Message, Role, Sender
from clientguard.errors import InputError, MalformedRecordError, TruncatedFileError
from clientguard.ingest import ReadContext, detect, read_path
from clientguard.ingest._common import chat_message
from clientguard.ingest.telegram_json import flatten_text

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
BENCH = Path(__file__).resolve().parents[2] / "bench"


def items_of(path: Path, ctx: ReadContext | None = None) -> list[Message | Event]:
    return [i for pc in read_path(path, ctx or ReadContext()) for i in pc.items]


def test_entity_list_is_flattened_with_links_kept() -> None:
    msgs = items_of(FIX / "telegram_entities.json")
    first = msgs[0]
    assert isinstance(first, Message)
    assert first.text == "Срочно, посмотрите ТЗ (https://example.com/tz) и Алексей\nцена: 10 000"
    assert flatten_text(["a", {"type": "link", "text": "https://x.y"}, {"type": "bold"}]) == "ahttps://x.y"


def test_message_fields_replies_edits_forwards_media() -> None:
    by_id = {i.source_id: i for i in items_of(FIX / "telegram_entities.json")}
    old = by_id["11"]
    assert isinstance(old, Message)
    assert (old.reply_to, old.forwarded_from) == ("10", "(hidden)")
    assert old.text == "старый формат без text_entities"
    assert old.edited == datetime(2024, 3, 31, 0, 35, tzinfo=UTC)
    assert getattr(by_id["12"], "attachment", None) is AttachmentKind.VOICE
    poll = by_id["13"]
    assert isinstance(poll, Message) and poll.attachment is AttachmentKind.POLL
    assert poll.text == "Какой логотип?"
    channel = by_id["16"]
    assert isinstance(channel, Message)
    assert channel.sender == Sender("channel777", "Редакция")
    assert (channel.forwarded_from, channel.attachment) == ("Канал «Новости»", AttachmentKind.PHOTO)
    assert all(getattr(i, "role", Role.CLIENT) is Role.CLIENT for i in by_id.values())


def test_service_and_unsupported_become_events() -> None:
    by_id = {i.source_id: i for i in items_of(FIX / "telegram_entities.json")}
    unknown, unsupported = by_id["14"], by_id["15"]
    assert isinstance(unknown, Event) and unknown.kind == "some_future_action"
    assert unknown.actor == Sender("user100200300", "Мария") and unknown.details == {"weird": "a=1"}
    assert isinstance(unsupported, Event) and unsupported.kind == "unsupported"
    assert unsupported.timestamp is None


def test_naive_dates_use_ctx_tz_per_timestamp_across_dst() -> None:
    ctx = ReadContext(tz=ZoneInfo("Europe/Berlin"))
    by_id = {i.source_id: i for i in items_of(FIX / "telegram_entities.json", ctx)}
    assert by_id["10"].timestamp == datetime(2024, 3, 30, 22, 30, tzinfo=UTC)  # CET, +1
    assert by_id["11"].timestamp == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # CEST, +2
    assert by_id["12"].timestamp == datetime.fromtimestamp(1711846800, UTC)  # unixtime wins


def test_full_account_export_reads_chats_and_left_chats_with_owner() -> None:
    convs = []
    ctx = ReadContext()
    for pc in read_path(FIX / "telegram_full.json", ctx):
        convs.append((pc.conversation, [i.source_id for i in pc.items]))
    assert [(c.source_key, ids) for c, ids in convs] == [
        ("telegram:100200300", ["1", "2"]),
        ("telegram:42", []),
        # telegram:555 is Saved Messages: left out, with a notice (test_ingest_hygiene.py)
        ("telegram:9001", ["100", "101"]),  # from left_chats
    ]
    assert {c.owner for c, _ in convs} == {Sender("user555", "Алексей SMM")}
    assert convs[1][0].title is None
    assert [n.where for n in ctx.notices] == ["chats.list[2]"]


def test_full_account_conversations_can_be_skipped_without_consuming() -> None:
    keys = [pc.conversation.source_key for pc in read_path(FIX / "telegram_full.json", ReadContext())]
    assert keys == ["telegram:100200300", "telegram:42", "telegram:9001"]


def test_bad_records_name_their_json_path() -> None:
    path = FIX / "telegram_bad_records.json"
    with pytest.raises(MalformedRecordError) as err:
        items_of(path)
    assert str(err.value).startswith("E102: ") and f"{path}:messages[1]" in str(err.value)
    ctx = ReadContext(skip_bad=True)
    assert [i.source_id for i in items_of(path, ctx)] == ["1", "5"]
    assert [(s.where, s.file) for s in ctx.skipped] == [
        ("messages[1]", str(path)), ("messages[2].date", str(path)), ("messages[3].date_unixtime", str(path))]


@pytest.mark.parametrize("skip_bad", [False, True])
def test_truncated_file_is_reported_with_place(skip_bad: bool) -> None:
    """A cut-off file stops the read even with skip_bad (never "first N + 1 skipped")."""
    path = FIX / "telegram_truncated.json"
    assert detect(path).name == "telegram_json"
    ctx = ReadContext(skip_bad=skip_bad)
    with pytest.raises(TruncatedFileError) as err:
        items_of(path, ctx)
    assert "messages[0]" in str(err.value) and "telegram_truncated.json" in str(err.value)
    assert "truncated" in str(err.value) and ctx.skipped == []


@pytest.mark.parametrize("skip_bad", [False, True])
def test_a_file_broken_before_its_messages_stops_the_read_too(tmp_path: Path, skip_bad: bool) -> None:
    cut = tmp_path / "cut.json"
    cut.write_bytes(b'{\n "name": "\xd0\x9c\xd0\xb0\xd1\x80')  # ends inside the chat name
    with pytest.raises(TruncatedFileError) as err:
        items_of(cut, ReadContext(skip_bad=skip_bad))
    assert err.value.where.where == "top level (byte 18)" and "truncated" in err.value.message


def test_truncated_full_account_is_reported(tmp_path: Path) -> None:
    data = (FIX / "telegram_full.json").read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: data.index('"Здравствуйте"'.encode())])
    ctx = ReadContext(skip_bad=True)
    with pytest.raises(TruncatedFileError) as err:
        items_of(cut, ctx)
    assert err.value.where.where.startswith("chats.list[0].messages[1]")
    assert "1 message(s) of this chat before it are complete" in err.value.message


def test_chat_message_equals_the_dataclass_constructor() -> None:
    ts = datetime(2024, 1, 1, tzinfo=UTC)
    fast = chat_message("1", Sender("u", "n"), ts, "t", "0", ts, "f", AttachmentKind.PHOTO)
    slow = Message("1", Sender("u", "n"), ts, "t", reply_to="0", edited=ts, forwarded_from="f",
                   attachment=AttachmentKind.PHOTO)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)


def _generate(path: Path, n: int, seed: int = 3, full: bool = False) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from gen_telegram import generate
    finally:
        sys.path.remove(str(BENCH))
    result: Path = generate(path, n, seed, full)
    return result


def test_generator_is_deterministic_and_parses(tmp_path: Path) -> None:
    a, b = _generate(tmp_path / "a.json", 2000), _generate(tmp_path / "b.json", 2000)
    assert a.read_bytes() == b.read_bytes()
    items = items_of(a)
    assert len(items) == 2000 and len({i.source_id for i in items}) == 2000
    events = [i for i in items if isinstance(i, Event)]
    assert 5 <= len(events) <= 60
    full = items_of(_generate(tmp_path / "f.json", 2000, full=True))
    assert len(full) == 2000


@pytest.mark.slow
@pytest.mark.parametrize("full", [False, True])
def test_memory_stays_bounded_while_streaming(tmp_path: Path, full: bool) -> None:
    """Peak Python allocations stay ~0.6 MiB whether the file has 5k or 1M messages."""
    path = _generate(tmp_path / "big.json", 10_000, full=full)  # ~4.4 MB of JSON
    tracemalloc.start()
    n = 0
    for pc in read_path(path, ReadContext()):
        for _ in pc.items:
            n += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n == 10_000
    assert peak < 3 * 2**20, f"peak {peak / 2**20:.1f} MiB"  # holding the items would need ~10 MiB


def test_html_parts_are_read_in_order_with_joined_senders() -> None:
    for given in (FIX / "tg_html", FIX / "tg_html" / "messages2.html"):
        convs = list(read_path(given, ReadContext()))
        assert len(convs) == 1
        items = list(convs[0].items)
        assert [i.source_id for i in items] == ["5", "6", "7", "8", "9", "10"]  # no date separator
    by_id = {i.source_id: i for i in items}
    pin = by_id["5"]
    assert isinstance(pin, Event) and pin.kind == "pin_message"
    m6, m7, m8, m9, m10 = (by_id[k] for k in ("6", "7", "8", "9", "10"))
    assert isinstance(m6, Message) and m6.text == "Где макет?\nЖду с утра & до сих пор."
    assert m6.timestamp == datetime(2024, 3, 12, 7, 0, tzinfo=UTC)
    assert isinstance(m7, Message) and m7.text == "См. ТЗ (https://example.com/tz)"
    assert isinstance(m8, Message) and m8.sender.name == "Мария Клиентова"  # joined, across parts
    assert isinstance(m9, Message) and (m9.reply_to, m9.attachment) == ("6", AttachmentKind.PHOTO)
    assert isinstance(m10, Message) and m10.forwarded_from == "Бухгалтерия"
    assert m10.text == "Счёт не оплачиваем"
    assert m10.timestamp == datetime(2024, 3, 12, 7, 6, tzinfo=UTC)  # no offset printed: ctx.tz
    assert convs[0].conversation.source_key == "telegram_html:Мария Клиентова"


def test_abandoned_full_account_read_stops_its_parser_thread() -> None:
    import gc
    import threading
    from collections.abc import Generator
    from typing import cast

    from clientguard.ingest.base import ParsedConversation

    stream = read_path(FIX / "telegram_full.json", ReadContext())
    gen = cast(Generator[ParsedConversation, None, None], stream)
    first = next(gen)
    next(first.items)
    gen.close()
    del gen, first
    gc.collect()
    assert not [t for t in threading.enumerate() if t.name == "telegram-json-parser"]


@pytest.mark.parametrize("name", ["telegram_entities.json", "telegram_full.json"])
def test_utf8_bom_is_tolerated(tmp_path: Path, name: str) -> None:
    with_bom = tmp_path / name
    with_bom.write_bytes(b"\xef\xbb\xbf" + (FIX / name).read_bytes())
    assert [i.source_id for i in items_of(with_bom)] == [i.source_id for i in items_of(FIX / name)]


def test_unusual_key_order_still_finds_chat_id(tmp_path: Path) -> None:
    msg = '{"id": 1, "type": "message", "date_unixtime": "1704870000", "from_id": "user1", "text": "hi"}'
    single = tmp_path / "single.json"
    single.write_text(f'{{"messages": [{msg}], "name": "X", "id": 77}}', encoding="utf-8")
    [pc] = list(read_path(single, ReadContext()))
    assert pc.conversation.source_key == "telegram:77" and [i.source_id for i in pc.items] == ["1"]
    full = tmp_path / "full.json"
    full.write_text(f'{{"chats": {{"list": [{{"messages": [{msg}], "id": 78}}]}}}}', encoding="utf-8")
    [pc] = list(read_path(full, ReadContext()))
    assert pc.conversation.source_key == "telegram:78"


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"name": "x", "messages": 5}', "messages"),
        ('{"chats": {"list": [{"id": 1, "messages": {"a": 1}}]}}', "chats.list[0].messages"),
        ('{"chats": {"list": [{"id": 2, "messages": [1]}]}}', "chats.list[0].messages[0]"),
    ],
)
def test_wrong_structure_is_reported_with_its_path(tmp_path: Path, content: str, where: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    assert items_of(path, ctx) == []
    assert [s.where for s in ctx.skipped] == [where]


def test_html_bad_messages_are_reported_by_div_id(tmp_path: Path) -> None:
    page = (FIX / "tg_html" / "messages.html").read_text(encoding="utf-8")
    page = page.replace('title="12.03.2024 10:01:00 UTC+03:00"', 'title="вчера"')
    page = page.replace('<div class="from_name">Мария Клиентова</div>', "")  # message6 → joined, no sender
    (tmp_path / "messages.html").write_text(page, encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    assert [i.source_id for i in items_of(tmp_path / "messages.html", ctx)] == ["5"]
    assert [s.where for s in ctx.skipped] == ["div#message6", "div#message7"]


def test_a_sticker_keeps_its_emoji_as_text(tmp_path: Path) -> None:
    """A sticker's emoji is what the client said ("😡" after an invoice): it used to be
    dropped, leaving an empty message; a sticker without one stays empty."""
    import json

    chat = {"name": "Клиент", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2025-03-03T10:00:00", "date_unixtime": "1740985200",
         "from": "Клиент", "from_id": "user1", "file": "(File not included.)", "media_type": "sticker",
         "sticker_emoji": "😡", "width": 512, "height": 512, "text": "", "text_entities": []},
        {"id": 2, "type": "message", "date": "2025-03-03T10:01:00", "date_unixtime": "1740985260",
         "from": "Клиент", "from_id": "user1", "file": "(File not included.)", "media_type": "sticker",
         "text": "", "text_entities": []},
    ]}  # fmt: skip
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    angry, bare = items_of(path)
    assert isinstance(angry, Message) and isinstance(bare, Message)
    assert (angry.text, angry.attachment) == ("😡", AttachmentKind.STICKER)
    assert (bare.text, bare.attachment) == ("", AttachmentKind.STICKER)


def _chat_json(name: str, texts: tuple[str, ...], full: bool = False) -> str:
    import json

    msgs = [{"id": i + 1, "type": "message", "date": f"2025-09-01T10:0{i}:00",
             "date_unixtime": str(1756710000 + 60 * i), "from": name, "from_id": "user1", "text": t}
            for i, t in enumerate(texts)]
    chat = {"name": name, "type": "personal_chat", "id": 1, "messages": msgs}
    doc = {"about": "x", "chats": {"list": [chat]}} if full else chat
    return json.dumps(doc, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_a_json_export_resaved_in_a_cyrillic_code_page_is_read(
    tmp_path: Path, codec: str, full: bool,
) -> None:
    """QA pass 6, I1: a Windows-1251 result.json was 'E103 the file is truncated' at its last byte."""
    texts = ("Здравствуйте, когда будет готов контент-план?", "Жду правки до пятницы, пожалуйста.")
    path = tmp_path / "result.json"
    path.write_bytes(_chat_json("Игорь", texts, full).encode(codec))
    ctx = ReadContext()
    got = [(pc.conversation.title, [i.text for i in pc.items if isinstance(i, Message)])
           for pc in read_path(path, ctx)]
    assert got == [("Игорь", list(texts))]
    assert [n.text("en") for n in ctx.notices] == [
        f"not UTF-8: read as {'Windows-1251' if codec == 'cp1251' else 'KOI8-R'} (told from its letters)."]


def test_undecodable_bytes_in_a_json_export_are_an_encoding_error_not_truncation(tmp_path: Path) -> None:
    """A UTF-8 export with one stray byte: an encoding error naming file and byte, never E103."""
    raw = _chat_json("Игорь", ("Здравствуйте, когда будет готов контент-план?", "ok XX")).encode("utf-8")
    raw = raw.replace(b"ok XX", b"ok \xff\xfe")
    path = tmp_path / "result.json"
    path.write_bytes(raw)
    with pytest.raises(InputError) as err:
        items_of(path, ReadContext(skip_bad=True))
    assert not isinstance(err.value, TruncatedFileError)
    offset = raw.index(b"\xff")
    assert err.value.where is not None and err.value.where.file == str(path)
    assert f"byte {offset}" in str(err.value) and "0xFF" in str(err.value)
