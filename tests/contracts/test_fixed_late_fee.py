"""A late fee that is a sum per day or week, not a percentage (helper-159).

"Пени 500 рублей за каждый день просрочки", "штраф 1 000 ₽ в день", "a late fee of $25 per
day", "$50 per week late" were recognised as a late-payment clause but stored nothing and
said nothing: ``contract show`` printed "—", ``invoice list`` no fee, the drafts no
penalty. The reader now reads such a fee as what it is (a sum, its currency, per day or
week, ``late_fee.v3``), the store keeps it beside the rate (``contract_terms.late_fee_fixed``,
migration 0006), and every user of the late fee handles it: the fee of an overdue invoice
(the sum × days late, or × full weeks, capped where the contract caps it), ``contract
show``, ``invoice list``, the reply drafts; a fee in another currency than the invoice is
said to be not computed rather than left out. Contracts stored by ``late_fee.v2`` are offered
the new reading by ``contract reread``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from suite_helpers import run_main

from clientguard.contracts.checker import check_contract
from clientguard.contracts.clauses import ClauseHit
from clientguard.contracts.invoices import fixed_late_fee, invoice_statuses, overdue_invoices
from clientguard.contracts.repo import (
    add_invoice,
    save_contract,
    set_terms,
    term_origins,
    terms_record,
)
from clientguard.contracts.reread import older_late_fee, reread
from clientguard.contracts.terms import FixedLateFee, LateFee, _late_fee, reader_version
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.playbook import render_reply
from clientguard.playbook.store_facts import facts_from_store
from clientguard.store import Store, open_store
from clientguard.store.models_contracts import TermOriginRow
from clientguard.store.models_evidence import EvidenceRecordRow

RU = """# Договор оказания услуг SMM

1. Исполнитель ведёт аккаунт Заказчика в Instagram: 12 постов в месяц.

2. Стоимость услуг составляет 40 000 рублей в месяц, оплата в течение 5 рабочих дней после выставления счёта.

3. За просрочку оплаты Заказчик уплачивает пени 500 рублей за каждый день просрочки.
"""
EN_WEEK = """# Social media services agreement

1. Scope: 12 posts a month on Instagram.

2. Fees: USD 1,500 a month, payable within 14 days of the invoice.

