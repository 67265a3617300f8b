"""A wrong CLIENTGUARD_TZ is one error line, not a traceback (QA pass 6, CLI N17).

'CLIENTGUARD_TZ=Mars/Base clientguard clients' ended in a ZoneInfoNotFoundError traceback
(any command that prints a time did). The setting is checked where it is read: E200 naming
the variable; set but empty means the default, as for the other settings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_helpers import run_main

CHAT = "01.09.2025, 10:05 - Игорь: Оплатим на следующей неделе\n01.09.2025, 10:07 - Анна: Хорошо\n"


@pytest.mark.parametrize("zone", ["Mars/Base", "Moscow", "../etc/passwd"])
@pytest.mark.parametrize("command", [["clients"], ["messages", "X"], ["import", "{chat}"]])
def test_a_wrong_zone_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_home: Path,
    zone: str, command: list[str],
) -> None:  # fmt: skip
    chat = tmp_home / "chat.txt"
    chat.parent.mkdir(parents=True, exist_ok=True)
    chat.write_text(CHAT, encoding="utf-8")
    code, _out, err = run_main(monkeypatch, capsys, "import", str(chat), "--client", "X", "--me", "Анна")
    assert code == 0, err
    command = [c.format(chat=chat) for c in command]
    monkeypatch.setenv("CLIENTGUARD_TZ", zone)
    monkeypatch.setenv("CLIENTGUARD_LANG", "en")
    code, _out, err = run_main(monkeypatch, capsys, *command)
    assert code == 1 and "Traceback" not in err
    assert "E200" in err and "CLIENTGUARD_TZ" in err and repr(zone) in err


def test_an_empty_zone_is_the_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_home: Path
) -> None:
    from clientguard import config

    monkeypatch.setenv("CLIENTGUARD_TZ", "")
    assert config.get("tz") == "Europe/Moscow"
    code, _out, err = run_main(monkeypatch, capsys, "clients")
    assert code == 0, err
