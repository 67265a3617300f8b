"""The dashboard's dispute export agrees with the client page and shows invoice payments.

QA's run: the bundled sample analysed with its case file; the client page listed 13
flagged messages and the exported document 11, because the export read each text alone
and the page reads messages in context and marks those conversation signals name. And a
payment of 20 000 of the 45 000 invoice never reached the document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.evidence.test_export_flags import _flagged_table, _page_flagged
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"
C = "Кофейня «Пенка»"


def ok(*args: str) -> None:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_page_export_flags_the_page_messages_and_words_payments(tmp_home: Path, lang: str) -> None:
    db = local_config(tmp_home).db_url
    ok("analyze", str(SAMPLE), "--case", str(CASE), "--db", db)
    ok("invoice", "paid", C, "П-09", "--on", "2025-09-20", "--amount", "20000", "--db", db)
    with TestClient(create_app(local_config(tmp_home))) as client:
        page = client.get(f"/clients/1?lang={lang}").text
        export = client.get(f"/clients/1/evidence.html?lang={lang}").text
    flagged = _page_flagged(page)
    assert len(flagged) >= 12  # QA's page listed 13; the export 11
    assert [(text, names) for text, names, _ids in _flagged_table(export)] == flagged
    words = {
        "ru": "оплата 20\u00a0000\u00a0RUB по счёту № П-09, 2025-09-20",
        "en": "payment of 20,000\u00a0RUB for invoice no. П-09, 2025-09-20",
    }
    assert words[lang] in export
