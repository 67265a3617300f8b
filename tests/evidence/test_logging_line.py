"""Rows inserted behind the log, forged rows carried into new versions, forged ``updated_at``.

Since every write of contracts, terms, invoices and payments is chained when made, the
log draws one ``logging_started`` line per client (``clientguard.evidence.baseline``):
the highest id of each table when write-time logging began. Before it, an invoice or
payment INSERTed into the database read as "not yet logged" and the next ``evidence
sync`` (or dispute export) logged it as if the tool had written it; ``contract set``
copied a price edited in the database into a new, properly logged terms version;
and moving a forged terms row's ``updated_at`` forward made it read as a version an
older clientguard wrote (pending, then logged by the sync).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from evidence_sample import CLIENT, SAMPLE, cli, sync_client
from evidence_sample import report as log_report
from sqlalchemy import Connection, create_engine, func, insert, select, text

from clientguard.contracts.checker import check_contract
from clientguard.contracts.repo import add_invoice, pay_invoice, save_contract, set_terms, terms_record
from clientguard.evidence.dispute import prepare
from clientguard.evidence.log import EditedBehindLogError
from clientguard.evidence.verify import resolve_client
from clientguard.store import Store
from clientguard.store.models_contracts import (
    ContractRow,
    ContractTermsRow,
    InvoicePaymentRow,
    InvoiceRow,
    ScopeItemRow,
)
from clientguard.store.models_evidence import EvidenceRecordRow
from tests.contracts.builders import make_docx
from tests.contracts.test_checker import RU_CONTRACT
from tests.suite_helpers import run_main

NOW = datetime(2025, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals are worded in the interface language; these tests read the English."""
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")


def _problems(store: Store) -> list[tuple[str, str | None, str]]:
    return [(p.what, p.kind, (p.ref or "").split(":")[0]) for p in log_report(store).problems]


def _records(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(EvidenceRecordRow)).scalar_one())


def _cid(conn: Connection) -> int:
    return resolve_client(conn, CLIENT)


def _invoice(conn: Connection) -> None:
    conn.execute(
        insert(InvoiceRow).values(
            client_id=_cid(conn), number="ПОДЛОГ", amount=90000, currency="RUB",
            issued="2025-09-01", due="2025-09-10", created_at=NOW,
        )
    )  # fmt: skip


def _payment(conn: Connection) -> None:
    invoice_id = conn.execute(select(InvoiceRow.id).where(InvoiceRow.number == "П-09")).scalar_one()
    conn.execute(insert(InvoicePaymentRow).values(invoice_id=invoice_id, amount=45000, paid_on="2025-09-12"))


def _scope_item(conn: Connection) -> None:
    conn.execute(insert(ScopeItemRow).values(client_id=_cid(conn), position=9, text="100 постов бесплатно"))


def _terms(conn: Connection) -> None:
    conn.execute(
        insert(ContractTermsRow).values(
            client_id=_cid(conn), signed=True, price=1000, currency="RUB", source="manual", updated_at=NOW
        )
    )


def _contract(conn: Connection) -> None:
    conn.execute(
        insert(ContractRow).values(
            client_id=_cid(conn), path="forged.pdf", sha256="0" * 64, fmt="pdf", lang="ru",
            rules_version="x", report={}, added_at=NOW,
        )
    )  # fmt: skip


INSERTS: dict[str, tuple[Callable[[Connection], None], str, str]] = {
    "invoice": (_invoice, "invoice", "invoices"),
    "payment": (_payment, "payment", "invoice_payments"),
    "scope item": (_scope_item, "contract", "scope_items"),
    "terms": (_terms, "contract", "contract_terms"),
    "contract": (_contract, "contract", "contracts"),
}


