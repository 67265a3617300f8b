"""Every refusal the web forms can meet is worded in the page's language, by its message id.

The forms' words are chosen by the library message's id and parameters
(:data:`clientguard.web.refusals.WORDINGS`), not by its English text: each message is
produced here by the library itself, the table is held to what the forms meet, and a
message reworded in ``errors.yaml`` keeps its Russian form refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from string import Formatter

import pytest

from clientguard.contracts import repo
from clientguard.contracts.renumber import renumber_invoice
from clientguard.errors import ClientguardError, ConfigError, msg
from clientguard.report.i18n import strings
from clientguard.store import Store, lifecycle, open_store
from clientguard.web import auth
from clientguard.web.i18n import texts
from clientguard.web.refusals import WORDINGS, key_of, word
from clientguard.web.timelog import add_time
from tests.web.test_web_money import add_invoice, error_of, post
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, create_app, local_config

C = "Клиент"
OTHER = "Другой"


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'r.sqlite3'}") as s:
        repo.add_invoice(s, C, 1000, "2025-09-15", "2025-09-01", "1")
        repo.add_invoice(s, C, 500, "2025-09-15", "2025-09-01", "2")
        repo.pay_invoice(s, C, "2", "2025-09-02")
        auth.add_user(s, "olga", "owner", "long enough")
        yield s


DAYS = ("2025-09-15", "2025-09-01")  # due, issued
FUTURE = (date.today() + timedelta(days=2)).isoformat()
#: Each message a form can meet, produced by the library: its key in WORDINGS → the call.
CASES: dict[str, Callable[[Store], object]] = {
    "invoices.not_positive": lambda s: repo.add_invoice(s, C, 0, "2025-09-15"),
    "invoices.cents": lambda s: repo.add_invoice(s, C, 0.125, "2025-09-15"),
    "invoices.refused/validate.too_big": lambda s: repo.add_invoice(s, C, 1e15, "2025-09-15"),
    "invoices.refused/validate.number": lambda s: repo.add_invoice(s, C, "x", "2025-09-15"),  # type: ignore[arg-type]
    "invoices.refused/validate.finite": lambda s: repo.add_invoice(s, C, float("nan"), "2025-09-15"),
    "invoices.date_span": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "1900-01-01"),
    "invoices.due_before_issued": lambda s: repo.add_invoice(s, C, 10, "2025-08-01", "2025-09-01"),
    "invoices.number_taken": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", "1"),
    "invoices.number_empty": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", " "),
    "invoices.number_control": lambda s: repo.add_invoice(s, C, 10, "2025-09-15", "2025-09-01", "a\x07"),
    "invoices.currency/validate.currency": lambda s: repo.add_invoice(s, C, 10, *DAYS, "9", "XYZ1"),
    "invoices.currency/validate.currency_type": lambda s: repo.add_invoice(s, C, 10, *DAYS, "9", 7),  # type: ignore[arg-type]
    "invoices.paid_in_full": lambda s: repo.pay_invoice(s, C, "2", "2025-09-03"),
    "invoices.over_due": lambda s: repo.pay_invoice(s, C, "1", "2025-09-03", 1250000.5),
    "invoices.paid_before_issued": lambda s: repo.pay_invoice(s, C, "1", "2025-08-01"),
    "invoices.paid_in_future": lambda s: repo.pay_invoice(s, C, "1", FUTURE),
    "lookup.no_client": lambda s: repo.pay_invoice(s, "Никто", "1"),
    "timelog.hours_range": lambda s: add_time(s, C, 30, "olga"),
    "users.password_short": lambda s: auth.set_password(s, "olga", "short"),
    "users.exists": lambda s: auth.add_user(s, "OLGA", "owner", "long enough"),
    "users.name_empty": lambda s: auth.add_user(s, " ", "owner", "long enough"),
    "users.no_user": lambda s: auth.set_role(s, "nobody", "owner"),
    "users.only_owner": lambda s: auth.remove_user(s, "olga"),
    # the manage page (clients rename|merge) and the renumber form (invoice renumber)
    "lifecycle.empty_name": lambda s: lifecycle.rename(s, C, " "),
    "lifecycle.name_too_long": lambda s: lifecycle.rename(s, C, "я" * 301),
    "lifecycle.same_name": lambda s: lifecycle.rename(s, C, C),
    "lifecycle.name_taken": lambda s: lifecycle.rename(s, C, OTHER.upper()) if _other(s) else None,
    "lifecycle.one_client": lambda s: lifecycle.merge(s, C, C.lower()),
    "lifecycle.invoices_clash": lambda s: lifecycle.merge(s, OTHER, C) if _other(s) else None,
    "lifecycle.log_not_verified": lambda s: _other(s) and _tampered(s) and lifecycle.merge(s, C, OTHER),
    "renumber.same": lambda s: renumber_invoice(s, C, "1", "1"),
    "renumber.taken": lambda s: renumber_invoice(s, C, "1", "2"),
    "renumber.too_long": lambda s: renumber_invoice(s, C, "1", "9" * 101),
}


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


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _literals(text: str) -> list[str]:
    """The web wording's own words between its placeholders (what the page must show)."""
    return [lit.strip() for lit, _, _, _ in Formatter().parse(text) if lit.strip()]


