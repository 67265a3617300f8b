"""Contract checker: one-line clause cases, real .docx/.pdf files, traps, drafts, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clientguard.contracts import check_contract
from clientguard.contracts.clauses import check_clauses, detect_lang, load_rules, split_sentences
from clientguard.contracts.drafts import load_drafts, render_draft, render_offer
from clientguard.contracts.reader import read_contract, read_markdown
from clientguard.domain import ContractTerms, WorkingHours
from clientguard.errors import InputError
from clientguard.taxonomy import CLAUSE_STATUSES, CLAUSES
from tests.contracts.builders import DEJAVU, make_blank_pdf, make_docx, make_pdf

CASES = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "clause_cases.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]

RU_CONTRACT = [
    "# ДОГОВОР ОКАЗАНИЯ УСЛУГ № 5",
    "# 1. ПРЕДМЕТ",
    "1.1. Исполнитель ежемесячно оказывает услуги по ведению аккаунта Заказчика.",
    "1.2. Ежемесячный объём услуг включает:",
    "- 10 (десять) постов в ленту;",
    "- 6 (шесть) сторис;",
    "# 2. ПРАВКИ И ОПЛАТА",
    "2.1. Исполнитель вносит правки без ограничений до полного согласования.",
    "2.2. Стоимость услуг составляет 50 000 (пятьдесят тысяч) рублей в месяц.",
    "2.3. Заказчик оплачивает счёт в течение 5 (пяти) рабочих дней с даты его выставления.",
    "2.4. За нарушение сроков сдачи работ Исполнитель уплачивает Заказчику пени 0,5 % за каждый день.",
    "# 3. ВЗАИМОДЕЙСТВИЕ",
    "3.1. Согласования проводятся в часы работы офиса Заказчика с понедельника по пятницу с 9:00 до 18:00.",
    "| Услуга | Объём в месяц |",
    "| Посты | 10 |",
    "| Сторис | 6 |",
]

EN_CONTRACT = [
    "# SOCIAL MEDIA AGREEMENT",
    "# 1. Services",
    "1.1. Each month the Contractor will produce eight (8) feed posts and four (4) reels.",
    "1.2. The monthly fee includes two (2) rounds of revisions per deliverable.",
    "# 2. Fees",
    "2.1. Client will pay a monthly fee of USD 1,200.",
    "2.2. Invoices are payable within ten (10) days of the invoice date.",
    "2.3. Amounts not paid when due bear a late fee of 0.2% per day, capped at 10% of the amount.",
    "# 3. Availability",
    "3.1. The Contractor is available Monday to Thursday, 9:00 a.m. to 5:00 p.m. CET.",
]


@pytest.mark.parametrize(("lang", "clause", "status", "text"), CASES)
def test_clause_case(lang: str, clause: str, status: str, text: str) -> None:
    hits = {h.clause: h for h in check_clauses(split_sentences(list(read_markdown(text))), load_rules(lang))}
    assert hits[clause].status == status, (hits[clause].rule, text)


def test_rule_files_name_only_known_ids() -> None:
    for lang in ("ru", "en"):
        rules = load_rules(lang)
        assert set(rules.clauses) == set(CLAUSES)
        assert all(r.status in CLAUSE_STATUSES for rs in rules.clauses.values() for r in rs)
        assert set(load_drafts(lang).clauses) == set(CLAUSES)
        assert set(rules.missing_why) == set(CLAUSES)


def test_language_detection() -> None:
    assert detect_lang("Исполнитель обязуется оказать услуги") == "ru"
    assert detect_lang("The Contractor will deliver posts") == "en"


def _check_ru(path: Path) -> None:
    report = check_contract(path)
    assert report.lang == "ru"
    status = {c.id: c for c in report.clauses}
    assert status["scope"].status == "present"
    # decoy: "правки без ограничений" negates the limit, so the clause is missing (quoted)
    assert status["revision_limit"].status == "missing"
    assert status["revision_limit"].trap
    assert status["revision_limit"].quote is not None
    assert status["late_payment_penalty"].status == "missing"  # trap: protects the client only
    assert status["late_payment_penalty"].quote is not None
    assert status["working_hours"].status == "missing"  # trap: client's office hours
    assert report.extracted.working_hours is None
    assert report.extracted.price == 50000 and report.extracted.currency == "RUB"
    assert report.extracted.payment_due_days == 5
    assert report.extracted.revision_limit is None
    assert status["payment_terms"].location is not None and "2.3" in status["payment_terms"].location
    # drafts for every gap, in Russian, filled with the known terms
    draft = status["late_payment_penalty"].suggestion
    assert draft is not None and "пени" in draft
    assert "50 000 рублей" in (status["payment_terms"].suggestion or "50 000 рублей")
    assert all((c.suggestion is None) == (c.status == "present") for c in report.clauses)


def test_ru_markdown(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("\n".join(line if not line.startswith("# ") else "#" + line for line in RU_CONTRACT))
    _check_ru(path)


def test_ru_docx_with_list_and_table(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "c.docx", RU_CONTRACT)
    kinds = {b.kind for b in read_contract(path).blocks}
    assert {"heading", "clause", "item", "row"} <= kinds
    _check_ru(path)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu font needed for a Cyrillic PDF")
def test_ru_pdf_has_pages(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "c.pdf", RU_CONTRACT)
    _check_ru(path)
    report = check_contract(path)
    assert all("p. " in (c.location or "p. ") for c in report.clauses)


def _check_en(path: Path) -> None:
    report = check_contract(path)
    assert report.lang == "en"
    status = {c.id: c.status for c in report.clauses}
    assert status["scope"] == status["revision_limit"] == status["late_payment_penalty"] == "present"
    assert status["working_hours"] == "present"
    ext = report.extracted
    assert ext.revision_limit == 2 and ext.payment_due_days == 10
    assert ext.price == 1200 and ext.currency == "USD"
    assert ext.working_hours == WorkingHours(days=(0, 1, 2, 3), start="09:00", end="17:00")
    assert ext.late_fee_percent_per_day == 0.2 and ext.late_fee_cap_percent == 10


def test_en_docx_and_pdf_agree(tmp_path: Path) -> None:
    docx_path = make_docx(tmp_path / "c.docx", EN_CONTRACT)
    pdf_path = make_pdf(tmp_path / "c.pdf", EN_CONTRACT, cyrillic=False)
    _check_en(docx_path)
    _check_en(pdf_path)
    a, b = check_contract(docx_path), check_contract(pdf_path)
    assert [c.status for c in a.clauses] == [c.status for c in b.clauses]
    assert a.extracted == b.extracted


def test_scanned_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = make_blank_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="no text layer") as info:
        check_contract(path)
    assert "scan.pdf" in str(info.value)


def test_drafts_render_in_both_languages_with_terms() -> None:
    terms = ContractTerms(
        revision_limit=3,
        payment_due_days=7,
        price=40000,
        currency="RUB",
        working_hours=WorkingHours((0, 1, 2, 3, 4), "10:00", "18:00"),
        late_fee_percent_per_day=0.1,
    )
    for clause in CLAUSES:
        ru = render_draft(clause, "ru", terms)
        en = render_draft(clause, "en", terms)
        assert ru and en and detect_lang(ru) == "ru" and detect_lang(en) == "en"
    assert "не более 3 раундов" in render_draft("revision_limit", "ru", terms)
    assert "с понедельника по пятницу с 10:00 до 18:00" in render_draft("working_hours", "ru", terms)
    assert "within 7 days" in render_draft("payment_terms", "en", terms)
    assert "[2]" in render_draft("revision_limit", "en", None)  # unknown → bracketed suggestion
    assert "дополнительное соглашение" in render_offer("Сделайте ещё лендинг", "ru")


def test_report_json_shape(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "c.docx", EN_CONTRACT)
    data = json.loads(json.dumps(check_contract(path).as_json()))
    assert set(data) == {"clauses", "extracted"}
    assert [c["id"] for c in data["clauses"]] == list(CLAUSES)
    assert all(set(c) == {"id", "status", "quote", "location", "why", "suggestion"} for c in data["clauses"])
    assert set(data["extracted"]) == {
        "revision_limit",
        "payment_due_days",
        "price",
        "currency",
        "working_hours",
        "scope",
    }
    assert data["extracted"]["working_hours"] == {"days": [0, 1, 2, 3], "start": "09:00", "end": "17:00"}


def test_unnumbered_headings_get_numbers_by_order(tmp_path: Path) -> None:
    lines = [
        "# Договор оказания услуг",
        "# Предмет",
        "Исполнитель ежемесячно готовит 8 постов.",
        "# Оплата",
        "Заказчик оплачивает счёт в течение 3 рабочих дней с даты выставления.",
    ]
    report = check_contract(make_docx(tmp_path / "plain.docx", lines))
    where = {c.id: c.location for c in report.clauses}
    assert where["scope"] == "§1" and where["payment_terms"] == "§2"


PROFILE_DIR = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["video_ru.md", "bakery_en.md"])
def test_whole_contract_profiles(name: str, tmp_path: Path) -> None:
    """Whole contracts in wording not seen in the dev set, also as .docx copies."""
    expected = json.loads((PROFILE_DIR / "profiles.json").read_text(encoding="utf-8"))[name]
    source = PROFILE_DIR / name
    lines = [ln.lstrip("#").strip() and ("# " + ln.lstrip("# ") if ln.startswith("#") else ln)
             for ln in source.read_text(encoding="utf-8").splitlines() if ln.strip()]  # fmt: skip
    for path in (source, make_docx(tmp_path / f"{name}.docx", lines)):
        report = check_contract(path)
        profile = "".join({"present": "P", "weak": "W", "missing": "M"}[c.status] for c in report.clauses)
        assert profile == expected["profile"], path
        ext = report.extracted.as_json()
        for key in ("price", "currency", "payment_due_days", "revision_limit", "working_hours"):
            assert ext[key] == expected[key], (path, key)


def test_hard_wrapped_txt_is_glued(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "ДОГОВОР № 3\n\n1. ПРЕДМЕТ\n1.1. Исполнитель ежемесячно готовит 8 постов\nи 4 ролика для аккаунта.\n"
        "1.2. Заказчик оплачивает счёт в течение 5 рабочих\nдней с даты выставления.\n",
        encoding="utf-8",
    )
    report = check_contract(path)
    assert report.fmt == "txt"
    assert report.extracted.payment_due_days == 5
    assert {c.id: c.location for c in report.clauses}["payment_terms"] == "§1.2"


# QA pass 5, N8: in a flat contract ("1. …", "2. …" on single lines, no headings, no "3.1")
# a numbered sentence of 80 characters or more ending with "." was not taken as its
# clause, so it kept the number before it: "5. За просрочку оплаты … пени" was cited as §4
# (the reply drafts cite it: "Согласно п. 4 договора"), and "1. Исполнитель …" had none.
FLAT = (
    "Договор оказания услуг № 12 от 01.09.2026\n\n"
    "1. Исполнитель оказывает услуги по ведению социальных сетей Заказчика: 12 постов в месяц.\n"
    "2. Стоимость услуг составляет 45 000 (сорок пять тысяч) рублей в месяц.\n"
    "3. Заказчик оплачивает услуги в течение 5 рабочих дней после выставления счёта.\n"
    "4. Заказчик вправе запросить не более 2 раундов правок по каждому материалу.\n"
    "5. За просрочку оплаты Заказчик уплачивает пени 0,1% от суммы задолженности за каждый день просрочки.\n"
)


def test_flat_contract_cites_each_numbered_sentence(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text(FLAT, encoding="utf-8")
    where = {c.id: c.location for c in check_contract(path).clauses if c.status != "missing"}
    expected = {"scope": "§1", "payment_terms": "§3", "revision_limit": "§4", "late_payment_penalty": "§5"}
    assert where == expected
