"""Record signals: revision rounds against the limit, overdue invoices, out-of-scope requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from analysis_helpers import make_case, make_msg

from clientguard.analysis import records
from clientguard.domain import AttachmentKind, Role

T0 = datetime(2025, 3, 3, 11, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _t(h: int) -> datetime:
    return T0 + timedelta(hours=h)


def test_rounds_per_deliverable_and_over_limit() -> None:
    s = Role.SPECIALIST
    msgs = [
        make_msg("d1", _t(0), "Баннер к вебинару, вариант 1", role=s),
        make_msg("c1", _t(1), "Поменяйте цвет"),
        make_msg("d2", _t(2), "Вариант 2 с правками", role=s, attachment=AttachmentKind.PHOTO),
        make_msg("c2", _t(3), "Шрифт крупнее", labels=("nitpicking",)),
        make_msg("d3", _t(4), "Вариант 3", role=s, attachment=AttachmentKind.PHOTO),
        make_msg("c3", _t(5), "Переделайте фон"),
        make_msg("d4", _t(6), "Вариант 4", role=s, attachment=AttachmentKind.PHOTO),
        make_msg("ok", _t(7), "Отлично, утверждаю"),
        # a new post is a new deliverable, not a revision of the banner
        make_msg("p1", _t(8), "Вот пост на пятницу, согласуете?", role=s),
        make_msg("pc", _t(9), "Исправьте дату"),
    ]
    rounds = records.revision_rounds(msgs, limit=2)
    by = {r.deliverable: r for r in rounds}
    assert by["banner"].rounds == 3 and by["banner"].evidence == ("c1", "c2", "c3")
    assert by["post"].rounds == 1
    over = records.revision_over_limit(rounds)
    assert over.count == 1 and over.evidence == ("c3",)
    assert over.details[0]["deliverable"] == "banner"


def test_no_limit_means_never_over() -> None:
    msgs = [make_msg("d", _t(0), "Вот баннер", role=Role.SPECIALIST), make_msg("c", _t(1), "Переделайте")]
    assert records.revision_over_limit(records.revision_rounds(msgs, None)).count == 0


def test_approval_closes_the_deliverable() -> None:
    s = Role.SPECIALIST
    msgs = [
        make_msg("d1", _t(0), "Вот пост", role=s),
        make_msg("ok", _t(1), "Супер"),
        make_msg("d2", _t(2), "Вот пост", role=s),
        make_msg("c", _t(3), "Поменяйте заголовок"),
    ]
    rounds = records.revision_rounds(msgs, 1)
    assert [r.rounds for r in rounds] == [1]


CASE = make_case(
    contract={"signed": True, "scope": ["12 постов в месяц", "ежемесячный отчёт"], "revision_limit": 2},
    invoices=[
        {"id": "A", "amount": 100, "issued": "2025-03-01", "due": "2025-03-06", "paid_on": "2025-03-05"},
        {"id": "B", "amount": 100, "issued": "2025-03-01", "due": "2025-03-06", "paid_on": "2025-03-22"},
        {
            "id": "C",
            "amount": 100,
            "issued": "2025-04-01",
            "due": "2025-04-06",
            "paid_on": None,
            "partial_payments": [{"date": "2025-04-10", "amount": 40}],
        },
        {"id": "D", "amount": 100, "issued": "2025-04-20", "due": "2025-04-25", "paid_on": None},
    ],
)


def test_invoice_status_as_of_a_date() -> None:
    st = {s.id: s for s in records.invoice_status(CASE, date(2025, 4, 23))}
    assert st["A"].status == "paid" and st["A"].days_late == 0
    assert st["B"].status == "paid_late" and st["B"].days_late == 16
    # C is due on Sunday 6 April: payable by Monday 7 April (QA pass 7)
    assert (
        st["C"].status == "partly_paid_overdue" and st["C"].days_overdue == 16 and st["C"].paid_amount == 40
    )
    assert st["D"].status == "open" and st["D"].days_overdue == 0
    hit = records.overdue_invoices(tuple(st.values()))
    # B was paid late: nothing is owed on it, so it is not overdue (QA pass 6, F1)
    assert hit.count == 1 and hit.evidence == ("invoice:C",)
    assert {d["invoice"]: d["days_overdue"] for d in hit.details} == {"C": "16"}
    assert [s.id for s in records.paid_late_invoices(tuple(st.values()))] == ["B"]


def test_overdue_count_matches_the_invoice_table() -> None:
    """QA pass 6 F1: "Overdue invoices: 3" beside an invoice table (and ``invoice list``)
    of 2: an invoice paid late was counted as overdue. The reason, the report's signal and
    the dashboard's column now count invoices with something unpaid past due, as of the
    analysis date: the last message's, or a later payment's (fourteenth session: a payment
    recorded after the chat went quiet left its invoice overdue on the dashboard)."""
    from clientguard.analysis import build_profile
    from clientguard.contracts.invoices import invoice_status as standing
    from clientguard.domain import Invoice
    from clientguard.web.profiles import summarize

    case = make_case(
        invoices=[
            {"id": "L", "amount": 100, "issued": "2025-03-01", "due": "2025-03-06", "paid_on": "2025-03-20"},
            {"id": "O1", "amount": 100, "issued": "2025-03-01", "due": "2025-03-10"},
            {
                "id": "O2",
                "amount": 100,
                "issued": "2025-03-01",
                "due": "2025-03-12",
                "partial_payments": [{"date": "2025-03-15", "amount": 30}],
            },
            # paid after the last message: the analysis date moves to that payment
            {"id": "F", "amount": 100, "issued": "2025-03-01", "due": "2025-03-14", "paid_on": "2025-04-30"},
        ]
    )
    when = datetime(2025, 3, 25, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    p = build_profile([make_msg(1, when, "Добрый день")], case)
    hit = next(s for s in p.conversation_signals if s.id == "overdue_invoice")
    assert hit.evidence == ("invoice:O1", "invoice:O2")
    reason = next(r for r in p.recommendation.reasons if r.id == "overdue_invoice")
    assert reason.ru.endswith(": 2") and reason.en.endswith(": 2")
    assert summarize(p, 1, when)["overdue"] == 2
    by_id = {i.id: i for i in p.invoices}
    assert by_id["L"].status == "paid_late" and not by_id["L"].overdue
    assert by_id["F"].status == "paid_late" and by_id["F"].days_late == 47
    # the same verdict as ``invoice list`` on that date
    as_of = date(2025, 4, 30)
    o2 = Invoice("O2", 100, "2025-03-01", "2025-03-12")
    table = standing("Клиент", o2, as_of, [(date(2025, 3, 15), 30)])
    assert table.overdue and table.days_overdue == by_id["O2"].days_overdue == 49


def test_reference_date_is_now_or_last_message() -> None:
    msgs = [make_msg(1, _t(0)), make_msg(2, _t(30))]
    assert records.reference_date(msgs, None) == _t(30).date()
    assert records.reference_date(msgs, datetime(2026, 1, 1)) == date(2026, 1, 1)


def test_a_payment_after_the_last_message_moves_the_date_records_are_judged_at() -> None:
    """A payment recorded after the chat went quiet (``invoice paid``, the dashboard's form)
    left its invoice overdue in the profile until the client wrote again."""
    from clientguard.analysis import build_profile

    msgs = [make_msg(1, _t(0), "Счёт получили"), make_msg(2, _t(30), "Оплатим чуть позже")]
    invoice = {"id": "7", "amount": 1000, "issued": "2025-02-20", "due": "2025-03-01"}
    unpaid, paid = make_case(invoices=[invoice]), make_case(invoices=[invoice | {"paid_on": "2025-03-20"}])
    assert records.reference_date(msgs, None, unpaid) == _t(30).date()
    assert records.reference_date(msgs, None, paid) == date(2025, 3, 20)
    future = make_case(invoices=[invoice | {"paid_on": (date.today() + timedelta(days=3)).isoformat()}])
    assert records.reference_date(msgs, None, future) == _t(30).date()  # never a date to come
    before = build_profile(msgs, unpaid, label_source="oracle")
    after = build_profile(msgs, paid, label_source="oracle")
    assert [s.id for s in before.conversation_signals if s.id == "overdue_invoice"] == ["overdue_invoice"]
    # due Saturday 1 March, payable on Monday the 3rd (art. 193 ГК РФ): 17 days late
    assert [(i.id, i.status, i.days_late) for i in after.invoices] == [("7", "paid_late", 17)]
    assert not [s for s in after.conversation_signals if s.id == "overdue_invoice" and s.count]
    # the report's header is as of the last message; its invoice table says its own date
    from clientguard.report import render_html

    assert "(на дату 2025-03-20)" in render_html(after, "ru")
    assert "(as of 2025-03-20)" in render_html(after, "en")
    assert "(на дату" not in render_html(before, "ru").split("<table")[-1]


@pytest.mark.parametrize(
    ("text", "labels", "out"),
    [
        ("Заодно сделайте нам сайт", (), True),  # a deliverable no scope item names
        ("Сделайте ещё пост про акцию", (), False),  # posts are in the scope
        ("Давайте обсудим", (), False),  # not a request for a deliverable
        ("Это мелочь, добавьте бесплатно", ("scope_creep",), True),  # the text label counts
    ],
)
def test_out_of_scope(text: str, labels: tuple[str, ...], out: bool) -> None:
    hit = records.out_of_scope([make_msg("m", _t(0), text, labels=labels)], CASE)
    assert (hit.count == 1) is out


def test_out_of_scope_without_contract_uses_labels_only() -> None:
    case = make_case()
    msgs = [make_msg("a", _t(0), "Заодно сделайте сайт"), make_msg("b", _t(1), "x", labels=("scope_creep",))]
    assert records.out_of_scope(msgs, case).evidence == ("b",)
