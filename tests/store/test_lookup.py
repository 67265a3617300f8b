"""Client names as the user types them: exact, any case, and the close names of a typo."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from clientguard.errors import NotFoundError
from clientguard.store import Store
from clientguard.store.lookup import close_names, find_client, require_client, unknown_client
from clientguard.store.models import ClientRow

NAMES = ("Кофейня «Пенка»", "Игорь Пенкин", "Acme Ltd", "ACME LTD", "Бюро Лютик")


@pytest.fixture()
def named(store: Store) -> Store:
    with store.engine.begin() as conn:
        conn.execute(insert(ClientRow), [{"name": n, "created_at": datetime.now(UTC)} for n in NAMES])
    return store


@pytest.mark.parametrize(
    ("typed", "close"),
    [
        ("Игорь Пенкен", ["Игорь Пенкин"]),  # a typo
        ("игорь пенкен", ["Игорь Пенкин"]),  # and another case
        ("Пенка", ["Кофейня «Пенка»"]),  # a part of the name
        ("Лютик", ["Бюро Лютик"]),
        ("acme", ["Acme Ltd"]),  # names equal but for case: one of them
        ("Совсем другой", []),
        ("  ", []),
    ],
)
def test_close_names(named: Store, typed: str, close: list[str]) -> None:
    with named.engine.connect() as conn:
        assert close_names(conn, typed) == close


def test_unknown_client_names_the_typo_and_the_close_names(named: Store) -> None:
    with named.engine.connect() as conn:
        assert find_client(conn, "Игорь Пенкен") is None
        with pytest.raises(NotFoundError) as err:
            require_client(conn, "Игорь Пенкен")
        hinted = unknown_client(conn, "Nobody", "add --create-client")
    assert str(err.value) == (
        "E400: no client named 'Игорь Пенкен'; did you mean 'Игорь Пенкин'? (see `clientguard clients`)"
    )
    assert str(hinted) == "E400: no client named 'Nobody' (add --create-client)"


def test_e_finds_a_name_spelt_with_yo_and_back(store: Store) -> None:
    """Russian writers drop ё's dots at will: «елка студия» is «Ёлка Студия», not a new client."""
    with store.engine.begin() as conn:
        conn.execute(
            insert(ClientRow),
            [{"name": n, "created_at": datetime.now(UTC)} for n in ("Ёлка Студия", "Семен")],
        )
    with store.engine.connect() as conn:
        assert find_client(conn, "елка студия") == (1, "Ёлка Студия")
        assert find_client(conn, "Семён") == (2, "Семен")
        assert close_names(conn, "Елка Студи") == ["Ёлка Студия"]
