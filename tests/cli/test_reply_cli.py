"""``clientguard reply``: the options a freelancer types and the facts the draft states.

QA3 F2: ``reply … --lang de`` printed the Russian draft with exit status 0, while every
other command refuses a language it does not speak.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.errors import ClientguardError


def test_unknown_language_is_refused_like_everywhere_else() -> None:
    r = CliRunner().invoke(build_app(), ["reply", "payment_reminder_firm", "--lang", "de"],
                           env={"CLIENTGUARD_LANG": "en"})  # fmt: skip
    out = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 2 and "expected ru or en, got 'de'" in out, r.output
    assert "Здравствуйте" not in r.output


def test_both_languages_still_render() -> None:
    for lang, hello in (("ru", "Здравствуйте"), ("en", "Hello")):
        r = CliRunner().invoke(build_app(), ["reply", "payment_reminder_firm", "--lang", lang])
        assert r.exit_code == 0 and hello in r.stdout, r.output


# QA3 F8: the revision reply of a stored client names the deliverable and the round, as
# `clientguard revisions` counts them.
C = "Студия йоги «Лотос»"
CHAT = (  # two rounds of change requests on the content plan, after two deliveries
    "01.09.2026, 10:00 - Игорь: Здравствуйте! Нужно вести инстаграм студии\n"
    "04.09.2026, 10:40 - Ольга: Отправляю контент-план на сентябрь, посмотрите пожалуйста\n"
    "04.09.2026, 12:40 - Игорь: Переделайте контент-план, мне не нравится\n"
    "07.09.2026, 12:40 - Ольга: Вот исправленный вариант контент-плана\n"
    "07.09.2026, 13:40 - Игорь: Опять не то, переделайте контент-план ещё раз\n"
)


def _ok(*args: str) -> str:
    r = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_revision_reply_names_the_deliverable_and_the_round(tmp_path: Path, tmp_home: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT, encoding="utf-8")
    _ok("import", str(chat), "--client", C, "--me", "Ольга", "--db", db)
    _ok("contract", "set", C, "--revision-limit", "1", "--db", db)
    rows = json.loads(_ok("revisions", C, "--json", "--db", db))
    assert [(r["deliverable"], r["rounds"], r["limit"]) for r in rows] == [("content_plan", 2, 1)]
    ru = _ok("reply", "revision_limit_reached", "--client", C, "--lang", "ru", "--db", db)
    assert "по материалу «контент-план»" in ru and "уже о 2-м\u00a0раунде" in ru, ru  # one line
    en = _ok("reply", "revision_limit_reached", "--client", C, "--lang", "en", "--db", db)
    assert 'on "content plan"' in en and "this is already round\u00a02" in en, en
    mine = _ok("reply", "revision_limit_reached", "--client", C, "--fact", "revision_count=5",
               "--fact", "deliverable=баннер", "--lang", "ru", "--db", db)  # fmt: skip
    assert "«баннер»" in mine and "5-м\u00a0раунде" in mine, mine


def test_a_bad_working_hours_fact_is_worded_in_agreement() -> None:
    """«нужно рабочие часы» did not agree in number; the Russian line names «время работы»."""
    args = ["reply", "off_hours_reply", "--fact", "working_hours=xx"]
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "ru"})
    assert isinstance(r.exception, ClientguardError), r.output
    said = r.exception.text("ru")
    assert "нужно время работы, например" in said and "нужно рабочие часы" not in said


def test_a_bad_working_hours_fact_is_one_sentence_in_russian() -> None:
    """«… а указано «xx» (нужно, например, «mon-fri 10:00-19:00»)» gave the example twice: the
    line says what was given and one example of what is expected."""
    args = ["reply", "off_hours_reply", "--fact", "working_hours=xx"]
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "ru"})
    assert isinstance(r.exception, ClientguardError), r.output
    said = r.exception.text("ru")
    assert said == "факт working_hours: нужно время работы, например «Mon-Fri 10:00-19:00», а указано «xx»"


def test_a_bad_working_hours_fact_is_one_sentence_in_english() -> None:
    """The English line repeated its example in brackets, "… like 'Mon-Fri 10:00-19:00', got
    'xx' (expected e.g. 'mon-fri 10:00-19:00')": one sentence now, like the Russian one."""
    args = ["reply", "off_hours_reply", "--fact", "working_hours=xx"]
    r = CliRunner().invoke(build_app(), args, env={"CLIENTGUARD_LANG": "en"})
    assert isinstance(r.exception, ClientguardError), r.output
    said = r.exception.text("en")
    assert said == "fact working_hours: expected working hours like 'Mon-Fri 10:00-19:00', got 'xx'"
    assert r.exception.message == said
