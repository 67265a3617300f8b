"""Refunds and credits of invoices (helper-113).

Money given back to a client (a refund, возврат: the client paid 60 000, the project
stopped, 20 000 went back) and an amount taken off an invoice after it was issued (a
credit, уменьшение суммы счёта: a discount agreed later) could not be recorded: the only
way was to void a real payment, which falsified the history. ``invoice refund`` /
``invoice credit`` add a row to ``invoice_adjustments`` (never an edit), chained in the
evidence log; ``invoice void-refund`` cancels one recorded by mistake. Every figure reads
the net amounts: ``invoice list``, overdue, late fee, stage, the profile, the drafts and
the team revenue.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from suite_helpers import freeze_today, run_main

from clientguard.contracts.invoices import invoice_statuses, overdue_invoices
from clientguard.contracts.repo import (
    VoidRefused,
    add_invoice,
    adjustments,
    credit_invoice,
    invoice_payments,
    invoices,
    pay_invoice,
    refund_invoice,
    set_terms,
    void_adjustment,
    void_invoice,
    void_payment,
)
from clientguard.errors import ConfigError, StorageError
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store, open_store

C = "Кофейня «Пенка»"
TODAY = date.today()


@pytest.fixture(autouse=True)
def _same_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code's "today" is this module's TODAY even when the run crosses midnight."""
    freeze_today(monkeypatch, TODAY)
ISSUED = (TODAY - timedelta(days=60)).isoformat()
DUE = (TODAY - timedelta(days=30)).isoformat()
PAID_ON = (TODAY - timedelta(days=50)).isoformat()  # before the due date
BACK_ON = (TODAY - timedelta(days=10)).isoformat()


def report(store: Store) -> VerifyReport:
    """``evidence verify`` of the client."""
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, C))


def clean(store: Store) -> None:
    found = report(store)
    assert found.ok and found.pending == 0, found.problems


def _paid(store: Store, amount: float = 60000, paid: float | None = None) -> None:
    add_invoice(store, C, amount, due=DUE, issued=ISSUED, number="1")
    pay_invoice(store, C, "1", on=PAID_ON, amount=paid)


# --------------------------------------------------------------------------- refunds


def test_a_refund_after_a_cancelled_project_lowers_paid_and_billed_alike(store: Store) -> None:
    _paid(store)
    done = refund_invoice(store, C, "1", 20000, BACK_ON, "проект остановлен")
    assert (done.kind, done.amount, done.on) == ("refund", 20000, BACK_ON)
    clean(store)
    [inv] = invoices(store, C)
    assert (inv.amount, inv.paid_amount, inv.paid_on) == (40000, 40000, PAID_ON)
    assert invoice_payments(store, C) == {"1": [(PAID_ON, 40000.0)]}
    # the payment itself is untouched: the refund is a row of its own
    assert invoice_payments(store, C, include_voided=True) == {"1": [(PAID_ON, 60000.0)]}
    [st] = invoice_statuses(store, C)
    assert st.outstanding == 0 and not st.overdue and st.stage is None
    row = st.as_json()
    assert (row["amount"], row["refunded"], row["credited"], row["net_amount"]) == (60000, 20000, 0, 40000)
    # the money returned is not due again: no payment can be recorded
    with pytest.raises(ConfigError, match="already paid in full"):
        pay_invoice(store, C, "1", on=BACK_ON)
    # as of a day before the refund, it is not there yet
    [before] = invoice_statuses(store, C, TODAY - timedelta(days=20))
    assert before.refunded == 0 and before.invoice.paid_amount == 60000


def test_a_refund_on_a_partly_paid_invoice_leaves_the_debt_as_it_was(store: Store) -> None:
    _paid(store, paid=30000)
    refund_invoice(store, C, "1", 10000, BACK_ON, "спор о качестве")
    [st] = invoice_statuses(store, C)
    assert st.outstanding == 30000 and st.overdue
    assert st.invoice.amount == 50000 and st.invoice.paid_amount == 20000
    # the rest can still be paid, and then the invoice is settled
    pay_invoice(store, C, "1", on=BACK_ON)
    [st] = invoice_statuses(store, C)
    assert st.outstanding == 0 and st.invoice.paid_amount == 50000
    clean(store)


