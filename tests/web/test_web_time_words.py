"""The client page's time log says time as ``time list`` does, and takes no day to come.

Sixteenth session (a user's day on the dashboard): 45 minutes typed in the form's
"Минуты" field came back as "0,75 ч" (and a total of "3,25 ч"), while ``time list`` says
"45 мин" and "3 ч 15 мин"; and a day with the wrong year (2031-01-01) was stored and
counted, where the note and refund forms refuse a day after today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from clientguard.errors import ConfigError
from clientguard.web.timelog import add_time, duration
from tests.web.web_helpers import SAMPLE_CHAT, TestClient


def post_time(client: TestClient, cid: int, lang: str = "ru", **data: str) -> object:
    token = client.cookies.get("cg_csrf") or ""
    return client.post(
        f"/clients/{cid}/time?lang={lang}", data={"csrf": token, **data}, follow_redirects=False
    )


def time_log(html: str) -> str:
    found = re.search(r'<div id="time-log">(.*?)</div>', html, re.S)
    assert found, "no time log on the page"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.fixture()
def cid(local_client: TestClient) -> int:
    store = local_client.app.state.cg.store  # type: ignore[attr-defined]
    store.import_paths([SAMPLE_CHAT], client="Анна")
    return int(store.clients()[0].id)


def test_the_time_log_says_hours_and_minutes(local_client: TestClient, cid: int) -> None:
    for data in ({"day": "2025-09-20", "hours": "2,5"}, {"day": "2025-09-21", "minutes": "45"}):
        r = post_time(local_client, cid, **data)
        assert r.status_code == 303, r  # type: ignore[attr-defined]
    ru = time_log(local_client.get(f"/clients/{cid}?lang=ru").text)
    assert "Всего: 3 ч 15 мин · 2 записи" in ru
    assert "2025-09-21 Вы 45 мин" in ru and "2025-09-20 Вы 2 ч 30 мин" in ru
    en = time_log(local_client.get(f"/clients/{cid}?lang=en").text)
    assert "Total: 3 h 15 min" in en and "2025-09-21 You 45 min" in en
    assert "0,75" not in ru and "0.75" not in en


def test_a_day_after_today_is_refused_on_the_page_and_by_the_cli_function(
    local_client: TestClient, cid: int
) -> None:
    later = (date.today() + timedelta(days=400)).isoformat()
    r = post_time(local_client, cid, day=later, hours="1")
    assert r.status_code == 400  # type: ignore[attr-defined]
    found = re.search(r'id="error-message"[^>]*>([^<]*)<', r.text)  # type: ignore[attr-defined]
    assert found and unescape(found.group(1)).startswith(f"«День»: {later} ещё не наступило")
    assert "Время по этому клиенту ещё не записано" in r.text  # type: ignore[attr-defined]
    store = local_client.app.state.cg.store  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="after today"):
        add_time(store, "Анна", 1.0, "me", date.today() + timedelta(days=1))
    add_time(store, "Анна", 1.0, "me", date.today())  # today is fine


@pytest.mark.parametrize(
    ("hours", "ru", "en"),
    [
        (0.75, "45 мин", "45 min"),
        (2.5, "2 ч 30 мин", "2 h 30 min"),
        (3.0, "3 ч", "3 h"),
        (1.3333, "1 ч 20 мин", "1 h 20 min"),
    ],
)
def test_duration_words(hours: float, ru: str, en: str) -> None:
    assert (duration(hours, "ru"), duration(hours, "en")) == (ru, en)


def test_time_list_of_the_cli_says_it_the_same_way() -> None:
    from clientguard.cli._console import texts
    from clientguard.cli.time import duration as cli_duration

    assert cli_duration(3.25, texts("time_cli", "ru")) == "3 ч 15 мин" == duration(3.25, "ru")
