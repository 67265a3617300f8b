"""The dashboard's contract page explains each clause in the page's language.

A Russian page checking an English contract showed the English reasons of the English rule
table under Russian clause names; the quotes from the contract stay as written.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.contracts.test_checker import EN_CONTRACT, RU_CONTRACT
from tests.web.web_helpers import TestClient


def _report(client: TestClient, lines: list[str], lang: str) -> tuple[list[str], list[str]]:
    """The page's reasons and quotes, as text."""
    r = client.post(
        f"/contract?lang={lang}",
        data={"csrf": client.cookies.get("cg_csrf") or ""},
        files={"file": ("contract.md", "\n".join(lines).encode())},
    )
    assert r.status_code == 200
    table = re.search(r'id="contract-report">(.*?)</section>', r.text, re.S)
    assert table, r.text[-2000:]

    def text(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    rows = table.group(1)
    reasons = [text(m) for m in re.findall(r'<div class="muted small">(.*?)</div>', rows, re.S)]
    quotes = [text(m) for m in re.findall(r'<blockquote class="quote">(.*?)</blockquote>', rows, re.S)]
    return reasons, quotes


@pytest.mark.parametrize(
    ("lines", "lang", "reason", "quote", "foreign"),
    [
        (
            EN_CONTRACT, "ru", "Число раундов правок, входящих в цену, названо.",
            "The monthly fee includes two (2) rounds of revisions per deliverable.",
            re.compile(r"[A-Za-z]{4}"),
        ),
        (
            RU_CONTRACT, "en", 'Trap: "unlimited" revisions are no limit but endless free work',
            "Исполнитель вносит правки без ограничений до полного согласования.",
            re.compile(r"[а-яёА-ЯЁ]"),
        ),
    ],
    ids=["en-contract-ru-page", "ru-contract-en-page"],
)  # fmt: skip
def test_reasons_follow_the_page_and_quotes_the_contract(
    local_client: TestClient, lines: list[str], lang: str, reason: str, quote: str, foreign: re.Pattern[str]
) -> None:
    reasons, quotes = _report(local_client, lines, lang)
    assert len(reasons) == 15
    assert any(reason in r for r in reasons), reasons
    assert not [r for r in reasons if foreign.search(r)]  # no reason in the contract's language
    assert any(quote in q for q in quotes), quotes