@pytest.mark.parametrize("what", sorted(INSERTS))
def test_a_row_inserted_behind_the_log_after_logging_began_is_tampering(store: Store, what: str) -> None:
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")  # draws the line
    assert log_report(store).ok
    put, kind, table = INSERTS[what]
    with store.engine.begin() as conn:
        put(conn)
    report = log_report(store)
    assert not report.ok and report.pending == 0
    assert _problems(store) == [("inserted", kind, table)]
    assert sync_client(store) == 0  # never laundered into the log by the sync ...
    add_invoice(store, CLIENT, 1000, due="2025-10-15", issued="2025-10-01", number="П-10")
    with store.engine.connect() as conn:
        cid = _cid(conn)
    data = prepare(store.engine, cid)  # ... nor by a later write or a dispute export
    assert not data.verified
    assert _problems(store) == [("inserted", kind, table)]


def test_rows_from_before_the_line_stay_pending_and_sync_logs_only_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:  # an older clientguard: no record hook
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-08")
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        _invoice(conn)
    report = log_report(store)
    assert report.pending == 1  # П-08, written before the line
    assert _problems(store) == [("inserted", "invoice", "invoices")]
    assert sync_client(store) == 1 and sync_client(store) == 0
    after = log_report(store)
    assert after.pending == 0 and _problems(store) == [("inserted", "invoice", "invoices")]


def test_a_scope_item_inserted_with_an_id_below_the_line_is_still_inserted(store: Store) -> None:
    """SQLite gives a new row a freed id, so one may fall below the client's line; once the
    client's terms are logged after the line, every scope item of theirs is on the log,
    and an unlogged one was inserted whatever its id."""
    other = "Студия «Другая»"
    set_terms(store, other, scope=("x", "y", "z"))
    set_terms(store, CLIENT, scope=("10 постов",))  # the line: the highest scope id now
    set_terms(store, other, scope=())
    set_terms(store, CLIENT, scope=())  # every scope item gone: SQLite starts again at 1
    with store.engine.begin() as conn:
        _scope_item(conn)
    assert _problems(store) == [("inserted", "contract", "scope_items")]
    assert sync_client(store) == 0


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["ЦЕЛОСТНОСТЬ НАРУШЕНА", "оплата invoice_payments:", "вставлено в базу в обход clientguard"]),
     ("en", ["TAMPERED", "payment invoice_payments:", "inserted in the store after logging began"])],
)  # fmt: skip
def test_cli_verify_names_the_inserted_payment_and_sync_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: list[str]
) -> None:
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("invoice", "add", CLIENT, "45000", "--due", "2025-09-15", "--issued", "2025-09-09", "--id", "П-09")
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        _payment(conn)
    engine.dispose()
    ok("evidence", "sync", CLIENT)
    result = CliRunner().invoke(build_app(), ["evidence", "verify", CLIENT, "--lang", lang])
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output


# --------------------------------------------------------------- forged rows carried forward


@pytest.mark.parametrize(
    ("sql", "field"),
    [("UPDATE contract_terms SET price = 5000", "price"),
     ("UPDATE scope_items SET text = '100 постов' WHERE position = 0", "text")],
)  # fmt: skip
def test_contract_set_refuses_to_carry_a_forged_value_into_a_new_version(
    store: Store, sql: str, field: str
) -> None:
    set_terms(store, CLIENT, revision_limit=2, price=50000, scope=("10 постов", "6 сторис"))
    with store.engine.begin() as conn:
        conn.execute(text(sql))
    before = (terms_record(store, CLIENT), _records(store))
    with pytest.raises(EditedBehindLogError) as refused:
        set_terms(store, CLIENT, revision_limit=3)
    line = str(refused.value)
    assert f"field {field} differs from the evidence log" in line and "clientguard evidence verify" in line
    assert CLIENT in line and "\n" not in line
    assert (terms_record(store, CLIENT), _records(store)) == before  # nothing written


def test_a_saved_contract_is_refused_on_forged_terms_too(store: Store, tmp_path: Path) -> None:
    set_terms(store, CLIENT, price=50000, payment_due_days=5)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET payment_due_days = 60"))
    path = make_docx(tmp_path / "c.docx", RU_CONTRACT)
    with pytest.raises(EditedBehindLogError, match="payment_due_days"):
        save_contract(store, CLIENT, path, check_contract(path))


def test_paying_an_invoice_whose_amount_was_edited_is_refused(store: Store) -> None:
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET amount = 90000"))
    with pytest.raises(EditedBehindLogError, match=r"invoice П-09 .*field amount differs"):
        pay_invoice(store, CLIENT, "П-09", on="2025-09-20", amount=60000)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(InvoicePaymentRow)).scalar_one() == 0


