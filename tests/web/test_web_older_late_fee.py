"""The client page says when the stored late fee is an older reading, as ``contract show`` does.

A contract stored before the seventeenth session kept "4% above the Bank of England base
rate" as 4% a day; ``contract show`` and ``invoice list`` tell the user to run ``contract
reread``, while the client page showed the terms and drafted reminders claiming penalties
at that rate without a word. The old reading is stored as tests/contracts/
test_contract_reread.py stores it: with no term origins (a database from before migration
0005) or with an older reader version.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientguard.contracts.repo import add_invoice, save_contract, set_terms
from clientguard.contracts.reread import reread
from clientguard.store import open_store
from tests.contracts.test_contract_reread import BASE_RATE, _stored_by_the_old_reader
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Acme"
WANT = {
    "en": (
        "Late fee, % per day: 4 is how an older clientguard read the contract; today the clause reads"
        " as — (the rate follows a central bank's or another published rate: no late fee is computed)."
    ),
    "ru": (
        "Пени, % в день: 4 — так договор прочитала прежняя версия clientguard; сейчас пункт читается"
        " как — (ставка привязана к ключевой или другой публичной ставке: пени не считаются)."
    ),
}
INVOICES = {
    "en": "Penalties on these invoices (and in the reply drafts) are computed from a late fee that an older",
    "ru": "Пени по этим счетам (и в черновиках ответов) считаются по условию, которое прежняя версия",
}
COMMAND = "clientguard contract reread Acme --dry-run"


@pytest.fixture()
def site(tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    """The dashboard on SQLite: client Acme with the sample chat and an overdue invoice."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as web:
        yield web, cid, cfg.db_url


def _notice(page: str, which: str) -> str | None:
    found = re.search(rf'id="{which}"[^>]*>(.*?)</p>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else None


def _page(web: TestClient, cid: int, lang: str) -> str:
    r = web.get(f"/clients/{cid}?lang={lang}")
    assert r.status_code == 200
    return r.text


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("legacy", [True, False], ids=["no-origins", "older-reader"])
def test_an_older_reading_is_told_on_the_contract_card_and_the_invoices(
    site: tuple[TestClient, int, str], tmp_path: Path, lang: str, legacy: bool
) -> None:
    web, cid, db = site
    with open_store(db) as store:
        _stored_by_the_old_reader(store, tmp_path, C, legacy=legacy)
        add_invoice(store, C, 1500, due="2025-05-01", issued="2025-04-17", number="1")
    page = _page(web, cid, lang)
    card = _notice(page, "contract-older-reading")
    assert card is not None and card.startswith(WANT[lang]) and card.endswith(COMMAND)
    invoices = _notice(page, "invoices-older-reading")
    assert invoices is not None and invoices.startswith(INVOICES[lang]) and invoices.endswith(COMMAND)

    with open_store(db) as store:  # the user ran `contract reread`: the page stops telling
        reread(store, [C])
    page = _page(web, cid, lang)
    assert 'id="contract-older-reading"' not in page and 'id="invoices-older-reading"' not in page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_notice_for_todays_reading_or_a_rate_set_by_hand(
    site: tuple[TestClient, int, str], tmp_path: Path, lang: str
) -> None:
    from clientguard.contracts import check_contract

    web, cid, db = site
    path = tmp_path / "contract.md"
    path.write_text(BASE_RATE, encoding="utf-8")
    with open_store(db) as store:
        save_contract(store, C, path, check_contract(path))  # read by today's reader
        add_invoice(store, C, 1500, due="2025-05-01", issued="2025-04-17", number="1")
    page = _page(web, cid, lang)
    assert "older-reading" not in page

    with open_store(db) as store:
        _stored_by_the_old_reader(store, tmp_path, C)
        set_terms(store, C, late_fee_percent_per_day=0.05)  # the user's own rate
    page = _page(web, cid, lang)
    assert "older-reading" not in page
    assert re.search(r'id="late-fee">0[.,]05<', page)  # the card shows the rate it keeps
