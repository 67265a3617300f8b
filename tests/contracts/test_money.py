"""Invoices (overdue days, late fee, reminder stage) and scope matching (revisions: test_revisions.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clientguard.contracts import match_scope
from clientguard.contracts.invoices import invoice_status, late_fee, next_step, stage_for
from clientguard.domain import Invoice, Message, Role, Sender


@pytest.mark.parametrize(
    ("days", "stage"),
    [
        (0, None),
        (1, "friendly"),
        (6, "friendly"),
        (7, "firm"),
        (13, "firm"),
        (14, "formal_claim"),
        (60, "formal_claim"),
    ],
)
def test_stage_thresholds(days: int, stage: str | None) -> None:
    assert stage_for(days) == stage


def test_next_step_dates() -> None:
    due = date(2025, 3, 5)
    assert next_step(due, 0) == ("friendly", date(2025, 3, 6))
    assert next_step(due, 3) == ("firm", date(2025, 3, 12))
    assert next_step(due, 10) == ("formal_claim", date(2025, 3, 19))
    assert next_step(due, 20) == ("court", date(2025, 3, 29))


def test_late_fee_daily_rate_partial_payment_and_cap() -> None:
    due = date(2025, 3, 5)
    # 10 days × 100 000 × 0.1 % = 1 000
    assert late_fee(100_000, due, date(2025, 3, 15), rate_per_day=0.1) == 1000.0
    # 4 days on 85 000, then 11 days on 45 000 after a partial payment on 10 March
    assert late_fee(85_000, due, date(2025, 3, 20), [(date(2025, 3, 10), 40_000)], 0.1) == 835.0
    # capped at 10 % of the amount
    assert late_fee(10_000, due, date(2026, 3, 5), rate_per_day=0.5, cap_percent=10) == 1000.0
    assert late_fee(10_000, due, date(2025, 3, 5), rate_per_day=0.5) == 0.0
    assert late_fee(10_000, due, date(2025, 4, 5), rate_per_day=None) == 0.0


def test_invoice_status() -> None:
    inv = Invoice(id="7", amount=50_000, issued="2025-03-01", due="2025-03-05")
    s = invoice_status("Acme", inv, date(2025, 3, 15), [(date(2025, 3, 1), 20_000)], 0.1)
    assert (s.outstanding, s.days_overdue, s.stage, s.next_step) == (30_000, 10, "firm", "formal_claim")
    assert s.late_fee == 300.0 and s.overdue
    paid = invoice_status("Acme", inv, date(2025, 3, 15), [(date(2025, 3, 4), 50_000)], 0.1)
    assert not paid.overdue and paid.stage is None and paid.late_fee == 0


def _m(i: int, role: Role, text: str) -> Message:
    return Message(str(i), Sender("x"), datetime(2025, 1, 1, 10, i, tzinfo=UTC), text, role=role)


def test_scope_match_and_offer() -> None:
    ru_scope = ["12 постов во «ВКонтакте» в месяц", "16 сторис в месяц", "ответы на комментарии"]
    assert match_scope("Нужен пост про скидки", ru_scope).in_scope
    out = match_scope("Сделайте ещё лендинг для акции", ru_scope)
    assert not out.in_scope and out.offer and "дополнительное соглашение" in out.offer
    en_scope = ["12 feed posts per month", "4 short-form videos per month"]
    assert match_scope("Please add one more reel this week", en_scope).in_scope
    en_out = match_scope("Can you also build a landing page?", en_scope)
    assert not en_out.in_scope and en_out.offer and "change order" in en_out.offer
    assert match_scope("Anything", []).in_scope  # no scope on file: nothing to judge


def test_find_out_of_scope_requests_with_evidence() -> None:
    from clientguard.contracts import find_out_of_scope

    c, s = Role.CLIENT, Role.SPECIALIST
    msgs = [
        _m(1, c, "Сделайте нам ещё лендинг под акцию"),
        _m(2, c, "Нужен пост про скидки"),  # in scope
        _m(3, c, "Спасибо за идеи для лендинга"),  # not a request
        _m(4, s, "Сделаю лендинг"),  # not the client
        _m(5, c, "Can you also shoot a photo session?"),
    ]
    found = find_out_of_scope(msgs, ["12 постов во «ВКонтакте» в месяц", "16 сторис в месяц"])
    assert [f.message_id for f in found] == ["1", "5"]
    assert all(f.signal == "out_of_scope_request" for f in found)
    first = found[0]
    assert first.text[first.evidence.start : first.evidence.end].startswith("Сделайте")
    assert find_out_of_scope(msgs, []) == []
