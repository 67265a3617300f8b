"""The dashboard's contract check says why no late fee was read, as ``contract check`` does.

A clause "interest at 4% above the Bank of England base rate" used to show "Late fee, %
per day: 4" on the page (and store it); now the row says the rate follows a published
rate and how to set one.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.cli.test_contract_late_fee_unread import BASE_RATE, ONE_OFF
from tests.web.web_helpers import TestClient


@pytest.mark.parametrize(
    ("text", "lang", "want"),
    [
        (BASE_RATE, "en", "follows a central bank's or another published rate"),
        (BASE_RATE, "ru", "привязана к ключевой или другой публичной ставке"),
        (ONE_OFF, "ru", "процент назван без срока"),
    ],
)
def test_the_terms_card_says_why_there_is_no_late_fee(
    local_client: TestClient, text: str, lang: str, want: str
) -> None:
    r = local_client.post(
        f"/contract?lang={lang}",
        data={"csrf": local_client.cookies.get("cg_csrf") or ""},
        files={"file": ("contract.md", text.encode())},
    )
    assert r.status_code == 200
    card = re.search(r'id="contract-terms">(.*?)</section>', r.text, re.S)
    assert card, r.text[-2000:]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card.group(1))).split())
    assert want in shown
    assert "--late-fee N" in shown
