"""Team mode: a client's other spellings reach the access check too.

The forms and the upload job looked the typed client up by its exact name, while the
write itself (``save_contract``, the importer) finds a client as every command does:
case-insensitively, and by a name it had before ``clients rename``/``merge``. So a
specialist typing «клиент а», or the client's old name, passed as "a new client" and
wrote a contract onto another specialist's client, which was then granted to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clientguard.store import open_store
from clientguard.web.auth import users
from tests.web.test_web_team import csrf_of, login
from tests.web.test_web_team_writes import upload
from tests.web.web_helpers import TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.parametrize("typed", ["клиент а", "Старое имя"])
def test_another_spelling_of_someone_elses_client_is_refused(
    typed: str, team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Path
) -> None:
    from clientguard.contracts.repo import terms_record
    from clientguard.store.lifecycle import rename

    with open_store(team_db["url"]) as store:
        rename(store, "Клиент А", "Старое имя")
        rename(store, "Старое имя", "Клиент А")  # «Старое имя» now finds «Клиент А»
    contract = tmp_path / "c.md"
    contract.write_text("# Договор\n\nОплата по факту.\n", encoding="utf-8")
    login(team_client, "petr")
    assert upload(team_client, redis_ok, contract, kind="contract", client=typed).status_code == 403
    page = team_client.get("/contract")
    with contract.open("rb") as fh:
        r = team_client.post("/contract", files={"file": ("c.md", fh)},
                             data={"csrf": csrf_of(page.text), "client": typed})
    assert r.status_code == 403
    with open_store(team_db["url"]) as store:
        assert terms_record(store, "Клиент А") is None
        assert dict((u.name, granted) for u, granted in users(store))["petr"] == []


def test_the_users_card_offers_no_closed_client(
    team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Path
) -> None:
    """A client merged away stays as a row named «#2 (merged into #1)» for its evidence
    chain; the owner's grant list offered it (and an erased «#3 (erased)»)."""
    from clientguard.store.lifecycle import forget, merge
    from clientguard.web.auth import grant

    chat = tmp_path / "b.txt"
    chat.write_text("01.10.2025, 10:00 - Борис: Привет\n01.10.2025, 10:05 - Анна: ок\n", encoding="utf-8")
    other = tmp_path / "c.txt"
    other.write_text("02.10.2025, 10:00 - Вера: Привет\n02.10.2025, 10:05 - Анна: ок\n", encoding="utf-8")
    with open_store(team_db["url"]) as store:
        store.import_paths([chat], client="Клиент Б")
        store.import_paths([other], client="Клиент В")
        grant(store, "petr", "Клиент В")
        merge(store, "Клиент Б", "Клиент А")
        forget(store, "Клиент В", "the person asked")
    login(team_client, "olga")
    page = team_client.get("/team").text
    assert "Клиент А" in page
    assert "(merged into" not in page and "(erased)" not in page
