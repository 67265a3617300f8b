"""WhatsApp importer: locales, clocks, date order, placeholders, events, ids."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clientguard.domain import AttachmentKind, Event, Message
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.notices import NoticeCode
from clientguard.ingest.whatsapp import settle_order

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def read(path: Path, ctx: ReadContext | None = None) -> list[Message | Event]:
    return [i for pc in read_path(path, ctx or ReadContext()) for i in pc.items]


@pytest.mark.parametrize(
    ("dates", "ampm", "dayfirst", "order", "proven"),
    [
        (["01/01/19", "20/01/19"], False, None, "dmy", True),
        (["01/01/19", "01/20/19"], False, None, "mdy", True),
        (["2019/01/01", "2019/01/20"], False, None, "ymd", True),
        (["2023/5/4", "1/23/23", "05.05.23"], True, None, "mdy", True),  # yyyy/… lines don't vote
        (["01.02.24", "03.02.24"], False, None, "dmy", False),  # dots: day first
        (["3/5/24", "3/6/24"], True, None, "mdy", False),  # 12-hour clock: US
        (["01/02/24", "03/02/24"], False, None, "dmy", False),  # documented default
        (["01/02/24", "03/02/24"], False, False, "mdy", False),  # user override
        (["13/02/24"], False, False, "dmy", True),  # proof beats the override
    ],
)
def test_settle_order(dates: list[str], ampm: bool, dayfirst: bool | None, order: str, proven: bool) -> None:
    got = settle_order(dates, ampm, dayfirst)
    assert (got.order, got.proven) == (order, proven)


def test_russian_android_export() -> None:
    path = FIX / "Чат WhatsApp с Мария Клиентова.txt"
    convs = list(read_path(path, ReadContext()))
    assert convs[0].conversation.source_key == "whatsapp:Мария Клиентова"
    items = list(convs[0].items)
    kinds = [i.kind if isinstance(i, Event) else "msg" for i in items]
    assert kinds == ["e2e_notice", "create_group", "msg", "msg", "message_deleted", "msg", "msg"]
    msg = items[2]
    assert isinstance(msg, Message)
    assert msg.sender.name == "Мария Клиентова"  # trailing space before ":" removed
    assert msg.text == "Добрый день! ТЗ: во вложении.\nСрочно нужно к вечеру."  # colon in body, 2 lines
    assert msg.timestamp == datetime(2024, 3, 12, 6, 17, tzinfo=UTC)  # Moscow +3
    media = items[3]
    assert isinstance(media, Message)
    assert media.sender.source_id == "+7 999 123-45-67"  # bidi marks around the number removed
    assert (media.text, media.attachment) == ("", AttachmentKind.OTHER)
    deleted = items[4]
    assert isinstance(deleted, Event) and deleted.actor is not None
    assert deleted.actor.name == "Мария Клиентова"
    dup1, dup2 = items[5], items[6]
    assert dup1.source_id != dup2.source_id and dup2.source_id == dup1.source_id + "#2"


def test_12_hour_clock_with_narrow_nbsp_and_ambiguity_notice() -> None:
    ctx = ReadContext()
    items = read(FIX / "whatsapp_12h_ambiguous.txt", ctx)
    assert [i.timestamp for i in items] == [
        datetime(2024, 3, 5, 18, 5, tzinfo=UTC),  # 9:05 PM Moscow
        datetime(2024, 3, 5, 20, 58, tzinfo=UTC),  # 11:58 PM
        datetime(2024, 3, 5, 21, 1, tzinfo=UTC),  # 12:01 AM next day
    ]
    assert isinstance(items[2], Message) and items[2].attachment is AttachmentKind.PHOTO
    assert [(n.code, dict(n.params)) for n in ctx.notices] == [
        (NoticeCode.DATE_ORDER_GUESSED, {"order": "mdy", "reason": "us_12h"})]


def test_day_first_override_for_ambiguous_ios_file() -> None:
    path = FIX / "whatsapp_ios_ambiguous.txt"
    default = read(path)
    assert default[1].timestamp == datetime(2024, 2, 3, 8, 30, 15, tzinfo=UTC)
    us = read(path, ReadContext(dayfirst=False))
    assert us[1].timestamp == datetime(2024, 3, 2, 8, 30, 15, tzinfo=UTC)


def test_ids_are_stable_across_reexports(tmp_path: Path) -> None:
    """A later export of the same chat (more lines at the end) keeps the earlier ids."""
    original = (FIX / "whatsapp_12h_ambiguous.txt").read_text(encoding="utf-8")
    longer = tmp_path / "longer.txt"
    longer.write_text(original + "3/6/24, 8:00\u202fAM - Me: Good morning\n", encoding="utf-8")
    first = [i.source_id for i in read(FIX / "whatsapp_12h_ambiguous.txt")]
    assert [i.source_id for i in read(longer)][:3] == first


def test_zip_with_localized_member_name(tmp_path: Path) -> None:
    import zipfile

    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(FIX / "Чат WhatsApp с Мария Клиентова.txt", "Чат WhatsApp с Мария Клиентова.txt")
        zf.writestr("IMG-20240312-WA0001.jpg", b"\xff\xd8")
    convs = list(read_path(z, ReadContext()))
    assert convs[0].conversation.source_key == "whatsapp:Мария Клиентова"
    assert len(list(convs[0].items)) == 7


def test_system_line_with_colon_and_messages_about_encryption(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        '[13.03.24, 10:00:00] Мария: \u200eизображение отсутствует\n'
        '[13.03.24, 10:01:00] Мария changed the subject to "Re: цена"\n'
        "[13.03.24, 10:02:00] Мария: Is this chat end-to-end encrypted? Messages and calls are safe?\n"
        "[13.03.24, 10:03:00] Мария: Вы удалили данное сообщение\n",
        encoding="utf-8",
    )
    items = read(chat)
    photo, subject, question, deleted = items
    assert isinstance(photo, Message) and photo.attachment is AttachmentKind.PHOTO and photo.text == ""
    assert isinstance(subject, Event) and subject.kind == "edit_group_title"
    assert isinstance(question, Message) and question.text.startswith("Is this chat")
    assert isinstance(deleted, Event) and deleted.kind == "message_deleted"


@pytest.mark.parametrize(
    ("body", "attachment", "text"),
    [
        ("IMG-20240312-WA0001.jpg (file attached)", AttachmentKind.FILE, ""),
        ("<attached: 00000012-PHOTO-2024-03-12-10-00-00.jpg>", AttachmentKind.PHOTO, ""),
        ("<Media omitted>", AttachmentKind.OTHER, ""),
        ("location: https://maps.google.com/?q=1,2", AttachmentKind.LOCATION,
         "location: https://maps.google.com/?q=1,2"),
        ("see image omitted in the brief", AttachmentKind.NONE, "see image omitted in the brief"),
    ],
)
def test_media_placeholders(tmp_path: Path, body: str, attachment: AttachmentKind, text: str) -> None:
    chat = tmp_path / "c.txt"
    chat.write_text(f"12/03/2024, 10:00 - Мария: {body}\n", encoding="utf-8")
    [msg] = read(chat)
    assert isinstance(msg, Message) and (msg.attachment, msg.text) == (attachment, text)


def test_ids_do_not_depend_on_the_time_zone_setting() -> None:
    from zoneinfo import ZoneInfo

    path = FIX / "whatsapp_12h_ambiguous.txt"
    moscow = [i.source_id for i in read(path)]
    assert [i.source_id for i in read(path, ReadContext(tz=ZoneInfo("America/New_York")))] == moscow
