"""The dashboard shows a late fee that is a sum per day or week (helper-159).

"Пени 500 рублей за каждый день просрочки" was read as no late fee: the contract check
page and the client page's terms card showed no late fee at all. Both show it now, worded
as ``contract show`` words it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientguard.contracts import check_contract
from clientguard.contracts.repo import save_contract
from clientguard.store import open_store
from tests.contracts.test_fixed_late_fee import RU
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Acme"
WANT = {"ru": "Пени, сумма 500 ₽ за каждый день просрочки", "en": "Late fee, fixed sum 500 RUB per day late"}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u00a0", " ").split())


@pytest.fixture()
def site(tmp_home: Path) -> Iterator[tuple[TestClient, int, str]]:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client=C)
        cid = store.clients()[0].id
    with TestClient(create_app(cfg)) as web:
        yield web, cid, cfg.db_url


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_terms_card_shows_the_fixed_fee(
    site: tuple[TestClient, int, str], tmp_path: Path, lang: str
) -> None:
    web, cid, db = site
    path = tmp_path / "contract.md"
    path.write_text(RU, encoding="utf-8")
    with open_store(db) as store:
        save_contract(store, C, path, check_contract(path))
    r = web.get(f"/clients/{cid}?lang={lang}")
    assert r.status_code == 200
    card = re.search(r'<dl class="terms">(.*?)</dl>', r.text, re.S)
    assert card is not None and 'id="late-fee-fixed"' in card.group(1)
    assert WANT[lang] in _text(card.group(1))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_contract_check_page_shows_the_fixed_fee(local_client: TestClient, lang: str) -> None:
    r = local_client.post(
        f"/contract?lang={lang}",
        data={"csrf": local_client.cookies.get("cg_csrf") or ""},
        files={"file": ("contract.md", RU.encode())},
    )
    assert r.status_code == 200
    card = re.search(r'id="contract-terms">(.*?)</section>', r.text, re.S)
    assert card, r.text[-2000:]
    assert WANT[lang] in _text(card.group(1))
