"""Voiding a wrong invoice or payment (helper-103's QA finding).

An invoice typed as 45000 instead of 4500, or a payment recorded on the wrong invoice,
could not be corrected: invoices and payments are append-only (the evidence log hashes
every column), so the typo stayed overdue for ever in ``invoice list``, the profile, the
risk score and the payment drafts. ``invoice void`` / ``invoice void-payment`` add a row to
``invoice_voids`` (never an edit), chained in the log; a voided invoice or payment counts
nowhere and stays visible in ``invoice list --all`` and the evidence log.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from suite_helpers import run_main

from clientguard.contracts.invoices import invoice_statuses, overdue_invoices
from clientguard.contracts.repo import (
    VoidRefused,
    add_invoice,
    invoice_payments,
    invoices,
    pay_invoice,
    void_invoice,
    void_payment,
)
from clientguard.errors import ConfigError, NotFoundError
from clientguard.evidence.verify import VerifyReport, resolve_client, verify_client
from clientguard.store import Store, open_store

C = "Кофейня «Пенка»"


def report(store: Store) -> VerifyReport:
    """``evidence verify`` of the client."""
    with store.engine.connect() as conn:
        return verify_client(conn, resolve_client(conn, C))


TODAY = date.today()
ISSUED = (TODAY - timedelta(days=60)).isoformat()
DUE = (TODAY - timedelta(days=30)).isoformat()
PAID_ON = (TODAY - timedelta(days=50)).isoformat()


def _typo_and_right(store: Store) -> None:
    add_invoice(store, C, 45000, due=DUE, issued=ISSUED, number="1")  # meant 4500
    add_invoice(store, C, 4500, due=DUE, issued=ISSUED, number="2")


def test_a_voided_invoice_counts_nowhere_but_stays_listed_with_all(store: Store) -> None:
    _typo_and_right(store)
    assert {s.invoice.id for s in overdue_invoices(store, C)} == {"1", "2"}
    void_invoice(store, C, "1", "опечатка: 4500")
    assert [i.id for i in invoices(store, C)] == ["2"]
    assert [s.invoice.id for s in overdue_invoices(store, C)] == ["2"]
    assert [s.invoice.id for s in invoice_statuses(store, C)] == ["2"]
    shown = invoice_statuses(store, C, include_voided=True)
    assert [(s.invoice.id, s.void is not None) for s in shown] == [("2", False), ("1", True)]
    gone = shown[1]
    assert not gone.overdue and gone.outstanding == 0 and gone.late_fee == 0 and gone.stage is None
    assert gone.as_json()["voided"]["reason"] == "опечатка: 4500"  # type: ignore[index]
    # the row itself is untouched: a void is a row of its own
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT amount FROM invoices WHERE number = '1'")).scalar() == 45000
        assert conn.execute(text("SELECT count(*) FROM invoice_voids")).scalar() == 1


def test_voiding_twice_an_unknown_number_and_paying_a_voided_invoice_are_refused(store: Store) -> None:
    _typo_and_right(store)
    with pytest.raises(VoidRefused, match="reason"):
        void_invoice(store, C, "1", "   ")
    void_invoice(store, C, "1", "typo")
    with pytest.raises(VoidRefused, match="already voided"):
        void_invoice(store, C, "1", "again")
    with pytest.raises(NotFoundError, match="no invoice '9'"):
        void_invoice(store, C, "9", "typo")
    with pytest.raises(VoidRefused, match="voided"):
        pay_invoice(store, C, "1", on=PAID_ON)
    with pytest.raises(VoidRefused, match="voided"):
        void_payment(store, C, "1", "wrong")
    with pytest.raises(ConfigError, match="already exists"):  # the number stays taken
        add_invoice(store, C, 4500, due=DUE, issued=ISSUED, number="1")


def test_a_voided_payment_no_longer_pays_the_invoice(store: Store) -> None:
    add_invoice(store, C, 4500, due=DUE, issued=ISSUED, number="2")
    pay_invoice(store, C, "2", on=PAID_ON, amount=4000)  # meant for another invoice
    pay_invoice(store, C, "2", on=PAID_ON, amount=100)
    assert invoices(store, C)[0].paid_amount == 4100
    with pytest.raises(VoidRefused, match="several payments"):
        void_payment(store, C, "2", "wrong invoice")
    first = invoice_payments(store, C, include_voided=True)["2"]
    assert len(first) == 2
    from clientguard.contracts.repo import payment_records

    ids = [p.id for p in payment_records(store, C)]
    pay, _ = void_payment(store, C, "2", "wrong invoice", payment_id=ids[0])
    assert pay.amount == 4000
    assert invoice_payments(store, C) == {"2": [(PAID_ON, 100.0)]}
    [status] = invoice_statuses(store, C)
    assert status.outstanding == 4400 and status.overdue
    with pytest.raises(VoidRefused, match="already voided"):
        void_payment(store, C, "2", "again", payment_id=ids[0])
    with pytest.raises(NotFoundError, match="no payment 999"):
        void_payment(store, C, "2", "x", payment_id=999)
    # the one payment still counting is voided without --payment
    void_payment(store, C, "2", "also wrong")
    assert invoice_payments(store, C) == {}
    # the rest can be paid again in full: the voided payments pay nothing
    assert pay_invoice(store, C, "2", on=PAID_ON).paid_amount == 4500


def test_the_void_is_chained_and_an_edit_of_it_is_tampering(store: Store) -> None:
    _typo_and_right(store)
    pay_invoice(store, C, "2", on=PAID_ON, amount=100)
    void_invoice(store, C, "1", "typo")
    void_payment(store, C, "2", "wrong")
    clean = report(store)
    assert clean.ok and clean.pending == 0, clean.problems
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_voids SET reason = 'forged' WHERE payment_id IS NULL"))
    edited = report(store)
    assert not edited.ok
    assert [(p.what, p.kind) for p in edited.problems] == [("source_changed", "void")]


def test_a_void_inserted_or_deleted_behind_the_tool_is_tampering(store: Store) -> None:
    _typo_and_right(store)
    void_invoice(store, C, "2", "typo")
    assert report(store).ok
    with store.engine.begin() as conn:
        cid, inv = conn.execute(text("SELECT client_id, id FROM invoices WHERE number = '1'")).one()
        conn.execute(
            text(
                "INSERT INTO invoice_voids (client_id, invoice_id, reason, voided_at) "
                "VALUES (:c, :i, 'forged', :t)"
            ),
            {"c": cid, "i": inv, "t": "2026-01-01 00:00:00"},
        )
    inserted = report(store)
    assert [(p.what, p.kind) for p in inserted.problems] == [("inserted", "void")]
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM invoice_voids"))
    deleted = report(store)
    assert not deleted.ok and any(p.kind == "void" for p in deleted.problems)


def test_a_line_written_before_the_voids_table_still_counts_an_unlogged_void_as_inserted() -> None:
    """An old ``logging_started`` payload has no id for ``invoice_voids``: every unlogged
    void is then inserted behind the tool (no clientguard ever wrote one unlogged)."""
    from clientguard.evidence.baseline import Baseline

    old_line = Baseline(1, {"invoices": 5, "invoice_payments": 3})
    assert old_line.after("invoice_voids:1")
    assert not old_line.after("invoices:4")


def test_the_contracts_branch_upgrades_from_its_previous_head(db_url: str) -> None:
    """A database at ``0002_contracts`` with invoices gains ``invoice_voids``; they can be voided."""
    from alembic import command

    from clientguard.store.engine import make_engine
    from clientguard.store.migrate import alembic_config, current, heads

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002_contracts")
    with engine.connect() as conn:
        assert "invoice_voids" not in inspect(conn).get_table_names()
    engine.dispose()
    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            assert current(conn) == heads()
            assert "invoice_voids" in inspect(conn).get_table_names()
        add_invoice(store, C, 45000, due=DUE, issued=ISSUED, number="1")
        void_invoice(store, C, "1", "typo")
        assert invoices(store, C) == []
    # one head on the contracts branch (refunds build on the voids: 0004_contracts_refunds)
    assert sum(1 for h in heads() if "_contracts" in h) == 1


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cg.sqlite3'}"


def _setup(mp: pytest.MonkeyPatch, cap: pytest.CaptureFixture[str], db: str) -> None:
    for args in (
        ("invoice", "add", C, "45000", "--due", DUE, "--issued", ISSUED, "--create-client"),
        ("invoice", "add", C, "4500", "--due", DUE, "--issued", ISSUED),
        ("invoice", "paid", C, "2", "--amount", "1000", "--on", PAID_ON),
        ("invoice", "paid", C, "2", "--amount", "500", "--on", PAID_ON),
    ):
        code, _out, err = run_main(mp, cap, *args, "--db", db)
        assert code == 0, err


WORDS = {
    "ru": {
        "voided": "счёт 1 аннулирован (опечатка)",
        "mark": "аннулирован: опечатка",
        "twice": "счёт «1» уже аннулирован (опечатка)",
        "unknown": "нет счёта «9»",
        "pay": "оплату по нему записать нельзя",
        "reason": "укажите причину",
        "which": "несколько оплат: укажите --payment",
        "choices": "1 000), ",  # the payments to choose from, amounts written as in Russian
        "none": "Просроченных счетов нет.",
    },
    "en": {
        "voided": "invoice 1 voided (опечатка)",
        "mark": "voided: опечатка",
        "twice": "invoice '1' is already voided (опечатка)",
        "unknown": "no invoice '9'",
        "pay": "no payment can be recorded on it",
        "reason": "give a reason",
        "which": "several payments: add --payment",
        "choices": "1,000), ",
        "none": "No overdue invoices.",
    },
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_cli_void_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str, lang: str
) -> None:
    words = WORDS[lang]
    _setup(monkeypatch, capsys, db)

    def run(*args: str) -> tuple[int, str, str]:
        return run_main(monkeypatch, capsys, *args, "--lang", lang, "--db", db)

    code, out, err = run("invoice", "void", C, "1", "--reason", " ")
    assert code != 0 and words["reason"] in err and len(err.splitlines()) == 1 and "Traceback" not in err
    code, out, _ = run("invoice", "void", C, "1", "--reason", "опечатка")
    assert code == 0 and words["voided"] in out
    for args, key in (
        (("invoice", "void", C, "1", "--reason", "x"), "twice"),
        (("invoice", "void", C, "9", "--reason", "x"), "unknown"),
        (("invoice", "paid", C, "1"), "pay"),
        (("invoice", "void-payment", C, "2", "--reason", "x"), "which"),
    ):
        code, out, err = run(*args)
        assert code != 0 and words[key] in err, (args, err)
        if key == "which":
            assert words["choices"] in err.replace("\u00a0", " "), err
    code, out, _ = run("invoice", "list", C, "--json")
    assert [r["id"] for r in json.loads(out)] == ["2"]
    code, out, _ = run("invoice", "list", C, "--all", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["1"]["voided"]["reason"] == "опечатка" and rows["1"]["outstanding"] == 0
    assert rows["2"]["voided"] is None
    payments = rows["2"]["payments"]
    assert [p["amount"] for p in payments] == [1000, 500] and all(p["voided"] is None for p in payments)
    code, out, _ = run("invoice", "list", C, "--all")
    assert words["mark"] in " ".join(out.split())
    code, out, _ = run("invoice", "list", C)
    assert "опечатка" not in out
    code, out, _ = run(
        "invoice", "void-payment", C, "2", "--payment", str(payments[0]["id"]), "--reason", "w"
    )
    assert code == 0
    code, out, _ = run("invoice", "list", C, "--json")
    assert json.loads(out)[0]["outstanding"] == 4000
    run("invoice", "void", C, "2", "--reason", "both wrong")
    code, out, _ = run("invoice", "list", C, "--overdue")
    assert words["none"] in out


# --------------------------------------------------------------------------- readers


def test_the_payment_drafts_and_the_profile_leave_a_voided_invoice_out(store: Store) -> None:
    from clientguard.analysis.case import CaseFile
    from clientguard.analysis.stored import with_stored_records
    from clientguard.playbook.store_facts import facts_from_store

    _typo_and_right(store)
    before = facts_from_store(store, C)
    assert {f.id for f in before.overdue_invoices} == {"1", "2"}
    void_invoice(store, C, "1", "typo")
    after = facts_from_store(store, C)
    assert after.overdue_invoices == ()  # listed only when several are overdue
    assert after.invoice_id == "2" and after.amount == 4500
    with pytest.raises(NotFoundError, match=r"invoice '1' of client .* is voided \(typo\); its invoices: 2"):
        facts_from_store(store, C, invoice_id="1")
    # a case file naming the voided invoice does not bring it back into the profile
    case = CaseFile.model_validate({"invoices": [{"id": "1", "amount": 45000, "issued": ISSUED, "due": DUE}]})
    assert [i.id for i in with_stored_records(case, store, C).invoices] == ["2"]


def test_the_dashboard_sees_a_void_and_the_team_revenue_leaves_it_out(store: Store) -> None:
    """The cached profiles are keyed on what changed: a void adds no invoice row, yet the
    page must drop the invoice; the team page's revenue never counted a typo."""
    from clientguard.web.profiles import cache_keys, fingerprint
    from clientguard.web.timelog import _revenue

    _typo_and_right(store)
    with store.engine.connect() as conn:
        cid = int(conn.execute(text("SELECT client_id FROM invoices LIMIT 1")).scalar_one())
    keys, whole = cache_keys(store)[cid], fingerprint(store)
    assert _revenue(store, {cid: {}}) == {cid: [(49500.0, "RUB")]}
    void_invoice(store, C, "1", "typo")
    assert cache_keys(store)[cid] != keys and fingerprint(store) != whole
    assert _revenue(store, {cid: {}}) == {cid: [(4500.0, "RUB")]}


