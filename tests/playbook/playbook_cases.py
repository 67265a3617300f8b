"""Real case facts for the golden tests: a Russian and an English freelance case."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from clientguard.domain import WorkingHours
from clientguard.playbook.facts import ReplyFacts

RU = ReplyFacts(
    client_name="ООО «Пенка»",
    contact_name="Игорь",
    specialist_name="Анна Смирнова",
    other_contact_name="Мария Котова",
    other_contact_role="маркетолог",
    manager_name="Олег Викторович",
    project="ведение соцсетей кофейни",
    contract_number="№ 14/25",
    contract_date=date(2025, 9, 1),
    clause_number="п. 3.2",
    clause_text="Исполнитель готовит 12 постов и 8 сторис в месяц по согласованному контент-плану",
    scope_items=("12 постов в месяц", "8 сторис в месяц", "контент-план на месяц"),
    out_of_scope_item="лендинг для новой линейки десертов",
    deliverable="пост о запуске осеннего меню",
    revision_count=4,
    revision_limit=2,
    currency="RUB",
    amount=45000,
    extra_price=3000,
    invoice_id="П-09",
    invoice_date=date(2025, 9, 9),
    due_date=date(2025, 9, 15),
    days_overdue=30,
    pay_by=date(2025, 10, 25),
    penalty_percent_per_day=0.1,
    working_hours=WorkingHours(),
    timezone="Europe/Moscow",
    reply_by=datetime(2025, 10, 16, 12, 0),
    call_date=date(2025, 10, 14),
    confirm_by=date(2025, 10, 17),
    agreed_points=(
        "публикуем посты по вторникам и пятницам",
        "правки присылаете одним списком до 12:00 среды",
        "сторис согласуем в общем чате, без звонков",
    ),
    quoted_message="Почему до сих пор нет поста?! Мне нужно сегодня же, иначе найду других",
    quoted_message_date=datetime(2025, 10, 15, 23, 40),
    issue_summary="сроки публикации октябрьских постов",
    pilot_scope="8 постов и 2 рекламные кампании",
    pilot_price=20000,
    pilot_days=14,
    current_stage="октябрьский контент-план",
    done_items=("контент-план на октябрь", "9 постов из 12"),
    settle_amount=33750,
    end_date=date(2025, 10, 31),
)

EN = ReplyFacts(
    client_name="Bloom Yoga Studio Ltd",
    contact_name="Sarah",
    specialist_name="Tom Baker",
    other_contact_name="Jess Morgan",
    other_contact_role="marketing lead",
    manager_name="Mr Collins",
    project="Instagram for Bloom Yoga",
    contract_number="No. 2025-07",
    contract_date=date(2025, 7, 1),
    clause_number="clause 4.1",
    clause_text="The Contractor delivers 16 posts and 1 monthly report per month",
    scope_items=("16 posts per month", "monthly performance report"),
    out_of_scope_item="a TikTok channel launch",
    deliverable="the summer retreat carousel",
    revision_count=3,
    revision_limit=2,
    currency="EUR",
    amount=1800,
    extra_price=120,
    invoice_id="INV-0042",
    invoice_date=date(2025, 8, 1),
    due_date=date(2025, 8, 15),
    days_overdue=12,
    pay_by=date(2025, 9, 5),
    penalty_percent_per_day=0.05,
    working_hours=WorkingHours(days=(0, 1, 2, 3, 4), start="09:00", end="17:30"),
    timezone="Europe/London",
    reply_by=datetime(2025, 8, 28, 11, 0),
    call_date=date(2025, 8, 26),
    confirm_by=date(2025, 8, 29),
    agreed_points=("stories go live on Mondays and Thursdays", "feedback arrives in one batch per week"),
    quoted_message="This is useless. I want the whole feed redone by tomorrow morning.",
    quoted_message_date=datetime(2025, 8, 27, 22, 15),
    issue_summary="the delay of the August posts",
    pilot_scope="8 posts and one paid campaign",
    pilot_price=600,
    pilot_days=21,
    current_stage="August content",
    done_items=("August content plan", "12 of 16 posts"),
    settle_amount=1350,
    end_date=date(2025, 9, 12),
)

CASES: dict[str, ReplyFacts] = {"ru": RU, "en": EN}


def plain(text: str) -> str:
    """A draft with its no-break spaces as plain ones, for tests of wording.

    Drafts tie "1 250 000 ₽", "№ 7", "до 5 декабря 2025" with U+00A0 (test_typography.py
    checks where); a test about what a sentence says should not also spell each tie.
    """
    return text.replace("\u00a0", " ")


def reply_with_no_invoice(tmp_path: Path, situation: str, lang: str) -> str:
    """``reply SITUATION --client Игорь`` for a stored client who only promised to pay later.

    The store has his chat and no invoice, contract or fact: the drafts must not assert any.
    """
    from typer.testing import CliRunner

    from clientguard.cli import build_app

    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.csv"
    chat.write_text(
        "timestamp,sender,text\n"
        "2026-09-12T10:00:00+03:00,Игорь,Оплатим на следующей неделе\n"
        "2026-09-12T10:05:00+03:00,Ольга,Хорошо\n",
        encoding="utf-8",
    )
    app = build_app()
    res = CliRunner().invoke(app, ["import", str(chat), "--client", "Игорь", "--me", "Ольга", "--db", db])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(app, ["reply", situation, "--client", "Игорь", "--lang", lang, "--db", db])
    assert res.exit_code == 0, res.output
    return res.stdout
