"""``clientguard reply``: the options a freelancer types and the facts the draft states.

QA3 F2: ``reply … --lang de`` printed the Russian draft with exit status 0, while every
other command refuses a language it does not speak.
"""

from __future__ import annotations

from typer.testing import CliRunner

from clientguard.cli import build_app


def test_unknown_language_is_refused_like_everywhere_else() -> None:
    r = CliRunner().invoke(build_app(), ["reply", "payment_reminder_firm", "--lang", "de"])
    out = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 2 and "expected ru or en, got 'de'" in out, r.output
    assert "Здравствуйте" not in r.output


def test_both_languages_still_render() -> None:
    for lang, hello in (("ru", "Здравствуйте"), ("en", "Hello")):
        r = CliRunner().invoke(build_app(), ["reply", "payment_reminder_firm", "--lang", lang])
        assert r.exit_code == 0 and hello in r.stdout, r.output
