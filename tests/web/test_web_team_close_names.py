"""QA pass 7, team mode: "did you mean …?" never names another specialist's client.

A specialist typing "Josef Joestar" in the contract or upload form was asked "did you
mean “Joseph Joestar”?", and a new client from their upload was said to look like stored
ones: names of clients their portfolio and search never show them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.web.i18n import tr
from tests.web.test_web_team import csrf_of, login
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, wait_job

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
TYPO = "Клиентт А"  # one letter off the stored «Клиент А» (granted to ivan, not to petr)


def _contract_form(client: TestClient, tmp_path: Path, path: str) -> str:
    contract = tmp_path / "c.txt"
    contract.write_text("Договор. Не более 2 правок. Оплата в течение 5 дней.\n", encoding="utf-8")
    page = client.get(path)
    extra = {"kind": "contract"} if path == "/upload" else {}
    with contract.open("rb") as fh:
        r = client.post(
            path, files={"file": ("c.txt", fh)}, data={"csrf": csrf_of(page.text), "client": TYPO, **extra}
        )
    assert r.status_code == 400, r.text[:300]
    return r.text


@pytest.mark.parametrize("path", ["/contract", "/upload"])
def test_forms_offer_only_the_users_own_clients(team_client: TestClient, tmp_path: Path, path: str) -> None:
    login(team_client, "petr")
    page = _contract_form(team_client, tmp_path, path)
    assert "Клиент А»" not in page.replace(f"«{TYPO}»", "")
    assert tr("form_unknown_client", "ru").split("{")[0] in page
    team_client.cookies.clear()
    login(team_client, "ivan")  # his own client is still offered
    assert "«Клиент А»" in _contract_form(team_client, tmp_path, path)


def test_upload_of_a_new_client_names_no_one_elses_client(
    team_client: TestClient, tmp_path: Path, redis_ok: str
) -> None:
    from clientguard.web.worker import work

    login(team_client, "petr")
    export = tmp_path / "new.json"
    export.write_text(
        SAMPLE_CHAT.read_text(encoding="utf-8")
        .replace("Игорь Пенкин", "Новый Клиент")
        .replace('"id": 5550002', '"id": 5550777', 1)
        .replace("user5550002", "user5550777"),
        encoding="utf-8",
    )  # another chat with another person: not «Клиент А»'s stored one
    page = team_client.get("/upload")
    with export.open("rb") as fh:
        r = team_client.post(
            "/upload",
            files={"file": ("new.json", fh)},
            data={"csrf": csrf_of(page.text), "client": TYPO},
            follow_redirects=False,
        )
    work(redis_ok, burst=True)
    job = wait_job(team_client, r.headers["location"])
    assert job["status"] == "done", job["error"]
    assert job["result"]["clients"] == [{"id": job["result"]["clients"][0]["id"], "name": TYPO}]
    assert job["result"]["new_alike"] == []
    assert "Клиент А»" not in team_client.get(r.headers["location"]).text.replace(f"«{TYPO}»", "")


def test_refused_upload_does_not_name_the_other_client(
    team_client: TestClient, tmp_path: Path, redis_ok: str
) -> None:
    """petr uploads «Клиент А»'s chat: refused (E600), and the technical details under the
    explanation no longer name «Клиент А» ("belongs to client «Клиент А»")."""
    from clientguard.web.worker import work

    login(team_client, "petr")
    page = team_client.get("/upload")
    with SAMPLE_CHAT.open("rb") as fh:
        r = team_client.post(
            "/upload", files={"file": ("chat.json", fh)}, data={"csrf": csrf_of(page.text)},
            follow_redirects=False,
        )  # fmt: skip
    work(redis_ok, burst=True)
    job = wait_job(team_client, r.headers["location"])
    assert job["status"] == "failed" and job["result"]["error"]["code"] == "E600"
    assert "Клиент А" not in job["error"] and "Клиент А" not in team_client.get(r.headers["location"]).text
