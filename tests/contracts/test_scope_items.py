"""Scope extraction on hand-made contracts, in .md, .docx and .pdf, and the normalised comparison.

Each contract below was written for these tests (not taken from the dev set) and puts its
deliverables in a different place: a numbered list, a bullet list, an annex table
("Приложение 1" / "Appendix 1"), an inline enumeration. The expected lists follow the
convention of ``clientguard.contracts.scope_items`` (quantity first in digits, "в месяц"
for monthly volumes, no obligation verbs, client references, formats or composition
notes), and every format must give the same list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.contracts import check_contract
from clientguard.contracts.scope_compare import item_key, scope_equal
from clientguard.contracts.scope_items import clean_item, item_rules, split_enumeration
from tests.contracts.builders import make_docx, make_pdf

PAY_RU = [
    "# 3. СТОИМОСТЬ И ОПЛАТА",
    "3.1. Стоимость услуг составляет 45 000 (сорок пять тысяч) рублей в месяц.",
    "3.2. Заказчик оплачивает счёт в течение 5 (пяти) рабочих дней с даты его выставления.",
]
PAY_EN = [
    "# 3. Fees",
    "3.1. Client will pay a monthly fee of USD 1,800.",
    "3.2. Invoices are payable within fourteen (14) days of the invoice date.",
]

CASES: dict[str, tuple[str, list[str], list[str]]] = {
    # Russian, annex table in "Приложение 1" with a platform column and a frequency cell
    "ru_annex_table": (
        "ru",
        [
            "# ДОГОВОР № 41 возмездного оказания услуг",
            "# 1. ПРЕДМЕТ ДОГОВОРА",
            "1.1. Исполнитель обязуется оказывать услуги по ведению аккаунтов кондитерской «Пышка» "
            "в социальных сетях, а Заказчик обязуется принимать и оплачивать эти услуги.",
            "1.2. Перечень и ежемесячный объём услуг указаны в Приложении 1 к Договору.",
            *PAY_RU,
            "# Приложение 1. Спецификация услуг",
            "| № | Наименование услуги | Площадка | Количество в месяц |",
            "| 1 | Посты (текст и фото) | «ВКонтакте» | 10 |",
            "| 2 | Клипы до 40 секунд из материалов Заказчика | Telegram | 3 |",
            "| 3 | Ответы на комментарии | Все площадки | ежедневно |",
            "| 4 | Отчёт по итогам месяца | — | 1 |",
            "| 5 | Рекламные кампании | VK Реклама | до 3 |",
        ],
        [
            "10 постов во «ВКонтакте» в месяц",
            "3 клипа до 40 секунд в Telegram в месяц",
            "ежедневные ответы на комментарии",
            "отчёт по итогам месяца",
            "до 3 рекламных кампаний в VK Реклама в месяц",
        ],
    ),
    # Russian, bullet list of action phrases, a shared platform, client references
    "ru_bullets": (
        "ru",
        [
            "# ДОГОВОР № 7-Т на оказание услуг",
            "# 1. ПРЕДМЕТ",
            "1.1. Исполнитель оказывает Заказчику услуги по ведению Telegram-канала студии йоги.",
            "1.2. Ежемесячно Исполнитель:",
            "- готовит и публикует 8 (восемь) постов и 12 (двенадцать) сторис в Telegram-канале Заказчика;",
            "- снимает 2 (два) коротких видео на выбор Заказчика;",
            "- модерирует комментарии в рабочие дни.",
            *PAY_RU,
        ],
        [
            "8 постов в Telegram-канале в месяц",
            "12 сторис в Telegram-канале в месяц",
            "2 коротких видео в месяц",
            "модерация комментариев в рабочие дни",
        ],
    ),
    # Russian, one-off project: numbered list "1)" with a format and a colon elaboration
    "ru_numbered": (
        "ru",
        [
            "# ДОГОВОР № 15 на выполнение дизайнерских работ",
            "# 1. ПРЕДМЕТ",
            "1.1. Исполнитель обязуется разработать упаковку для линейки чая Заказчика.",
            "1.2. В состав работ входят:",
            "1) 2 (два) варианта концепции упаковки на выбор Заказчика;",
            "2) подготовка 3 (трёх) макетов коробок: малая, средняя, большая;",
            "3) каталог продукции объёмом до 16 (шестнадцати) страниц в формате PDF.",
            *PAY_RU,
        ],
        [
            "2 варианта концепции упаковки",
            "3 макета коробок",
            "каталог продукции до 16 страниц",
        ],
    ),
    # Russian, bullet list with the count after a dash ("— 12 шт. в месяц")
    "ru_dash_counts": (
        "ru",
        [
            "# ДОГОВОР № 22 на оказание услуг",
            "# 1. ПРЕДМЕТ",
            "1.1. Исполнитель оказывает услуги по ведению сообщества Заказчика во «ВКонтакте».",
            "1.2. В объём услуг входят:",
            "- посты во «ВКонтакте» — 12 шт. в месяц;",
            "- сторис — 20 шт. в месяц;",
            "- розыгрыш среди подписчиков — 1 в месяц.",
            *PAY_RU,
        ],
        ["12 постов во «ВКонтакте» в месяц", "20 сторис в месяц", "1 розыгрыш среди подписчиков в месяц"],
    ),
    # English, a quantity table right under the services clause, units and a bound
    "en_qty_table": (
        "en",
        [
            "# PAID SOCIAL AGREEMENT",
            "# 1. Services",
            "1.1. Each month Agency will deliver the following:",
            "| Service | Qty per month |",
            "| Paid ad campaigns | up to 4 |",
            "| Ad creatives | 10 pcs |",
            "| Landing page copy | 1 |",
            *PAY_EN,
        ],
        ["up to 4 paid ad campaigns per month", "10 ad creatives per month", "landing page copy"],
    ),
    # Russian, lettered list "а) … б) …" with two maker nouns before a count
    "ru_lettered": (
        "ru",
        [
            "# ДОГОВОР № 5 на оказание услуг",
            "# 1. ПРЕДМЕТ ДОГОВОРА",
            "1.1. Исполнитель обязуется оказывать услуги по SMM-продвижению, а Заказчик — оплачивать их.",
            "1.2. В стоимость услуг входит:",
            "а) разработка контент-плана на месяц;",
            "б) подготовка и публикация 20 (двадцати) постов в Instagram;",
            "в) ежемесячный отчёт.",
            *PAY_RU,
        ],
        ["разработка контент-плана на месяц", "20 постов в Instagram", "ежемесячный отчёт"],
    ),
    # English, bullets labelled by platform: "Instagram: 12 posts and 20 stories"
    "en_platform_labels": (
        "en",
        [
            "# SOCIAL MEDIA AGREEMENT",
            "# 1. Services",
            "1.1. Agency will provide social media management for Client's restaurant.",
            "1.2. Monthly deliverables:",
            "- Instagram: 12 posts and 20 stories;",
            "- TikTok: 4 videos up to 60 seconds.",
            *PAY_EN,
        ],
        [
            "12 posts per month (Instagram)",
            "20 stories per month (Instagram)",
            "4 videos up to 60 seconds per month (TikTok)",
        ],
    ),
    # Russian, inline enumeration in the scope sentence, with an "а также" activity
    "ru_inline": (
        "ru",
        [
            "# ДОГОВОР № 3/25 возмездного оказания услуг",
            "# 1. ПРЕДМЕТ",
            "1.1. В рамках Договора Исполнитель ежемесячно пишет 4 (четыре) статьи для сайта Заказчика, "
            "10 (десять) постов для «ВКонтакте» и 2 (две) email-рассылки, "
            "а также готовит отчёт о результатах.",
            *PAY_RU,
            "# 4. ЭТАПЫ",
            "4.1. Работы выполняются в два этапа:",
            "- этап 1 — 5 (пять) рабочих дней;",
            "- этап 2 — 10 (десять) рабочих дней.",
        ],
        [
            "4 статьи для сайта в месяц",
            "10 постов для «ВКонтакте» в месяц",
            "2 email-рассылки в месяц",
            "отчёт о результатах",
        ],
    ),
    # English, table in "Appendix 1" with a channel column and a schedule cell
    "en_appendix_table": (
        "en",
        [
            "# SOCIAL MEDIA SERVICES AGREEMENT",
            "# 1. Services",
            "1.1. Contractor will manage Client's Instagram and TikTok accounts.",
            "1.2. The monthly deliverables are listed in Appendix 1.",
            *PAY_EN,
            "# Appendix 1. Deliverables",
            "| Deliverable | Channel | Quantity per month |",
            "| Carousel posts (copy and design) | Instagram | 8 |",
            "| Short videos up to 30 seconds | TikTok | 4 |",
            "| Community management | All platforms | Weekdays, 10:00 a.m. to 6:00 p.m. GMT |",
            "| Monthly analytics report | — | 1 |",
        ],
        [
            "8 carousel posts per month (Instagram)",
            "4 short videos up to 30 seconds per month (TikTok)",
            "community management on Weekdays",
            "monthly analytics report",
        ],
    ),
    # English, bullet list after "the following", word numbers and a client reference
    "en_bullets": (
        "en",
        [
            "# DESIGN RETAINER",
            "# 1. Deliverables",
            "1.1. Each month Designer will deliver the following:",
            "- four (4) blog banners;",
            "- one (1) newsletter header for Client's email campaigns;",
            "- brand asset updates as requested.",
            *PAY_EN,
        ],
        [
            "4 blog banners per month",
            "1 newsletter header per month",
            "brand asset updates as requested",
        ],
    ),
    # English, inline enumeration of action phrases with a measure and an activity verb
    "en_inline": (
        "en",
        [
            "# CONTENT WRITING AGREEMENT",
            "# 1. Services",
            "1.1. Each month Writer will write six (6) blog articles of up to 1,200 words, "
            "two (2) case studies for Client's website and one (1) newsletter, and will moderate comments.",
            *PAY_EN,
        ],
        [
            "6 blog articles up to 1,200 words per month",
            "2 case studies per month",
            "1 newsletter per month",
            "moderation of comments",
        ],
    ),
}


def _md(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        out.append(line.replace("# ", "## ", 1) if line.startswith("# ") and out else line)
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_scope_layouts_in_every_format(name: str, tmp_path: Path) -> None:
    lang, lines, expected = CASES[name]
    md = tmp_path / f"{name}.md"
    md.write_text(_md(lines), encoding="utf-8")
    docx = make_docx(tmp_path / f"{name}.docx", lines)
    pdf = make_pdf(tmp_path / f"{name}.pdf", lines)
    got = {p.suffix: list(check_contract(p, lang=lang).extracted.scope) for p in (md, docx, pdf)}
    assert got[".md"] == expected
    assert got[".docx"] == got[".md"], "docx differs from md"
    assert got[".pdf"] == got[".md"], "pdf differs from md"


def test_scope_status_is_present_for_every_case(tmp_path: Path) -> None:
    for name, (lang, lines, _) in CASES.items():
        md = tmp_path / f"{name}.md"
        md.write_text(_md(lines), encoding="utf-8")
        assert check_contract(md, lang=lang).status("scope") == "present", name


def test_weak_scope_is_marked_once(tmp_path: Path) -> None:
    md = tmp_path / "weak.md"
    md.write_text(
        "# AGREEMENT\n\n"
        "1. Services. Designer will create social media graphics for Client's shop as needed.\n\n"
        "2. Fee. Client will pay USD 900 upon completion.\n",
        encoding="utf-8",
    )
    assert check_contract(md, lang="en").extracted.scope == (
        "social media graphics as needed (no quantities)",
    )


@pytest.mark.parametrize(
    ("lang", "raw", "monthly", "item"),
    [
        (
            "ru",
            "одновременное ведение не более 3 (трёх) рекламных кампаний",
            False,
            "одновременное ведение не более 3 рекламных кампаний",
        ),
        (
            "ru",
            "подготовка 10 (десяти) рекламных креативов (текст и изображение)",
            True,
            "10 рекламных креативов в месяц",
        ),
        (
            "ru",
            "фирменная палитра и подбор 2 (двух) шрифтовых гарнитур",
            False,
            "фирменная палитра и 2 шрифтовые гарнитуры",
        ),
        ("ru", "презентацию объёмом до 30 слайдов", False, "презентация до 30 слайдов"),
        ("ru", "анализ 5 (пяти) конкурентов, согласованных с Заказчиком", False, "анализ 5 конкурентов"),
        ("ru", "1 (одну) главную обложку", False, "1 главная обложка"),
        ("ru", "отвечает на отзывы покупателей", True, "ответы на отзывы покупателей"),
        ("ru", "ведёт рекламные кампании в VK Реклама", False, "ведение рекламных кампаний в VK Реклама"),
        ("en", "final logo files (SVG, PDF, PNG)", False, "final logo files"),
        (
            "en",
            "ten (10) display banners with alt copy (Figma)",
            True,
            "10 display banners with alt copy per month (Figma)",
        ),
        ("en", "a brand book of up to 30 pages (PDF)", False, "a brand book up to 30 pages"),
        ("en", "short videos, edited from Client footage", False, "short videos"),
    ],
)
def test_clean_item(lang: str, raw: str, monthly: bool, item: str) -> None:
    assert clean_item(raw, lang, monthly) == item


def test_split_enumeration_only_at_counts() -> None:
    ru = item_rules("ru")
    assert split_enumeration("12 постов и 30 сторис во «ВКонтакте»", ru, verbs_split=False) == [
        "12 постов во «ВКонтакте»",
        "30 сторис во «ВКонтакте»",
    ]
    assert split_enumeration("цветовая палитра и 2 шрифтовые гарнитуры", ru, verbs_split=False) == [
        "цветовая палитра и 2 шрифтовые гарнитуры"
    ]
    en = item_rules("en")
    assert split_enumeration("audience and creative testing", en, verbs_split=True) == [
        "audience and creative testing"
    ]


def test_normalised_scope_equality() -> None:
    gold = ["12 постов во «ВКонтакте» в месяц", "4 статьи по 6 000–8 000 знаков в месяц", "отчёт за месяц"]
    # order, brackets, word order, inflection, number format and range spelling may differ
    same = ["Отчёт за месяц", "4 статьи от 6000 до 8000 знаков в месяц", "12 постов в месяц («ВКонтакте»)"]
    assert scope_equal(gold, same)
    assert item_key("16 Instagram stories per month") == item_key("16 stories per month (Instagram)")
    assert item_key("9:00 a.m. to 5:00 p.m. ET") == item_key("9:00-17:00 ET")
    # …but a different count, bound, word, or a missing/extra item is a different list
    assert not scope_equal(gold, ["13 постов во «ВКонтакте» в месяц", *gold[1:]])
    assert not scope_equal(["до 5 сторис"], ["от 5 сторис"])
    assert not scope_equal(gold, gold[:2])
    assert not scope_equal(gold, [*gold, "16 сторис в месяц"])
    assert not scope_equal(gold, [gold[0], gold[0], gold[2]])
    assert not scope_equal(["цветовая палитра"], ["фирменная цветовая палитра"])
    assert not scope_equal(["12 постов в месяц"], ["12 постов в неделю"])
    assert scope_equal(None, [])


def test_weak_scope_lists_the_named_activities(tmp_path: Path) -> None:
    lines = [
        "# ДОГОВОР № 9 на оказание услуг",
        "# 1. ПРЕДМЕТ",
        "1.1. Исполнитель принимает на себя обязательство по продвижению сообщества Заказчика "
        "во «ВКонтакте».",
        "1.2. Исполнитель обеспечивает ведение сообщества, подготовку публикаций и увеличение охвата.",
        "# 2. ОПЛАТА",
        "2.1. Стоимость услуг составляет 20 000 рублей в месяц.",
    ]
    md = tmp_path / "weak_ru.md"
    md.write_text(_md(lines), encoding="utf-8")
    docx = make_docx(tmp_path / "weak_ru.docx", lines)
    for path in (md, docx):
        report = check_contract(path, lang="ru")
        assert report.status("scope") == "weak"
        assert report.extracted.scope == (
            "ведение сообщества (без количества)",
            "подготовка публикаций",
            "увеличение охвата",
        )


def test_publishing_is_an_item_only_without_a_count(tmp_path: Path) -> None:
    md = tmp_path / "video.md"
    md.write_text(
        "# ДОГОВОР\n\n## 1. Предмет\n\n"
        "1.1. Исполнитель ежемесячно снимает и монтирует 4 (четыре) ролика для YouTube "
        "продолжительностью до 10 минут, готовит 8 (восемь) обложек "
        "и публикует ролики на канале Заказчика.\n\n"
        "## 2. Оплата\n\n2.1. Цена 50 000 рублей в месяц, оплата в течение 5 дней.\n",
        encoding="utf-8",
    )
    assert check_contract(md, lang="ru").extracted.scope == (
        "4 ролика для YouTube до 10 минут в месяц",
        "8 обложек в месяц",
        "публикация роликов на канале",
    )
