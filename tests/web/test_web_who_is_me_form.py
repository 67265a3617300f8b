"""The upload's result page says when it does not know who the user is, and offers "this is
me" among the participants (the CLI's ``me add``; helper 131).

A user's day: a WhatsApp chat they opened, uploaded with no saved identity, became client
«Анна, Игорь» and every reply draft greeted «Анна», the user; the page said nothing (the
CLI import warns and names the participants) and ``me add`` had no web form. After the
pick, the stored messages are the specialist's and the profile and drafts are derived
again, as after the CLI command; the cached profile, whose key ignored the identities,
kept the old sides (a rude client at risk 84 where a fresh profile said 8).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from clientguard.store import open_store
from clientguard.web.profiles import compute_profile
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import TestClient, create_app, local_config, wait_job

# Анна is the user: she writes first and asks to be paid; Игорь is the rude client.
CHAT = (
    "01.09.2025, 10:05 - Анна: Добрый день, Игорь! Присылаю счёт на оплату\n"
    "01.09.2025, 10:07 - Игорь: Вы что, тупые? Оплатим потом, сейчас денег нет\n"
    "05.09.2025, 10:07 - Анна: Игорь, напоминаю про оплату счёта\n"
    "06.09.2025, 10:07 - Игорь: Отстаньте, бездари. Сказал же, потом\n"
)


def plain(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def offered(page: str) -> dict[str, str]:
    """The participants the page offers, name → form value."""
    return {unescape(n): v for v, n in re.findall(r'name="contact" value="(\d+)"[^>]*> <bdi>([^<]*)<', page)}


def upload(web: TestClient, tmp: Path, text: str = CHAT, name: str = "chat.txt") -> str:
    chat = tmp / name
    chat.write_text(text, encoding="utf-8")
    with chat.open("rb") as fh:
        r = web.post(
            "/upload", files={"file": (chat.name, fh)}, data={"csrf": csrf_of(web.get("/upload").text)},
            follow_redirects=False,
        )
    assert r.status_code == 303, r.text[-300:]
    return str(r.headers["location"])


def first_draft(web: TestClient, cid: int) -> str:
    page = web.get(f"/clients/{cid}?lang=ru").text
    found = re.search(r'<pre class="reply-text"[^>]*>([^\n]*)', page)
    assert found, "no reply draft"
    return unescape(found.group(1))


def score(web: TestClient, cid: int) -> int:
    found = re.search(r'class="score">([^<]*)<', web.get(f"/clients/{cid}").text)
    assert found
    return int(found.group(1))


@pytest.fixture()
def local(tmp_home: Path) -> Iterator[tuple[TestClient, str]]:
    cfg = local_config(tmp_home)
    with TestClient(create_app(cfg)) as web:
        web.get("/")
        yield web, cfg.db_url


def test_the_result_page_asks_and_the_pick_is_me_add(local: tuple[TestClient, str], tmp_path: Path) -> None:
    web, url = local
    job = upload(web, tmp_path)
    result = wait_job(web, job)
    assert result["status"] == "done"
    [client] = result["result"]["clients"]
    page = web.get(f"{job}?lang=ru").text
    assert "Кто из участников вы, пока не известно" in plain(page)
    people = offered(page)
    assert set(people) == {"Анна", "Игорь"}
    # the page polls the job box while the import runs: its last swap carries the form too
    assert offered(web.get(job, headers={"hx-request": "true"}).text) == people
    assert first_draft(web, client["id"]) == "Здравствуйте, Анна!"  # the user greeted: the bug
    before = score(web, client["id"])

    r = web.post(f"{job}/me", data={"csrf": csrf_of(page), "contact": people["Анна"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{job}?done=me_added#who-is-me"
    with open_store(url) as store:
        assert [(i.platform, i.value) for i in store.me()] == [("whatsapp", "Анна")]  # what `me add` stores
        fresh = compute_profile(store, client["name"]).risk.score
    after = plain(web.get(f"{job}?done=me_added&lang=ru").text)
    assert "✓ Запомнено: вы — «Анна»." in after and "Кто из участников вы" not in after
    assert "Имя клиента осталось тем, что дал импорт («Анна, Игорь»)." in after
    # the client side derived again: the draft greets the client, the cached profile is not reused
    assert first_draft(web, client["id"]) == "Здравствуйте, Игорь!"
    assert score(web, client["id"]) == fresh != before


def test_in_english_and_not_asked_once_known(local: tuple[TestClient, str], tmp_path: Path) -> None:
    web, url = local
    job = upload(web, tmp_path)
    wait_job(web, job)
    assert "Which participant is you is not known yet" in plain(web.get(f"{job}?lang=en").text)
    with open_store(url) as store:
        store.add_me("Анна")  # `clientguard me add Анна`
    page = web.get(f"{job}?lang=en").text
    assert 'id="who-is-me"' not in page and not offered(page)


def test_me_add_on_the_command_line_reaches_a_cached_page(
    local: tuple[TestClient, str], tmp_path: Path
) -> None:
    """The profile cache's key ignored the identities: after `me add` (which re-roles
    stored messages, adding none) the page kept the profile of the old sides."""
    web, url = local
    job = upload(web, tmp_path)
    [client] = wait_job(web, job)["result"]["clients"]
    before = score(web, client["id"])  # computed and cached
    with open_store(url) as store:
        store.add_me("Анна")
        fresh = compute_profile(store, client["name"]).risk.score
    assert fresh != before
    assert score(web, client["id"]) == fresh
    with TestClient(create_app(local_config(Path(url.removeprefix("sqlite:///")).parent))) as again:
        assert score(again, client["id"]) == fresh  # nor the profile pickled on disk


def test_only_an_offered_participant_can_be_picked(local: tuple[TestClient, str], tmp_path: Path) -> None:
    web, url = local
    job = upload(web, tmp_path)
    wait_job(web, job)
    page = web.get(job).text
    for forged in ("", "999", "x"):
        r = web.post(f"{job}/me", data={"csrf": csrf_of(page), "contact": forged}, follow_redirects=False)
        assert r.status_code == 400
    r = web.post(f"{job}/me", data={"contact": offered(page)["Анна"]}, follow_redirects=False)
    assert r.status_code == 403  # no CSRF token
    with open_store(url) as store:
        assert store.me() == []


# -- team mode: identities are the team's, one set; a specialist changes only their clients

OTHERS = (  # a chat of another client where Игорь writes too (an agency's contact, say)
    "03.09.2025, 09:00 - Олег: Игорь, добрый день\n"
    "03.09.2025, 09:06 - Игорь: Добрый день, Олег\n"
)


@pytest.mark.postgres
@pytest.mark.redis
def test_team_a_specialist_may_not_change_clients_they_cannot_open(
    team_client: TestClient, team_db: dict[str, Any], tmp_path: Path, redis_ok: str
) -> None:
    from clientguard.web.worker import work

    url = team_db["url"]
    login(team_client, "petr")
    job = upload(team_client, tmp_path)
    work(redis_ok, burst=True)
    done = wait_job(team_client, job)
    assert done["status"] == "done", (done.get("error"), done.get("result"))
    (tmp_path / "others.txt").write_text(OTHERS, encoding="utf-8")
    with open_store(url) as store:
        store.import_paths([tmp_path / "others.txt"], client="Клиент Б")  # petr has no access to it
        assert store.me() == []
    page = team_client.get(f"{job}?lang=ru").text
    people = offered(page)
    assert set(people) == {"Анна", "Игорь"}
    # Игорь writes in «Клиент Б» too: marking him would change a client petr cannot open
    r = team_client.post(f"{job}/me", data={"csrf": csrf_of(page), "contact": people["Игорь"]})
    assert r.status_code == 403 and "владелец или менеджер" in plain(r.text)
    with open_store(url) as store:
        assert store.me() == []
    # Анна writes only in petr's own client: he may
    r = team_client.post(
        f"{job}/me", data={"csrf": csrf_of(page), "contact": people["Анна"]}, follow_redirects=False
    )
    assert r.status_code == 303
    with open_store(url) as store:
        assert [i.value for i in store.me()] == ["Анна"]