def test_paying_over_a_forged_payment_is_refused(store: Store) -> None:
    """What is due is the amount less the earlier payments: a payment edited or inserted
    behind the log would shrink it, and the new, properly logged payment would settle a
    debt that is not settled (QA pass 7 follow-up)."""
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    pay_invoice(store, CLIENT, "П-09", on="2025-09-12", amount=5000)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_payments SET amount = 40000"))
    with pytest.raises(EditedBehindLogError, match=r"field amount differs"):
        pay_invoice(store, CLIENT, "П-09", on="2025-09-20")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_payments SET amount = 5000"))  # put back: paying works again
    pay_invoice(store, CLIENT, "П-09", on="2025-09-20", amount=1000)


def test_paying_over_an_inserted_payment_is_refused(store: Store) -> None:
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    with store.engine.begin() as conn:
        invoice_id = conn.execute(select(InvoiceRow.id)).scalar_one()
        forged = {"invoice_id": invoice_id, "amount": 44000.0, "paid_on": "2025-09-12"}
        conn.execute(insert(InvoicePaymentRow).values(**forged))
    with pytest.raises(EditedBehindLogError):
        pay_invoice(store, CLIENT, "П-09", on="2025-09-20")
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(InvoicePaymentRow)).scalar_one() == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", ["условия договора клиента", "поле price не совпадает с журналом доказательств",
             "ничего не изменено", "clientguard evidence verify"]),
     ("en", ["contract terms of", "field price differs from the evidence log", "nothing was changed",
             "clientguard evidence verify"])],
)  # fmt: skip
def test_cli_contract_set_refuses_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    lang: str, words: list[str],
) -> None:  # fmt: skip
    ok = cli(tmp_path, monkeypatch)
    ok("import", str(SAMPLE), "--client", CLIENT)
    ok("contract", "set", CLIENT, "--revision-limit", "2", "--price", "50000")
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET price = 5000"))
    engine.dispose()
    capsys.readouterr()
    monkeypatch.setenv("CLIENTGUARD_LANG", lang)
    code, out, err = run_main(monkeypatch, capsys, "contract", "set", CLIENT, "--revision-limit", "3")
    assert code == 1 and out == "", (out, err)
    for word in words:
        assert word in err, err
    assert "contract_terms:" in err and CLIENT in err


# --------------------------------------------------------------- forged updated_at


def test_moving_updated_at_forward_does_not_hide_an_edit(store: Store) -> None:
    set_terms(store, CLIENT, revision_limit=2, price=50000)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET price = 5000, updated_at = '2031-01-01 00:00:00'"))
    report = log_report(store)
    assert not report.ok and report.pending == 0
    assert _problems(store) == [("source_changed", "contract", "contract_terms")]
    assert sync_client(store) == 0
    with pytest.raises(EditedBehindLogError, match="price, updated_at"):
        set_terms(store, CLIENT, revision_limit=3)


def test_the_first_write_logs_a_version_an_older_clientguard_wrote_then_draws_the_line(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrading: the older clientguard synced v1 and wrote v2 without logging it; the new
    one's first write puts v2 on the log before the line, after which an edit is tampering."""
    with monkeypatch.context() as m:
        m.setattr("clientguard.store.hooks.DEFAULT_AFTER_RECORD", ())
        set_terms(store, CLIENT, revision_limit=2, price=50000, scope=("10 постов",))
        assert sync_client(store) > 0
        set_terms(store, CLIENT, revision_limit=3, scope=("12 постов", "4 сторис"))
        assert log_report(store).pending > 0
    add_invoice(store, CLIENT, 45000, due="2025-09-15", issued="2025-09-09", number="П-09")
    report = log_report(store)
    assert report.ok and report.pending == 0, report.problems
    assert sync_client(store) == 0
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contract_terms SET price = 5000, updated_at = '2031-01-01 00:00:00'"))
    assert _problems(store) == [("source_changed", "contract", "contract_terms")]
