"""``clientguard check``: client text is shown as written, never read as console markup."""

from __future__ import annotations

from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.errors import InputError


def _run(*args: str, stdin: bytes | None = None, ui: str = "en") -> tuple[int, BaseException | None, str]:
    r = CliRunner().invoke(build_app(), ["check", *args], input=stdin, env={"CLIENTGUARD_LANG": ui})
    return r.exit_code, r.exception, r.stdout


def test_square_brackets_in_a_message_are_text() -> None:
    """"[/]" crashed the table (Rich markup) and "[red]" vanished from the evidence."""
    code, exc, out = _run("дорого, скидку [/] дайте [red]сейчас", "--explain")
    assert code == 0, exc
    assert "discount_request" in out
    assert "[/]" in out and "[red]" in out


def test_message_from_stdin() -> None:
    code, exc, out = _run("-", stdin="Оплатим на следующей неделе\n".encode())
    assert code == 0, exc
    assert "payment_delay" in out


def test_stdin_that_is_not_utf8_is_named() -> None:
    code, exc, _ = _run("-", stdin=b"\xff\xfe")
    assert code != 0 and isinstance(exc, InputError)
    assert "<stdin>" in str(exc) and "0xff" in str(exc)


def test_explain_names_the_words_the_model_weighed_most() -> None:
    code, exc, out = _run("Оплатим на следующей неделе, а сайт сделайте заодно бесплатно", "--explain")
    assert code == 0, exc
    assert "weighed most:" in out and "“заодно”" in out


def test_terminal_control_sequences_in_a_message_are_shown_not_run() -> None:
    """A pasted escape sequence must not recolour the terminal or set its title (QA F29)."""
    msg = "Оплатим \x1b]0;pwned\x07на следующей неделе \x1b[31mдорого\x9b\n"
    code, exc, out = _run("-", "--explain", stdin=msg.encode())
    assert code == 0, exc
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "␛]0;pwned␇" in out and "␛[31m" in out


def test_check_speaks_the_interface_language_not_the_messages() -> None:
    """A Russian user read "signal score evidence", "fired rules" and bare ids; ``--lang``
    is the message's language, so an English message is still explained in Russian."""
    code, exc, out = _run("We'll pay next month, money is tight", "--lang", "en", "--explain", ui="ru")
    assert code == 0, exc
    assert "сигнал" in out and "оценка" in out and "сработавшие правила" in out
    assert "задержка оплаты (payment_delay)" in out
    assert "исходная → калиброванная оценка: payment_delay" in out and "fired rules" not in out
    code, exc, out = _run("Добрый день, счёт оплатили", ui="ru")
    assert code == 0 and "сигналов нет (язык сообщения: ru)" in out
    code, exc, out = _run("Добрый день, счёт оплатили", ui="en")
    assert code == 0 and "no signals (message language: ru)" in out
