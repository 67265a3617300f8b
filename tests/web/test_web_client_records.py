"""The client page's revisions, invoices and evidence card, as a Russian freelancer reads them.

QA3 F7: the revisions table showed the analysis id "content_plan", the evidence card
"1 записей" / "1 records", an overdue invoice "просрочен · 3" (three what?), and at
1280 px the invoices table (a long invoice number, "1 250 000 RUB") ran past its card's
right edge. Now the deliverable is a word, counts take their plural form, and the table
fits its card.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import plural
from tests.suite_helpers import REVISION_CHAT_ME, revision_chat_export
from tests.web.web_helpers import LiveServer, TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

C = "Студия йоги «Лотос»"
ME = REVISION_CHAT_ME


def ok(*args: str) -> None:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


@pytest.fixture()
def filled(tmp_home: Path) -> Path:
    """The dashboard's database with one client: a chat, a contract and three invoices."""
    db = local_config(tmp_home).db_url
    ok("me", "add", ME[1], "--db", db)
    ok("import", str(revision_chat_export(tmp_home.parent / "result.json")), "--client", C, "--db", db)
    ok("contract", "set", C, "--revision-limit", "1", "--price", "45000", "--currency", "RUB", "--db", db)
    for amount, due, number in (("45000", "2026-09-02", "1"), ("1250000", "2026-12-20", "СЧ-2026/15")):
        ok("invoice", "add", C, amount, "--issued", "2026-09-01", "--due", due, "--id", number, "--db", db)
    return tmp_home


def test_revisions_invoices_and_evidence_are_worded(filled: Path) -> None:
    with TestClient(create_app(local_config(filled))) as client:
        ru = client.get("/clients/1?lang=ru").text
        en = client.get("/clients/1?lang=en").text
    assert "content_plan" not in ru and "content_plan" not in en
    assert "<td>контент-план</td>" in ru and "<td>content plan</td>" in en
    ru_log, en_log = (_verify(page) for page in (ru, en))
    assert re.search(r"\b1 запись\b|\b[2-4] записи\b|\b\d+ записей\b", ru_log), ru_log
    assert re.search(r"\b(1 record|\d+ records) ·", en_log) and "1 records" not in en_log, en_log
    # Invoice 1 was due 2026-09-02 (a Wednesday); the table counts as of today, as the
    # reply drafts and `invoice list` do (it counted as of the last message, 2026-09-05).
    days = (date.today() - date(2026, 9, 2)).days
    if days > 0:
        said = plural(days, "day", "ru"), plural(days, "day", "en")
        assert f"просрочен · {said[0]}<" in ru and f"overdue · {said[1]}<" in en


def _verify(page: str) -> str:
    """The evidence card's status line."""
    return page.split('id="verify-status"')[1].split("</p>")[0]


def test_invoices_table_fits_its_card(filled: Path, browser: Any) -> None:
    with LiveServer(local_config(filled)) as server:
        browser.set_window_size(1280, 1000)
        browser.get(f"{server.url}/clients/1?lang=ru")
        over = browser.execute_script(
            """
            const out = [];
            for (const t of document.querySelectorAll('section.card table')) {
              const card = t.closest('section').getBoundingClientRect();
              const r = t.getBoundingClientRect();
              if (r.right > card.right - 1) out.push(Math.round(r.right - card.right));
            }
            return out;
            """
        )
    assert over == [], f"a table runs {over} px past its card"


def test_revision_draft_names_the_deliverable_and_round(filled: Path) -> None:
    """QA3 F8: the page's "revision limit reached" draft says which material and which round."""
    with TestClient(create_app(local_config(filled))) as client:
        # drafts tie a number to its word with a no-break space ("2-м\u00a0раунде", ea2e302)
        ru = client.get("/clients/1?lang=ru").text.replace("\u00a0", " ")
    assert "Лимит правок исчерпан" in ru  # the draft is offered for this client
    assert "по материалу «контент-план»" in ru and "уже о 2-м раунде" in ru
