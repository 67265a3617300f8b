"""What every importer keeps out of the store: the QA findings of 2026-11-24, importer side.

F1/F22 legacy and UTF-16 encodings (every text-based format), F2 WhatsApp lines that are
not what they look like, F24 chats of a full-account export that are nobody's client,
F25 a folder without an export, F29 terminal control sequences in any printed field.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from clientguard.domain import Event, Message
from clientguard.errors import InputError, MalformedRecordError, NotFoundError, TruncatedFileError
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.base import NoticeCode, ParsedConversation

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_chat.json"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

WA = ("12.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе\n"
      "12.09.2025, 10:05 - Ольга: Хорошо, жду.\nВторая строка\n")
CSV = ("timestamp,sender,text\n2025-09-12T10:00:00,Иван,Оплатим на следующей неделе\n"
       "2025-09-12T10:05:00,Ольга,Жду\n")
JSONL = ('{"timestamp": "2025-09-12T10:00:00", "sender": "Иван", "text": "Оплатим на следующей неделе"}\n'
         '{"timestamp": "2025-09-12T10:05:00", "sender": "Ольга", "text": "Жду"}\n')


Items = list[Message | Event]


def read(path: Path, ctx: ReadContext | None = None) -> tuple[list[ParsedConversation], Items]:
    convs, items = [], []
    for pc in read_path(path, ctx or ReadContext()):
        convs.append(pc)
        items.extend(pc.items)
    return convs, items


def texts(items: list[Message | Event]) -> list[tuple[str | None, str]]:
    return [(i.sender.name, i.text) for i in items if isinstance(i, Message)]


# ---------------------------------------------------------------- F1, F22: encodings

ENCODINGS = ["utf-8-sig", "utf-16", "utf-16-be-bom", "cp1251", "koi8_r"]


def encode(text: str, codec: str) -> bytes:
    if codec == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(codec)


@pytest.mark.parametrize("codec", ENCODINGS)
@pytest.mark.parametrize(("name", "content"), [("chat.txt", WA), ("chat.csv", CSV), ("chat.jsonl", JSONL)])
def test_text_formats_read_the_same_in_every_encoding(tmp_path: Path, codec: str, name: str,
                                                      content: str) -> None:
    """QA F1: cp1251 was stored as U+FFFD with exit 0; F22: UTF-16 was "not recognised"."""
    utf8 = tmp_path / f"utf8-{name}"
    utf8.write_text(content, encoding="utf-8")
    other = tmp_path / f"other-{name}"
    other.write_bytes(encode(content, codec))
    ctx = ReadContext()
    expected, got = texts(read(utf8)[1]), texts(read(other, ctx)[1])
    assert got == expected and len(got) == 2 and "Оплатим на следующей неделе" in got[0][1]
    guessed = [n.params["encoding"] for n in ctx.notices if n.code is NoticeCode.ENCODING_GUESSED]
    assert bool(guessed) == (codec in ("cp1251", "koi8_r"))


@pytest.mark.parametrize("codec", ["cp1251", "utf-16"])
def test_whatsapp_zip_member_in_another_encoding(tmp_path: Path, codec: str) -> None:
    for member in ("WhatsApp Chat with Иван.txt", "renamed.txt"):  # the second found by content
        z = tmp_path / "export.zip"
        with zipfile.ZipFile(z, "w") as zf:
            zf.writestr(member, encode(WA, codec))
        [conv], items = read(z)
        assert conv.conversation.source_key.startswith("whatsapp:")
        assert texts(items)[1] == ("Ольга", "Хорошо, жду.\nВторая строка")


@pytest.mark.parametrize("codec", ["utf-16", "cp1251"])
def test_telegram_html_is_decoded_from_its_bytes_not_its_meta(tmp_path: Path, codec: str) -> None:
    folder = tmp_path / "html"
    folder.mkdir()
    for part in (FIX / "tg_html").iterdir():
        (folder / part.name).write_bytes(encode(part.read_text(encoding="utf-8"), codec))
    assert texts(read(folder)[1]) == texts(read(FIX / "tg_html")[1])


def test_telegram_json_and_mail_saved_as_utf16(tmp_path: Path) -> None:
    chat = tmp_path / "result.json"
    chat.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("utf-16"))
    assert texts(read(chat)[1]) == texts(read(SAMPLE)[1]) and len(texts(read(chat)[1])) == 27
    mail = tmp_path / "mail.eml"
    mail.write_bytes(("From: Иван <ivan@example.com>\nSubject: Счёт\n"
                      "Date: Tue, 12 Mar 2024 13:05:00 +0300\nContent-Type: text/plain; charset=utf-8\n\n"
                      "Оплатим на следующей неделе\n").encode("utf-16"))
    [(name, text)] = texts(read(mail)[1])
    assert (name, text.strip()) == ("Иван", "Оплатим на следующей неделе")


@pytest.mark.parametrize("name", ["chat.txt", "chat.csv"])
def test_undecodable_file_is_an_error_naming_the_line(tmp_path: Path, name: str) -> None:
    head = "12.09.2025, 10:00 - Jean: ok\n" if name == "chat.txt" else "timestamp,sender,text\n"
    body = ("12.09.2025, 10:01 - Jean: café déjà vu, crème brûlée, été\n" if name == "chat.txt"
            else "2025-09-12T10:01:00,Jean,café déjà vu, crème brûlée, été\n")
    path = tmp_path / name
    path.write_bytes(head.encode() + body.encode("latin-1"))
    for skip_bad in (False, True):  # not a bad record: the whole file is unreadable
        with pytest.raises(InputError) as err:
            read(path, ReadContext(skip_bad=skip_bad))
        assert err.value.code == "E100" and str(err.value).startswith(f"E100: {path}:line 2: cannot tell")


def test_a_broken_csv_record_does_not_lose_the_rest_of_the_file(tmp_path: Path) -> None:
    """Like QA F3 for CSV: a cell over the csv module's limit ended the read, and with
    skip_bad the rows after it were lost while the summary said "1 skipped"."""
    path = tmp_path / "chat.csv"
    path.write_text("timestamp,sender,text\n2025-09-12T10:00:00,Иван,первое\n"
                    f"2025-09-12T10:01:00,Иван,{'x' * 200_000}\n2025-09-12T10:02:00,Ольга,третье\n",
                    encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    assert texts(read(path, ctx)[1]) == [("Иван", "первое"), ("Ольга", "третье")]
    assert [(s.where, s.error.split(":")[0]) for s in ctx.skipped] == [("line 3", "broken CSV")]
    with pytest.raises(MalformedRecordError, match="line 3: broken CSV"):
        read(path)


# ---------------------------------------------------------------- F2: WhatsApp lines

GOOD = "14.09.2025, 10:00 - Иван Петров: Оплатим на следующей неделе\n14.09.2025, 10:05 - Ольга: Хорошо\n"


@pytest.mark.parametrize(
    ("tail", "where", "why"),
    [
        ("31.02.2025, 10:07 - Иван Петров: это уже не Ольга пишет\n".encode(), "line 3", "impossible date"),
        ("99.99.2025, 10:07 - Иван Петров: junk\n".encode(), "line 3", "impossible date"),
        ("14.09.2025, 25:70 - Иван Петров: junk\n".encode(), "line 3", "impossible date or time"),
        ("31.02.2025, 10:07 - Иван: первая\nвторая строка\n\n".encode(), "lines 3-4", "impossible date"),
        (b"\x00\x00\x00\x00\n", "line 3", "NUL byte"),
        (b"\x00\xff\xfe\x01junk\xff\n", "line 3", "not UTF-8 text: byte 0xFF at column 2"),
        (b"14.09.2025, 10:07 - Ivan: \xff\xfe\n", "line 3", "not UTF-8 text: byte 0xFF at column 27"),
    ],
)
def test_broken_lines_are_never_glued_to_the_previous_message(tmp_path: Path, tail: bytes, where: str,
                                                              why: str) -> None:
    """QA F2: such lines were appended to Ольга's message, words in the wrong mouth."""
    chat = tmp_path / "chat.txt"
    chat.write_bytes(GOOD.encode() + tail + "14.09.2025, 10:09 - Ольга: Последнее\n".encode())
    with pytest.raises(MalformedRecordError) as err:
        read(chat)
    assert err.value.where.where == where and why in err.value.message
    ctx = ReadContext(skip_bad=True)
    assert texts(read(chat, ctx)[1]) == [("Иван Петров", "Оплатим на следующей неделе"), ("Ольга", "Хорошо"),
                                         ("Ольга", "Последнее")]
    assert [(s.where, why in s.error) for s in ctx.skipped] == [(where, True)]


