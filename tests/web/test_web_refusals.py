"""Every refusal the web forms can meet is worded in the page's language.

The library's messages are matched by pattern (:mod:`clientguard.web.refusals`); each
one is produced here by the library itself, so a reworded message fails this test
instead of reaching the page in English only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from clientguard.contracts import repo
from clientguard.contracts.renumber import renumber_invoice
from clientguard.errors import ClientguardError
from clientguard.store import Store, lifecycle, open_store
from clientguard.web import auth
from clientguard.web.refusals import PATTERNS, word
from clientguard.web.timelog import add_time

C = "Клиент"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'r.sqlite3'}") as s:
        repo.add_invoice(s, C, 1000, "2025-09-15", "2025-09-01", "1")
        repo.add_invoice(s, C, 500, "2025-09-15", "2025-09-01", "2")
        repo.pay_invoice(s, C, "2", "2025-09-02")
        auth.add_user(s, "olga", "owner", "long enough")
        yield s


FUTURE = (date.today() + timedelta(days=2)).isoformat()
CASES: dict[str, Callable[[Store], object]] = {
    "not_positive": lambda s: repo.add_invoice(s, C, 0, "2025-09-15"),
    "cents": lambda s: repo.add_invoice(s, C, 0.125, "2025-09-15"),
    "too_big": lambda s: repo.add_invoice(s, C, 1e15, "2025-09-15"),
    "date_range": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "1900-01-01"),
    "due_before_issued": lambda s: repo.add_invoice(s, C, 10, "2025-08-01", "2025-09-01"),
    "number_taken": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", "1"),
    "number_unprintable": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", "a\x07"),
    "currency": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", "9", "XYZ1"),
    "paid_in_full": lambda s: repo.pay_invoice(s, C, "2", "2025-09-03"),
    "over_due": lambda s: repo.pay_invoice(s, C, "1", "2025-09-03", 1250000.5),
    "paid_before_issued": lambda s: repo.pay_invoice(s, C, "1", "2025-08-01"),
    "paid_future": lambda s: repo.pay_invoice(s, C, "1", FUTURE),
    "hours_range": lambda s: add_time(s, C, 30, "olga"),
    "password_short": lambda s: auth.set_password(s, "olga", "short"),
    "user_exists": lambda s: auth.add_user(s, "OLGA", "owner", "long enough"),
    "user_name_empty": lambda s: auth.add_user(s, " ", "owner", "long enough"),
    "no_user": lambda s: auth.set_role(s, "nobody", "owner"),
    "last_owner": lambda s: auth.remove_user(s, "olga"),
    "no_client": lambda s: repo.pay_invoice(s, "Никто", "1"),
    # the manage page (clients rename|merge) and the renumber form (invoice renumber)
    "name_empty": lambda s: lifecycle.rename(s, C, " "),
    "name_long": lambda s: lifecycle.rename(s, C, "я" * 301),
    "name_same": lambda s: lifecycle.rename(s, C, C),
    "name_taken": lambda s: lifecycle.rename(s, C, OTHER.upper()) if _other(s) else None,
    "merge_same": lambda s: lifecycle.merge(s, C, C.lower()),
    "merge_clash": lambda s: lifecycle.merge(s, OTHER, C) if _other(s) else None,
    "merge_unclean": lambda s: lifecycle.merge(s, C, OTHER) if _other(s) and _tampered(s) else None,
    "renum_same": lambda s: renumber_invoice(s, C, "1", "1"),
    "renum_taken": lambda s: renumber_invoice(s, C, "1", "2"),
    "renum_long": lambda s: renumber_invoice(s, C, "1", "9" * 101),
}
OTHER = "Другой"


def _other(s: Store) -> bool:
    """A second client, with an invoice 1 as the fixture's client has."""
    repo.add_invoice(s, OTHER, 10, "2025-09-15", "2025-09-01", "1")
    return True


def _tampered(s: Store) -> bool:
    """The fixture client's invoice 2 edited in the database, behind the evidence log."""
    from sqlalchemy import text

    with s.engine.begin() as conn:
        conn.execute(text("UPDATE invoices SET amount = 1 WHERE number = '2'"))
    return True


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_librarys_refusal_is_worded_in_both_languages(store: Store, key: str) -> None:
    with pytest.raises(ClientguardError) as caught:
        CASES[key](store)
    pattern = next(p for p, k in PATTERNS if k == key)
    assert pattern.fullmatch(caught.value.message), caught.value.message
    ru, en = word(caught.value, "ru"), word(caught.value, "en")
    assert ru.detail == caught.value.message  # the library's line is kept for the details
    assert ru.message != en.message and "{" not in ru.message + en.message
    assert any("а" <= ch <= "я" for ch in ru.message.lower())


def test_an_over_payment_names_the_amounts_as_the_page_groups_them(store: Store) -> None:
    with pytest.raises(ClientguardError) as caught:
        CASES["over_due"](store)
    assert word(caught.value, "ru").message == (
        "Оплата больше остатка: по счёту осталось 1\u202f000 ₽, введено 1\u202f250\u202f000,50."
    )


def test_a_void_refusal_takes_the_clis_own_words(store: Store) -> None:
    repo.void_invoice(store, C, "1", "опечатка")
    with pytest.raises(ClientguardError) as caught:
        repo.void_invoice(store, C, "1", "ещё раз")
    assert word(caught.value, "ru").message == "счёт «1» уже аннулирован (опечатка)"
    assert word(caught.value, "en").message == "invoice '1' is already voided (опечатка)"


def test_a_message_no_pattern_knows_is_shown_as_it_is() -> None:
    from clientguard.errors import ConfigError

    said = word(ConfigError("something new"), "ru")
    assert said.message == "something new" and said.detail is None


@pytest.mark.parametrize(
    ("call", "ru", "en"),
    [
        (
            lambda s: repo.refund_invoice(s, C, "2", -5, "2025-09-03", "x"),
            "Сумма возврата: ожидается больше 0",
            "Refund amount: expected more than 0",
        ),
        (
            lambda s: repo.credit_invoice(s, C, "1", 0.125, "2025-09-03", "x"),
            "Уменьшение суммы: не больше двух знаков",
            "Credit amount: at most 2 decimal places",
        ),
        (
            lambda s: repo.refund_invoice(s, C, "2", 10, "1900-01-01", "x"),
            "Дата возврата: ожидается дата с",
            "Refund date: expected a date from",
        ),
        (
            lambda s: repo.refund_invoice(s, C, "2", 1250, "2025-09-03", "x"),
            "оплачено за вычетом прежних возвратов 500 ₽, введено 1\u202f250.",
            "has 500 RUB paid net of earlier refunds, 1,250 entered.",
        ),
        (
            lambda s: repo.credit_invoice(s, C, "1", 1250.5, "2025-09-03", "x"),
            "к оплате 1\u202f000 ₽, введено 1\u202f250,50. Уже полученные деньги возвращаются формой",
            "has 1,000 RUB due, 1,250.50 entered. Money already paid goes back with “Record a refund”.",
        ),
    ],
)
def test_a_refund_or_credit_refusal_is_worded_for_the_page(
    store: Store, call: Callable[[Store], object], ru: str, en: str
) -> None:
    """Fifteenth session: the refund and credit forms meet these; the amounts of a refused
    refund read "1250.0" (the refusal's values went to the text unworded), and the CLI's
    advice named a command (`invoice credit`) where the page has a form."""
    with pytest.raises(ClientguardError) as caught:
        call(store)
    assert ru in word(caught.value, "ru").message
    assert en in word(caught.value, "en").message
