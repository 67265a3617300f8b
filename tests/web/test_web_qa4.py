"""QA pass 4 on the dashboard, as a Russian freelancer and an English-speaking agency lead.

Each test failed on the code before its fix:

* F1 money: the dashboard rounded every amount to whole units ("1 250 000,50" showed as
  "1 250 000", "123 456,78" as "123 457") while the CLI and the drafts kept kopecks, and an
  overdue RUB and USD invoice were summed into one figure in the first one's currency.
* F2 evidence card: the client page cached its evidence status by a database version that
  ignored the evidence log, so after the dispute export (which appends the contract and
  invoice records) the page still said "1 запись" and the old head while the export said 6.
* F4 contract form: a wrong file (empty, a chat export) or none at all led to a dead-end
  error page that lost the client name typed, and a Telegram export sent as a contract was
  told "Формат не распознан: это не экспорт Telegram …", the opposite of the problem; the
  Upload page's contract jobs said the same.
* F7 presale page: an English lead screened on the Russian page showed "take the project"
  and "no red flags" (the lead's language) beside Russian headings; the reply stays English.
* F10 partly paid overdue invoice: once the client paid part of an overdue invoice it left
  the portfolio's overdue column and count, lost its warning colour on the client page, and
  the page never said how much was still due.
* F13 notes form: a call dated 2052 (a typo for 2025) was chained into the log for good.
* F14 contract form: saving the terms to a client said nothing, neither that they were
  saved nor which revision limit, payment days, price and hours were read (the CLI prints
  both), so a misread limit went unnoticed into every later analysis.
* F15 client page: working hours showed "10:00–19:00" with no days, the same for a
  Tue–Sat schedule as for Mon–Fri.
* F16 portfolio search: "Кофейня Пенка" found nothing for «Кофейня «Пенка»» (nobody types
  guillemets) and "Семен" nothing for "Семён".
* F5 upload summary: "Импортировано: 27 новых сообщений, 0 уже было" had one word form
  for every count ("1 новых сообщений", "Imported: 1 new messages").
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from tests.web.web_helpers import TestClient, create_app, local_config, wait_job

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
    assert "1\u00a0250\u00a0000,50\u00a0₽" in ru, re.findall(r"1\u00a0250[^<]*", ru)
    assert "1,250,000.50\u00a0RUB" in en
    # Three overdue invoices: 45 000 + 1 250 000,50 RUB and 1 000 USD, never one sum.
    assert "1\u00a0295\u00a0000,50\u00a0₽ + 1\u00a0000\u00a0USD" in portfolio_ru
    assert "1,295,000.50\u00a0RUB + 1,000\u00a0USD" in portfolio_en
    assert "1\u00a0296\u00a0000" not in portfolio_ru


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
    shown = re.search(r"(\d+) запис", before)
    assert shown and 1 < int(shown.group(1)) <= n, before  # contract and invoices: chained when stored
    assert f"{n} запис" in after, (before, after)


#: The contract forms add a client only when told to (QA pass 6 N10).
NEW_CLIENT = {"create_client": "1"}


def _alert(page: str) -> str:
    found = re.search(r'id="error-message" role="alert">(.*?)</p>', page, re.S)
    assert found, page[-1500:]
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("name", "body", "status", "words"),
    [
        ("пустой.docx", b"", 422, "Договор не удалось прочитать"),
        ("result.json", SAMPLE.read_bytes(), 422, "Это не договор"),
        (None, b"", 400, "Выберите файл"),
    ],
)
def test_contract_form_keeps_the_client_and_explains_contracts(
    local_client: TestClient, name: str | None, body: bytes, status: int, words: str
) -> None:
    files = {"file": (name, body)} if name else None
    r = local_client.post(
        "/contract?lang=ru",
        data={"csrf": local_client.cookies.get("cg_csrf") or "", "client": "Мой клиент"} | NEW_CLIENT,
        files=files,
    )  # fmt: skip
    assert r.status_code == status
    shown = _alert(r.text)
    assert words in shown and "экспорт Telegram (JSON" not in shown
    assert 'value="Мой клиент"' in r.text and 'action="/contract"' in r.text
    if name:
        assert shown.startswith(name + " — ") and "/tmp" not in r.text


def test_contract_upload_job_explains_contracts(local_client: TestClient) -> None:
    r = local_client.post(
        "/upload?lang=ru",
        data={
            "csrf": local_client.cookies.get("cg_csrf") or "",
            "kind": "contract",
            "client": "Мой клиент",
            **NEW_CLIENT,
        },
        files={"file": ("result.json", SAMPLE.read_bytes())},
        follow_redirects=False,
    )
    job = wait_job(local_client, r.headers["location"])
    assert job["status"] == "failed" and job["error"].startswith("E101")
    page = local_client.get(r.headers["location"] + "?lang=ru").text
    box = re.search(r'id="job-error">(.*?)</div>', page, re.S)
    assert box, page[-1500:]
    assert "Это не договор" in html.unescape(box.group(1)) and "экспорт Telegram (JSON" not in box.group(1)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", "Импортировано: <strong>27 новых сообщений</strong>, уже в базе: 0."),
     ("en", "Imported: <strong>27 new messages</strong>, already stored: 0.")],
)  # fmt: skip
def test_upload_summary_declines_its_count(local_client: TestClient, lang: str, words: str) -> None:
    r = local_client.post(
        "/upload",
        data={"csrf": local_client.cookies.get("cg_csrf") or "", "kind": "chat"},
        files={"file": ("result.json", SAMPLE.read_bytes())},
        follow_redirects=False,
    )
    assert wait_job(local_client, r.headers["location"])["status"] == "done"
    page = local_client.get(f"{r.headers['location']}?lang={lang}").text
    assert words in page, re.findall(r"<p>.*?</p>", page)


def test_one_new_message_is_singular(local_client: TestClient, tmp_path: Path) -> None:
    one = tmp_path / "one.txt"
    one.write_text("01.09.2025, 10:00 - Игорь: Добрый день\n", encoding="utf-8")
    r = local_client.post(
        "/upload",
        data={"csrf": local_client.cookies.get("cg_csrf") or "", "kind": "chat", "client": "Игорь"},
        files={"file": ("one.txt", one.read_bytes())},
        follow_redirects=False,
    )
    job = wait_job(local_client, r.headers["location"])
    assert job["status"] == "done", job
    page = local_client.get(f"{r.headers['location']}?lang=ru").text
    assert "<strong>1 новое сообщение</strong>" in page


def test_presale_verdict_in_the_page_language(local_client: TestClient) -> None:
    lead = (
        "2025-06-01 14:10 | Hello! I own a small bakery and would like help with our Instagram "
        "to sell more weekend pre-order boxes.\n\n2025-06-01 14:16 | Budget is around $900 a month."
    )
    r = local_client.post(
        "/presale?lang=ru",
        data={"csrf": local_client.cookies.get("cg_csrf") or "", "messages": lead, "brief": ""},
    )
    assert r.status_code == 200
    box = re.search(r'id="presale-result">(.*?)</section>', r.text, re.S)
    assert box, r.text[-2000:]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", box.group(1)))
    assert re.search("[а-я]{4}", shown.split(":", 1)[1]), shown
    assert "take the project" not in shown and "brief:" not in shown and "no red flags" not in shown
    reply = re.search(r'id="presale-reply">(.*?)</pre>', r.text, re.S)
    assert reply and re.match(r"\s*(Hi|Hello)", html.unescape(reply.group(1)))


def test_partly_paid_overdue_invoice_stays_overdue(sample: Path) -> None:
    db = local_config(sample).db_url
    ok("invoice", "paid", C, "П-09", "--amount", "20000", "--on", "2025-09-20", "--db", db)
    with TestClient(create_app(local_config(sample))) as client:
        portfolio = client.get("/?lang=ru").text
        page = client.get("/clients/1?lang=ru").text
    assert '<span class="pill warn">1 · 25\u00a0000\u00a0₽</span>' in portfolio, re.findall(
        r"pill warn.*?</span>", portfolio
    )
    assert re.search(r'class="pill warn">частично, просрочен', page), re.findall(r"pill.{0,80}", page)
    assert "осталось: 25\u00a0000\u00a0₽" in page


def test_note_in_the_future_is_refused_with_the_form_kept(sample: Path) -> None:
    with TestClient(create_app(local_config(sample))) as client:
        client.get("/")
        data = {"csrf": client.cookies.get("cg_csrf") or "", "text": "Созвон: 2 правки", "kind": "call"}
        r = client.post("/clients/1/notes?lang=ru", data=data | {"day": "2052-09-12"}, follow_redirects=False)
        assert r.status_code == 400
        assert "2052-09-12 ещё не наступило" in html.unescape(r.text)
        assert "Созвон: 2 правки" in r.text  # the text typed comes back
        r = client.post("/clients/1/notes?lang=ru", data=data | {"day": "2025-09-12"}, follow_redirects=False)
        assert r.status_code == 303


def test_contract_form_says_what_it_saved(local_client: TestClient) -> None:
    from tests.contracts.test_checker import RU_CONTRACT

    r = local_client.post(
        "/contract?lang=ru",
        data={"csrf": local_client.cookies.get("cg_csrf") or "", "client": "Студия «Лотос»"} | NEW_CLIENT,
        files={"file": ("договор.md", "\n".join(RU_CONTRACT).encode())},
    )
    assert r.status_code == 200
    card = re.search(r'id="contract-terms">(.*?)</section>', r.text, re.S)
    assert card, r.text[-2000:]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", card.group(1)))
    assert "Условия сохранены для клиента" in shown and "Студия «Лотос»" in shown
    assert re.search(r'href="/clients/\d+"', card.group(1))
    assert "Лимит правок" in shown and "Срок оплаты, дней" in shown and "Цена" in shown
    plain = local_client.post(
        "/contract?lang=en",
        data={"csrf": local_client.cookies.get("cg_csrf") or ""},
        files={"file": ("contract.md", "\n".join(RU_CONTRACT).encode())},
    ).text
    assert 'id="contract-terms"' in plain and 'id="contract-saved"' not in plain


def test_working_hours_name_the_days(sample: Path) -> None:
    db = local_config(sample).db_url
    ok("contract", "set", C, "--working-hours", "вт-сб 11:00-20:00", "--db", db)
    with TestClient(create_app(local_config(sample))) as client:
        ru = client.get("/clients/1?lang=ru").text
        en = client.get("/clients/1?lang=en").text
    assert "<dd>вт–сб с 11:00 до 20:00</dd>" in ru, re.findall(r"<dd>[^<]*20:00[^<]*</dd>", ru)
    assert "<dd>Tue–Sat, 11:00–20:00</dd>" in en


def test_search_ignores_quotes_case_and_yo() -> None:
    from clientguard.web.routes.portfolio import matches

    for query in ("Кофейня Пенка", "пенка кофейня", "ПЕНК", "кофейня «Пенка»", "«Пенка»"):
        assert matches(query, C), query
    assert matches("Семен", "Семён Петров") and matches("семён", "Семен")
    assert not matches("Пенка Лотос", C) and not matches("Лотос", C)


def test_portfolio_search_without_guillemets(sample: Path) -> None:
    with TestClient(create_app(local_config(sample))) as client:
        page = client.get("/", params={"q": "Кофейня Пенка", "lang": "ru"}).text
    assert re.findall(r'class="client-link"[^>]*>([^<]*)', page) == [C]
