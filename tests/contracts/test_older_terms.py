"""Every stored term an older reader read otherwise is told, not the late fee alone.

``older_late_fee`` looked at the late fee only: a contract whose payment days or revision
rounds an older reader got wrong (stored with that reader's version, or before origins
were kept) said nothing until ``contract reread --dry-run``. ``contracts.older`` names
each such term, and reads the file only when some term may be an older reading.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from clientguard.contracts import check_contract
from clientguard.contracts.repo import save_contract, set_terms, terms_record
from clientguard.contracts.reread import older_late_fee, reread
from clientguard.store import Store
from clientguard.store.models_contracts import TermOriginRow

#: The late fee reads the same to every reader version; the rest is what an older one missed.
TERMS = """# Social media services agreement

1. Scope: 12 posts a month on Instagram.
2. Fees: GBP 1,500 a month, payable within 14 days of the invoice.
3. Revisions: up to 2 rounds of revisions are included.
4. Late payment: amounts not paid when due bear a penalty of 0.1% per day.
"""


def stored_by_an_older_reader(
    store: Store, tmp_path: Path, client: str = "Acme", legacy: bool = False, **wrong: Any
) -> Path:
    """:data:`TERMS` stored as an older reader read it: ``wrong`` terms (payment days 30 and
    3 revision rounds unless given), its reader version ``late_fee.v1`` or, ``legacy``, no
    origins at all (a database from before migration 0005)."""
    path = tmp_path / f"{client}.md"
    path.write_text(TERMS, encoding="utf-8")
    report = check_contract(path)
    given = wrong or {"payment_due_days": 30, "revision_limit": 3}
    save_contract(store, client, path, replace(report, extracted=replace(report.extracted, **given)))
    with store.engine.begin() as conn:
        if legacy:
            conn.execute(delete(TermOriginRow))
        else:
            conn.execute(update(TermOriginRow).values(reader="late_fee.v1"))
    return path


def _told(store: Store, client: str = "Acme") -> list[tuple[str, object, object, str]]:
    from clientguard.contracts.older import older_terms  # here: the CLI tests import this module

    found = older_terms(store, client)
    return [] if found is None else [(c.field, c.old, c.new, c.why) for c in (*found.changes, *found.kept)]


@pytest.mark.parametrize("legacy", [False, True], ids=["older-reader", "no-origins"])
def test_terms_other_than_the_late_fee_are_told(store: Store, tmp_path: Path, legacy: bool) -> None:
    stored_by_an_older_reader(store, tmp_path, legacy=legacy)
    assert older_late_fee(store, "Acme") is None  # what the notices looked at: nothing to tell
    assert _told(store) == [("revision_limit", 3, 2, ""), ("payment_due_days", 30, 14, "")]

    reread(store, ["Acme"])  # the user re-read it: nothing is an older reading any more
    assert _told(store) == []
    after = terms_record(store, "Acme")
    assert after is not None and (after.terms.payment_due_days, after.terms.revision_limit) == (14, 2)


def test_a_term_set_by_hand_is_not_told(store: Store, tmp_path: Path) -> None:
    stored_by_an_older_reader(store, tmp_path)
    set_terms(store, "Acme", payment_due_days=30)  # the user's own 30 days, whatever the file says
    assert _told(store) == [("revision_limit", 3, 2, "")]


def test_a_legacy_hand_edit_is_told_as_unsure(store: Store, tmp_path: Path) -> None:
    """Stored before origins were kept, after a `contract set`: possibly the user's, so
    ``contract reread`` keeps it unless asked (--take-unsure) — and the notice says so."""
    stored_by_an_older_reader(store, tmp_path, payment_due_days=30)
    set_terms(store, "Acme", payment_due_days=45)
    with store.engine.begin() as conn:
        conn.execute(delete(TermOriginRow))
    assert _told(store) == [("payment_due_days", 45, 14, "unsure")]


def test_the_file_is_read_only_when_a_term_may_be_an_older_reading(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientguard.contracts.checker as checker

    stored_by_an_older_reader(store, tmp_path)
    path = tmp_path / "today.md"
    path.write_text(TERMS, encoding="utf-8")
    save_contract(store, "Today", path, check_contract(path))  # read by today's reader
    reads: list[Path] = []
    real = checker.check_contract

    def counted(file: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(Path(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(checker, "check_contract", counted)
    for _ in range(3):
        assert _told(store, "Today") == []
    assert reads == []  # today's reading: no file opened, however often the page is built
    for _ in range(3):
        assert [f for f, *_ in _told(store)] == ["revision_limit", "payment_due_days"]
    assert reads == [tmp_path / "Acme.md"]  # an older one: read once for this state of the file
    path = tmp_path / "Acme.md"
    path.write_text(TERMS.replace("14 days", "21 days"), encoding="utf-8")
    assert _told(store) == []  # not the contract stored: only the late fee can be read again