def test_over_refunds_and_refunds_of_unpaid_or_voided_invoices_are_refused(store: Store) -> None:
    _paid(store, paid=30000)
    with pytest.raises(VoidRefused, match="at most the 30,000 RUB paid") as over:
        refund_invoice(store, C, "1", 30000.01, BACK_ON, "x")
    assert over.value.key == "refund_over"
    refund_invoice(store, C, "1", 25000, BACK_ON, "первый возврат")
    with pytest.raises(VoidRefused, match="at most the 5,000 RUB paid net of earlier refunds"):
        refund_invoice(store, C, "1", 6000, BACK_ON, "x")
    # before the payment arrived, nothing had been paid to give back
    with pytest.raises(VoidRefused, match="nothing was paid") as early:
        refund_invoice(store, C, "1", 100, (TODAY - timedelta(days=55)).isoformat(), "x")
    assert early.value.key == "refund_unpaid"
    add_invoice(store, C, 4500, due=DUE, issued=ISSUED, number="2")
    with pytest.raises(VoidRefused, match="nothing was paid"):
        refund_invoice(store, C, "2", 100, BACK_ON, "x")
    with pytest.raises(VoidRefused, match="give a reason"):
        refund_invoice(store, C, "1", 100, BACK_ON, "  ")
    with pytest.raises(ConfigError, match="in the future"):
        refund_invoice(store, C, "1", 100, TODAY + timedelta(days=1), "x")
    with pytest.raises(ConfigError, match="at most 2 decimal places"):
        refund_invoice(store, C, "1", 0.001, BACK_ON, "x")
    with pytest.raises(ConfigError, match="more than 0"):
        refund_invoice(store, C, "1", -5, BACK_ON, "x")
    void_invoice(store, C, "2", "typo")
    with pytest.raises(VoidRefused, match="voided"):
        refund_invoice(store, C, "2", 100, BACK_ON, "x")
    assert [a.amount for a in adjustments(store, C)] == [25000]
    clean(store)


# --------------------------------------------------------------------------- credits


def test_a_full_credit_settles_an_overdue_invoice_without_a_late_fee(store: Store) -> None:
    set_terms(store, C, late_fee_percent_per_day=0.1)
    add_invoice(store, C, 10000, due=DUE, issued=ISSUED, number="1")
    [st] = overdue_invoices(store, C)
    assert st.late_fee > 0 and st.stage is not None
    credit_invoice(store, C, "1", 10000, BACK_ON, "проект отменён по соглашению")
    clean(store)
    assert overdue_invoices(store, C) == []
    [st] = invoice_statuses(store, C)
    assert (st.outstanding, st.days_overdue, st.late_fee, st.stage, st.next_step) == (0, 0, 0, None, None)
    assert st.credited == 10000 and st.billed == 10000 and st.invoice.amount == 0
    # settled from the issue date: nothing was owed, so nothing was paid late either
    assert st.invoice.paid_on == ISSUED
    with pytest.raises(ConfigError, match="already paid in full"):
        pay_invoice(store, C, "1", on=BACK_ON)


def test_a_partial_credit_lowers_what_is_due_and_the_late_fee_base(store: Store) -> None:
    set_terms(store, C, late_fee_percent_per_day=0.1)
    add_invoice(store, C, 10000, due=DUE, issued=ISSUED, number="1")
    [full] = invoice_statuses(store, C)
    credit_invoice(store, C, "1", 4000, BACK_ON, "скидка")
    [st] = invoice_statuses(store, C)
    assert st.outstanding == 6000 and st.overdue and st.invoice.amount == 6000
    assert st.late_fee == pytest.approx(full.late_fee * 0.6, abs=0.01)
    pay_invoice(store, C, "1", on=BACK_ON)
    assert invoices(store, C)[0].paid_amount == 6000
    clean(store)


def test_credits_above_what_is_due_are_refused(store: Store) -> None:
    _paid(store, amount=10000, paid=4000)
    with pytest.raises(VoidRefused, match="at most the 6,000 RUB still due") as over:
        credit_invoice(store, C, "1", 7000, BACK_ON, "x")
    assert over.value.key == "credit_over"
    credit_invoice(store, C, "1", 6000, BACK_ON, "скидка")
    with pytest.raises(VoidRefused, match="nothing is due") as nothing:
        credit_invoice(store, C, "1", 1, BACK_ON, "x")
    assert nothing.value.key == "credit_nothing_due"
    [st] = invoice_statuses(store, C)
    assert st.outstanding == 0 and st.invoice.paid_on == PAID_ON and not st.overdue


