"""``analyze`` names what the client wrote (QA pass 5, finding N3).

A chat with an insult, haggling and a dismissed expertise scored "97/100 критический", but
the text summary listed only the conversation signals ("сообщения в нерабочее время: 6"):
the messages the risk rests on were nowhere in it. It now prints "Сигналы в сообщениях
клиента: …" / "Signals in the client's messages: …", most frequent first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app

CHAT = (
    "12.09.2025, 10:00 - Ольга: Добрый день! Ведение — 45 000 ₽ в месяц.\n"
    "12.09.2025, 10:05 - Борис: Вы вообще понимаете что делаете? Вы идиотка.\n"
    "12.09.2025, 10:10 - Борис: Оплачу на следующей неделе, сейчас денег нет.\n"
    "15.09.2025, 11:00 - Борис: Оплатим в конце месяца, не раньше.\n"
)


@pytest.mark.parametrize(
    ("lang", "head", "first"),
    [("ru", "Сигналы в сообщениях клиента: ", "задержка оплаты: 2"),
     ("en", "Signals in the client's messages: ", "payment delay: 2")],
)
def test_summary_lists_message_signals(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch, lang: str, head: str, first: str
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    app = build_app()
    r = CliRunner().invoke(app, ["import", str(chat), "--client", "Борис", "--me", "Ольга", "--db", db])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["analyze", "--client", "Борис", "--lang", lang, "--db", db])
    assert r.exit_code == 0, r.output
    [line] = [x for x in r.stdout.splitlines() if x.startswith(head)]
    assert line.startswith(head + first)
    assert ("оскорбление: 1" if lang == "ru" else "insult: 1") in line