def test_the_evidence_export_lists_the_voids_and_claims_no_voided_debt(store: Store) -> None:
    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import render

    _typo_and_right(store)
    pay_invoice(store, C, "2", on=PAID_ON, amount=1000)
    void_invoice(store, C, "1", "опечатка")
    void_payment(store, C, "2", "не тот счёт")
    with store.engine.connect() as conn:
        cid = resolve_client(conn, C)
    data = prepare(store.engine, cid)
    assert data.verified
    out = json.loads(render(data, "json"))
    voids = [e for e in out["chronology"] if e["kind"] == "void"]
    assert len(voids) == 2 and all(v["when"] for v in voids)
    rows = {i["number"]: i for i in out["invoices"]}
    assert rows["1"]["voided"] == "опечатка" and rows["1"]["outstanding"] == 0
    assert rows["2"]["outstanding"] == 4500 and rows["2"]["payments"][0]["voided"] == "не тот счёт"
    ru, en = render(data, "html", "ru").decode(), render(data, "html", "en").decode()
    assert "счёт № 1 аннулирован: опечатка" in ru and "invoice no. 1 voided: опечатка" in en
    assert "аннулирована оплата 1\u00a0000\u00a0RUB по счёту № 2" in ru
    assert "voided: payment of 1,000\u00a0RUB for invoice no. 2" in en


def test_analyzing_the_case_file_again_does_not_bring_a_voided_invoice_back(store: Store) -> None:
    """``analyze --case`` stores the case's invoices whose number is new; a voided number is not new
    (it was re-added, or refused as a duplicate, so the typo came back after every analysis)."""
    from clientguard.analysis.case import CaseFile
    from clientguard.analysis.stored import remember_case

    case = CaseFile.model_validate({"invoices": [{"id": "1", "amount": 45000, "issued": ISSUED, "due": DUE}]})
    remember_case(store, C, case)
    void_invoice(store, C, "1", "typo")
    remember_case(store, C, case)
    assert invoices(store, C) == [] and len(invoices(store, C, include_voided=True)) == 1