# --------------------------------------------------------------------------- voids


def test_a_refund_or_credit_recorded_by_mistake_is_voided_not_edited(store: Store) -> None:
    _paid(store, amount=10000, paid=4000)
    refund = refund_invoice(store, C, "1", 1000, BACK_ON, "возврат")
    credit_invoice(store, C, "1", 2000, BACK_ON, "скидка")
    with pytest.raises(VoidRefused, match="several refunds and credits"):
        void_adjustment(store, C, "1", "ошибка")
    done, void = void_adjustment(store, C, "1", "не тот счёт", refund.id)
    assert done.id == refund.id and void.reason == "не тот счёт"
    with pytest.raises(VoidRefused, match="already voided"):
        void_adjustment(store, C, "1", "again", refund.id)
    [st] = invoice_statuses(store, C)
    assert (st.refunded, st.credited, st.outstanding, st.invoice.paid_amount) == (0, 2000, 4000, 4000)
    void_adjustment(store, C, "1", "и скидки не было")  # the only one still counting
    [st] = invoice_statuses(store, C)
    assert (st.credited, st.outstanding) == (0, 6000)
    assert [a.void is not None for a in adjustments(store, C)] == [True, True]
    clean(store)


def test_voiding_the_payment_a_refund_came_out_of_is_refused(store: Store) -> None:
    _paid(store, amount=10000, paid=4000)
    refund_invoice(store, C, "1", 3000, BACK_ON, "возврат")
    with pytest.raises(VoidRefused, match="void the refund first") as refused:
        void_payment(store, C, "1", "ошибка")
    assert refused.value.key == "payment_refunded"
    void_adjustment(store, C, "1", "возврата не было")
    void_payment(store, C, "1", "ошибка")
    assert invoices(store, C)[0].paid_amount is None


def test_a_voided_invoice_with_a_refund_is_listed_as_issued(store: Store) -> None:
    _paid(store)
    refund_invoice(store, C, "1", 20000, BACK_ON, "возврат")
    void_invoice(store, C, "1", "не тот клиент")
    assert invoices(store, C) == []
    [gone] = invoice_statuses(store, C, include_voided=True)
    assert gone.void is not None and gone.invoice.amount == 60000 and gone.outstanding == 0


# --------------------------------------------------------------------------- evidence log


def test_an_edited_refund_is_tampering_and_blocks_the_writes_built_on_it(store: Store) -> None:
    _paid(store, amount=10000, paid=4000)
    refund_invoice(store, C, "1", 1000, BACK_ON, "возврат")
    clean(store)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_adjustments SET amount = 4000"))
    edited = report(store)
    assert [(p.what, p.kind) for p in edited.problems] == [("source_changed", "adjustment")]
    for write in (
        lambda: refund_invoice(store, C, "1", 1, BACK_ON, "x"),
        lambda: credit_invoice(store, C, "1", 1, BACK_ON, "x"),
        lambda: pay_invoice(store, C, "1", on=BACK_ON, amount=1),
        lambda: void_adjustment(store, C, "1", "x"),
    ):
        with pytest.raises(StorageError, match=r"invoice_adjustments:1.*amount"):
            write()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invoice_adjustments")).scalar() == 1


def test_a_credit_inserted_behind_the_tool_is_tampering_and_blocks_a_payment(store: Store) -> None:
    _paid(store, amount=10000, paid=4000)
    with store.engine.begin() as conn:
        cid, inv = conn.execute(text("SELECT client_id, id FROM invoices")).one()
        conn.execute(
            text(
                "INSERT INTO invoice_adjustments"
                " (client_id, invoice_id, kind, amount, date, reason, recorded_at)"
                " VALUES (:c, :i, 'credit', 6000, :d, 'forged', :t)"
            ),
            {"c": cid, "i": inv, "d": BACK_ON, "t": "2026-01-01 00:00:00"},
        )
    inserted = report(store)
    assert [(p.what, p.kind) for p in inserted.problems] == [("inserted", "adjustment")]
    # the forged credit would make the invoice settled by the properly logged payment
    with pytest.raises(StorageError, match="invoice_adjustments"):
        pay_invoice(store, C, "1", on=BACK_ON)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM invoice_adjustments"))
    clean(store)


