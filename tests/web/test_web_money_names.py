"""Refunds, credits and payments are named alike on the page, its confirmation, the CLI and the export.

Sixteenth session (a user's day on the dashboard): the void list read "возврат №1",
"уменьшение суммы №2", "возврат №3" — the stored ids, one sequence across refunds,
credits, their voids and every client, so a client's first credit could be "№2" and the
next refund "№4". The dispute export said "аннулирован возврат #1" and the CLI
"возврат 3 по счёту 12". Nobody numbers these: a refund is named by what it is — its
amount, its day and its invoice — wherever it is shown. The English page also printed
the Russian "№" and a payment without its currency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from clientguard.contracts.repo import (
    add_invoice,
    adjustments,
    credit_invoice,
    pay_invoice,
    refund_invoice,
)
from clientguard.store import open_store
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C, OTHER = "Клиент А", "Клиент Б"


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[tuple[TestClient, int]]:
    """Client А with invoice 5 (45 000 RUB, 20 000 paid), a refund, a credit and a second
    refund, recorded after another client's refund so that the stored ids start at 2."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = next(c.id for c in store.clients() if c.name == C)
        add_invoice(store, OTHER, 1000, "2025-09-15", "2025-09-01", "1")  # adds the client
        pay_invoice(store, OTHER, "1", "2025-09-05", 1000)
        refund_invoice(store, OTHER, "1", 500, "2025-09-06", "другой клиент")
        add_invoice(store, C, 45000, "2025-09-15", "2025-09-01", "5")
        pay_invoice(store, C, "5", "2025-09-10", 20000)
        refund_invoice(store, C, "5", 3000, "2025-09-12", "спор о сроках")
        credit_invoice(store, C, "5", 5000, "2025-09-13", "скидка")
        refund_invoice(store, C, "5", 1000, "2025-09-14", "ещё спор")
    with TestClient(create_app(cfg)) as client:
        client.get("/")  # the CSRF cookie
        yield client, cid


def void_options(html: str) -> dict[str, str]:
    """value → text of each option of the void form's list, spaces (U+00A0 in amounts) as one."""
    box = html[html.index('id="void-target"') :]
    box = box[: box.index("</select>")]
    return {
        v: " ".join(unescape(t).split()) for v, t in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)<', box)
    }


def confirmation(web: TestClient, cid: int, target: str, lang: str) -> str:
    token = web.cookies.get("cg_csrf") or ""
    r = web.post(f"/clients/{cid}/void?lang={lang}", data={"csrf": token, "target": target, "reason": "x"})
    assert r.status_code == 200 and 'id="void-confirm"' in r.text
    found = re.search(r"<p><strong>[^<]*</strong>: ([^<]*)</p>", r.text)
    assert found, "no record named on the confirmation"
    return " ".join(unescape(found.group(1)).split())


def test_the_void_list_names_refunds_and_credits_by_amount_day_and_invoice(
    web: tuple[TestClient, int],
) -> None:
    client, cid = web
    with open_store(client.app.state.cg.cfg.db_url) as store:  # type: ignore[attr-defined]
        ids = {(x.kind, x.on): x.id for x in adjustments(store, C)}
    assert min(ids.values()) > 1  # the other client's refund took the first id
    expected = {
        "ru": {
            ("refund", "2025-09-12"): "возврат 3 000 ₽ от 2025-09-12 по счёту № 5",
            ("credit", "2025-09-13"): "уменьшение суммы на 5 000 ₽ от 2025-09-13 по счёту № 5",
            ("refund", "2025-09-14"): "возврат 1 000 ₽ от 2025-09-14 по счёту № 5",
        },
        "en": {
            ("refund", "2025-09-12"): "refund of 3,000 RUB on 2025-09-12, invoice no. 5",
            ("credit", "2025-09-13"): "credit of 5,000 RUB on 2025-09-13, invoice no. 5",
            ("refund", "2025-09-14"): "refund of 1,000 RUB on 2025-09-14, invoice no. 5",
        },
    }
    payment = {
        "ru": "оплата 20 000 ₽ от 2025-09-10 по счёту № 5",
        "en": "payment of 20,000 RUB on 2025-09-10, invoice no. 5",
    }
    for lang, named in expected.items():
        options = void_options(client.get(f"/clients/{cid}?lang={lang}").text)
        for key, words in named.items():
            target = f"adjustment:{ids[key]}:5"
            assert options[target] == words
            assert confirmation(client, cid, target, lang) == words  # the same words on both steps
        [pay_target] = [v for v in options if v.startswith("payment:")]
        assert options[pay_target] == payment[lang]  # with its currency, as the others
        assert confirmation(client, cid, pay_target, lang) == payment[lang]
        shown = " ".join(options.values())
        assert not re.search(r"[№#]\s?\d+ по счёту|#\d", shown)  # no stored id anywhere
    en = client.get(f"/clients/{cid}?lang=en").text
    assert "№" not in en  # "No. 5" in English, the table's head included
    assert void_options(en)["invoice:5"].startswith("No. 5 · ")
    assert "<th>No.</th>" in en


def test_a_refused_second_void_does_not_name_an_id(web: tuple[TestClient, int]) -> None:
    client, cid = web
    with open_store(client.app.state.cg.cfg.db_url) as store:  # type: ignore[attr-defined]
        first = min(x.id for x in adjustments(store, C))
    token = client.cookies.get("cg_csrf") or ""
    data = {"csrf": token, "target": f"adjustment:{first}:5", "reason": "ошибка", "confirm": "yes"}
    assert client.post(f"/clients/{cid}/void", data=data, follow_redirects=False).status_code == 303
    r = client.post(f"/clients/{cid}/void?lang=ru", data=data, follow_redirects=False)
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', r.text)
    assert r.status_code == 400 and found
    assert unescape(found.group(1)) == "Эта запись уже аннулирована (ошибка)."


@pytest.mark.parametrize(
    ("typed", "lang", "said"),
    [
        ("1 234 567 890 123", "ru", "«Сумма»: не больше 1 000 000 000 000, введено «1 234 567 890 123»."),
        ("999999999999999", "en", "“Amount”: at most 1,000,000,000,000, got “999999999999999”."),
    ],
)
def test_a_sum_over_the_limit_is_refused_as_typed(
    web: tuple[TestClient, int], typed: str, lang: str, said: str
) -> None:
    """The library's refusal printed the sum with six significant digits ("got 1.23457e+12"),
    and the page showed "получено 1 234 570 000 000" for what the user typed."""
    client, cid = web
    token = client.cookies.get("cg_csrf") or ""
    data = {"csrf": token, "amount": typed, "due": "2025-09-30", "issued": "2025-09-01"}
    r = client.post(f"/clients/{cid}/invoices?lang={lang}", data=data, follow_redirects=False)
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', r.text)
    assert r.status_code == 400 and found
    assert unescape(found.group(1)) == said