def test_junk_inside_a_multiline_message_leaves_out_only_that_line(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_bytes(GOOD.encode() + "первая\n".encode() + b"\xff\xfe\xfd\n" + "третья\n".encode())
    ctx = ReadContext(skip_bad=True)
    assert texts(read(chat, ctx)[1])[-1] == ("Ольга", "Хорошо\nпервая\nтретья")
    assert [s.where for s in ctx.skipped] == ["line 4"]


def test_impossible_dates_do_not_vote_on_the_day_month_order(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("03/02/2025, 10:00 - A: x\n13/13/2025, 10:00 - B: junk\n", encoding="utf-8")
    ctx = ReadContext(skip_bad=True)
    [conv], items = read(chat, ctx)
    assert [i.timestamp.day for i in items if i.timestamp] == [3]  # still day-first (the default)
    assert [s.where for s in ctx.skipped] == ["line 2"]
    clean = tmp_path / "clean.txt"
    clean.write_text("03/02/2025, 10:00 - A: x\n", encoding="utf-8")
    # the broken line's author is no participant: same conversation key as the clean file
    assert conv.conversation.source_key == read(clean)[0][0].conversation.source_key


# ---------------------------------------------------------------- F24: full-account exports


def _full_account(tmp_path: Path, chats: list[dict[str, Any]]) -> Path:
    path = tmp_path / "result.json"
    account = {"personal_information": {"user_id": 5550001}, "chats": {"list": chats}}
    path.write_text(json.dumps(account, ensure_ascii=False), encoding="utf-8")
    return path


def _chat(kind: str, chat_id: int, name: str | None) -> dict[str, Any]:
    chat: dict[str, Any] = {"type": kind, "id": chat_id}
    if name is not None:
        chat["name"] = name
    chat["messages"] = [{"id": 1, "type": "message", "date": "2025-09-01T10:00:00",
                         "date_unixtime": "1756710000", "from": "Анна", "from_id": "user5550001",
                         "text": "заметка", "text_entities": []}]
    return chat


def test_full_account_leaves_out_chats_that_are_nobodys_client(tmp_path: Path) -> None:
    """QA F24: Saved Messages became a client "telegram:1"; channels (one-way posts) too."""
    client = json.loads(SAMPLE.read_text(encoding="utf-8"))
    path = _full_account(tmp_path, [
        _chat("saved_messages", 1, None), client, _chat("replies", 1271266957, None),
        _chat("verification_codes", 489000, None), _chat("bot_chat", 93372553, "BotFather"),
        _chat("personal_chat", 777000, "Telegram"), _chat("private_group", 42, "Клиент и команда"),
        _chat("public_channel", 1001, "Новости SMM"), _chat("private_channel", 1002, None),
    ])
    ctx = ReadContext()
    convs, items = read(path, ctx)
    assert [c.conversation.source_key for c in convs] == [f"telegram:{client['id']}", "telegram:42"]
    assert len(items) == 28
    assert [(n.where, n.text("en").split(":")[0]) for n in ctx.notices] == [
        ("chats.list[0]", "left out Saved Messages"), ("chats.list[2]", "left out Replies"),
        ("chats.list[3]", "left out Verification Codes"), ("chats.list[4]", "left out “BotFather”"),
        ("chats.list[5]", "left out “Telegram”"), ("chats.list[7]", "left out “Новости SMM”"),
        ("chats.list[8]", "left out a channel"),
    ]
    assert [n.params["kind"] for n in ctx.notices] == [
        "saved_messages", "replies", "verification_codes", "bot_chat", "service", "channel", "channel"]
    assert all("not a conversation with a client" in n.text("en") for n in ctx.notices)
    assert all(n.params["messages"] == 1 for n in ctx.notices)


def test_a_file_cut_inside_a_left_out_chat_still_stops_the_read(tmp_path: Path) -> None:
    client = json.loads(SAMPLE.read_text(encoding="utf-8"))
    saved = _chat("saved_messages", 1, None)
    saved["messages"] *= 3
    data = _full_account(tmp_path, [client, saved]).read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: data.rindex("заметка".encode())])
    with pytest.raises(TruncatedFileError) as err:
        read(cut, ReadContext(skip_bad=True))
    assert err.value.where.where.startswith("chats.list[1].messages[2] (byte ")


