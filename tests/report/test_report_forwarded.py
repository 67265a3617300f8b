"""The HTML report flags what the client page flags: a client's forwards are listed apart.

The client page (``message_flags``) left a client's labelled forwards out of the flagged
messages and their count, and listed them under "forwarded, not counted"; the report of
``analyze --html`` still quoted a forwarded threat among the client's flagged messages,
tagged as an insult, and counted it in their total. The fixture chat is the hand-written
one of ``tests/analysis/test_forwarded.py``: a polite client forwarding three abusive
messages (one with a hidden author).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clientguard.analysis import build_profile
from clientguard.analysis.flags import conversation_marks, forwarded_flags, message_flags
from clientguard.analysis.model import ClientProfile
from clientguard.analysis.pipeline import analyze_path
from clientguard.report import render_html
from clientguard.report.html import report_flags
from tests.analysis.analysis_helpers import MSK, make_case, make_msg

ROOT = Path(__file__).resolve().parents[2]
CHAT = ROOT / "tests" / "fixtures" / "analysis" / "forwarded" / "tg-forwarded-threats.json"
FORWARDS = {"3", "7", "8"}


def sections(html: str) -> tuple[str, str]:
    """The flagged messages' section and the forwards' (empty when the report has none)."""
    start = max(html.find("<h2>Отмеченные сообщения"), html.find("<h2>Flagged messages"))
    assert start > 0
    head, _, rest = html[start:].partition('<h2 id="forwarded">')
    return head, rest


def quoted(part: str) -> list[str]:
    return re.findall(r'<span class="meta">#([^ ]+) ·', part)


@pytest.fixture(scope="module")
def chat_profile() -> ClientProfile:
    return analyze_path(CHAT, me=("user100",), store=False).profile


def test_forwards_are_not_flagged_but_listed_apart(chat_profile: ClientProfile, tmp_home: Path) -> None:
    ru, en = render_html(chat_profile, "ru"), render_html(chat_profile, "en")
    flagged, apart = sections(ru)
    assert flagged.startswith('<h2>Отмеченные сообщения <span class="sub">0</span></h2>')
    assert not set(quoted(flagged)) & FORWARDS
    assert apart.startswith('Переслано, не учтено <span class="sub">3</span></h2>')
    assert sorted(quoted(apart)) == sorted(FORWARDS)
    # each still says whose words they are, with the signals their text carries
    assert apart.count("переслано от «Гость паблика» — чужие слова") == 2 and "«автор скрыт»" in apart
    assert apart.count('<span class="tag" ') >= 3
    flagged_en, apart_en = sections(en)
    assert flagged_en.startswith('<h2>Flagged messages <span class="sub">0</span></h2>')
    assert apart_en.startswith('Forwarded, not counted <span class="sub">3</span></h2>')
    assert "not the client&#39;s words" in apart_en


def test_the_report_flags_what_the_client_page_flags(chat_profile: ClientProfile) -> None:
    late = night_forwards()
    for p in (chat_profile, late):
        assert report_flags(p, conversation_marks(p)) == (message_flags(p), forwarded_flags(p))


def night_forwards() -> ClientProfile:
    """Forwards sent at 2 a.m.: the hour is the client's act, the insult is not."""
    sunday_night = datetime(2025, 10, 12, 2, 0, tzinfo=MSK)
    msgs = [
        make_msg(i, sunday_night + timedelta(minutes=i), "Ответьте срочно, идиоты", ("insult",),
                 forwarded_from="Гость")
        for i in range(1, 4)
    ]  # fmt: skip
    return build_profile(msgs, make_case(), label_source="predicted")


def test_a_forward_sent_at_night_is_flagged_for_the_hour_alone(tmp_home: Path) -> None:
    html = render_html(night_forwards(), "en")
    flagged, apart = sections(html)
    assert quoted(flagged) == ["1", "2", "3"] and quoted(apart) == ["1", "2", "3"]
    tags = re.findall(r'<span class="tag"[^>]*>([^<]+)</span>', flagged)
    assert tags and "insult" not in " ".join(tags).lower()  # the words are not the client's
    assert apart.count('<span class="tag" ') == 3
    ids = re.findall(r'<blockquote id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "a quote listed twice keeps an id of its own"
