"""A mail's attached file is kept as the message's attachment (QA pass 6, CLI N8).

The mail importer never set ``attachment``: a client's 'Правки во вложении' with
правки.pdf attached, or a mail that was only an attachment, was stored as text alone (the
second one as an empty message from the client, shown as 'i.kor@company.ru: '), while a
WhatsApp '<Без медиафайлов>' shows '[вложение]'. Now the first attached file's kind is
kept (PDF/doc → file, image → photo); pictures of an HTML body (a part of
multipart/related with a Content-ID, even marked 'attachment' as Yandex does) are not
attachments, nor is a forwarded mail quoted inline.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from clientguard.domain import AttachmentKind
from clientguard.ingest.mail import mail_to_message


def _mail(body: str | None = "Правки во вложении") -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Игорь Петров <igor@penka.ru>"
    m["To"] = "anna@example.com"
    m["Subject"] = "правки"
    m["Date"] = "Tue, 02 Sep 2025 23:40:00 +0300"
    m["Message-ID"] = "<a1@penka.ru>"
    if body is not None:
        m.set_content(body)
    return m


def pdf() -> EmailMessage:
    m = _mail()
    m.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="правки.pdf")
    return m


def only_attachment() -> EmailMessage:
    m = _mail(None)
    m.make_mixed()
    part = EmailMessage()
    part.set_content(b"PK\x03\x04", maintype="application", subtype="octet-stream",
                     disposition="attachment", filename="договор.docx")
    m.attach(part)
    return m


def photo() -> EmailMessage:
    m = _mail()
    m.add_attachment(b"\xff\xd8\xff", maintype="image", subtype="jpeg", filename="макет.jpg")
    return m


def html_logo() -> EmailMessage:
    m = _mail(None)
    m.set_content('<p>Правки ниже</p><img src="cid:logo@x">', subtype="html")
    m.add_related(b"\x89PNG", maintype="image", subtype="png", cid="<logo@x>", filename="logo.png",
                  disposition="attachment")
    return m


def forwarded_inline() -> EmailMessage:
    m = _mail("Пересылаю письмо бухгалтера")
    inner = _mail("Оплатим в пятницу")
    m.add_attachment(inner, disposition="inline")
    return m


def forwarded_as_file() -> EmailMessage:
    m = _mail("Договор во вложении")
    inner = _mail("Текст договора")
    m.add_attachment(inner, filename="Договор.eml")
    return m


CASES = [
    (pdf, AttachmentKind.FILE, "Правки во вложении"),
    (only_attachment, AttachmentKind.FILE, ""),
    (photo, AttachmentKind.PHOTO, "Правки во вложении"),
    (html_logo, AttachmentKind.NONE, "Правки ниже"),
    (forwarded_inline, AttachmentKind.NONE, "Пересылаю письмо бухгалтера"),
    (forwarded_as_file, AttachmentKind.FILE, "Договор во вложении"),
    (_mail, AttachmentKind.NONE, "Правки во вложении"),
]


@pytest.mark.parametrize(("make", "kind", "text"), CASES, ids=[c[0].__name__ for c in CASES])
def test_attachment_kind(make: object, kind: AttachmentKind, text: str) -> None:
    msg = mail_to_message(bytes(make()))  # type: ignore[operator]
    assert (msg.attachment, msg.text) == (kind, text)


# Real mails of the shared fixtures: (file, attachment kind)
SHARED = [
    ("imap_tools/base.eml", AttachmentKind.NONE),  # Yandex: the HTML's picture marked 'attachment'
    ("imap_tools/attachment_7bit.eml", AttachmentKind.FILE),  # empty body, 'Contract 25 04 2020.docx'
    ("imap_tools/attachment_inline1.eml", AttachmentKind.NONE),  # inline pictures of the HTML
    ("webklex-php-imap/mixed_filename.eml", AttachmentKind.FILE),
    ("linux-media-archive/cp1251_base64_body.eml", AttachmentKind.NONE),
]


@pytest.mark.parametrize(("rel", "kind"), SHARED, ids=[r for r, _ in SHARED])
def test_shared_fixture_attachments(shared_dir: Path, rel: str, kind: AttachmentKind) -> None:
    raw = (shared_dir / "fixtures" / "formats" / "email_eml" / rel).read_bytes()
    assert mail_to_message(raw).attachment == kind
