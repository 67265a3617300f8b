"""The user's identities: named ones are saved, assumed ones count for one import (QA F20).

``analyze FILE`` guesses who the user is in a chat that does not say (the sender who is
not the client) and handed that guess to the import as ``me``, which saved it: every
later import then took that person for the user, in chats where they are the client.
``assume_me`` is the import's word for a guess: the run's roles use it, nothing keeps it.
A full-account export names its owner, which is no guess and is still saved.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _fakes import fake_reader, msgs, write_export

from clientguard.domain import Role
from clientguard.errors import ConfigError
from clientguard.store import Store

OLGA = ("user1", "Ольга")


def roles(store: Store, client: str) -> dict[str, Role]:
    return {s.message.sender.source_id: s.message.role for s in store.messages(client)}


def test_assumed_identity_is_used_for_the_run_and_not_saved(store: Store, tmp_path: Path) -> None:
    first = write_export(tmp_path / "a.json", msgs(0, 4, me=OLGA), key="tg:1", title="Игорь")
    store.import_paths([first], reader=fake_reader, assume_me=["user1"])
    assert roles(store, "Игорь") == {"user2": Role.CLIENT, "user1": Role.SPECIALIST}
    assert store.me() == []  # the guess is not the user's identity from now on
    # In the next chat Ольга is the client: she is not taken for the user there.
    second = write_export(
        tmp_path / "b.json", msgs(0, 4, client=OLGA, me=("user3", "Пётр")), key="tg:2", title="Ольга"
    )
    store.import_paths([second], reader=fake_reader, me=["user3"])
    assert roles(store, "Ольга") == {"user1": Role.CLIENT, "user3": Role.SPECIALIST}
    assert [(i.platform, i.value) for i in store.me()] == [("", "user3")]  # named: saved


def test_owner_named_by_the_export_is_saved_even_beside_a_guess(store: Store, tmp_path: Path) -> None:
    export = write_export(tmp_path / "a.json", msgs(0, 4), owner=["user1", "Анна"])
    store.import_paths([export], reader=fake_reader, assume_me=["user9"])
    assert [(i.platform, i.value) for i in store.me()] == [("telegram", "user1")]
    assert roles(store, "Игорь") == {"user2": Role.CLIENT, "user1": Role.SPECIALIST}


def test_sender_names_show_who_an_identity_is(store: Store, tmp_path: Path) -> None:
    store.import_paths([write_export(tmp_path / "a.json", msgs(0, 4, me=OLGA))], reader=fake_reader)
    assert store.sender_names({"user1", "user2", "nobody"}) == {"user1": "Ольга", "user2": "Игорь"}
    assert store.sender_names(set()) == {}


@pytest.mark.parametrize("platform", ["icq", "tg", "telegram "])
def test_identity_platform_must_be_one_imports_use(store: Store, platform: str) -> None:
    if platform.strip() == "telegram":  # spacing and case are forgiven
        assert store.add_me("user1", platform=platform.upper())
        assert [(i.platform, i.value) for i in store.me()] == [("telegram", "user1")]
        assert store.remove_me(" user1", platform=platform) and store.me() == []
        return
    known = "email, slack, tabular, telegram, whatsapp"
    with pytest.raises(ConfigError, match=f"platform: expected one of {known}"):
        store.add_me("user1", platform=platform)
    assert store.me() == []