def _entry(id: str) -> dict[str, str]:
    section, _, key = id.partition(".")
    entry: dict[str, str] = strings()[section][key]
    return entry


def test_the_modules_the_forms_call_raise_with_message_ids() -> None:
    """A plain English string would reach a Russian form in English (nothing to key it by)."""
    import re

    package = Path(__file__).resolve().parents[2] / "clientguard"
    plain = re.compile(r"(ConfigError|NotFoundError|StorageError|AccessError)\(\s*f?[\"']")
    for name in ("contracts/repo.py", "contracts/renumber.py", "web/auth.py", "web/timelog.py"):
        assert plain.findall(package.joinpath(name).read_text("utf-8")) == [], name


def test_the_table_is_what_the_forms_meet() -> None:
    """Every row is produced by a form's library call below, and nothing else is needed."""
    assert set(WORDINGS) == set(CASES)


@pytest.mark.parametrize("key", sorted(WORDINGS))
def test_every_wording_is_in_both_languages_with_the_messages_parameters(key: str) -> None:
    """The web text exists in ru and en (no fallback to the other) and names only
    parameters the message has (the wrapper's and its reason's)."""
    ids = key.split("/")
    params: set[str] = set()
    for id in ids:
        params |= _fields(_entry(id)["en"])
    params.discard("reason")
    web = f"refused_{WORDINGS[key].key}"
    ru, en = texts("ru").get(web), texts("en").get(web)
    assert ru and en, web
    assert _fields(ru) == _fields(en) and _fields(en) <= params, (web, _fields(en), params)
    assert set(WORDINGS[key].money) <= params


@pytest.mark.parametrize("key", sorted(CASES))
def test_the_librarys_refusal_is_worded_by_its_id_in_both_languages(store: Store, key: str) -> None:
    with pytest.raises(ClientguardError) as caught:
        CASES[key](store)
    exc = caught.value
    assert exc.said is not None and key_of(exc.said) == key, exc.message
    web = f"refused_{WORDINGS[key].key}"
    for lang in ("ru", "en"):
        said = word(exc, lang)
        assert said.detail == exc.message  # the library's line is kept for the details
        assert "{" not in said.message
        for words in _literals(texts(lang)[web]):  # the form's wording, not the CLI's
            assert words in said.message, (lang, said.message)
    assert any("а" <= ch <= "я" for ch in word(exc, "ru").message.lower())


@pytest.mark.parametrize(
    ("id", "english", "call", "ru", "en"),
    [
        (
            "lifecycle.same_name",
            "«{name}» is the name already",
            lambda s: lifecycle.rename(s, C, C),
            f"Клиента и так зовут «{C}» — ничего не изменилось.",
            f"The client is already named “{C}”; nothing changed.",
        ),
        (
            "invoices.paid_in_full",
            "invoice {number!r} has nothing left to pay",
            lambda s: repo.pay_invoice(s, C, "2", "2025-09-03"),
            "Счёт № 2 уже оплачен полностью.",
            "Invoice 2 is already paid in full.",
        ),
    ],
)
def test_a_reworded_english_message_keeps_its_form_wording(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    id: str,
    english: str,
    call: Callable[[Store], object],
    ru: str,
    en: str,
) -> None:
    """The English of the table may change; the form's words do not depend on it (regexes
    over the English dropped the Russian refusal to the English line when it changed)."""
    monkeypatch.setitem(_entry(id), "en", english)
    with pytest.raises(ClientguardError) as caught:
        call(store)
    assert caught.value.message == _entry(id)["en"].format(**caught.value.said.params)  # type: ignore[union-attr]
    assert word(caught.value, "ru").message == ru
    assert word(caught.value, "en").message == en


def test_an_over_payment_names_the_amounts_as_the_page_groups_them(store: Store) -> None:
    with pytest.raises(ClientguardError) as caught:
        CASES["invoices.over_due"](store)
    assert caught.value.message == "payment: expected at most the 1,000 RUB still due, got 1,250,000.50"
    assert word(caught.value, "ru").message == (
        "Оплата больше остатка: по счёту осталось 1\u00a0000\u00a0₽, введено 1\u00a0250\u00a0000,50."
    )
    assert word(caught.value, "en").message == (
        "The payment is more than is due: 1,000\u00a0RUB is still due on the invoice, "
        "1,250,000.50 was entered."
    )


