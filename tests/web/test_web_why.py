"""The client page says why a passage is marked, in the page's language.

Its marks had the bare signal id as their tooltip (``title="off_hours_demand"``), English on
a Russian page and silent on why; a tooltip does not show on a phone at all. Now a mark's
tooltip is "<signal name> — <why>" (the report's table, ``clientguard/report/data/why.yaml``),
each tag under a flagged message carries its why lines, and a folded "Почему отмечено"
under the message says them where nothing hovers. The message-in-context fragment too.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.web.app import create_app
from tests.web.web_helpers import ROOT, TestClient, local_config

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SADeprecationWarning")

SAMPLE = ROOT / "examples" / "sample_chat.json"
CASE = ROOT / "examples" / "sample_case.yaml"
#: The sample's 02:20 question "Почему до сих пор нет поста про новый раф??" (off_hours.night_question).
NIGHT = {
    "ru": "требование в нерабочее время — вопрос, отправленный глубокой ночью (до 06:00): ответа ждут сразу",
    "en": "off-hours demand — a question sent deep in the night (before 06:00), waiting for an answer then",
}
SUMMARY = {"ru": "Почему отмечено", "en": "Why flagged"}


def _titles(page: str) -> set[str]:
    return {html_lib.unescape(t) for t in re.findall(r'<mark title="([^"]*)">', page)}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_marks_and_tags_say_why_in_the_pages_language(tmp_home: Path, lang: str) -> None:
    config = local_config(tmp_home)
    r = CliRunner().invoke(build_app(), ["analyze", str(SAMPLE), "--case", str(CASE), "--db", config.db_url])
    assert r.exit_code == 0, r.output
    with TestClient(create_app(config)) as client:
        page = client.get(f"/clients/1?lang={lang}").text
        flagged = page[page.index('id="flagged"') :]
        ids = re.findall(r'href="/clients/1/messages/([^"]+)"', page)
        context = client.get(f"/clients/1/messages/{ids[0]}?lang={lang}").text
    titles = _titles(page)
    assert NIGHT[lang] in titles
    assert not {t for t in titles if "_" in t}, "a tooltip is a signal id again"
    name, why = NIGHT[lang].split(" — ", 1)
    assert f'title="{html_lib.escape(why)}">{html_lib.escape(name)}</span>' in flagged
    assert f"<summary>{SUMMARY[lang]}</summary>" in flagged
    assert f"<li><b>{html_lib.escape(name)}</b> — {html_lib.escape(why)}: " in flagged
    assert _titles(context) and all(" — " in t and "_" not in t for t in _titles(context))
