"""API tests of local mode: pages, JSON errors, upload jobs, size limit, CSRF, i18n."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from clientguard.web.app import create_app
from clientguard.web.i18n import pick_lang, texts
from tests.web.web_helpers import SAMPLE_CHAT, TestClient, local_config, wait_job


def upload(client: TestClient, path: Path, **data: str) -> dict[str, Any]:
    csrf = client.cookies.get("cg_csrf") or ""
    with path.open("rb") as fh:
        r = client.post(
            "/upload", files={"file": (path.name, fh)}, data={"csrf": csrf, **data}, follow_redirects=False
        )
    assert r.status_code == 303, r.text
    return wait_job(client, r.headers["location"])


def test_i18n_files_have_the_same_keys() -> None:
    assert set(texts("ru")) == set(texts("en"))


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "want"),
    [
        ("en", None, None, "en"),
        (None, "en", "ru", "en"),
        (None, None, "en-GB,en;q=0.9", "en"),
        (None, None, "de-DE", "ru"),
        ("xx", None, "en", "en"),
    ],
)
def test_language_choice(query: str | None, cookie: str | None, accept: str | None, want: str) -> None:
    assert pick_lang(query, cookie, accept) == want


def test_empty_portfolio_invites_upload(local_client: TestClient) -> None:
    r = local_client.get("/?lang=en")
    assert r.status_code == 200
    assert "No clients yet" in r.text
    # no CDN, no external resource: every src/href is local
    assert "/static/htmx.min.js" in r.text
    assert not re.search(r'(src|href)="(https?:)?//', r.text)


def test_upload_then_profile(local_client: TestClient) -> None:
    job = upload(local_client, SAMPLE_CHAT)
    assert job["status"] == "done", job
    assert job["result"]["messages_added"] == 27
    cid = job["result"]["clients"][0]["id"]
    rows = local_client.get("/api/clients").json()
    assert rows[0]["id"] == cid and rows[0]["level"] in ("high", "critical")
    page = local_client.get(f"/clients/{cid}?lang=en")
    assert page.status_code == 200
    assert 'id="risk-score"' in page.text and "<mark" in page.text and "data-copy=" in page.text
    profile = local_client.get(f"/api/clients/{cid}").json()
    assert profile["risk"]["score"] == rows[0]["score"]
    # the specialist was recognised: her messages are not the client's
    assert len(profile["contacts"]) == 1
    again = upload(local_client, SAMPLE_CHAT)
    assert again["result"]["messages_added"] == 0 and again["result"]["messages_existing"] == 27
    search = local_client.get("/", params={"q": "nobody"}, headers={"hx-request": "true"})
    assert "<tr" in search.text and "client-link" not in search.text


def test_bad_file_error_names_file_and_place(local_client: TestClient, tmp_path: Path) -> None:
    bad = tmp_path / "chat.json"
    bad.write_text('{"name": "x", "messages": [{"id": 1, "type": "message", "date": ', encoding="utf-8")
    job = upload(local_client, bad)
    assert job["status"] == "failed"
    assert "chat.json" in job["error"]
    assert "/uploads/" not in job["error"]


def test_post_without_csrf_is_rejected(local_client: TestClient) -> None:
    r = local_client.post("/presale", data={"messages": "Привет"}, headers={"accept": "application/json"})
    assert r.status_code == 403
    assert r.json()["error"]["status"] == 403


def test_errors_are_json_or_html_by_accept(local_client: TestClient) -> None:
    js = local_client.get("/clients/999", headers={"accept": "application/json"})
    assert js.status_code == 404 and js.json()["error"]["message"]
    html = local_client.get("/clients/999")
    assert html.status_code == 404 and 'id="error-message"' in html.text


def test_upload_size_limit(tmp_home: Path, tmp_path: Path) -> None:
    with TestClient(create_app(local_config(tmp_home, max_upload_bytes=1000))) as client:
        client.get("/")
        big = tmp_path / "big.txt"
        big.write_bytes(b"x" * 5000)
        with big.open("rb") as fh:
            r = client.post(
                "/upload",
                files={"file": ("big.txt", fh)},
                data={"csrf": client.cookies.get("cg_csrf") or ""},
                headers={"accept": "application/json"},
            )
    assert r.status_code == 413


def test_presale_and_contract_forms(local_client: TestClient, tmp_path: Path) -> None:
    csrf = local_client.cookies.get("cg_csrf") or ""
    r = local_client.post(
        "/presale",
        data={
            "csrf": csrf,
            "messages": "2025-03-01 23:40 | Нужно срочно, сегодня! Бюджет обсудим потом, договор не нужен.",
        },
    )
    assert r.status_code == 200 and 'id="presale-result"' in r.text
    contract = tmp_path / "contract.txt"
    contract.write_text(
        "ДОГОВОР\n1. Исполнитель оказывает услуги SMM.\n2. Оплата в течение 5 дней.\n", encoding="utf-8"
    )
    with contract.open("rb") as fh:
        r = local_client.post("/contract", files={"file": ("contract.txt", fh)}, data={"csrf": csrf})
    assert r.status_code == 200 and 'id="contract-report"' in r.text


def test_notes_and_team_view(local_client: TestClient) -> None:
    job = upload(local_client, SAMPLE_CHAT)
    cid = job["result"]["clients"][0]["id"]
    csrf = local_client.cookies.get("cg_csrf") or ""
    r = local_client.post(
        f"/clients/{cid}/notes", data={"csrf": csrf, "text": "Созвон: правки до пятницы", "kind": "call"}
    )
    assert r.status_code == 200 and "Созвон: правки до пятницы" in r.text
    from clientguard.web.timelog import add_time

    st = local_client.app.state.cg  # type: ignore[attr-defined]
    add_time(st.store, job["result"]["clients"][0]["name"], 3.5, "anna")
    team = local_client.get("/team?lang=en")
    assert team.status_code == 200 and "anna" in team.text and "3.5" in team.text
    export = local_client.get(f"/clients/{cid}/evidence.html")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]


def test_foreign_host_header_is_refused(local_client: TestClient) -> None:
    """DNS rebinding: a page of evil.example resolved to 127.0.0.1 gets nothing."""
    assert local_client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_team_table_weeks_carry_their_year_and_the_total_adds_up(
    local_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weeks of two years: every column names its ISO year and the total is the sum of the
    columns shown (the table showed 'W51 W01 …' and a total over weeks it did not show).
    The columns are consecutive weeks (QA pass 6 N4): a quiet week is a 0, not skipped."""
    from clientguard.web.profiles import PortfolioRow

    weeks = {
        "2022-W40": 5,
        "2022-W42": 7,
        "2022-W49": 2,
        "2022-W51": 3,
        "2022-W52": 6,
        "2023-W01": 4,
        "2023-W02": 1,
    }
    row = PortfolioRow(1, "Клиент", 80, "high", "up", {"name": "Клиент", "weeks": weeks})
    st = local_client.app.state.cg  # type: ignore[attr-defined]
    monkeypatch.setattr(st.cache, "portfolio", lambda allowed=None: [row])
    page = local_client.get("/team?lang=ru").text
    table = re.search(r"<table[^>]*>(.*?)</table>", page, re.S)
    assert table, page[-500:]
    heads = re.findall(r"<th[^>]*>(.*?)</th>", table.group(1))
    # Each column is the day its week starts, with the year when the weeks span two (QA pass 7:
    # "2022-W49" read as no date); the ISO week stays in the header's title.
    days = ["5 дек 2022", "12 дек 2022", "19 дек 2022", "26 дек 2022", "2 янв 2023", "9 янв 2023"]
    assert heads[1:-1] == days
    titles = re.findall(r'<th class="num" title="[^"]*?(\d{4}-W\d\d)', table.group(1))
    assert titles == ["2022-W49", "2022-W50", "2022-W51", "2022-W52", "2023-W01", "2023-W02"]
    assert heads[-1] == "Итого за 6 нед."
    cells = [int(c) for c in re.findall(r'<td class="num">(?:<strong>)?(\d+)', table.group(1))]
    *shown, total = cells
    assert shown == [2, 0, 3, 6, 4, 1] and total == sum(shown) == 16


def test_upload_does_not_save_a_guess_of_who_the_user_is(local_client: TestClient, tmp_home: Path) -> None:
    """The chat does not say which participant the user is: the guess counts for this
    import (her messages are the specialist's) but is not saved as "me", since the web
    shows no notice to undo it and, in team mode, saved identities are everyone's."""
    from clientguard.store import open_store

    job = upload(local_client, SAMPLE_CHAT)
    assert job["status"] == "done", job
    cid = job["result"]["clients"][0]["id"]
    assert len(local_client.get(f"/api/clients/{cid}").json()["contacts"]) == 1  # roles right
    with open_store(f"sqlite:///{tmp_home / 'web.sqlite3'}") as store:
        assert list(store.me()) == []