def test_a_too_big_amount_names_the_field_and_groups_the_limit(store: Store) -> None:
    with pytest.raises(ClientguardError) as caught:
        CASES["invoices.refused/validate.too_big"](store)
    assert word(caught.value, "ru").message == (
        "Сумма счёта: не больше 1\u00a0000\u00a0000\u00a0000\u00a0000, "
        "получено 1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000."
    )


def test_a_void_refusal_takes_the_clis_own_words(store: Store) -> None:
    repo.void_invoice(store, C, "1", "опечатка")
    with pytest.raises(ClientguardError) as caught:
        repo.void_invoice(store, C, "1", "ещё раз")
    assert word(caught.value, "ru").message == "счёт «1» уже аннулирован (опечатка)"
    assert word(caught.value, "en").message == "invoice '1' is already voided (опечатка)"


def test_a_message_with_no_form_wording_is_the_tables_in_the_pages_language() -> None:
    """Not every message has words of the web's own: the table's are still the page's language."""
    exc = ConfigError(msg("users.role_of", roles="owner, manager, specialist", role="boss"))
    ru = word(exc, "ru")
    assert ru.message == "нужна одна из ролей owner, manager, specialist, а указано «boss»"
    assert ru.detail == exc.message
    assert word(exc, "en").message == exc.message and word(exc, "en").detail is None


def test_a_plain_string_message_is_shown_as_it_is() -> None:
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
            "оплачено за вычетом прежних возвратов 500\u00a0₽, введено 1\u00a0250.",
            "has 500\u00a0RUB paid net of earlier refunds, 1,250 entered.",
        ),
        (
            lambda s: repo.credit_invoice(s, C, "1", 1250.5, "2025-09-03", "x"),
            "к оплате 1\u00a0000\u00a0₽, введено 1\u00a0250,50. Уже полученные деньги возвращаются формой",
            "has 1,000\u00a0RUB due, 1,250.50 entered. Money already paid goes back with “Record a refund”.",
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


# --------------------------------------------------------------------------- form posts


@pytest.fixture()
def web(tmp_home: Path) -> Iterator[tuple[TestClient, int]]:
    """The dashboard (local mode, SQLite) with one client and a paid invoice 5 of 45 000."""
    cfg = local_config(tmp_home)
    with open_store(cfg.db_url) as s:
        s.import_paths([SAMPLE_CHAT], client=C)
        cid = s.clients()[0].id
    with TestClient(create_app(cfg)) as client:
        client.get("/")  # the CSRF cookie
        add_invoice(client, cid, number="5", amount="45000")
        post(client, f"/clients/{cid}/payments", number="5", day="2025-09-10")
        yield client, cid


@pytest.mark.parametrize(
    ("lang", "said"),
    [("ru", "Счёт № 5 уже оплачен полностью."), ("en", "Invoice 5 is already paid in full.")],
)
def test_a_payment_form_says_the_refusal_in_the_pages_language_whatever_the_english(
    web: tuple[TestClient, int], monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    client, cid = web
    monkeypatch.setitem(_entry("invoices.paid_in_full"), "en", "invoice {number!r}: nothing is left to pay")
    r = post(client, f"/clients/{cid}/payments", lang, number="5")
    assert r.status_code == 400 and error_of(r.text) == said
    assert "invoice &#39;5&#39;: nothing is left to pay" in r.text  # the library's line, in the details


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", "Счёт № 7 у этого клиента уже есть (в том числе аннулированный): выберите другой номер."),
        ("en", "This client already has an invoice No. 7 (a voided one counts too): choose another number."),
    ],
)
def test_the_renumber_form_names_the_number_taken(web: tuple[TestClient, int], lang: str, said: str) -> None:
    client, cid = web
    add_invoice(client, cid, number="7", amount="100")
    r = post(client, f"/clients/{cid}/renumber", lang, number="5", new="7")
    assert r.status_code == 400 and error_of(r.text) == said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", f"Клиента и так зовут «{C}» — ничего не изменилось."),
        ("en", f"The client is already named “{C}”; nothing changed."),
    ],
)
def test_the_rename_form_says_the_name_is_the_same(web: tuple[TestClient, int], lang: str, said: str) -> None:
    client, cid = web
    r = post(client, f"/clients/{cid}/rename", lang, new_name=C)
    assert r.status_code == 400 and error_of(r.text) == said
