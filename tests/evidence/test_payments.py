"""Invoice payments are on the evidence log (QA: `invoice paid` never reached it).

`invoice add` was logged (by the sync) but a payment, full or partial, was not, so a
dispute export could not show that the client paid 20 000 of 45 000 and when. Each
payment is now one ``payment`` record (ref ``invoice_payments:<id>``), chained, hashed
and cross-checked like the other kinds: the sync logs it once (a second sync adds
nothing), an older database whose log has the invoice but not its payments gets them
on its next sync, and a payment edited or deleted behind the log is named by
``evidence verify``. The export words it in the page's language in the chronology and in
the invoices table; the JSON keeps the logged fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli, sync_client
from evidence_sample import report as log_report
from sqlalchemy import text

from clientguard.contracts.repo import add_invoice, pay_invoice
from clientguard.evidence.dispute import prepare
from clientguard.evidence.export import render
from clientguard.evidence.log import append, logged_refs, now_iso
from clientguard.evidence.sources import current_extra
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store


def _payment_records(store: Store) -> list[tuple[int, str, dict[str, object]]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, ref, payload FROM evidence_records WHERE kind = 'payment' ORDER BY seq")
        ).all()
    return [(int(seq), str(ref), json.loads(payload)) for seq, ref, payload in rows]


@pytest.fixture()
def paid(store: Store, unlogged_writes: None) -> Store:
    """Invoice П-09 of 45 000 RUB, paid 20 000 on 2025-09-20 and 5 000,50 on 2025-09-25.

    Written as a database from before records were chained when written, so the sync
    has the invoice and its payments to log (``test_logged_when_written`` has today's way).
    """
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09", currency="RUB")
    pay_invoice(store, CLIENT, "П-09", on="2025-09-20", amount=20000)
    pay_invoice(store, CLIENT, "П-09", on="2025-09-25", amount=5000.5)
    return store


def test_each_payment_is_one_record_and_sync_is_idempotent(paid: Store) -> None:
    before = log_report(paid)
    assert before.ok and before.pending == 3  # the invoice and its two payments wait for the sync
    assert sync_client(paid) == 3
    assert sync_client(paid) == 0  # nothing new: nothing appended
    records = _payment_records(paid)
    assert [ref.split(":")[0] for _seq, ref, _p in records] == ["invoice_payments", "invoice_payments"]
    first = records[0][2]
    assert first["amount"] == 20000 and first["paid_on"] == "2025-09-20"
    assert first["invoice_number"] == "П-09" and first["currency"] == "RUB"
    after = log_report(paid)
    assert after.ok and after.pending == 0 and after.records == before.records + 3


def test_a_later_payment_is_logged_by_the_next_sync(paid: Store) -> None:
    sync_client(paid)
    pay_invoice(paid, CLIENT, "П-09", on="2025-09-26", amount=100)
    assert log_report(paid).pending == 1
    assert sync_client(paid) == 1 and sync_client(paid) == 0
    assert [p["paid_on"] for _s, _r, p in _payment_records(paid)] == [
        "2025-09-20",
        "2025-09-25",
        "2025-09-26",
    ]


def test_an_older_log_gets_its_payments_on_the_next_sync(paid: Store) -> None:
    """A log written before payments were logged: the invoice is on it, its payments are not."""
    with paid.engine.begin() as conn:
        cid = resolve_client(conn, CLIENT)
        created = now_iso()
        old = [
            (c.kind, c.ref, c.payload, created, None) for c in current_extra(conn, cid) if c.kind != "payment"
        ]
        assert [kind for kind, *_ in old] == ["invoice"]
        append(conn, cid, old)
    report = log_report(paid)
    assert report.ok and report.pending == 2  # the two payments: pending, not tampering
    assert sync_client(paid) == 2
    assert sync_client(paid) == 0
    with paid.engine.connect() as conn:
        refs = logged_refs(conn, resolve_client(conn, CLIENT), ["payment", "invoice"])
    assert sorted(kind for kind, _ref in refs) == ["invoice", "payment", "payment"]
    final = log_report(paid)
    assert final.ok and final.pending == 0


def test_a_payment_edited_or_deleted_behind_the_log_is_named(paid: Store) -> None:
    sync_client(paid)
    (seq, ref, _payload), _second = _payment_records(paid)
    with paid.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_payments SET amount = 2000 WHERE amount = 20000"))
    report = log_report(paid)
    assert not report.ok
    assert [(p.what, p.kind, p.ref, p.seq) for p in report.problems] == [
        ("source_changed", "payment", ref, seq)
    ]
    assert sync_client(paid) == 0  # a changed payment is not logged again as if it were new
    with paid.engine.begin() as conn:
        conn.execute(text("DELETE FROM invoice_payments WHERE amount = 2000"))
    assert [(p.what, p.ref) for p in log_report(paid).problems] == [("source_missing", ref)]


def test_export_words_payments_in_the_chronology_and_the_invoices_table(paid: Store) -> None:
    with paid.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    data = prepare(paid.engine, cid)
    assert data.verified
    ru, en = render(data, "html", "ru").decode(), render(data, "html", "en").decode()
    assert "оплата 20\u00a0000\u00a0RUB по счёту № П-09, 2025-09-20" in ru
    assert "оплата 5\u00a0000,50\u00a0RUB по счёту № П-09, 2025-09-25" in ru
    assert "payment of 20,000\u00a0RUB for invoice no. П-09, 2025-09-20" in en
    # The invoices table: what was paid, when, and what is left.
    assert "оплата 20\u00a0000\u00a0RUB, 2025-09-20" in ru
    assert "payment of 5,000.50\u00a0RUB, 2025-09-25" in en
    assert "<td>25\u00a0000,50</td>" in ru and "<td>19\u00a0999,50</td>" in ru  # paid, outstanding
    assert ">Оплаты</th>" in ru and ">Осталось</th>" in ru
    assert "amount: 20000" not in ru and "invoice_id" not in ru


def test_json_export_keeps_the_logged_payment_fields(paid: Store) -> None:
    with paid.engine.connect() as conn:
        cid = resolve_client(conn, CLIENT)
    out = json.loads(render(prepare(paid.engine, cid), "json"))
    pays = [e for e in out["chronology"] if e["kind"] == "payment"]
    assert [p["when"] for p in pays] == ["2025-09-20", "2025-09-25"]
    assert "amount: 20000.0" in pays[0]["text"] and "invoice_number: П-09" in pays[0]["text"]
    assert "paid_on: 2025-09-20" in pays[0]["text"] and "data" not in pays[0]
    (invoice,) = out["invoices"]
    assert invoice["paid_amount"] == 25000.5 and invoice["outstanding"] == 19999.5
    assert invoice["payments"] == [
        {"amount": 20000, "paid_on": "2025-09-20", "seq": pays[0]["seq"]},
        {"amount": 5000.5, "paid_on": "2025-09-25", "seq": pays[1]["seq"]},
    ]


def test_cli_invoice_paid_reaches_the_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("invoice", "add", CLIENT, "45000", "--issued", "2025-09-09", "--due", "2025-09-15", "--id", "П-09")
    ok("invoice", "paid", CLIENT, "П-09", "--on", "2025-09-20", "--amount", "20000")
    # The invoice and the payment were chained when written: the sync has nothing left.
    assert "0 records" in ok("evidence", "sync", "--lang", "en")
    verified = ok("evidence", "verify", CLIENT, "--lang", "en")
    assert verified.rstrip().endswith("— OK") and "pending" not in verified
    page = tmp_path / "dispute.html"
    ok("evidence", "export", CLIENT, "--out", str(page), "--lang", "ru")
    assert "оплата 20\u00a0000\u00a0RUB по счёту № П-09, 2025-09-20" in page.read_text(encoding="utf-8")
