"""Message counts and a client with no messages, on the portfolio and the client page.

QA3 F9: the portfolio and the client page said "2 сообщений", "3 сообщений", "4 сообщений"
(one fixed form), and a client with no message yet (terms set, nothing imported) showed a
green "0 · низкий" risk, "Продолжать работу" and "Тревожных признаков не найдено", as if
the client had been checked. Now counts take their plural form, and a client without
messages shows "—" and says that a chat has to be uploaded first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

CHAT = "12.09.2025, 10:00 - Борис: Привет! Как вам пост?\n12.09.2025, 10:30 - Ольга: Норм\n"


def ok(*args: str) -> None:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


@pytest.fixture()
def home(tmp_home: Path) -> Path:
    db = local_config(tmp_home).db_url
    chat = tmp_home.parent / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    ok("import", str(chat), "--client", "Борис", "--me", "Ольга", "--db", db)
    ok("contract", "set", "Новый клиент", "--revision-limit", "2", "--create-client", "--db", db)
    return tmp_home


def _ids(page: str) -> dict[str, str]:
    return dict((name, cid) for cid, name in re.findall(r'href="/clients/(\d+)">([^<]+)<', page))


def test_counts_take_their_plural_form(home: Path) -> None:
    with TestClient(create_app(local_config(home))) as client:
        ru, en = client.get("/?lang=ru").text, client.get("/?lang=en").text
        ids = _ids(ru)
        page = client.get(f"/clients/{ids['Борис']}?lang=ru").text
    assert "2 сообщения" in ru and "2 сообщений" not in ru and "0 сообщений" in ru
    assert "2 messages" in en and "0 messages" in en
    assert "2 сообщения ·" in page


def test_a_client_without_messages_shows_no_risk(home: Path) -> None:
    with TestClient(create_app(local_config(home))) as client:
        ids = _ids(client.get("/?lang=ru").text)
        ru = client.get(f"/clients/{ids['Новый клиент']}?lang=ru").text
        en = client.get(f"/clients/{ids['Новый клиент']}?lang=en").text
        portfolio = client.get("/?lang=ru").text
        known = client.get(f"/clients/{ids['Борис']}?lang=ru").text
    hero = ru.split('id="risk-score"')[1].split("</section>")[0]
    assert '<div class="score">—</div>' in hero and "Продолжать работу" not in hero
    assert "Сообщений этого клиента пока нет" in hero and 'href="/upload"' in hero
    assert "No messages from this client yet" in en
    row = portfolio.split('data-client="Новый клиент"')[1].split("</tr>")[0]
    assert "0 · низкий" not in row and "—" in row
    assert 'id="no-messages"' not in known and "Рекомендация" in known
