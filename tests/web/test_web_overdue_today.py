"""The client page's invoice table and its reply drafts count one way (helper 131).

A user's day: a claim draft said the invoice was 441 days overdue (as of today) while the
table above it said 15 (as of the chat's last message), and the draft wrote "45 000 ₽"
where the table wrote "45 000 RUB". A draft is sent today and the money forms and
``invoice list`` judge today, so the table counts as of today too (the risk analysis keeps
reading the chat as of its end, and the table's hint names both dates); roubles are "₽"
on Russian pages as in the drafts, every other currency and English its ISO code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from clientguard.contracts.invoices import payable_by
from clientguard.contracts.repo import add_invoice
from clientguard.report.i18n import plural
from clientguard.store import open_store
from clientguard.web.pages import money_text
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

DUE = date(2025, 9, 10)  # the sample chat's last message is 2025-09-25


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[TestClient]:
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as store:
        store.import_paths([SAMPLE_CHAT], client="Клиент А")
        add_invoice(store, "Клиент А", 45000, due=DUE.isoformat(), issued="2025-09-01", number="7")
    with TestClient(create_app(cfg)) as client:
        yield client


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    ("lang", "sum_", "days_said"),
    [
        ("ru", "45 000 ₽", "просрочка на дату претензии составляет {n}"),
        ("en", "45,000 RUB", "it is {n} overdue"),
    ],
)
def test_the_table_and_the_draft_count_the_same_days_in_the_same_currency(
    web: TestClient, lang: str, sum_: str, days_said: str
) -> None:
    days = (date.today() - payable_by(DUE)).days
    n = plural(days, "day", lang)
    page = web.get(f"/clients/1?lang={lang}").text
    table = plain(page.split('class="table compact invoices"')[1].split("</table>")[0])
    assert f"({'на дату' if lang == 'ru' else 'as of'} {date.today().isoformat()})" in table
    assert f"{sum_} " in table.replace("\u00a0", " ") and n in table, table
    drafts = [unescape(d) for d in re.findall(r'<pre class="reply-text"[^>]*>(.*?)</pre>', page, re.S)]
    # the drafts tie sums and counts with no-break spaces: compared here as words
    drafts = [d.replace("\u00a0", " ") for d in drafts]
    claim = next((d for d in drafts if days_said.format(n=n) in d), None)
    assert claim is not None, [d[:300] for d in drafts]
    assert sum_ in claim
    # the risk analysis still reads the chat as of its end: the hint says both dates
    hint = unescape(re.search(r'id="invoices-as-of" title="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert "2025-09-25" in hint


@pytest.mark.parametrize(
    ("code", "lang", "said"),
    [("RUB", "ru", "₽"), ("rub", "ru", "₽"), ("RUB", "en", "RUB"), ("USD", "ru", "USD"), (None, "ru", "₽")],
)
def test_one_currency_form_per_language(code: str | None, lang: str, said: str) -> None:
    from clientguard.numbers import currency_text

    assert currency_text(code, lang) == said


def test_page_sums_name_roubles_as_the_drafts_do() -> None:
    assert money_text(1250000.5, "RUB", "ru") == "1\u00a0250\u00a0000,50\u00a0₽"
    assert money_text(1000, "USD", "ru") == "1\u00a0000\u00a0USD"
    assert money_text(1250000.5, "RUB", "en") == "1,250,000.50\u00a0RUB"
    assert money_text(5, None, "ru") == "5"
