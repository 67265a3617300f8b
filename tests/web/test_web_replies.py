"""The client page offers the replies `analyze` lists, not a selection of its own.

The page picked its drafts with the bare action/signal table: with no revision limit on
file it offered "revision limit reached" (a letter claiming a limit nobody agreed), and
it showed every rung of the payment ladder instead of the one the overdue invoice reached.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.analysis.pipeline import fitting_replies
from clientguard.cli import build_app
from tests.suite_helpers import REVISION_CHAT_ME, revision_chat_export
from tests.web.web_helpers import TestClient, create_app, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

C = "Студия «Лотос»"


def ok(*args: str) -> None:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output


def _page_replies(home: Path) -> list[str]:
    with TestClient(create_app(local_config(home))) as client:
        page = client.get("/clients/1?lang=en").text
    return re.findall(r'<pre class="reply-text" id="reply-([a-z_]+)"', page)


@pytest.fixture()
def home(tmp_home: Path) -> Path:
    db = local_config(tmp_home).db_url
    ok("me", "add", REVISION_CHAT_ME[1], "--db", db)
    ok("import", str(revision_chat_export(tmp_home.parent / "result.json")), "--client", C, "--db", db)
    ok("invoice", "add", C, "45000", "--issued", "2026-09-01", "--due", "2026-09-03", "--db", db)
    return tmp_home


def test_no_revision_limit_no_revision_limit_letter(home: Path) -> None:
    shown = _page_replies(home)
    assert shown, "the page offers replies"
    assert "revision_limit_reached" not in shown
    ladder = [s for s in shown if s.startswith("payment_")]
    assert len(ladder) <= 1  # one rung of the payment ladder at most


def test_page_and_analyze_offer_the_same_replies(home: Path) -> None:
    db = local_config(home).db_url
    ok("contract", "set", C, "--revision-limit", "1", "--db", db)
    from clientguard.analysis.pipeline import analyze_client

    profile = analyze_client(C, db=db).profile
    expected = [sid for sid, _ in fitting_replies(profile, "en")][:4]
    assert _page_replies(home) == expected
    assert "revision_limit_reached" in [sid for sid, _ in fitting_replies(profile, "en")]