3. Late payment: the Client shall pay a late fee of $50 per week late.
"""
C = "Кофейня «Пенка»"
DUE, TODAY = "2025-05-01", date(2025, 5, 11)  # a Thursday; 10 days late on TODAY

CASES = [
    # (clause quote, the fee read, cap %)
    ("В случае просрочки оплаты Заказчик уплачивает пени 500 рублей за каждый день просрочки.",
     FixedLateFee(500, "day", "RUB"), None),
    ("Штраф 1 000 ₽ в день просрочки платежа.", FixedLateFee(1000, "day", "RUB"), None),
    ("The Client shall pay a late fee of $25 per day.", FixedLateFee(25, "day", "USD"), None),
    # every week begun, unless the clause says "full" (see test_fixed_fee_cap_weeks.py)
    ("A fee of $50 per week late applies to unpaid invoices.", FixedLateFee(50, "week_started", "USD"), None),
    ("Пени 300 руб. в день, но не более 10% от суммы счёта.", FixedLateFee(300, "day", "RUB"), 10.0),
    # "пени" accrue per day by convention, as a bare rate of them does
    ("Заказчик уплачивает пени 200 рублей.", FixedLateFee(200, "day", "RUB"), None),
]  # fmt: skip


@pytest.mark.parametrize(("quote", "fee", "cap"), CASES, ids=[c[0][:40] for c in CASES])
def test_a_sum_per_day_or_week_is_read_as_a_fixed_fee(
    quote: str, fee: FixedLateFee, cap: float | None
) -> None:
    hit = ClauseHit("late_payment_penalty", "present", "late_payment_penalty.rate", quote, None, "")
    assert _late_fee(hit) == LateFee(None, cap, None, fee)


def test_a_one_off_fine_and_a_rate_are_not_fixed_fees() -> None:
    one_off = ClauseHit(
        "late_payment_penalty", "present", "x", "Штраф 5 000 рублей за просрочку оплаты.", None, ""
    )
    assert _late_fee(one_off) == LateFee()  # charged once: not a fee that accrues
    rate = ClauseHit(
        "late_payment_penalty", "present", "x", "Пени 0,1 % в день, но не менее 500 рублей.", None, ""
    )
    assert _late_fee(rate) == LateFee(0.1)


def test_the_reader_version_is_raised() -> None:
    assert reader_version() == "late_fee.v5"


def test_the_fee_accrues_per_day_or_full_week_while_unpaid_and_stops_at_the_cap() -> None:
    due, day = date(2025, 5, 1), FixedLateFee(500, "day", "RUB")
    assert fixed_late_fee(40000, due, date(2025, 5, 11), [], day) == 5000
    assert fixed_late_fee(40000, due, date(2025, 5, 1), [], day) == 0
    # paid in full on the 5th: late the 2nd to the 4th (as a rate, not on the day paid)
    assert fixed_late_fee(40000, due, date(2025, 5, 11), [(date(2025, 5, 5), 40000)], day) == 1500
    # a part payment does not lower a sum per day: still unpaid, still 500 a day
    assert fixed_late_fee(40000, due, date(2025, 5, 11), [(date(2025, 5, 3), 30000)], day) == 5000
    assert fixed_late_fee(40000, due, date(2025, 5, 11), [], day, cap_percent=10) == 4000
    week = FixedLateFee(50, "week", "USD")
    assert fixed_late_fee(1500, due, date(2025, 5, 7), [], week) == 0  # six days: no full week
    assert fixed_late_fee(1500, due, date(2025, 5, 16), [], week) == 100  # fifteen days: two weeks


def _saved(store: Store, tmp_path: Path, text: str = RU, client: str = C) -> Path:
    path = tmp_path / "contract.md"
    path.write_text(text, encoding="utf-8")
    save_contract(store, client, path, check_contract(path))
    return path


def test_a_stored_fixed_fee_gives_the_invoices_their_fee_and_stays_on_the_evidence_log(
    store: Store, tmp_path: Path
) -> None:
    _saved(store, tmp_path)
    stored = terms_record(store, C)
    assert stored is not None and stored.late_fee_fixed == FixedLateFee(500, "day", "RUB")
    assert stored.terms.late_fee_percent_per_day is None
    assert term_origins(store, C)["late_fee_fixed"].reader == reader_version()
    add_invoice(store, C, 40000, due=DUE, issued="2025-04-20", number="1")
    [st] = overdue_invoices(store, C, TODAY)
    assert (st.late_fee, st.late_fee_fixed, st.has_late_fee) == (5000, FixedLateFee(500, "day", "RUB"), True)
    assert st.as_json()["late_fee_fixed"] == {"amount": 500, "per": "day", "currency": "RUB"}
    # a rate set by hand is the user's: it wins, and the sum stays stored beside it
    set_terms(store, C, late_fee_percent_per_day=0.1)
    after = terms_record(store, C)
    assert after is not None and after.late_fee_fixed == FixedLateFee(500, "day", "RUB")
    [st] = overdue_invoices(store, C, TODAY)
    assert (st.late_fee, st.late_fee_rate, st.late_fee_fixed) == (400, 0.1, None)
    with store.engine.connect() as conn:
        report = verify_client(conn, resolve_client(conn, C))
    assert report.ok, report.problems


def test_a_terms_row_without_a_fixed_fee_is_logged_as_before(store: Store) -> None:
    """Rows logged before migration 0006 have no ``late_fee_fixed`` key: one written now
    without a fixed fee must read the same, or every stored terms row would verify as edited."""
    set_terms(store, C, revision_limit=2)
    with store.engine.connect() as conn:
        payloads = conn.scalars(
            select(EvidenceRecordRow.payload).where(EvidenceRecordRow.ref.like("contract_terms:%"))
        ).all()
    assert payloads and all("late_fee_fixed" not in json.loads(p) for p in payloads)


def test_a_fee_in_another_currency_is_said_not_computed(store: Store, tmp_path: Path) -> None:
    _saved(store, tmp_path, EN_WEEK, "Acme")
    add_invoice(store, "Acme", 40000, due=DUE, issued="2025-04-20", number="1", currency="RUB")
    [st] = overdue_invoices(store, "Acme", date(2025, 5, 20))
    assert st.late_fee == 0 and st.late_fee_other_currency and not st.has_late_fee
    add_invoice(store, "Acme", 1500, due=DUE, issued="2025-04-20", number="2", currency="USD")
    usd = next(s for s in invoice_statuses(store, "Acme", date(2025, 5, 20)) if s.invoice.id == "2")
    assert (usd.late_fee, usd.late_fee_other_currency) == (150, False)  # 19 days: three weeks begun


def test_a_contract_stored_by_the_v2_reader_is_offered_the_fixed_fee(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "contract.md"
    path.write_text(RU, encoding="utf-8")
    report = check_contract(path)
    # as late_fee.v2 stored it: no fee and no word why
    save_contract(store, C, path, replace(report, extracted=replace(report.extracted, late_fee_fixed=None)))
    with store.engine.begin() as conn:
        conn.execute(update(TermOriginRow).values(reader="late_fee.v2"))
    assert terms_record(store, C).late_fee_fixed is None  # type: ignore[union-attr]
    add_invoice(store, C, 40000, due=DUE, issued="2025-04-20", number="1")
    assert overdue_invoices(store, C, TODAY)[0].late_fee == 0
    assert older_late_fee(store, C) is not None  # `invoice list` tells the user
    [found] = reread(store, [C], apply=False)
    assert [(c.field, c.old, c.new) for c in found.changes] == [
        ("late_fee_fixed", None, FixedLateFee(500, "day", "RUB"))
    ]
    reread(store, [C])
    assert overdue_invoices(store, C, TODAY)[0].late_fee == 5000
    assert older_late_fee(store, C) is None


@pytest.mark.parametrize(
    ("lang", "rule", "penalty"),
    [
        ("ru", "неустойка 500\u00a0₽ за каждый день просрочки", "10\u00a0дней"),
        ("en", "a penalty of 500\u00a0RUB per day late", "10\u00a0days"),
    ],
)
def test_the_claim_quotes_the_fixed_fee_and_its_sum(
    store: Store, tmp_path: Path, lang: str, rule: str, penalty: str
) -> None:
    _saved(store, tmp_path)
    add_invoice(store, C, 40000, due=DUE, issued="2025-04-20", number="1")
    facts = facts_from_store(store, C)
    facts = replace(facts, penalty_amount=overdue_invoices(store, C, TODAY)[0].late_fee, days_overdue=10)
    flat = " ".join(render_reply("payment_formal_claim", facts, "neutral", lang).split())  # NBSP too
    assert rule.replace("\u00a0", " ") in flat, flat
    assert ("5 000 ₽" if lang == "ru" else "5,000 RUB") in flat
    assert penalty.replace("\u00a0", " ") in flat


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


@pytest.mark.parametrize(
    ("lang", "show", "listed"),
    [
        ("ru", "пени, сумма: 500 ₽ за каждый день просрочки", "500 ₽ в день"),
        ("en", "late fee, fixed sum: 500 RUB per day late", "500 RUB/day"),
    ],
)
def test_contract_show_and_invoice_list_name_the_fixed_fee(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    db: str,
    lang: str,
    show: str,
    listed: str,
) -> None:
    path = tmp_path / "contract.md"
    path.write_text(RU, encoding="utf-8")

    monkeypatch.setenv("CLIENTGUARD_LANG", lang)  # `contract add --lang` is the contract's language

    def run(*args: str) -> str:
        code, out, err = run_main(monkeypatch, capsys, *args, "--db", db)
        assert code == 0, err
        return " ".join(out.replace("\u00a0", " ").split())

    run("contract", "add", C, str(path), "--yes", "--create-client")
    assert show in run("contract", "show", C)
    shown = json.loads(run("contract", "show", C, "--json"))
    assert shown["late_fee_fixed"] == {"amount": 500, "per": "day", "currency": "RUB"}
    run("invoice", "add", C, "40000", "--due", DUE, "--issued", "2025-04-20")
    out = run("invoice", "list", C, "--today", TODAY.isoformat())
    assert listed in out and ("5 000" if lang == "ru" else "5,000") in out, out


def test_check_shows_the_fixed_fee(tmp_path: Path) -> None:
    path = tmp_path / "agreement.md"
    path.write_text(EN_WEEK, encoding="utf-8")
    ext = check_contract(path).extracted
    assert (
        ext.late_fee_fixed == FixedLateFee(50, "week_started", "USD") and ext.late_fee_percent_per_day is None
    )
    assert ext.late_fee_fixed.worded("en") == "50\u00a0USD per week late or part of a week"


def test_a_stored_database_opens_with_the_new_column(tmp_path: Path) -> None:
    """Upgrading adds the column and stored rows read as having no fixed fee."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    with open_store(url) as store:
        set_terms(store, C, revision_limit=2)
    with open_store(url) as store:
        stored = terms_record(store, C)
    assert stored is not None and stored.late_fee_fixed is None and stored.terms.revision_limit == 2
