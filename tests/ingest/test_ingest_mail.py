"""E-mail importer: charsets, RFC 2047, body choice, quote stripping, mbox splitting."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clientguard.domain import Message
from clientguard.errors import MalformedRecordError
from clientguard.ingest import ReadContext, read_path
from clientguard.ingest.mail import decode_header, split_mbox
from clientguard.ingest.quotes import explain, strip_quotes

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def read(path: Path, ctx: ReadContext | None = None) -> list[Message]:
    out = [i for pc in read_path(path, ctx or ReadContext()) for i in pc.items]
    assert all(isinstance(i, Message) for i in out)
    return out  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?koi8-r?B?+8/L1dLP1yDhztTPzg==?= <a@b.c>", "Шокуров Антон <a@b.c>"),
        ('"=?windows-1251?B?wPLo6u7iYQ==?=" <y@a.net>', '"Атиковa" <y@a.net>'),  # inside quotes
        ("=?utf-8?B?0KE=?=\n =?utf-8?B?0YDQvtGH0L3Qvg==?=", "Срочно"),  # adjacent words joined
        ("=?iso-8859-1?Q?=A1Hola,_se=F1or!?=", "¡Hola, señor!"),
        ("=?utf-7?Q?Andreas=20M+APw-zner?=", "Andreas Müzner"),
        ("plain text", "plain text"),
    ],
)
def test_decode_header(raw: str, expected: str) -> None:
    assert decode_header(raw) == expected


def test_multibyte_character_split_across_encoded_words() -> None:
    data = "Срочно".encode()
    import base64

    words = [base64.b64encode(data[:3]).decode(), base64.b64encode(data[3:]).decode()]
    assert decode_header(f"=?utf-8?B?{words[0]}?= =?utf-8?B?{words[1]}?=") == "Срочно"


def test_cp1251_8bit_mail_with_quote_and_signature() -> None:
    [m] = read(FIX / "mail_cp1251.eml")
    assert m.source_id == "cp1251-1@romashka.example"
    assert (m.sender.source_id, m.sender.name) == ("ivan.petrov@romashka.example", "Иван Петров")
    assert m.subject == "Срочно: правки по макету"
    assert m.timestamp == datetime(2024, 3, 12, 10, 5, tzinfo=UTC)
    assert m.text == "Добрый день!\n\nПочему до сих пор не готово? Это уже третья правка."
    assert m.original_text is not None and "> Отправляю вторую версию." in m.original_text
    assert m.reply_to == "v2@smm.example"


def test_koi8_qp_alternative_prefers_plain_and_cuts_original_message() -> None:
    [m] = read(FIX / "mail_koi8_qp.eml")
    assert m.sender.name == "Ольга"
    assert m.text == "Счёт оплатим в следующем месяце."
    assert m.timestamp == datetime(2024, 3, 13, 5, 30, tzinfo=UTC)  # +0330
    assert m.source_id.startswith("sha1:")  # no Message-ID


def test_html_only_body_and_absurd_date() -> None:
    [m] = read(FIX / "mail_html_only.eml")
    assert m.timestamp is None
    assert m.text == "Привет!\nСсылка на бриф (https://example.com/brief)"


def test_mbox_with_bom_unquoted_from_and_gmail_separator() -> None:
    msgs = read(FIX / "mailbox.mbox")
    assert [m.source_id for m in msgs] == ["m1@x", "m2@x"]
    assert "From Russia with love\nFrom the archive" in msgs[0].text


def test_mbox_content_length_is_validated() -> None:
    good = (b"From - Mon Jun  3 12:50:27 1996\nSubject: a\nContent-Length: 24\n\n"
            b"line\n\nFrom - not a split\nFrom - Tue Jun  4 12:50:27 1996\nSubject: b\n\nbody b\n")
    assert [raw.split(b"\n")[0] for _, raw in split_mbox(io.BytesIO(good))] == [b"Subject: a", b"Subject: b"]
    wrong = good.replace(b"Content-Length: 24", b"Content-Length: 5")
    parts = list(split_mbox(io.BytesIO(wrong)))
    assert len(parts) == 2 and b"not a split" not in parts[0][1]  # wrong length ignored: line splits


@pytest.mark.parametrize(
    ("body", "own", "rule"),
    [
        ("Ok\n\nOn Mon, 1 Jan 2024, Bob <b@x> wrote:\n> hi", "Ok", None),
        ("Да.\n\n12.03.2024, 10:00, Иван пишет:\nстарый текст", "Да.", "attribution@line3"),
        ("top\n-----Original Message-----\nFrom: x", "top", "original_message@line2"),
        ("fwd\n-------- Пересылаемое сообщение --------\nold", "fwd", "forwarded@line2"),
        ("text\n-- \nIvan\n+7 999", "text", "signature_dash@line2"),
        ("text\n\nС уважением,\nИван", "text", "sign_off@line3"),
        ("text\nFrom: Bob\nSent: Monday\nTo: me", "text", "outlook_header@line2"),
        ("> quoted\nreply below", "reply below", None),
        ("Отправлено с iPhone", "", "sent_from@line1"),
        ("С уважением к срокам, ответьте.", "С уважением к срокам, ответьте.", None),  # not a sign-off
    ],
)
def test_strip_quotes(body: str, own: str, rule: str | None) -> None:
    assert strip_quotes(body) == own
    assert explain(body) == rule


def test_unreadable_mail_is_reported_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clientguard.ingest.mail as mail

    real = mail.mail_to_message

    def flaky(raw: bytes) -> Message:
        if b"two" in raw:
            raise ValueError("boom")
        return real(raw)

    monkeypatch.setattr(mail, "mail_to_message", flaky)
    ctx = ReadContext(skip_bad=True)
    assert [m.source_id for m in read(FIX / "mailbox.mbox", ctx)] == ["m1@x"]
    assert ctx.skipped[0].where == "line 13" and "boom" in ctx.skipped[0].error
    with pytest.raises(MalformedRecordError):
        read(FIX / "mailbox.mbox")
