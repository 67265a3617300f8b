"""Every real export fixture under ../shared/fixtures/formats, one row each.

Expected numbers were counted from the files themselves (json.load / grep of header
lines), not taken from the parser: (path, messages, events, checks). A check is
(index, attribute, expected) on the list of items; ``text~`` means "contains".
"""

# ruff: noqa: E501  (a data table: one fixture per row reads better than wrapped rows)
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clientguard.domain import AttachmentKind, Event, Message
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.base import ParsedConversation


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


Check = tuple[int, str, Any]
CASES: list[tuple[str, int, int, list[Check]]] = [
    # ---- Telegram JSON
    ("telegram_json/chat-miner/test_batch_export.json", 2, 0, [
        (0, "timestamp", utc(2018, 12, 5, 10, 39, 10)),
        (1, "text", "Link:https://telegram.org/"), (1, "sender.name", "Author 2")]),
    ("telegram_json/chat-miner/test_single_export.json", 2, 0, [(0, "text", "Minimal Message")]),
    ("telegram_json/langchain-community/result.json", 4, 0, [
        (0, "sender.source_id", "user123450513"), (0, "timestamp", utc(2023, 8, 23, 20, 11, 23)),
        (1, "sender.name", "Batman & Robin"), (3, "source_id", "4")]),
    ("telegram_json/langchain-community/telegram.json", 3, 0, [
        (0, "sender.source_id", "4325636679"),  # old export: bare int from_id, kept as string
        (0, "timestamp", utc(2019, 12, 31, 21, 0, 2)),  # naive date in ctx.tz (Moscow, +3)
        # double-encoded UTF-8 decoded once more (QA3 F15); it held the C1 control U+008D (F29)
        (2, "sender.name", "Grace 🧤 🍒")]),
    ("telegram_json/mlomb-chat-analytics/DM_2A_7M.json", 6, 2, [
        (0, "kind", "joined_telegram"), (1, "text", "https://google.com 👀"),
        (2, "timestamp", utc(2022, 3, 8, 10, 7, 42)), (5, "attachment", AttachmentKind.PHOTO),
        (7, "kind", "phone_call"), (7, "details.duration_seconds", "56"),
        (7, "timestamp", utc(2023, 8, 11, 2, 11, 2))]),
    ("telegram_json/eklipti-telegram-chat-analyzer/raw_plus5.json", 12, 1, [
        (0, "kind", "join_group_by_link"), (0, "actor.source_id", "userA123456789"),
        (3, "edited", datetime.fromtimestamp(1760719577, UTC)), (1, "text", "[Скрытый текст, 3 симв.]")]),
    ("telegram_json/tele_dashboard/sample.json", 250, 6, [
        (0, "kind", "create_group"), (1, "timestamp", utc(2022, 3, 21, 8, 11, 11)),  # scrubbed unixtime
        (1, "edited", datetime.fromtimestamp(1661765816, UTC)),
        (1, "sender.source_id", "user000AX6969")]),
    # ---- Telegram HTML (printed offset is standard time: one hour off in DST, documented)
    ("telegram_html/langchain-community/messages.html", 4, 0, [
        (0, "timestamp", utc(2023, 8, 23, 21, 11, 23)), (1, "sender.name", "Batman & Robin"),
        (3, "sender.name", "Jimmeny Marvelton"), (3, "text", "you will not trick me this time")]),
    # ---- WhatsApp
    *[(f"whatsapp_txt/chat-miner/{name}", 7, 2, [
        (0, "timestamp", utc(2019, 1, 1, 8, 25)), (1, "timestamp", utc(2019, 1, 20, 8, 23)),
        (1, "text", "."), (2, "text", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."),
        (3, "text", "Lorem ipsum : dolor sit amet."), (3, "timestamp", utc(2020, 6, 10, 12, 55)),
        (4, "kind", "create_group"), (6, "sender.name", "John Doe 🤓")])
      for name in ("test_bracketed_mmddyy_24hrs.txt", "test_ddmmyy_24hrs.txt", "test_mmddyy_24hrs.txt",
                   "test_mmddyyyy_12hrs.txt", "test_yyyymmdd_24hrs.txt")],
    ("whatsapp_txt/langchain-community/whatsapp_chat_ios.txt", 11, 1, [
        (0, "kind", "e2e_notice"), (2, "attachment", AttachmentKind.PHOTO), (2, "text", ""),
        (11, "timestamp", utc(2023, 8, 15, 18, 25, 16))]),
    ("whatsapp_txt/langchain-community/whatsapp_chat_mixed_headers.txt", 9, 1, [
        (0, "timestamp", utc(2023, 5, 5, 12, 48, 11)), (2, "text", "Bye!"),
        (3, "timestamp", utc(2023, 1, 23, 0, 22)), (4, "sender.name", "User name 2"),
        (5, "timestamp", utc(2023, 5, 4, 13, 13, 23)), (6, "timestamp", utc(2022, 7, 19, 20, 32)),
        (8, "attachment", AttachmentKind.OTHER), (9, "kind", "message_deleted")]),
    ("whatsapp_txt/mlomb-chat-analytics/2A_5M.txt", 5, 0, [
        (3, "attachment", AttachmentKind.OTHER), (4, "text", "This message should be reordered")]),
    ("whatsapp_txt/mlomb-chat-analytics/4A_11M.txt", 11, 3, [(1, "kind", "create_group"), (3, "text", "hello")]),
    ("whatsapp_txt/mlomb-chat-analytics/4A_11M.zip", 11, 3, [(13, "text", "heh")]),
    ("whatsapp_txt/rwhatsapp/sample.txt", 7, 2, [
        (2, "attachment", AttachmentKind.OTHER), (4, "text", "It's fun doing text analysis with R\nisn't it?"),
        (4, "timestamp", utc(2017, 7, 13, 6, 12))]),
    ("whatsapp_txt/whatsanalyze/chat_example.txt", 535, 2, [  # + "Missed group voice call"
        (2, "sender.name", "John Doe"), (2, "text", "👍"), (536, "text", "If it looks like this\nOr so What then?")]),
    ("whatsapp_txt/whatstk/pokemon.txt", 18, 2, [
        (0, "kind", "e2e_notice"), (0, "actor.name", "Pokemon Chat"), (13, "sender.name", "Raichu"),
        (19, "text", "Wo-bbu-ffet"), (2, "timestamp", utc(2016, 8, 6, 10, 23))]),
    # ---- e-mail
    ("email_eml/eml_parser/sample_mime_inline_binary.eml", 1, 0, [(0, "sender.source_id", "john@example.com")]),
    ("email_eml/imap_tools/attachment_7bit.eml", 1, 0, [(0, "subject", "статус")]),
    ("email_eml/imap_tools/attachment_8bit.eml", 1, 0, [(0, "sender.name", "Каукин Владимир")]),
    ("email_eml/imap_tools/attachment_inline1.eml", 1, 0, [(0, "sender.name", "Команда Почты Mail.Ru")]),
    ("email_eml/imap_tools/base.eml", 1, 0, [(0, "timestamp", None), (0, "text~", "Здравствуйте!"),
                                             (0, "subject", "Соберите всю почту в этот ящик")]),
    ("email_eml/imap_tools/forwarded_message.eml", 1, 0, [(0, "original_text~", "Forwarded message"),
                                                          (0, "timestamp", utc(2017, 10, 12, 4, 41, 56))]),
    ("email_eml/imap_tools/raw_email_with_partially_quoted_content_id.eml", 1, 0, [
        (0, "subject", "Пример email с вложением и Content-ID")]),
    ("email_eml/james-mime4j/russian-headers.msg", 1, 0, [(0, "subject", "A simple subject")]),
    ("email_eml/linux-media-archive/cp1251_8bit_utf8_b_subject.eml", 1, 0, [(0, "subject~", "Вac интepecyют")]),
    ("email_eml/linux-media-archive/cp1251_base64_body.eml", 1, 0, [
        (0, "subject", "Вернуть отличное зрение сделалось мыслимо"), (0, "text~", "сверхэффективность")]),
    ("email_eml/linux-media-archive/koi8r_8bit_exchange_spam.eml", 1, 0, [(0, "text~", "выиграл")]),
    ("email_eml/linux-media-archive/koi8r_8bit_koi8r_b_from.eml", 1, 0, [
        (0, "sender.name", "Шокуров Антон"), (0, "sender.source_id", "shokurov.anton.v@yandex.ru"),
        (0, "timestamp", utc(2015, 10, 20, 20, 44, 20))]),
    ("email_eml/linux-media-archive/koi8r_8bit_koi8r_b_subject.eml", 1, 0, [(0, "subject~", "Сделайте заказ")]),
    ("email_eml/linux-media-archive/koi8r_8bit_reply_with_mojibake_quote.eml", 1, 0, [
        (0, "text", "OK\n\nIgor"), (0, "original_text~", "Acked-by")]),
    ("email_eml/linux-media-archive/koi8r_base64_multipart_alternative.eml", 1, 0, [
        (0, "timestamp", utc(2008, 10, 9, 20, 2, 39))]),  # odd +0330 offset
    ("email_eml/linux-media-archive/koi8r_qp_multipart_alternative.eml", 1, 0, [(0, "text~", "AUTO fec")]),
    ("email_eml/mikel-mail/raw_email_bad_time.eml", 1, 0, [
        (0, "timestamp", None), (0, "sender.name", "Атиковa"), (0, "text~", "MailScanner")]),
    ("email_eml/mimekit/ukr.eml", 1, 0, [(0, "text~", "шостий")]),
    ("email_eml/php-mime-mail-parser/m0021", 1, 0, [(0, "subject~", "Путін"), (0, "text", "mini plain body")]),
    ("email_eml/rspamd/arcallow.eml", 1, 0, [(0, "text", "test")]),
    ("email_eml/rspamd/spam.eml", 1, 0, [(0, "sender.name", "Андрей Потапов")]),
    ("email_eml/webklex-php-imap/mixed_filename.eml", 1, 0, [(0, "subject", "Свежий прайс-лист")]),
    ("email_eml/zbateson-mail-mime-parser/encoded-headers", 1, 0, [
        (0, "subject", "¡Hola, señor!"), (0, "sender.name", "Jon Snow")]),
    ("email_mbox/james-mime4j/mbox.rlug", 5, 0, [(0, "sender.source_id", "mmihai@netcompsj.ro")]),
    ("email_mbox/mimekit/content-length.mbox.txt", 29, 0, []),
    ("email_mbox/mimekit/issue1189.mbox.txt", 4, 0, [(2, "subject", "Message 3")]),
    ("email_mbox/mimekit/unmunged.mbox.txt", 2, 0, [(0, "text~", "From Russia with love")]),
]
#: Fixtures of several conversations, checked row by row in their importer's own tests
#: (tests/ingest/test_ingest_slack.py: the Slack export's three channels, zipped and not).
ELSEWHERE = {"slack_export/langchain-community/slack_export.zip"}


def _get(item: Message | Event, dotted: str) -> Any:
    value: Any = item
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part)
    return value