def test_a_sync_after_refunds_and_credits_logs_nothing_twice(store: Store) -> None:
    from clientguard.evidence.log import sync

    _paid(store, amount=10000, paid=4000)
    refund_invoice(store, C, "1", 1000, BACK_ON, "возврат")
    credit_invoice(store, C, "1", 500, BACK_ON, "скидка")
    void_adjustment(store, C, "1", "ошибка", adjustments(store, C)[1].id)
    with store.engine.begin() as conn:
        assert sync(conn, resolve_client(conn, C)) == 0
    clean(store)


def test_a_sync_does_not_log_again_a_refund_or_void_made_on_an_older_database(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The invoice and payment written by an older clientguard (no record hook): the first
    logged write (the refund) draws the client's line after itself, and each sync logged
    the refund (and a void) again as if it were missing."""
    from clientguard.evidence.log import sync

    with monkeypatch.context() as m:
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        _paid(store, amount=10000, paid=4000)
        add_invoice(store, C, 500, due=DUE, issued=ISSUED, number="2")
    refund_invoice(store, C, "1", 1000, BACK_ON, "возврат")
    void_invoice(store, C, "2", "опечатка")
    with store.engine.begin() as conn:
        cid = resolve_client(conn, C)
        assert sync(conn, cid) == 3  # the two invoices and the payment the older version wrote
        assert sync(conn, cid) == 0
    clean(store)


def test_the_contracts_branch_upgrades_from_the_voids_head(db_url: str) -> None:
    """A database at ``0003_contracts_voids`` with a paid invoice gains ``invoice_adjustments``."""
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config, current, heads

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003_contracts_voids")
    with engine.connect() as conn:
        assert "invoice_adjustments" not in inspect(conn).get_table_names()
    engine.dispose()
    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert current(conn) == heads()  # the contracts branch's head, whichever it is now
            assert "invoice_adjustments" in inspect(conn).get_table_names()
        _paid(store, amount=10000)
        refund_invoice(store, C, "1", 1000, BACK_ON, "возврат")
        assert invoices(store, C)[0].amount == 9000
        clean(store)


# --------------------------------------------------------------------------- readers


def test_the_profile_drafts_and_revenue_read_the_net_amounts(store: Store) -> None:
    from clientguard.analysis.case import CaseFile
    from clientguard.analysis.records import invoice_status
    from clientguard.analysis.stored import with_stored_records
    from clientguard.playbook.store_facts import facts_from_store
    from clientguard.web.profiles import cache_keys, fingerprint
    from clientguard.web.timelog import _revenue

    _paid(store)  # 60 000, paid in full
    add_invoice(store, C, 10000, due=DUE, issued=ISSUED, number="2")  # overdue
    with store.engine.connect() as conn:
        cid = int(conn.execute(text("SELECT client_id FROM invoices LIMIT 1")).scalar_one())
    assert _revenue(store, {cid: {}}) == {cid: [(70000.0, "RUB")]}
    assert facts_from_store(store, C).amount == 10000
    keys, whole = cache_keys(store)[cid], fingerprint(store)

    refund_invoice(store, C, "1", 20000, BACK_ON, "проект остановлен")
    credit_invoice(store, C, "2", 4000, BACK_ON, "скидка")
    assert cache_keys(store)[cid] != keys and fingerprint(store) != whole
    assert _revenue(store, {cid: {}}) == {cid: [(46000.0, "RUB")]}
    facts = facts_from_store(store, C)
    assert facts.invoice_id == "2" and facts.amount == 6000
    case = with_stored_records(CaseFile.model_validate({}), store, C)
    amounts = {i.id: i.amount for i in case.invoices}
    assert amounts == {"1": 40000, "2": 6000}
    status = {s.id: s for s in invoice_status(case, TODAY)}
    assert status["1"].status == "paid" and status["2"].status == "overdue"
    # the rest of invoice 2 credited: nothing overdue is left in the profile or the drafts
    credit_invoice(store, C, "2", 6000, BACK_ON, "проект отменён")
    case = with_stored_records(CaseFile.model_validate({}), store, C)
    assert [s.status for s in invoice_status(case, TODAY)] == ["paid", "paid"]
    assert facts_from_store(store, C).invoice_id is None
    assert _revenue(store, {cid: {}}) == {cid: [(40000.0, "RUB")]}


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


WORDS = {
    "ru": {
        "refunded": f"возврат 20 000 ₽ от {BACK_ON} по счёту 1 (проект остановлен)",
        "net": "оплачено с учётом возвратов 40 000 ₽, к оплате 0 ₽",
        "over": "не больше оплаченного за вычетом прежних возвратов — 40 000 ₽, указано 50 000",
        "unpaid": "возвращать нечего",
        "settled": "счёт закрыт, к оплате ничего",
        "credit_over": "не больше остатка к оплате — 10 000 ₽, указано 12 000",
        "voided": f"возврат 20 000 ₽ от {BACK_ON} по счёту 1: запись аннулирована",
        "mark": "60 000 → 40 000 ₽",
        "settled_stage": "закрыт",
        "cents": "возврат: не больше 2 знаков после запятой",
        "ambiguous": "можно понять двояко",
    },
    "en": {
        "refunded": f"refund of 20,000 RUB on {BACK_ON}, invoice 1 (проект остановлен)",
        "net": "paid net of refunds 40,000 RUB, 0 RUB due",
        "over": "expected at most the 40,000 RUB paid net of earlier refunds, got 50,000",
        "unpaid": "there is nothing to give back",
        "settled": "the invoice is settled, nothing due",
        "credit_over": "expected at most the 10,000 RUB still due, got 12,000",
        "voided": f"refund of 20,000 RUB on {BACK_ON}, invoice 1: voided",
        "mark": "60,000 → 40,000 RUB",
        "settled_stage": "settled",
        "cents": "refund: expected at most 2 decimal places",
        "ambiguous": "ambiguous",
    },
}


def _flat(text: str) -> str:
    """Lines joined, no-break spaces (Russian thousands) as spaces: what the assertions compare."""
    return "\n".join(" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines())


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_cli_refund_credit_and_void_refund_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, lang: str
) -> None:
    words = WORDS[lang]

    def run(*args: str) -> tuple[int, str, str]:
        code, out, err = run_main(monkeypatch, capsys, *args, "--lang", lang, "--db", db)
        return code, out if "--json" in args else _flat(out), _flat(err)

    for args in (
        ("invoice", "add", C, "60000", "--due", DUE, "--issued", ISSUED, "--create-client"),
        ("invoice", "paid", C, "1", "--on", PAID_ON),
        ("invoice", "add", C, "10000", "--due", DUE, "--issued", ISSUED),
    ):
        code, _out, err = run(*args)
        assert code == 0, err
    code, out, err = run(
        "invoice", "refund", C, "1", "20000", "--date", BACK_ON, "--reason", "проект остановлен"
    )
    assert code == 0, err
    assert words["refunded"] in out and words["net"] in out
    for args, key in (
        (("invoice", "refund", C, "1", "50000", "--date", BACK_ON, "--reason", "x"), "over"),
        (("invoice", "refund", C, "2", "100", "--date", BACK_ON, "--reason", "x"), "unpaid"),
        (("invoice", "credit", C, "2", "12000", "--date", BACK_ON, "--reason", "x"), "credit_over"),
    ):
        code, out, err = run(*args)
        assert code != 0 and words[key] in err and len(err.splitlines()) == 1 and "Traceback" not in err, err
    # amounts are read as `invoice paid` reads them: "45.000" is ambiguous, kopecks at most
    code, _out, err = run("invoice", "credit", C, "2", "10.000", "--date", BACK_ON, "--reason", "x")
    assert code != 0 and words["ambiguous"] in err
    code, _out, err = run("invoice", "refund", C, "1", "0.001", "--date", BACK_ON, "--reason", "x")
    assert code != 0 and words["cents"] in err
    # `--on`, as `invoice paid` names the day, is read as `--date` too
    code, out, err = run("invoice", "credit", C, "2", "10 000", "--on", BACK_ON, "--reason", "отменён")
    assert code == 0 and words["settled"] in out, err
    code, out, _ = run("invoice", "list", C, "--overdue")
    assert code == 0 and C not in out
    code, out, _ = run("invoice", "list", C)
    flat = " ".join(out.split())
    assert words["mark"] in flat and words["settled_stage"] in flat, out
    code, out, _ = run("invoice", "list", C, "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert (rows["1"]["amount"], rows["1"]["refunded"], rows["1"]["net_amount"]) == (60000, 20000, 40000)
    assert rows["2"]["credited"] == 10000 and rows["2"]["outstanding"] == 0
    [refund] = rows["1"]["refunds"]
    assert (refund["kind"], refund["amount"], refund["date"], refund["voided"]) == (
        "refund",
        20000,
        BACK_ON,
        None,
    )
    code, out, err = run("invoice", "void-refund", C, "1", "--id", str(refund["id"]), "--reason", "ошибка")
    assert code == 0 and words["voided"] in out, err
    code, out, _ = run("invoice", "list", C, "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["1"]["refunded"] == 0 and rows["1"]["refunds"][0]["voided"]["reason"] == "ошибка"
    code, out, _ = run("evidence", "verify", C)
    assert code == 0, out


def test_cli_lists_an_invoice_refunded_in_full_as_settled_not_paid(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    for args in (
        ("invoice", "add", C, "500", "--due", DUE, "--issued", ISSUED, "--create-client"),
        ("invoice", "paid", C, "1", "--on", PAID_ON),
        ("invoice", "refund", C, "1", "500", "--date", BACK_ON, "--reason", "отказ от проекта"),
    ):
        code, _out, err = run_main(monkeypatch, capsys, *args, "--db", db)
        assert code == 0, err
    code, out, _ = run_main(monkeypatch, capsys, "invoice", "list", C, "--lang", "en", "--db", db)
    flat = _flat(out)
    assert code == 0 and "500 → 0 RUB" in flat and "settled" in flat and "paid" not in flat, out


def test_the_evidence_export_words_refunds_and_credits_and_nets_the_invoice(store: Store) -> None:
    """The export printed a refund or credit as raw ``key: value`` lines and its invoices
    table still claimed the credited amount as owed: a wrong debt in a dispute document."""
    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import render

    add_invoice(store, C, 10000, due=DUE, issued=ISSUED, number="1")
    pay_invoice(store, C, "1", on=PAID_ON, amount=4000)
    credit_invoice(store, C, "1", 6000, BACK_ON, "скидка по договорённости")
    refund_invoice(store, C, "1", 1000, BACK_ON, "лишний пост не вышел")
    add_invoice(store, C, 3000, due=DUE, issued=ISSUED, number="2")
    mistake = credit_invoice(store, C, "2", 500, BACK_ON, "не тому счёту")
    void_adjustment(store, C, "2", "ошибка", mistake.id)
    with store.engine.connect() as conn:
        cid = resolve_client(conn, C)
    data = prepare(store.engine, cid)
    assert data.verified
    out = json.loads(render(data, "json"))
    rows = {i["number"]: i for i in out["invoices"]}
    # as `invoice list` nets it: 10 000 less the 6 000 credit and the 1 000 returned; paid 4 000 - 1 000
    one = rows["1"]
    assert (one["credited"], one["refunded"], one["paid_amount"], one["outstanding"]) == (6000, 1000, 3000, 0)
    assert [(i.amount, i.paid_amount) for i in invoices(store, C) if i.id == "1"] == [(3000, 3000)]
    two = rows["2"]  # the voided credit takes nothing off
    assert (two["credited"], two["refunded"], two["outstanding"]) == (0, 0, 3000)
    lines = [e["text"] for e in out["chronology"] if e["kind"] == "adjustment"]
    assert len(lines) == 4  # the JSON keeps each record's own fields; the documents word them
    ru, en = render(data, "html", "ru").decode(), render(data, "html", "en").decode()
    assert "kind: credit" not in ru and "kind: refund" not in en
    assert "сумма счёта № 1 уменьшена на 6\u00a0000\u00a0RUB" in ru
    assert "возврат 1\u00a0000\u00a0RUB по счёту № 1" in ru
    assert "аннулировано уменьшение суммы счёта № 2 на 500\u00a0RUB: ошибка" in ru
    assert "уменьшение #" not in ru
    assert "invoice no. 1 credited by 6,000\u00a0RUB" in en
    assert "refund of 1,000\u00a0RUB on invoice no. 1" in en
    assert "Возвращено" in ru and "refunded" in en
