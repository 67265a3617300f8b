"""A marked passage says why, in the reader's language (the report and the client page).

A mark's tooltip was the bare signal id (``<mark title="deadline_pressure">к 16</mark>``):
English on a Russian page and silent on the reason, so "к 16" highlighted in a message that
names no urgency word left the user guessing. Now the tooltip is "<signal name> — <why>"
(``clientguard/report/data/why.yaml``), the tags under a flagged message carry the same
lines, and a folded "Почему отмечено" under the tags says it on a phone, where tooltips
do not show.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from clientguard.analysis import build_profile
from clientguard.analysis.context import in_context
from clientguard.analysis.flags import PER_MESSAGE
from clientguard.analysis.model import ClientProfile
from clientguard.domain import Evidence
from clientguard.report import render_html
from clientguard.report.html import highlight
from clientguard.report.i18n import strings
from clientguard.taxonomy import SIGNALS
from tests.analysis.analysis_helpers import MSK, make_case, make_msg

ANALYSIS = Path(__file__).resolve().parents[2] / "clientguard" / "analysis"
#: 17:45 on a Tuesday in Moscow: "к 19" leaves 1.25 working hours of a 10-19 day.
SENT = datetime(2025, 10, 14, 17, 45, tzinfo=MSK)
TEXT = "Афишу к 19 надо <срочно>"


def test_every_context_rule_has_a_why_in_both_languages() -> None:
    from clientguard.analysis.context import rule_ids

    table = strings()["why_rules"]
    missing = [rule for rule in rule_ids() if rule not in table]
    assert not missing, f"no line in clientguard/report/data/why.yaml why_rules for {missing}"
    for rule in rule_ids():
        assert table[rule]["ru"].strip() and table[rule]["en"].strip(), rule
    assert not set(table) - set(rule_ids()), "why.yaml explains a rule no step writes"


def test_the_rule_ids_the_analysis_code_writes_are_all_exported() -> None:
    """A new in-context step that writes ``Evidence(..., "context.x.y")`` without exporting
    it in ``RULE_IDS`` (so without a why line) fails here."""
    from clientguard.analysis.context import rule_ids

    ids = set(rule_ids())
    written: set[str] = set()
    for path in ANALYSIS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'"(context\.[a-z_]+\.[a-z_.]+)"', source))  # "context.petty_edits.run"
        prefixes = dict(re.findall(r'^([A-Z_]+) = "(context\.[a-z_.]+)"$', source, re.M))
        for name, tail in re.findall(r'f"\{([A-Z_]+)\}\.([a-z_]+)"', source):  # f"{RULE}.short"
            if name in prefixes:
                written.add(f"{prefixes[name]}.{tail}")
    assert written, "the scan found no rule ids: its patterns are out of date"
    assert written <= ids, sorted(written - ids)


def test_every_flagged_signal_has_a_why_line() -> None:
    table = strings()["why_signals"]
    assert {*SIGNALS, *PER_MESSAGE} <= set(table)


@pytest.fixture(scope="module")
def short_deadline() -> ClientProfile:
    """"к 19" sent at 17:45: the in-context reader's ``context.deadlines.short``."""
    case = make_case()
    msgs = in_context([make_msg(1, SENT, TEXT)], case)
    assert msgs[0].evidence["deadline_pressure"][0].rule == "context.deadlines.short"
    return build_profile(msgs, case, label_source="predicted")


def _marks(page: str) -> dict[str, str]:
    """Marked fragment → its tooltip, unescaped."""
    found = re.findall(r'<mark title="([^"]*)">([^<]*)</mark>', page)
    return {html_lib.unescape(w): html_lib.unescape(t) for t, w in found}


def test_the_russian_report_names_the_signal_and_why(short_deadline: ClientProfile) -> None:
    page = render_html(short_deadline, "ru")
    title = _marks(page)["к 19"]
    assert title == "сверхсжатые сроки — срок, названный в сообщении, оставляет меньше 3 рабочих часов"
    assert "deadline_pressure" not in page
    # readable without hovering: the tag's title and the folded line under the tags
    assert f'<span class="tag" title="{title.split(" — ")[1]}">сверхсжатые сроки</span>' in page
    why = re.search(r'<details class="why"><summary>Почему отмечено</summary>(.*?)</details>', page)
    assert why is not None
    line = "<b>сверхсжатые сроки</b> — срок, названный в сообщении, оставляет меньше 3 рабочих часов: «к 19»"
    assert line in why[1]


def test_the_english_report_says_it_in_english(short_deadline: ClientProfile) -> None:
    page = render_html(short_deadline, "en")
    assert _marks(page)["к 19"] == "deadline pressure — the deadline named leaves under 3 working hours"
    assert "<summary>Why flagged</summary>" in page and "“к 19”" in page
    assert "срок, названный" not in page and "Почему отмечено" not in page


def test_text_rules_and_models_fall_back_to_their_kind_of_words() -> None:
    msg = replace(make_msg(1, SENT, TEXT, ("deadline_pressure", "insult")), evidence={
        "deadline_pressure": (Evidence(16, 24, "ru.deadline_pressure.urgent_words"),),
        "insult": (Evidence(0, len(TEXT), "model.toxicity.insult"),),
    })  # fmt: skip
    marks = _marks(str(highlight(TEXT, msg, ["deadline_pressure"], "ru")))
    assert marks == {"<срочно>": "сверхсжатые сроки — слова о спешке или очень близком сроке"}
    marks = _marks(str(highlight(TEXT, msg, ["insult"], "en")))
    assert marks == {TEXT: "insult — the toxicity model rated the whole message"}


def test_the_tooltip_and_the_client_text_are_escaped(
    short_deadline: ClientProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clientguard.report.why as why

    monkeypatch.setattr(why, "reason", lambda signal, rule, lang: 'a "quoted" <b>why</b> & more')
    page = render_html(short_deadline, "ru")
    title = "сверхсжатые сроки — a &#34;quoted&#34; &lt;b&gt;why&lt;/b&gt; &amp; more"
    assert f'<mark title="{title}">к 19</mark>' in page
    assert "<срочно>" not in page and "&lt;срочно&gt;" in page
    assert "<b>why</b>" not in page
