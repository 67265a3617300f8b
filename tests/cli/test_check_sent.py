"""``clientguard check --sent``: one message read against the clock, as ``analyze`` reads a chat.

"Марина, презентацию к 16 пришлите" names no urgency word: the detector alone finds nothing.
Sent at 14:30 it leaves an hour and a half of the working day; "что по акции?" at 02:20 asks for
an answer in the night. Every text is written for this test.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app


def _run(*args: str, ui: str = "ru") -> tuple[int, str]:
    r = CliRunner().invoke(build_app(), ["check", *args], env={"CLIENTGUARD_LANG": ui, "CLIENTGUARD_TZ": ""})
    return r.exit_code, r.output


def test_a_short_deadline_is_read_against_the_send_time() -> None:
    text = "Марина, презентацию к 16 пришлите"
    code, out = _run(text)
    assert code == 0 and "deadline_pressure" not in out
    code, out = _run(text, "--sent", "25.11.2026 14:30")
    assert code == 0, out
    assert "deadline_pressure" in out and "context.deadlines.short" in out and "«к 16»" in out
    assert "Прочитано как отправленное 25.11.2026 14:30 (Europe/Moscow)" in " ".join(out.split())
    code, out = _run(text, "--sent", "2026-11-25 10:00")  # six working hours: a plain request
    assert code == 0 and "deadline_pressure" not in out and "это рабочее время" in " ".join(out.split())


def test_a_question_in_the_night() -> None:
    code, out = _run("что по акции?", "--sent", "2026-11-26 02:20")
    assert code == 0, out
    assert "off_hours_demand" in out and "это нерабочее время" in " ".join(out.split())
    code, out = _run("what about the promo?", "--sent", "2026-11-26 02:20", ui="en")
    assert code == 0 and "off_hours_demand" in out and "outside working time" in " ".join(out.split())


def test_the_case_file_gives_the_zone_and_hours(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "client: {name: Loft}\ntimezone: America/Chicago\n"
        "working_hours: {days: [0,1,2,3,4], start: '09:00', end: '18:00'}\n",
        encoding="utf-8",
    )
    text = "can we meet at 6:30pm today?"
    code, out = _run(text, "--sent", "2026-11-24 11:00", "--case", str(case), ui="en")
    assert code == 0, out
    assert "off_hours_demand" in out and "America/Chicago" in out and "09:00 to 18:00" in out
    code, out = _run(text, "--sent", "2026-11-24 11:00", ui="en")  # Moscow, 10:00-19:00: 18:30 is in
    assert code == 0 and "off_hours_demand" not in out


def test_a_time_it_cannot_read_is_refused() -> None:
    code, out = _run("что по акции?", "--sent", "вчера ночью")
    assert code == 2
    assert "Недопустимое значение --sent: не понимаю время «вчера ночью»" in " ".join(out.split())
    code, out = _run("что по акции?", "--case", "case.yaml")
    assert code == 2 and "только вместе с --sent" in " ".join(out.split())
