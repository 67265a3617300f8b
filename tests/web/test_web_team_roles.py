"""Team mode in the page's language (QA pass 6, web N5/N6), on PostgreSQL and Redis.

N5: the top bar showed the role id ("olga owner", "ivan specialist") on Russian pages.
N6: a specialist opening /team read "Нет доступа к этому клиенту." — there is no client on
that page; the 403 now names the roles the page is for.
N12: a failed login emptied the user name and its message was not announced (no role="alert").
"""

from __future__ import annotations

import html
import re

import pytest

from clientguard.web.i18n import texts
from tests.web.test_web_team import login
from tests.web.web_helpers import TestClient

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning"),
]


@pytest.mark.parametrize(
    ("name", "lang", "role"),
    [("olga", "ru", "владелец"), ("ivan", "ru", "специалист"), ("ivan", "en", "specialist")],
)
def test_the_top_bar_names_the_role_in_the_page_language(
    team_client: TestClient, name: str, lang: str, role: str
) -> None:
    assert login(team_client, name).status_code == 303
    page = team_client.get(f"/?lang={lang}").text
    shown = re.search(r'<span class="role">([^<]*)</span>', page)
    assert shown and shown.group(1) == role, shown


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_specialist_on_the_team_page_is_told_who_may_open_it(team_client: TestClient, lang: str) -> None:
    assert login(team_client, "ivan").status_code == 303
    r = team_client.get(f"/team?lang={lang}")
    assert r.status_code == 403
    text = html.unescape(r.text)
    assert texts(lang)["forbidden"] not in text  # "no access to this client": there is none
    roles = ", ".join(texts(lang)[f"role_{k}"] for k in ("owner", "manager"))
    assert texts(lang)["forbidden_role"].format(roles=roles) in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_failed_login_keeps_the_name_and_is_announced(team_client: TestClient, lang: str) -> None:
    """N12: a wrong password emptied the user name too, and the message had no role="alert"
    (a screen reader said nothing; every other form's message has it)."""
    team_client.get(f"/login?lang={lang}")
    r = login(team_client, "olga", "wrong password")
    assert r.status_code == 401
    alert = re.search(r'<p class="error-message" id="login-error" role="alert">([^<]*)</p>', r.text)
    assert alert and html.unescape(alert.group(1)) == texts(lang)["login_failed"]
    assert re.search(r'<input id="username" name="username"[^>]* value="olga"', r.text)
    assert re.search(r'<input id="password"[^>]* autofocus', r.text)  # the field to fix
