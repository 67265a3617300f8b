"""``clientguard check`` as an English user meets it (helper 128).

An empty message got a verdict ("no signals (lang=ru)": a language guessed from nothing),
and ``--explain`` cut the rule ids it exists to show ("en.deadline_pressure.…") at 80
columns, in the rule table and in the evidence column.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app


def _run(*args: str, stdin: str | None = None, ui: str = "en") -> tuple[int, str]:
    r = CliRunner().invoke(build_app(), ["check", *args], input=stdin, env={"CLIENTGUARD_LANG": ui})
    return r.exit_code, r.output


@pytest.mark.parametrize(
    ("args", "stdin", "ui", "said"),
    [
        (("",), None, "en", "the message is empty: nothing to analyse"),
        (("   ",), None, "en", "the message is empty"),
        (("-",), "", "en", "the message is empty"),
        (("-",), "\n\n", "en", "the message is empty"),
        (("", "--explain"), None, "ru", "сообщение пустое"),
    ],
)
def test_an_empty_message_is_refused(args: tuple[str, ...], stdin: str | None, ui: str, said: str) -> None:
    code, out = _run(*args, stdin=stdin, ui=ui)
    assert code == 2 and said in out
    assert "no signals" not in out and "сигналов нет" not in out


def test_explain_shows_whole_rule_ids() -> None:
    code, out = _run("Why is this taking so long??? I need it done by tomorrow morning", "--explain")
    assert code == 0 and "en.deadline_pressure" in out
    assert "…" not in out  # Rich's ellipsis: a cut id cannot be found in the rule files


def test_no_signals_names_the_message_language_in_words() -> None:
    code, out = _run("Thanks, looks great!")
    assert code == 0 and "no signals (message language: en)" in out
