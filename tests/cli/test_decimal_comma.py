"""Russian text output writes numbers with a decimal comma (QA5 finding 3).

``contract check`` printed "пени, % в день: 0.1" (and ``contract show``/``set``/``add`` the
same lines); the HTML report printed the client's median reply time as "0.5" and the
timeline's axis "1.5". Russian takes "0,1", "0,5", "1,5"; English keeps the dot.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.report.i18n import number

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))

CONTRACT = (
    "# Договор оказания услуг № 5\n\n"
    "1. Исполнитель оказывает услуги SMM: 12 постов в месяц.\n\n"
    "2. Заказчик оплачивает услуги в течение 5 рабочих дней после выставления счёта.\n\n"
    "3. За просрочку оплаты Заказчик уплачивает пени в размере 0,1% от суммы задолженности за "
    "каждый день просрочки, но не более 10,5% от суммы.\n"
)


def _out(r: object) -> str:
    return " ".join(r.stdout.split())  # type: ignore[attr-defined]


def test_number() -> None:
    assert number(0.1, "ru") == "0,1" and number(0.1, "en") == "0.1"
    assert number(0.033, "ru") == "0,033" and number(10, "ru") == "10"
    assert number(1250.5, "ru") == "1\u00a0250,5" and number(1250.5, "en") == "1,250.5"


def test_contract_check_prints_the_late_fee_with_a_comma_in_russian(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    doc = tmp_path / "c.md"
    doc.write_text(CONTRACT, encoding="utf-8")
    ru = CliRunner().invoke(build_app(), ["--lang", "ru", "contract", "check", str(doc)])
    assert ru.exit_code == 0, ru.output
    assert "пени, % в день: 0,1" in _out(ru) and "предел пеней, %: 10,5" in _out(ru)
    assert "0.1" not in _out(ru)
    en = CliRunner().invoke(build_app(), ["--lang", "en", "contract", "check", str(doc)])
    assert "late fee, % per day: 0.1" in _out(en) and "late fee cap, %: 10.5" in _out(en)


def test_contract_set_and_show_print_the_rate_with_a_comma(
    tmp_path: Path, tmp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    args = ["--lang", "ru", "contract", "set", "Пенка", "--late-fee", "0.05", "--create-client", "--db", db]
    r = CliRunner().invoke(build_app(), args)
    assert r.exit_code == 0, r.output
    assert "пени, % в день: 0,05" in _out(r)
    shown = CliRunner().invoke(build_app(), ["--lang", "ru", "contract", "show", "Пенка", "--db", db])
    assert "пени, % в день: 0,05" in _out(shown), shown.output


def test_the_html_report_writes_the_reply_time_and_the_axis_with_a_comma() -> None:
    from analysis_helpers import make_case, make_msg

    from clientguard.analysis import build_profile
    from clientguard.domain import Role
    from clientguard.report.charts import timeline_svg
    from clientguard.report.html import render_html

    msk = ZoneInfo("Europe/Moscow")
    t = datetime(2025, 3, 3, 11, 0, tzinfo=msk)
    msgs = []
    for i in range(3):  # the client answers each specialist message after 30 minutes
        msgs.append(make_msg(f"s{i}", t, "Вот пост", role=Role.SPECIALIST))
        msgs.append(make_msg(f"c{i}", t + timedelta(minutes=30), "Спасибо", labels=("nitpicking",)))
        t += timedelta(days=1)
    profile = build_profile(msgs, make_case())
    assert profile.response_latency_hours == 0.5
    ru = " ".join(render_html(profile, "ru").split())
    assert "Медианное время ответа клиента, ч: 0,5" in ru
    en = " ".join(render_html(profile, "en").split())
    assert "median reply time, h: 0.5" in en
    assert ">1,5</text>" in timeline_svg(profile.weekly, {}, lang="ru")
    assert ">1.5</text>" in timeline_svg(profile.weekly, {})


@pytest.mark.parametrize(("lang", "said"), [("ru", "1,5 ч: Клиент"), ("en", "1.5 h on Клиент")])
def test_time_add_hours_take_the_languages_decimal_mark(tmp_path: Path, tmp_home: Path, lang: str,
                                                        said: str) -> None:
    db = f"sqlite:///{tmp_path / 'cg.sqlite3'}"
    made = CliRunner().invoke(
        build_app(), ["contract", "set", "Клиент", "--revision-limit", "2", "--create-client", "--db", db]
    )
    assert made.exit_code == 0, made.output
    r = CliRunner().invoke(build_app(), ["time", "add", "Клиент", "1.5", "--member", "olga", "--lang", lang,
                                         "--db", db])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert said in r.stdout
