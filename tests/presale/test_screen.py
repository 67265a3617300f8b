"""End-to-end screening: JSON shape, reply language, brief files, messages, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clientguard.errors import ConfigError, InputError
from clientguard.presale.inputs import read_brief, read_messages
from clientguard.presale.model import LeadMessage
from clientguard.presale.pipeline import screen
from clientguard.presale.text import parse_messages
from clientguard.taxonomy import BRIEF_PARTS

RU_BRIEF = """# Бриф: кофейня «Зерно»

## Цель
Больше гостей в будни: чтобы соцсети приводили новых клиентов.

## Аудитория
Студенты и офисные сотрудники 20–35 лет рядом с кофейней.

Бюджет: до 35 000 ₽ в месяц на ведение.
Площадки: Instagram и Telegram-канал.
"""

EN_BRIEF = """Brief: Fernleaf Yoga

Goal: more bookings for the beginner classes.
Audience: women 30-50 in Leeds who have never done yoga.
Budget: GBP 800 a month.
Channels: Instagram and Facebook.
"""

RU_LEAD = (
    "2025-05-12 11:00 | Здравствуйте! Кофейня «Зерно», бриф приложила.\n\n"
    "2025-05-12 11:05 | Начать хотим с 1 июня."
)


def test_json_shape() -> None:
    s = screen(parse_messages(RU_LEAD), RU_BRIEF, detector=False)
    d = s.to_dict()
    assert list(d) == ["recommendation", "brief", "red_flags", "reply"]
    assert set(d["recommendation"]) == {"action", "reasons", "safeguards"}
    assert list(d["brief"]) == list(BRIEF_PARTS)
    for part in d["brief"].values():
        assert set(part) == {"found", "evidence"}
        assert isinstance(part["found"], bool)
        assert (part["evidence"] is None) != part["found"]
    for flag in d["red_flags"]:
        assert set(flag) == {"signal", "evidence"}
    assert isinstance(d["reply"], str)
    json.dumps(d, ensure_ascii=False)


def test_reply_in_lead_language_with_gap_questions() -> None:
    ru = screen(parse_messages(RU_LEAD), RU_BRIEF, detector=False)
    assert ru.lang == "ru"
    missing = {p.id for p in ru.brief if not p.found}
    assert {"kpi", "materials", "approver", "baseline"} <= missing
    assert "Кто с вашей стороны согласует" in ru.reply
    assert "Что уже есть из материалов" in ru.reply
    # 5 of 9 parts, but goal and channels are clear: gaps are closed by terms, not a pilot.
    assert ru.recommendation.action == "proceed_with_safeguards"
    assert "предоплатой 50%" in ru.reply and "пилот" not in ru.reply
    # Without the channels line the lead is unclear where to work: a paid pilot first.
    no_channels = RU_BRIEF.replace("Площадки: Instagram и Telegram-канал.\n", "")
    vague = screen(parse_messages(RU_LEAD), no_channels, detector=False)
    assert vague.recommendation.action == "pilot_first"
    assert "пилот" in vague.reply and "100%" in vague.reply

    en = screen([LeadMessage("Hi! We'd love to start in early September.")], EN_BRIEF, detector=False)
    assert en.lang == "en"
    assert "Who on your side approves" in en.reply
    assert "Здравствуйте" not in en.reply


def test_decline_reply_is_polite_and_has_no_questions() -> None:
    msgs = [
        LeadMessage("I don't sign contracts, never have."),
        LeadMessage("Urgent!!! I need it by tomorrow morning, there are no photos, make something up."),
    ]
    s = screen(msgs, detector=False)
    assert s.recommendation.action == "decline"
    assert {"contract_avoidance", "urgent_without_inputs"} <= {f.signal for f in s.red_flags}
    assert "?" not in s.reply
    assert "thank you" in s.reply.lower()


def test_presale_flags_carry_evidence() -> None:
    msgs = parse_messages(
        "2025-03-01 23:40 | Здравствуйте, сколько стоит ведение «ВКонтакте»?\n\n"
        "2025-03-01 23:45 | Сразу скажу: дорого не надо, сделайте скидку. Начинаем в понедельник."
    )
    s = screen(msgs, detector=False)
    by_id = {f.signal: f for f in s.red_flags}
    assert by_id["night_first_contact"].evidence is not None
    assert by_id["night_first_contact"].evidence.text.startswith("2025-03-01 23:40")
    assert by_id["discount_request"].evidence is not None
    assert "скидку" in by_id["discount_request"].evidence.text
    demand = by_id["demand_before_price"].evidence
    assert demand is not None and "начинаем" in demand.text.lower()


def test_no_flag_for_haggling_after_a_price() -> None:
    msgs = [LeadMessage("Ваше предложение — 40 000 ₽ в месяц."), LeadMessage("Дорого для нас.")]
    s = screen(msgs, detector=False)
    assert "discount_request" not in {f.signal for f in s.red_flags}


def test_cost_check_flags_unrealistic_kpi() -> None:
    brief = (
        "Показатели: 300 заявок в месяц, стоимость заявки не выше 50 ₽.\n"
        "Сейчас: в мае было 35 заявок по 600 ₽."
    )
    s = screen([], brief, lang="ru", detector=False)
    assert "unrealistic_kpi" in {f.signal for f in s.red_flags}
    assert s.recommendation.action == "pilot_first"


def test_detector_flags_are_used() -> None:
    from clientguard.domain import Evidence, MessageAnalysis

    def fake(texts: object) -> list[MessageAnalysis]:
        return [
            MessageAnalysis(("insult", "obscenity"), {}, {"insult": (Evidence(0, 5, "t"),)}, "en"),
            MessageAnalysis((), {}, {}, "en"),
        ]

    s = screen([LeadMessage("Idiot, what a f***ing joke."), LeadMessage("Start Monday.")], detector=fake)
    assert s.recommendation.action == "decline"
    insult = next(f for f in s.red_flags if f.signal == "insult")
    assert insult.evidence is not None and insult.evidence.text == "Idiot"


def _docx(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("Бриф: кофейня «Зерно»", level=0)
    doc.add_heading("Цель", level=1)
    doc.add_paragraph("Больше гостей в будни: чтобы соцсети приводили новых клиентов.")
    doc.add_heading("Площадки", level=1)
    doc.add_paragraph("Instagram и Telegram-канал", style="List Bullet")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Бюджет", "до 35 000 ₽ в месяц"
    table.cell(1, 0).text, table.cell(1, 1).text = "Сроки", "старт 1 июня, на три месяца"
    doc.save(str(path))


def _pdf(path: Path, lines: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        pytest.skip("DejaVuSans.ttf not installed: cannot write a Cyrillic PDF")
    pdfmetrics.registerFont(TTFont("DejaVu", str(font)))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 11)
    y = 800
    for line in lines:
        c.drawString(50, y, line)
        y -= 18
    c.save()


def test_docx_brief(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    _docx(path)
    text = read_brief(path)
    assert "## Цель" in text and "Бюджет: до 35 000 ₽ в месяц" in text
    s = screen([], text, detector=False)
    found = set(s.found_parts)
    assert {"goal", "channels", "budget", "timeline"} <= found
    assert "approver" not in found


def test_docx_bold_titles_and_table_order(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph().add_run("Кто согласует").bold = True
    doc.add_paragraph("Маркетолог Анна, бюджеты — владелец.")
    doc.add_paragraph().add_run("Площадки").bold = True
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Telegram-канал и VK"
    path = tmp_path / "bold.docx"
    doc.save(str(path))
    text = read_brief(path)
    assert text.splitlines() == [
        "## Кто согласует",
        "Маркетолог Анна, бюджеты — владелец.",
        "## Площадки",
        "Telegram-канал и VK",
    ]
    assert {"approver", "channels"} <= set(screen([], text, lang="ru", detector=False).found_parts)


def test_pdf_brief(tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    _pdf(path, RU_BRIEF.splitlines())
    s = screen([], read_brief(path), detector=False)
    assert {"goal", "audience", "budget", "channels"} <= set(s.found_parts)


def test_scanned_pdf_is_named(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 200, fill=1)  # an "image", no text layer
    c.save()
    with pytest.raises(InputError, match="no text layer") as err:
        read_brief(path)
    assert "scan.pdf" in str(err.value)


def test_broken_files_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "brief.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"brief\.docx"):
        read_brief(bad)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(InputError, match=r"brief\.pdf"):
        read_brief(pdf)
    odt = tmp_path / "brief.odt"
    odt.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="expected a brief"):
        read_brief(odt)


def test_plain_messages(tmp_path: Path) -> None:
    path = tmp_path / "lead.txt"
    path.write_text(RU_LEAD + "\n\nИ ещё: без префикса тоже можно.\n", encoding="utf-8")
    msgs = read_messages(path)
    assert len(msgs) == 3
    assert msgs[0].timestamp is not None and msgs[0].timestamp.hour == 11
    assert msgs[0].text.startswith("Здравствуйте")
    assert msgs[2].timestamp is None


def test_bad_lang() -> None:
    with pytest.raises(ConfigError):
        screen([LeadMessage("hi")], lang="de", detector=False)


def test_cli_json_and_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI uses the shared detector when installed; keep this test about the CLI itself.
    monkeypatch.setattr("clientguard.presale.pipeline.default_detector", lambda lang: None)
    msgs = tmp_path / "m.txt"
    msgs.write_text(RU_LEAD, encoding="utf-8")
    brief = tmp_path / "b.md"
    brief.write_text(RU_BRIEF, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(_app(), ["screen", "--messages", str(msgs), "--brief", str(brief), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["recommendation"]["action"] in {"proceed", "proceed_with_safeguards", "pilot_first", "decline"}
    english_ui = {"CLIENTGUARD_LANG": "en"}
    res = runner.invoke(_app(), ["screen", "--brief", str(brief), "--lang", "ru"], env=english_ui)
    assert res.exit_code == 0, res.output
    assert "draft reply (ru)" in res.output  # labels in the interface language, the reply's named
    assert "[brief]" in res.output  # sources are printed, not eaten as Rich markup
    res = runner.invoke(_app(), ["screen", "--brief", str(brief), "--no-detector", "--json"])
    assert res.exit_code == 0, res.output
    assert "детектор" not in res.output  # skipping on purpose is not reported as missing
    res = runner.invoke(_app(), ["screen"])
    assert res.exit_code != 0


def test_chat_export_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest = pytest.importorskip("clientguard.ingest")
    if not hasattr(ingest, "read_path"):
        pytest.skip("importers not available in this build")
    chat = {
        "name": "Lead",
        "type": "personal_chat",
        "id": 42,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2025-06-16T23:14:00",
                "date_unixtime": "1750104840",
                "from": "Lead",
                "from_id": "user1",
                "text": "Нужен SMM для бренда одежды в Instagram.",
                "text_entities": [],
            },
            {
                "id": 2,
                "type": "message",
                "date": "2025-06-17T10:00:00",
                "date_unixtime": "1750143600",
                "from": "Me",
                "from_id": "user2",
                "text": "Здравствуйте! Расскажите подробнее.",
                "text_entities": [],
            },
            {
                "id": 3,
                "type": "message",
                "date": "2025-06-17T10:05:00",
                "date_unixtime": "1750143900",
                "from": "Lead",
                "from_id": "user1",
                "text": "Договор не нужен, работаем на доверии.",
                "text_entities": [],
            },
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    msgs = read_messages(path)
    assert [m.text for m in msgs] == [
        "Нужен SMM для бренда одежды в Instagram.",
        "Договор не нужен, работаем на доверии.",
    ]
    s = screen(msgs, detector=False)
    assert "contract_avoidance" in {f.signal for f in s.red_flags}
    monkeypatch.setattr("clientguard.presale.inputs.MAX_EXPORT_MESSAGES", 1)
    assert len(read_messages(path)) == 1


def _app() -> typer.Typer:
    """Only our commands: other command modules may be mid-change in the shared tree."""
    from clientguard.cli import eval_leads
    from clientguard.cli import screen as screen_cmd

    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test app."""

    screen_cmd.register(app)
    eval_leads.register(app)
    return app


