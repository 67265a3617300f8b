"""Team mode: a specialist's writes stay within the clients granted to them (QA2 T1, T2, T6).

On a real PostgreSQL and Redis (rq worker). ``petr`` has no client; ``ivan`` has «Клиент А»,
which holds the sample chat. Before this, a specialist could take another client's whole
chat by uploading a one-message file with the same chat id (the conversation moved to
their client and they read it), and could add messages or a contract to any client by
naming it in the upload or contract form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clientguard.store import open_store
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, wait_job

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def upload(web: TestClient, redis_url: str, path: Path, **data: str) -> Any:
    from clientguard.web.worker import work

    page = web.get("/upload")
    with path.open("rb") as fh:
        r = web.post("/upload", files={"file": (path.name, fh)}, data={"csrf": csrf_of(page.text), **data},
                     follow_redirects=False)
    if r.status_code != 303:
        return r
    work(redis_url, burst=True)
    return wait_job(web, r.headers["location"])


def one_message_of_the_same_chat(tmp_path: Path) -> Path:
    chat = json.loads(SAMPLE_CHAT.read_text(encoding="utf-8"))
    chat["messages"] = [{**chat["messages"][0], "id": 99999, "text": "hi"}]
    path = tmp_path / "steal.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return path


def counts(url: str) -> dict[str, int]:
    with open_store(url) as store:
        return {c.name: c.messages for c in store.clients()}


def test_a_chat_of_another_client_cannot_be_taken_by_upload(
    team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Path
) -> None:
    before = counts(team_db["url"])
    login(team_client, "petr")
    job = upload(team_client, redis_ok, one_message_of_the_same_chat(tmp_path), client="Мой клиент")
    assert job["status"] == "failed" and job["error"].startswith("E600"), job
    assert "Клиент А" not in job["error"]  # QA7: a client petr cannot open is not named to him
    assert counts(team_db["url"]) == before  # nothing moved, nothing added


def test_naming_someone_elses_client_is_refused(
    team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Path
) -> None:
    before = counts(team_db["url"])
    login(team_client, "petr")
    fake = tmp_path / "fake.txt"
    fake.write_text(
        "20.09.2025, 10:00 - Игорь: Вы вообще работать умеете?\n20.09.2025, 10:05 - Анна: Хорошо\n",
        encoding="utf-8",
    )
    assert upload(team_client, redis_ok, fake, client="Клиент А").status_code == 403
    contract = tmp_path / "c.md"
    contract.write_text("# Договор\n\nОплата по факту.\n", encoding="utf-8")
    assert upload(team_client, redis_ok, contract, kind="contract", client="Клиент А").status_code == 403
    page = team_client.get("/contract")
    with contract.open("rb") as fh:
        r = team_client.post("/contract", files={"file": ("c.md", fh)},
                             data={"csrf": csrf_of(page.text), "client": "Клиент А"})
    assert r.status_code == 403
    assert counts(team_db["url"]) == before
    with open_store(team_db["url"]) as store:
        from clientguard.contracts.repo import terms_record

        assert terms_record(store, "Клиент А") is None  # no contract was saved for it


def test_what_a_specialist_adds_is_theirs_and_granted_clients_stay_writable(
    team_client: TestClient, team_db: dict[str, Any], redis_ok: str, tmp_path: Path
) -> None:
    login(team_client, "petr")
    new = tmp_path / "new.txt"
    new.write_text("01.10.2025, 10:00 - Пётр: Привет\n01.10.2025, 10:05 - Анна: ок\n", encoding="utf-8")
    job = upload(team_client, redis_ok, new, client="Клиент Петра")
    assert job["status"] == "done", job
    assert "Клиент Петра" in team_client.get("/").text  # granted to him: he sees it
    login(team_client, "ivan")  # ivan may add to his own client
    more = one_message_of_the_same_chat(tmp_path)
    assert upload(team_client, redis_ok, more, client="Клиент А")["status"] == "done"
