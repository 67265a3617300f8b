"""QA pass 4 on the dashboard, as a Russian freelancer and an English-speaking agency lead.

Each test failed on the code before its fix:

* F1 money: the dashboard rounded every amount to whole units ("1 250 000,50" showed as
  "1 250 000", "123 456,78" as "123 457") while the CLI and the drafts kept kopecks, and an
  overdue RUB and USD invoice were summed into one figure in the first one's currency.
* F2 evidence card: the client page cached its evidence status by a database version that
  ignored the evidence log, so after the dispute export (which appends the contract and
  invoice records) the page still said "1 запись" and the old head while the export said 6.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"
C = "Кофейня «Пенка»"


def ok(*args: str) -> None:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


@pytest.fixture()
def sample(tmp_home: Path) -> Path:
    """The bundled sample analysed with its case file (a contract and one invoice)."""
    db = local_config(tmp_home).db_url
    ok("analyze", str(SAMPLE), "--case", str(CASE), "--db", db)
    return tmp_home


def test_amounts_keep_kopecks_and_currencies_apart(sample: Path) -> None:
    db = local_config(sample).db_url
    ok("invoice", "add", C, "1250000.5", "--issued", "2025-09-01", "--due", "2025-09-10", "--id", "K-1",
       "--db", db)  # fmt: skip
    ok("invoice", "add", C, "1000", "--issued", "2025-09-01", "--due", "2025-09-10", "--id", "U-1",
       "--currency", "USD", "--db", db)  # fmt: skip
    with TestClient(create_app(local_config(sample))) as client:
        ru = client.get("/clients/1?lang=ru").text
        en = client.get("/clients/1?lang=en").text
        portfolio_ru = client.get("/?lang=ru").text
        portfolio_en = client.get("/?lang=en").text
    assert "1\u202f250\u202f000,50 RUB" in ru, re.findall(r"1\u202f250[^<]*", ru)
    assert "1,250,000.50 RUB" in en
    # Three overdue invoices: 45 000 + 1 250 000,50 RUB and 1 000 USD, never one sum.
    assert "1\u202f295\u202f000,50 RUB + 1\u202f000 USD" in portfolio_ru
    assert "1,295,000.50 RUB + 1,000 USD" in portfolio_en
    assert "1\u202f296\u202f000" not in portfolio_ru


def _verify_card(page: str) -> str:
    m = re.search(r'id="verify-status">(.*?)</p>', page, re.S)
    assert m, page[-3000:]
    return m.group(1)


def test_evidence_card_follows_the_log(sample: Path) -> None:
    with TestClient(create_app(local_config(sample))) as client:
        before = _verify_card(client.get("/clients/1?lang=ru").text)
        export = client.get("/clients/1/evidence.html?lang=ru").text
        after = _verify_card(client.get("/clients/1?lang=ru").text)
    records = re.search(r"Записей в цепочке</td><td>(\d+)<", export)
    assert records, export[:2000]
    n = int(records.group(1))
    assert n > 1 and "1 запись" in before
    assert f"{n} запис" in after, (before, after)
