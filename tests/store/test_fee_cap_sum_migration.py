"""``0008_contracts_fee_cap_sum``: up from the previous contracts head with data kept, down again, on
both databases.

A user's database from before the column keeps its terms; the column arrives empty, and a
terms row logged before it still verifies on the evidence log (the payload leaves the column
out while it is None), also after a cap is stored beside the old version.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from clientguard.contracts.repo import set_terms, terms_record
from clientguard.contracts.terms import SumCap
from clientguard.evidence.verify import resolve_client, verify_client
from clientguard.store import open_store
from clientguard.store.engine import make_engine
from clientguard.store.migrate import alembic_config, current, heads

REVISION = "0008_contracts_fee_cap_sum"
BEFORE = "0006_contracts_fixed_late_fee"


def _state(db_url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        found = set(current(conn)), {c["name"] for c in inspect(conn).get_columns("contract_terms")}
    engine.dispose()
    return found


def test_the_cap_column_goes_up_and_down_and_old_terms_verify(db_url: str) -> None:
    with open_store(db_url) as store:
        set_terms(store, "Пенка", late_fee_percent_per_day=0.1, price=40000, currency="RUB")
    revisions, columns = _state(db_url)
    assert REVISION in revisions and "late_fee_cap_sum" in columns
    engine = make_engine(db_url)
    with engine.begin() as conn:  # back to the database of the version before
        command.downgrade(alembic_config(conn), BEFORE)
    engine.dispose()
    revisions, columns = _state(db_url)
    assert BEFORE in revisions and REVISION not in revisions
    assert "late_fee_cap_sum" not in columns and "late_fee_fixed" in columns
    with open_store(db_url) as store:  # opening it upgrades it again, data kept
        with store.engine.connect() as conn:
            assert current(conn) == heads()
        stored = terms_record(store, "Пенка")
        assert stored is not None and stored.terms.late_fee_percent_per_day == 0.1
        assert stored.late_fee_cap_sum is None
        set_terms(store, "Пенка", late_fee_cap_sum=SumCap(10000, "RUB"))
        assert terms_record(store, "Пенка").late_fee_cap_sum == SumCap(10000, "RUB")  # type: ignore[union-attr]
        with store.engine.connect() as conn:
            report = verify_client(conn, resolve_client(conn, "Пенка"))
        assert report.ok, report.problems