def test_a_single_chat_export_is_read_whatever_its_type(tmp_path: Path) -> None:
    """Exporting one chat is the user's explicit choice: nothing is left out."""
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(_chat("saved_messages", 1, None), ensure_ascii=False), encoding="utf-8")
    ctx = ReadContext()
    assert len(read(path, ctx)[1]) == 1 and ctx.notices == []


# ---------------------------------------------------------------- F25: folders


def test_a_folder_without_any_export_is_an_error(tmp_path: Path) -> None:
    """QA F25: it imported "0 conversation(s)" (and the store created the --client)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotFoundError, match=r"no export found in .*empty: the folder is empty"):
        read(empty)
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    with pytest.raises(NotFoundError, match="none of its 1 file"):
        read(media)
    shutil.copy(SAMPLE, media / "result.json")
    assert len(read(media)[1]) == 27


# ---------------------------------------------------------------- F29: terminal control sequences

OSC = "\x1b]0;pwned\x07"
CLIP = "\x1b]52;c;ZXZpbA==\x1b\\"
EVIL = f"Привет {OSC}{CLIP}\x1bPq#0\x1b\\\x9b2J\x1b[31mred\x1b[0m\x85"


def _strings(obj: Any) -> list[str]:
    """Every string inside a domain object (dataclass fields, dicts, nested senders)."""
    if isinstance(obj, str):
        return [obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [s for f in dataclasses.fields(obj) for s in _strings(getattr(obj, f.name))]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*_strings(k), *_strings(v))]
    return []


def _telegram(tmp_path: Path) -> Path:
    chat = {"name": f"Клиент {OSC}", "type": "personal_chat", "id": 7, "messages": [
        {"id": 1, "type": "message", "date": "2025-09-01T10:00:00", "date_unixtime": "1756710000",
         "from": f"Иван {CLIP}", "from_id": "user7", "text": EVIL, "text_entities": [],
         "forwarded_from": f"Кто-то {OSC}"},
        {"id": 2, "type": "service", "date": "2025-09-01T10:01:00", "date_unixtime": "1756710060",
         "actor": f"Иван {OSC}", "actor_id": "user7", "action": f"edit_group_title{OSC}", "title": EVIL,
         "text": "", "text_entities": []},
    ]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


def _whatsapp(tmp_path: Path) -> Path:
    path = tmp_path / f"WhatsApp Chat with Иван {OSC}.txt"
    path.write_text(f"12.09.2025, 10:00 - Иван {CLIP}: {EVIL}\nвторая {OSC} строка\r\n"
                    f"12.09.2025, 10:01 - Иван {OSC} added Ольга {CLIP}\n", encoding="utf-8")
    return path


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "chat.csv"
    path.write_text(f'timestamp,sender,text\n2025-09-12T10:00:00,"Иван {OSC}","{EVIL}\r\nещё"\n',
                    encoding="utf-8")
    return path


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "chat.jsonl"
    path.write_text(json.dumps({"timestamp": "2025-09-12T10:00:00", "sender": f"Иван {OSC}", "text": EVIL},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _html(tmp_path: Path) -> Path:
    folder = tmp_path / "html"
    folder.mkdir()
    for part in (FIX / "tg_html").iterdir():
        page = part.read_text(encoding="utf-8")
        page = page.replace('<div class="text">', f'<div class="text">{EVIL} ')
        page = page.replace('<div class="from_name">', f'<div class="from_name">{CLIP}')
        page = page.replace('<div class="text bold">', f'<div class="text bold">{OSC}')  # the page header
        (folder / part.name).write_text(page, encoding="utf-8")
    return folder


def _mail(tmp_path: Path) -> Path:
    path = tmp_path / "mail.eml"
    path.write_text(f"From: Иван {OSC} <ivan@example.com>\nSubject: Счёт {CLIP}\n"
                    "Date: Tue, 12 Mar 2024 13:05:00 +0300\nContent-Type: text/plain; charset=utf-8\n\n"
                    f"{EVIL}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_telegram, _whatsapp, _csv, _jsonl, _html, _mail])
def test_no_terminal_control_sequence_survives_any_importer(tmp_path: Path, make: Any) -> None:
    """QA F29: OSC (window title, clipboard) and C1 codes reached the terminal via `messages`."""
    convs, items = read(make(tmp_path))
    assert items
    objects = [*(c.conversation for c in convs), *items]
    found = [s for obj in objects for s in _strings(obj) if CONTROL.search(s)]
    assert found == []
    message = next(i for i in items if isinstance(i, Message) and "Привет" in i.text)
    assert "Привет" in message.text and "red" in message.text and "pwned" not in message.text