def _read(path: Path) -> tuple[list[ParsedConversation], list[Message | Event], ReadContext]:
    ctx = ReadContext()
    convs: list[ParsedConversation] = []
    items: list[Message | Event] = []
    for pc in read_path(path, ctx):
        convs.append(pc)
        items.extend(pc.items)
    return convs, items, ctx


@pytest.mark.parametrize(("rel", "n_messages", "n_events", "checks"), CASES, ids=[c[0] for c in CASES])
def test_fixture(shared_dir: Path, rel: str, n_messages: int, n_events: int, checks: list[Check]) -> None:
    path = shared_dir / "fixtures" / "formats" / rel
    convs, items, ctx = _read(path)
    assert len(convs) == 1
    assert sum(isinstance(i, Message) for i in items) == n_messages
    assert sum(isinstance(i, Event) for i in items) == n_events
    assert len({i.source_id for i in items}) == len(items), "source ids must be unique"
    assert ctx.skipped == []
    for index, attr, expected in checks:
        if attr.endswith("~"):
            assert expected in _get(items[index], attr[:-1])
        else:
            assert _get(items[index], attr) == expected, (index, attr)
    for item in items:
        assert item.timestamp is None or item.timestamp.tzinfo is not None


def test_every_fixture_is_covered(shared_dir: Path) -> None:
    root = shared_dir / "fixtures" / "formats"
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert files == {c[0] for c in CASES} | ELSEWHERE


def test_the_slack_export_is_read(shared_dir: Path) -> None:
    convs, items, ctx = _read(shared_dir / "fixtures" / "formats" / next(iter(ELSEWHERE)))
    assert [pc.conversation.title for pc in convs] == ["general", "random", "example-channel"]
    assert (len(items), ctx.skipped) == (5, [])


def test_sources_are_stable_across_reads(shared_dir: Path) -> None:
    path = shared_dir / "fixtures" / "formats" / "whatsapp_txt/whatsanalyze/chat_example.txt"
    first = [i.source_id for i in _read(path)[1]]
    assert first == [i.source_id for i in _read(path)[1]]
