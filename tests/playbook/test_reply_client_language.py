"""A reply draft is in the language the client writes in unless ``--lang`` says otherwise (QA7).

A Russian-speaking freelancer with an American client ran ``clientguard reply
payment_reminder_friendly --client "Bloom Bakery"`` and got "Здравствуйте, Sarah!
Напоминаю об оплате…": without ``--lang`` the draft followed the interface language, so the
letter to send was in a language the client does not read. The draft now follows the
client's messages (``screen`` already wrote its reply in the lead's language), a line on
stderr says so in the interface language, and ``--lang`` still decides when given.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.nlp.lang import detect_lang

CHATS = {
    "en": ("Sarah", "Alex", [
        ("Sarah", "Can you also do a quick logo refresh? Just throw it in for free"),
        ("Alex", "Привет, логотип не входит в договор"),  # the user's own words do not count
        ("Sarah", "We'll pay next week, the accountant is on vacation"),
    ]),
    "ru": ("Игорь", "Ольга", [
        ("Игорь", "Оплатим на следующей неделе, бухгалтер в отпуске"),
        ("Ольга", "Hi, noted, thanks"),
        ("Игорь", "И сайт сделайте заодно бесплатно"),
    ]),
}  # fmt: skip


def _store(tmp_path: Path, lang: str) -> tuple[str, str]:
    client, me, lines = CHATS[lang]
    chat = tmp_path / f"chat_{lang}.csv"
    rows = [f"2026-09-1{i}T10:00:00+03:00,{who},{text.replace(',', ' ')}"
            for i, (who, text) in enumerate(lines)]
    chat.write_text("timestamp,sender,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    r = CliRunner().invoke(build_app(), ["import", str(chat), "--client", client, "--me", me, "--db", db])
    assert r.exit_code == 0, r.output
    return client, db


@pytest.mark.parametrize(("client_lang", "ui"), [("en", "ru"), ("ru", "en")])
def test_draft_follows_the_clients_language(
    tmp_path: Path, tmp_home: Path, client_lang: str, ui: str
) -> None:
    client, db = _store(tmp_path, client_lang)
    r = CliRunner().invoke(build_app(), ["--lang", ui, "reply", "polite_no", "--client", client, "--db", db])
    assert r.exit_code == 0, r.output
    assert detect_lang(r.stdout) == client_lang, r.stdout
    assert client in r.stdout.splitlines()[0]  # greeted by name, in the client's language
    note = r.stderr.strip()
    assert note and detect_lang(note) == ui and f"--lang {ui}" in note, note
    # --lang still decides, and then there is nothing to say
    r = CliRunner().invoke(build_app(), ["reply", "polite_no", "--client", client, "--lang", ui, "--db", db])
    assert r.exit_code == 0, r.output
    assert detect_lang(r.stdout) == ui and not r.stderr, (r.stdout, r.stderr)
