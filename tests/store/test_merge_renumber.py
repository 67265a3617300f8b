"""Two clients that both have an invoice 1 can be merged: by renumbering one, on the record.

Invoice numbers start at 1 per client, so merging a client imported twice almost always
met "both clients have invoice 1 … nothing was merged", with no way on. Now the refusal
names two: ``invoice renumber CLIENT OLD NEW`` and ``clients merge FROM INTO --renumber``.
Both are logged writes (the invoice and each of its payments, whose record carries the
invoice's number, are logged anew), so ``evidence verify`` stays green on SQLite and
PostgreSQL, the chain keeps the number as first written, and a number edited in the
database behind the tool is still caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from suite_helpers import run_main
from test_client_lifecycle import CALLS, SAMPLE, A, B, assert_all_verify, everyone

from clientguard.contracts.renumber import renumber_invoice
from clientguard.contracts.repo import (
    add_invoice,
    credit_invoice,
    invoices,
    pay_invoice,
    void_payment,
)
from clientguard.errors import ConfigError, NotFoundError, StorageError
from clientguard.store import Store, lifecycle
from clientguard.store.lookup import require_client


def clashing(store: Store) -> None:
    """A and B each with an invoice 1 (B's paid twice, once voided, and credited) and B an invoice 2."""
    store.import_paths([SAMPLE], client=A)
    store.import_paths([CALLS], client=B)
    add_invoice(store, A, 300, "2026-11-20", issued="2026-11-01", number="1")
    add_invoice(store, B, 1000, "2026-11-20", issued="2026-11-01", number="1")
    pay_invoice(store, B, "1", on="2026-11-02", amount=400)
    second = pay_invoice(store, B, "1", on="2026-11-03", amount=100)
    assert second.paid_amount == 500
    with store.engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(id) FROM invoice_payments")).scalar_one()
    void_payment(store, B, "1", "typed twice", payment_id=int(last))
    credit_invoice(store, B, "1", 50, on="2026-11-04", reason="a discount agreed")
    add_invoice(store, B, 200, "2026-11-20", issued="2026-11-01", number="2")


def client_id(store: Store, client: str) -> int:
    with store.engine.connect() as conn:
        return require_client(conn, client)[0]


def invoice_records(store: Store, cid: int) -> list[tuple[str, str]]:
    """(ref, number) of the client's invoice and payment records, in chain order."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT ref, payload FROM evidence_records WHERE client_id = :c AND kind IN "
                "('invoice', 'payment') ORDER BY seq"
            ),
            {"c": cid},
        ).all()
    out = []
    for ref, payload in rows:
        data = json.loads(payload)
        out.append((str(ref), str(data.get("number") or data.get("invoice_number"))))
    return out


def test_the_refusal_names_both_ways_on(store: Store) -> None:
    clashing(store)
    with pytest.raises(ConfigError) as err:
        lifecycle.merge(store, B, A)
    said = str(err.value)
    assert "both clients have invoice 1" in said and "nothing was merged" in said
    assert f'clientguard invoice renumber "{B}" 1 1-merged' in said, said
    assert f'clientguard clients merge "{B}" "{A}" --renumber' in said, said


def test_merge_with_renumber_keeps_every_log_green(store: Store) -> None:
    clashing(store)
    b_id = client_id(store, B)
    done = lifecycle.merge(store, B, A, renumber=True)
    assert done.renumbered == (("1", "1-merged"),)
    got = {i.id: i for i in invoices(store, A, include_voided=True)}
    assert sorted(got) == ["1", "1-merged", "2"]
    assert (got["1"].amount, got["1-merged"].amount) == (300, 950)  # its credit of 50 came along
    assert got["1-merged"].paid_amount == 400  # the voided payment still pays nothing, the credit stays
    reports = assert_all_verify(store)
    assert all(not r.pending for r in reports.values())
    # the merged-away client's chain shows the invoice and its payments under both numbers
    records = [r for r in invoice_records(store, b_id) if r[0].startswith("invoices:")]
    assert [n for ref, n in records if ref == records[0][0]] == ["1", "1-merged"]
    # and the merged invoice takes payments as any other (the pre-write check passes)
    pay_invoice(store, A, "1-merged", on="2026-11-10", amount=100)
    assert_all_verify(store)


def test_renumber_then_merge(store: Store) -> None:
    clashing(store)
    done = renumber_invoice(store, B, " 1 ", "B-1")
    assert (done.old, done.new, done.payments) == ("1", "B-1", 2)
    assert_all_verify(store)
    assert [
        n for ref, n in invoice_records(store, client_id(store, B)) if ref.startswith("invoice_payments:1")
    ][-2:] == [
        "1",
        "B-1",
    ]
    merged = lifecycle.merge(store, B, A)
    assert merged.renumbered == ()
    assert sorted(i.id for i in invoices(store, A, include_voided=True)) == ["1", "2", "B-1"]
    assert_all_verify(store)


def test_renumber_refusals(store: Store) -> None:
    clashing(store)
    with pytest.raises(ConfigError, match=re.escape(f"“{B}” already has an invoice '2'")):
        renumber_invoice(store, B, "1", "2")
    with pytest.raises(ConfigError, match="already has that number"):
        renumber_invoice(store, B, "1", "1")
    with pytest.raises(NotFoundError, match="no invoice '9'"):
        renumber_invoice(store, B, "9", "10")
    with pytest.raises(ConfigError, match="invoice number: expected some text"):
        renumber_invoice(store, B, "1", "  ")
    assert_all_verify(store)


def test_a_number_edited_behind_the_tool_is_still_caught(store: Store) -> None:
    clashing(store)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET number = 'X' WHERE number = '2'"))
    bad = {r.client: {p.ref for p in r.problems} for r in everyone(store).values() if not r.ok}
    assert bad == {B: {"invoices:3"}}
    # and renumbering it does not launder the edit into the log
    with pytest.raises(StorageError, match="number"):
        renumber_invoice(store, B, "X", "3")
    bad = {r.client: {p.ref for p in r.problems} for r in everyone(store).values() if not r.ok}
    assert bad == {B: {"invoices:3"}}


def test_cli_renumber_and_merge(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLIENTGUARD_DB", f"sqlite:///{tmp_path / 'x.sqlite3'}")

    def run(*args: str) -> tuple[int, str]:
        code, out, err = run_main(monkeypatch, capsys, "--lang", "en", *args)
        return code, out + err

    assert run("import", str(SAMPLE), "--client", A)[0] == 0
    assert run("import", str(CALLS), "--client", B)[0] == 0
    for client in (A, B, B):
        assert run("invoice", "add", client, "100", "--due", "2026-11-20", "--issued", "2026-11-01")[0] == 0
    code, out = run("clients", "merge", B, A)
    assert code != 0 and f'clientguard clients merge "{B}" "{A}" --renumber' in " ".join(out.split()), out
    code, out = run("invoice", "renumber", B, "2", "B-2")
    assert code == 0 and f"invoice 2 of “{B}” is now B-2" in " ".join(out.split()), out
    code, out = run("clients", "merge", B, A, "--renumber")
    assert code == 0 and "renumbered 1 → 1-merged" in " ".join(out.split()), out
    code, out = run("invoice", "list", A, "--json")
    assert code == 0 and {'"1"', '"1-merged"', '"B-2"'} <= set(out.replace(",", " ").split()), out
    code, out = run("evidence", "verify")
    assert code == 0, out


@pytest.mark.parametrize(
    ("lang", "invoice", "payment"),
    [
        ("en", "invoice no. 1 renumbered B-1 (", "(was no. 1)"),
        ("ru", "счёт № 1 получил номер B-1 (", "(прежний № 1)"),
    ],
)
def test_the_dispute_export_words_a_renumbering_as_one(
    store: Store, lang: str, invoice: str, payment: str
) -> None:
    """The record logged again under the new number read as a second invoice issued, and a second payment."""
    from clientguard.evidence.dispute import prepare
    from clientguard.evidence.export import entry_text

    clashing(store)
    renumber_invoice(store, B, "1", "B-1")
    data = prepare(store.engine, client_id(store, B), None, None)
    lines = [entry_text(e, lang) for e in data.chronology if e.kind in ("invoice", "payment")]
    assert sum(1 for line in lines if line.startswith(invoice)) == 1, lines
    assert sum(1 for line in lines if line.endswith(payment)) == 2, lines  # both payments, one voided
    assert sorted(str(i["number"]) for i in data.invoices) == ["2", "B-1"]
