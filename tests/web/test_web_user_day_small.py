"""Small things a user met in a day of freelancing on the dashboard (helper 131).

* The upload page said "200 MB" in Russian, and a size limit in a refusal too ("98 KB").
* Adding a note gave no "✓ added" line, as the money and time forms do.
* The money forms took "1e12" as an amount (a trillion from a slip of the finger).
* The team page's empty time card named only the CLI command, not the client page's form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from clientguard.contracts.repo import invoices
from clientguard.store import open_store
from clientguard.web.fields import size_text
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Клиент А"


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    cfg = local_config(tmp_home, max_upload_bytes=200 * 1024 * 1024)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as client:
        client.get("/")  # the CSRF cookie
        yield client, cid, cfg.db_url


def post(client: TestClient, path: str, lang: str, **data: str) -> object:
    token = client.cookies.get("cg_csrf") or ""
    return client.post(f"{path}?lang={lang}", data={"csrf": token, **data}, follow_redirects=False)


def plain(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize(
    ("n", "lang", "said"),
    [
        (200 * 1024 * 1024, "ru", "200 МБ"),
        (200 * 1024 * 1024, "en", "200 MB"),
        (3 * 1024 * 1024 // 2, "ru", "1,5 МБ"),
        (3 * 1024 * 1024 // 2, "en", "1.5 MB"),
        (100_000, "ru", "98 КБ"),
        (100_000, "en", "98 KB"),
    ],
)
def test_sizes_are_in_the_pages_language(n: int, lang: str, said: str) -> None:
    assert size_text(n, lang) == said


@pytest.mark.parametrize(("lang", "said", "foreign"), [("ru", "200 МБ", "MB"), ("en", "200 MB", "МБ")])
def test_the_upload_page_names_its_limit_in_its_language(
    web: tuple[TestClient, int, str], lang: str, said: str, foreign: str
) -> None:
    client, _cid, _url = web
    text = plain(client.get(f"/upload?lang={lang}").text)
    assert said in text and foreign not in text, text


@pytest.mark.parametrize(("lang", "said"), [("ru", "✓ Заметка добавлена."), ("en", "✓ Note added.")])
def test_a_note_added_says_so_in_the_notes_card(
    web: tuple[TestClient, int, str], lang: str, said: str
) -> None:
    client, cid, _url = web
    r = post(client, f"/clients/{cid}/notes", lang, text="Созвон: правки до пятницы", kind="call", day="")
    assert r.status_code == 303  # type: ignore[attr-defined]
    where = r.headers["location"]  # type: ignore[attr-defined]
    assert where == f"/clients/{cid}?done=note_added#notes"
    page = client.get(f"{where.split('#')[0]}&lang={lang}").text
    notes = page.split('id="notes"')[1].split("</section>")[0]
    assert said in plain(notes)
    assert said not in plain(page.split('id="notes"')[0])  # said once, in the card of the form
    assert "Созвон: правки до пятницы" in notes


@pytest.mark.parametrize("typed", ["1e12", "1E3", "2,5e4", "1.5e+3", "1 e3"])
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", "запись со степенью (e); напишите число цифрами"),
        ("en", "is in exponent notation; write the number out"),
    ],
)
def test_money_forms_refuse_exponent_notation(
    web: tuple[TestClient, int, str], typed: str, lang: str, said: str
) -> None:
    client, cid, url = web
    form = {"amount": typed, "issued": "2025-09-01", "due": "2025-09-15"}
    r = post(client, f"/clients/{cid}/invoices", lang, **form)
    assert r.status_code == 400, r.text[-300:]  # type: ignore[attr-defined]
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', r.text)  # type: ignore[attr-defined]
    assert found and said in unescape(found.group(1)) and typed in unescape(found.group(1))
    with open_store(url) as store:
        assert invoices(store, C) == []
    # the time form's hours are read the same way
    r = post(client, f"/clients/{cid}/time", lang, hours=typed, minutes="", day="2025-09-01", note="")
    assert r.status_code == 400 and said in unescape(r.text)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lang", "form", "section"),
    [("ru", "«Записать время»", "«Затраченное время»"), ("en", "“Record the time”", "“Time spent”")],
)
def test_the_team_pages_empty_time_card_names_the_clients_form(
    web: tuple[TestClient, int, str], lang: str, form: str, section: str
) -> None:
    client, _cid, _url = web
    page = client.get(f"/team?lang={lang}").text
    hint = plain(page.split('id="no-time"')[1].split("</p>")[0])
    assert form in hint and section in hint and "clientguard time add" in hint, hint
