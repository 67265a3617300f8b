"""Quoted history of Russian mailers is cut from a client's mail (QA pass 6, CLI N2).

Gmail, Yandex and Mail.ru in Russian write no verb above the quote ("пн, 1 сент. 2025 г.
в 10:15, Игорь Петров <igor@penka.ru>:"), so only "пишет:"/"wrote:" attributions were
known: the attribution line stayed in the client's text, Mail.ru's unmarked history
("Игорь, пришлите подписанный договор" — the user's own words) was analysed as the
client's, and an HTML-only mail (Gmail's <blockquote class="gmail_quote">) kept the
user's quoted question as the client's. Attributions of that shape now end the client's
text or are dropped above ``>`` quotes, and an HTML mail's blockquotes are quotes.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from clientguard.ingest.base import ReadContext
from clientguard.ingest.mail import MailImporter, mail_to_message
from clientguard.ingest.quotes import strip_quotes

OWN = "Вы нам должны ещё три поста сверх плана."
MINE = "Игорь, пришлите, пожалуйста, подписанный договор."

# (mailer, attribution line(s)); each is followed by the user's earlier mail, quoted or not
ATTRIBUTIONS = [
    ("gmail_ru", "пн, 1 сент. 2025 г. в 10:15, Анна <anna@example.com>:"),
    ("gmail_ru_wrapped", "пн, 1 сент. 2025 г. в 10:15, Анна Сергеевна Кузнецова <\nanna@example.com>:"),
    ("yandex", '02.09.2025, 12:00, "Анна" <anna@example.com>:'),
    ("mail_ru", "Четверг, 4 сентября 2025, 8:00 +03:00 от Анна <anna@example.com>:"),
    ("gmail_en_no_verb", "On Mon, Sep 1, 2025 at 10:15 AM Anna <anna@example.com>:"),
    ("bare_address", "01.09.2025 10:15, anna@example.com:"),
]


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted", "unmarked"])
@pytest.mark.parametrize(("mailer", "attribution"), ATTRIBUTIONS, ids=[m for m, _ in ATTRIBUTIONS])
def test_an_attribution_without_a_verb_ends_the_clients_text(
    mailer: str, attribution: str, quoted: bool
) -> None:
    history = f"> {MINE}" if quoted else MINE
    body = f"{OWN}\n\n{attribution}\n{history}\n"
    assert strip_quotes(body) == OWN


def test_bottom_posted_reply_under_a_wrapped_attribution_keeps_the_reply() -> None:
    body = f"пн, 1 сент. 2025 г. в 10:15, Анна Сергеевна <\nanna@example.com>:\n> {MINE}\n\n{OWN}"
    assert strip_quotes(body) == OWN


# The client's own lines that end with an address and a colon, or carry a time: kept
KEPT = [
    "Пишите на почту igor@penka.ru:",
    "Созвон в 10:00, ссылка ниже:",
    "В 10:00 отправьте отчёт на igor@penka.ru, пожалуйста.",
]


@pytest.mark.parametrize("line", KEPT)
def test_the_clients_own_lines_are_not_attributions(line: str) -> None:
    body = f"{line}\nhttps://example.com/room\nСпасибо"
    assert strip_quotes(body) == body


def _html_mail(html: str) -> bytes:
    m = EmailMessage()
    m["From"] = "Игорь Петров <igor@penka.ru>"
    m["To"] = "anna@example.com"
    m["Subject"] = "Re: оплата"
    m["Date"] = "Wed, 03 Sep 2025 09:05:00 +0300"
    m["Message-ID"] = "<m4@penka.ru>"
    m.set_content(html, subtype="html")
    return bytes(m)


HTML_QUOTES = [
    ("gmail", '<div dir="ltr">{own}</div><br><div class="gmail_quote"><div class="gmail_attr">'
              "ср, 3 сент. 2025 г. в 08:00, Анна &lt;anna@example.com&gt;:<br></div>"
              '<blockquote class="gmail_quote">{mine}</blockquote></div>'),
    ("apple", '<div>{own}</div><div><br><blockquote type="cite"><div>{mine}</div>'
              "<blockquote><div>ещё более старое письмо</div></blockquote></blockquote></div>"),
    ("yandex", "<div>{own}</div><div>&nbsp;</div><div>03.09.2025, 08:00, \"Анна\" "
               "&lt;anna@example.com&gt;:</div><blockquote><div>{mine}</div></blockquote>"),
]


@pytest.mark.parametrize(("mailer", "html"), HTML_QUOTES, ids=[m for m, _ in HTML_QUOTES])
def test_an_html_only_mail_drops_its_blockquotes(mailer: str, html: str) -> None:
    msg = mail_to_message(_html_mail(html.format(own=OWN, mine=MINE)))
    assert msg.text == OWN
    assert MINE in (msg.original_text or "")  # nothing is lost: the full body is kept


def test_a_thread_imported_from_files_holds_only_the_clients_words(tmp_path: Path) -> None:
    html = HTML_QUOTES[0][1].format(own=OWN, mine=MINE)
    path = tmp_path / "reply.eml"
    path.write_bytes(_html_mail(html))
    (pc,) = MailImporter().read(path, ReadContext())
    (msg,) = list(pc.items)
    assert msg.text == OWN and "anna@example.com" not in msg.text
