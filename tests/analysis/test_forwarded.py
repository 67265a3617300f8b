"""A client's forward is shown, marked and never counted as the client's own words.

Why: the detectors read the text of every client message, so a customer's rant or a third
party's threat that the client passed on ("look what came under your post") made the
client an abuser at critical risk with "terminate" advised. The fixture chat is
hand-written: a polite client who forwards three abusive messages (one with a hidden
author) and asks for help with them.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from analysis_helpers import MSK, make_case, make_msg

from clientguard.analysis import build_profile
from clientguard.analysis.dataset import read_telegram_export
from clientguard.analysis.export import profile_to_dict
from clientguard.analysis.pipeline import AnalyzeResult, analyze_path
from clientguard.domain import Role
from clientguard.report import render_html

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "fixtures" / "analysis" / "forwarded"
CHAT = FOLDER / "tg-forwarded-threats.json"
ME = "user100"
FORWARDS = {"3": "Гость паблика", "7": "Гость паблика", "8": "(hidden)"}


def _analyze(path: Path, me: str = ME) -> AnalyzeResult:
    return analyze_path(path, me=(me,), store=False)


def test_forwarded_threats_do_not_make_the_polite_client_an_abuser(tmp_home: Path) -> None:
    p = _analyze(CHAT).profile
    assert p.risk.level == "low" and p.risk.score < 25
    assert p.archetypes == () and all(c.archetypes == () for c in p.contacts)
    assert p.message_signals == {}
    assert p.recommendation.action == "proceed"
    assert all(not w.signals for w in p.weekly)
    # ... yet the forwards are kept, with what their text says, and say whose words they are
    shown = {m.id: m for m in p.messages}
    assert {mid: shown[mid].forwarded_from for mid in FORWARDS} == FORWARDS
    assert all("insult" in shown[mid].labels and not shown[mid].counted for mid in FORWARDS)
    assert all(m.counted for m in p.messages if m.id not in FORWARDS)


def test_the_same_words_written_by_the_client_still_count(tmp_home: Path, tmp_path: Path) -> None:
    """The control: without the forward marks the detector flags these texts (the test
    above is not vacuous), and the client is the abuser they describe."""
    data = json.loads(CHAT.read_text(encoding="utf-8"))
    for m in data["messages"]:
        m.pop("forwarded_from", None)
    own = tmp_path / "own.json"
    own.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    p = _analyze(own).profile
    assert p.risk.level == "critical"
    assert "abuser" in {a.id for a in p.archetypes}
    assert p.message_signals.get("insult") == 3


def test_reports_mark_the_forwards_as_not_counted(tmp_home: Path) -> None:
    p = _analyze(CHAT).profile
    ru, en = render_html(p, "ru"), render_html(p, "en")
    assert ru.count("переслано от «Гость паблика» — чужие слова, в профиле клиента не учтены") == 2
    assert "переслано от «автор скрыт»" in ru
    assert en.count("forwarded from “Гость паблика” — not the client&#39;s words") == 2
    assert "forwarded from “author hidden”" in en
    data = profile_to_dict(p, "en")
    forwarded = {m["id"]: m for m in data["messages"] if m["forwarded_from"]}
    assert set(forwarded) == set(FORWARDS)
    assert all(m["counted"] is False and m["labels"] for m in forwarded.values())


def test_console_summary_says_the_forwards_were_left_out(tmp_home: Path) -> None:
    from rich.console import Console

    from clientguard.report.console import print_summary

    p = _analyze(CHAT).profile
    out = Console(record=True, width=300)
    print_summary(p, out, "ru")
    print_summary(p, out, "en")
    text = out.export_text()
    assert "Переслано клиентом (чужие слова) — сообщений: 3, с сигналами: 3; в профиле не учтены" in text
    assert "Forwarded by the client (someone else's words) — messages: 3, with signals: 3" in text


def test_a_forward_counts_as_sent_but_not_as_said() -> None:
    """The hour and the burst are the client's act; the text is not (labels, context)."""
    sunday_night = datetime(2025, 10, 12, 2, 0, tzinfo=MSK)
    msgs = [
        make_msg(i, sunday_night + timedelta(minutes=i), "Ответьте срочно, идиоты", ("insult",),
                 forwarded_from="Гость")
        for i in range(1, 9)
    ]
    p = build_profile(msgs, make_case(), label_source="predicted")
    signals = {s.id: s for s in p.conversation_signals}
    assert signals["off_hours_message"].count == 8
    assert signals["message_burst"].count == 1
    assert p.message_signals == {}
    # sent off hours, yet no off_hours_demand read into words that are not the client's
    assert all(m.labels == ("insult",) for m in p.messages)
    assert p.archetypes == ()  # no words of the client's: no abuser, no all_nighter demand
    assert p.risk.weight == 8 * 0.5 + 1.0  # eight late messages and one burst, nothing said


def test_hidden_author_is_a_forward_in_the_dataset_reader() -> None:
    """``"forwarded_from": null`` (author hidden) is still a forward, as the importers read it."""
    _, msgs, _ = read_telegram_export(CHAT)
    assert {m.source_id: m.forwarded_from for m in msgs if m.forwarded_from} == FORWARDS


@pytest.mark.parametrize("name", ["fwd-inline.eml", "fwd-ru.eml", "fwd-attached.eml", "fwd-tb-ru.eml"])
def test_forwarded_mail_is_not_the_senders_text(tmp_home: Path, name: str) -> None:
    """An e-mail's forwarded part (inline under a forward header, or attached) is not
    analysed as the sender's words: only the sender's own lines are (the Russian
    "Пересланное сообщение" header was not cut, so its threat was the sender's)."""
    p = _analyze(FOLDER / name, me="anna@smm.example").profile
    [m] = [m for m in p.messages if m.role is Role.CLIENT]
    assert m.labels == ()
    assert not any(w in m.text.lower() for w in ("дебил", "охренели", "moron"))
    assert p.risk.level == "low" and p.archetypes == ()