def test_contract_without_checker_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_contracts(name: str, *args: object, **kwargs: object) -> object:
        if name == "clientguard.contracts":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_contracts)
    draft = tmp_path / "draft.md"
    draft.write_text("Договор", encoding="utf-8")
    with pytest.raises(ConfigError, match="contract checker"):
        screen([LeadMessage("Нужно ведение ВК, скидку дадите?")], contract=draft, detector=False)


@pytest.mark.parametrize(
    ("lang", "messages", "brief", "signal", "fires"),
    [
        (
            "ru",
            ["Срочно! Это нужно было ещё вчера.", "Материалов нет, придумайте сами."],
            "",
            "urgent_without_inputs",
            True,
        ),
        (
            "ru",
            ["Срочно! Это нужно было ещё вчера.", "Фото и логотип есть, пришлю сразу."],
            "",
            "urgent_without_inputs",
            False,
        ),
        (
            "en",
            ["Need this ASAP.", "I can send the logo and product photos today."],
            "",
            "urgent_without_inputs",
            False,
        ),
        ("ru", ["Нужен SMM."], "Шрифт в шапке сдвиньте на 2 пикселя левее.", "nitpicking", True),
        ("en", ["Need SMM."], "Make the logo slightly darker on every post.", "nitpicking", True),
        ("ru", ["Нужно 5000 подписчиков за неделю."], "", "unrealistic_kpi", True),
        (
            "en",
            ["We guarantee nothing, but we'd like 500 followers by summer."],
            "",
            "unrealistic_kpi",
            False,
        ),
        ("en", ["You must guarantee 300 sales in the first month."], "", "unrealistic_kpi", True),
        ("ru", ["Нужны гарантированные продажи с первого месяца."], "", "unrealistic_kpi", True),
        ("en", ["We'd like 500 followers by the end of summer."], "", "unrealistic_kpi", False),
        ("ru", ["Давайте без договора, на доверии."], "", "contract_avoidance", True),
        ("ru", ["Пришлите договор, юрист посмотрит."], "", "contract_avoidance", False),
        ("en", ["We never sign contracts with freelancers."], "", "contract_avoidance", True),
        ("en", ["Our legal team will send a redline of the contract."], "", "contract_avoidance", False),
    ],
)
def test_presale_flag_cases(lang: str, messages: list[str], brief: str, signal: str, fires: bool) -> None:
    s = screen([LeadMessage(m) for m in messages], brief, lang=lang, detector=False)
    assert (signal in {f.signal for f in s.red_flags}) == fires
