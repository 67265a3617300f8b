"""Hand-written hard cases for what makes the checker general rather than fitted.

Paraphrase families (``paraphrase_cases.tsv``), heading styles, sentence ends after a
number, party names defined in the preamble, decoys that must not hide a real protection,
protections spread over two sentences, and headings that name a topic without a term.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts.checker import check_contract
from clientguard.contracts.clauses import check_clauses, load_rules, split_sentences
from clientguard.contracts.parties import find_parties
from clientguard.contracts.reader import read_markdown
from tests.contracts.builders import make_docx, make_pdf

CASES = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "paraphrase_cases.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def _statuses(text: str, lang: str) -> dict[str, str]:
    blocks = list(read_markdown(text))
    parties = find_parties(blocks)
    rules = load_rules(lang, parties.contractor, parties.client)
    return {h.clause: h.status for h in check_clauses(split_sentences(blocks), rules)}


@pytest.mark.parametrize(("lang", "clause", "status", "text"), CASES)
def test_paraphrase_case(lang: str, clause: str, status: str, text: str) -> None:
    assert _statuses(text, lang)[clause] == status, text


def test_paraphrase_cases_cover_every_clause_and_both_languages() -> None:
    seen = {(lang, clause) for lang, clause, _, _ in CASES}
    clauses = {clause for _, clause in seen}
    assert len(clauses) == 15
    assert {lang for lang, _ in seen} == {"ru", "en"}
    assert {status for _, _, status, _ in CASES} == {"present", "weak", "missing"}


HEADINGS = """ДОГОВОР ОКАЗАНИЯ УСЛУГ № 12

ООО «Сова» (далее — Студия) и ИП Петров П. П. (далее — Заказчик) заключили договор.

Статья 1 — Предмет
Студия ежемесячно готовит 8 (восемь) постов и 10 сторис.

§ 2. Оплата

2.1 Вознаграждение Студии — 30 000 рублей в месяц, оплата в течение 5 дней после выставления счёта.

ПОРЯДОК РАБОТЫ

3.1) Студия вправе приостановить работу до погашения долга.

**ARTICLE 4. FEES.** Invoices are due within ten (10) days.

IV.2. Расторжение договора допускается по соглашению сторон.
"""


def test_heading_styles_become_headings_not_sentence_prefixes() -> None:
    blocks = list(read_markdown(HEADINGS))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings == [
        "ДОГОВОР ОКАЗАНИЯ УСЛУГ № 12",
        "Статья 1 — Предмет",
        "§ 2. Оплата",
        "ПОРЯДОК РАБОТЫ",
        "ARTICLE 4. FEES.",
    ]
    texts = [s.text for s in split_sentences(blocks) if not s.heading]
    assert "Студия ежемесячно готовит 8 (восемь) постов и 10 сторис." in texts
    assert texts[-3].startswith("Студия вправе приостановить")  # "3.1)" numbering stripped
    assert texts[-2] == "Invoices are due within ten (10) days."
    assert texts[-1].startswith("Расторжение договора")  # "IV.2." numbering stripped


def test_sentence_ends_after_a_number_but_not_after_a_reference() -> None:
    text = (
        "Остаток вносится после принятия этапа 2. Несвоевременная оплата влечёт начисление пени. "
        "Порядок указан в п. 3.3. настоящего Договора."
    )
    sentences = [s.text for s in split_sentences(list(read_markdown(text)))]
    assert sentences == [
        "Остаток вносится после принятия этапа 2.",
        "Несвоевременная оплата влечёт начисление пени.",
        "Порядок указан в п. 3.3. настоящего Договора.",
    ]


def test_party_names_from_the_preamble() -> None:
    en = 'Made between Brightwater Social LLC ("Brightwater") and Kettle Bakery Inc. ("Client").'
    parties = find_parties(list(read_markdown(en)))
    assert parties.contractor == (r"\bbrightwater\b",)
    assert parties.client == (r"\bclient\b",)
    # two invented names and no role word: nothing is guessed
    assert find_parties(list(read_markdown('Between Acme ("Acme") and Zeta ("Zeta").'))).contractor == ()
    text = en + "\n\nIf an invoice is late, Brightwater may withhold deliverables and pause the Services."
    assert _statuses(text, "en")["suspension"] == "present"


def test_decoy_does_not_hide_a_real_protection() -> None:
    both = (
        "Согласования проводятся в часы работы офиса Заказчика с 9:00 до 18:00.\n\n"
        "Исполнитель на связи по будним дням с 10:00 до 19:00."
    )
    assert _statuses(both, "ru")["working_hours"] == "present"
    only_client = "Согласования проводятся в часы работы офиса Заказчика с 9:00 до 18:00."
    assert _statuses(only_client, "ru")["working_hours"] == "missing"


def test_decoy_is_not_read_as_weak() -> None:
    text = "## Late fees\n\nNo late fees will be charged.\n\nOverdue invoices are a concern of both parties."
    assert _statuses(text, "en")["late_payment_penalty"] == "missing"


def test_heading_alone_states_no_term() -> None:
    assert _statuses("## Acceptance\n\nThe parties will work together.", "en")["acceptance"] == "missing"


def test_unlimited_revisions_are_a_quoted_decoy(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("Заказчик вправе запрашивать правки без ограничения их количества.", encoding="utf-8")
    result = next(c for c in check_contract(path).clauses if c.id == "revision_limit")
    assert result.status == "missing" and result.trap and result.quote is not None


def test_terms_from_varied_phrasing(tmp_path: Path) -> None:
    cases = [
        ("Услуги Исполнителя стоят 40 000 рублей в месяц; рекламный бюджет Заказчик пополняет сам.", "ru"),
        ("Client shall pay $2,500 per month. Payment terms: net 15.", "en"),
        ("The monthly fee is USD 3,150, due ten (10) days after the invoice date.", "en"),
    ]
    got = []
    for i, (text, lang) in enumerate(cases):
        path = tmp_path / f"c{i}.md"
        path.write_text(text, encoding="utf-8")
        ext = check_contract(path, lang=lang).extracted
        got.append((ext.price, ext.currency, ext.payment_due_days))
    assert got == [(40000, "RUB", None), (2500, "USD", 15), (3150, "USD", 10)]
    path = tmp_path / "rev.md"
    path.write_text("Клиент вправе дважды вернуть материал с замечаниями.", encoding="utf-8")
    assert check_contract(path, lang="ru").extracted.revision_limit == 2
    path.write_text("Исполнитель работает со вторника по субботу с 9:00 до 17:00.", encoding="utf-8")
    hours = check_contract(path, lang="ru").extracted.working_hours
    assert hours is not None and hours.days == (1, 2, 3, 4, 5) and hours.start == "09:00"


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        # "изменения … действительны … в письменной форме" is a written-variations rule (dev README)
        ("boilerplate_ru.md", {"written_confirmation"}),
        ("boilerplate_en.md", set()),
    ],
)
def test_legal_boilerplate_is_not_a_protection(name: str, allowed: set[str]) -> None:
    """Validity dates, disputes, force majeure, confidentiality, amendments signed by
    authorised representatives: standard text that must not pass for deadlines,
    contact persons or termination."""
    report = check_contract(Path(__file__).parent / "data" / name)
    found = {c.id for c in report.clauses if c.status != "missing"}
    assert found == allowed, [(c.id, c.quote) for c in report.clauses if c.status != "missing"]


def test_list_items_are_read_after_their_intro() -> None:
    text = (
        "Исполнитель вправе:\n\n- приостановить оказание услуг при просрочке оплаты;\n\n"
        "- запрашивать материалы.\n\nИсполнитель не вправе:\n\n- приостанавливать работы без уведомления."
    )
    blocks = list(read_markdown(text))
    hits = {h.clause: h for h in check_clauses(split_sentences(blocks), load_rules("ru"))}
    assert hits["suspension"].status == "present"
    assert hits["suspension"].quote == "приостановить оказание услуг при просрочке оплаты;"
    forbidden = "Исполнитель не вправе:\n\n- приостанавливать работы без уведомления."
    assert _statuses(forbidden, "ru")["suspension"] == "missing"


def test_named_headings_in_docx_and_pdf(tmp_path: Path) -> None:
    lines = [
        "ДОГОВОР",
        "Статья 1 — Оплата",
        "1.1. Заказчик оплачивает счёт в течение 5 (пяти) рабочих дней.",
        "Статья 2 — Приостановка",
        "2.1. Исполнитель вправе приостановить работу до поступления оплаты.",
    ]
    docx_path = make_docx(tmp_path / "c.docx", lines)
    pdf_path = make_pdf(tmp_path / "c.pdf", lines)
    for path in (docx_path, pdf_path):
        report = check_contract(path, lang="ru")
        assert report.status("payment_terms") == "present", path
        assert report.status("suspension") == "present", path
        assert report.extracted.payment_due_days == 5, path
