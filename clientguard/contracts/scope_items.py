"""Scope items: read the deliverables off a contract the way a person would list them.

The convention (``extracted.scope`` in shared/data/contracts/dev/README.md, and the spec's
"deliverables with quantities, e.g. 12 posts and 8 stories a month") is one deliverable
per item, the quantity first and in digits ("3 (три)" and "three (3)" → "3"), the noun in
the nominative and agreeing with the number, "в месяц"/"per month" when the contract gives
a monthly volume, and without what is not the deliverable: the obligation wording
("Исполнитель ежемесячно готовит и публикует", "Agency will produce"), nouns of making
before a counted thing ("подготовка 10 креативов" → "10 креативов"), references to the
client ("на выбор Заказчика", "edited from Client footage"), file formats, measure words
("объёмом") and composition notes in brackets ("(текст и изображение)"). Enumerations of
counted deliverables are split, a modifier shared by the enumeration goes to every piece,
and an activity verb becomes its noun ("отвечает на комментарии" → "ответы на
комментарии"). Weak scopes (no quantities) get one "(без количества)"/"(no quantities)".

The sources, most structured first: an annex table with a quantity column, a list under
the clause that introduces the deliverables, the enumeration in the scope sentence. The
wording lists live in ``rules/scope_items_<lang>.yaml``; this module only applies them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.contracts.clauses import ClauseHit, normalize
from clientguard.contracts.reader import Block

RULES_DIR = Path(__file__).resolve().parent / "rules"

_QTY_HEADER = re.compile(r"объ[её]м|количеств|quantity|qty|кол-во|volume")
_MONTHLY = re.compile(
    r"ежемесячн|в месяц|за месяц|each month|per month|a month|monthly|каждый месяц|"
    r"during each calendar month|в календарный месяц"
)
_LIST_INTRO = re.compile(
    r"входят|включает|ежемесячн\w* объ|ежемесячно исполнитель|следующ|deliverables|the following|"
    r"will deliver|includes?:|:\s*$"
)
_NOT_SCOPE_INTRO = re.compile(
    r"не входит|не входят|outside|not included|excluded|обязуется:|обязан:|shall not"
)
_MAIN_COL = re.compile(
    r"услуг|формат|работ|наименован|позици|результат|содержан|deliverable|service|item|format|work|description"
)
_PLATFORM_COL = re.compile(r"площадк|аккаунт|платформ|канал|соцсет|сеть|platform|channel|account|network")
_SKIP_COL = re.compile(r"^(?:№|#|no\.?|)$|ставк|цена|стоимост|тариф|срок|rate|price|fee|cost|deadline|due")
_NUM_WORD_RU = re.compile(r"(\d+)\s*\((?:[а-яё]+\s*){1,4}\)", re.IGNORECASE)
_NUM_WORD_EN = re.compile(r"\b[a-z]+(?:-[a-z]+)?\s*\((\d+)\)", re.IGNORECASE)
_QTY = r"(?:(?:до|не более|не менее|от|около|up to|at least|no more than|at most)\s+)?\d"
_STARTS_QTY = re.compile(rf"^{_QTY}", re.IGNORECASE)
# a count of deliverables, not a measure or a product name ("450 мл", "Steel 450")
_COUNT = re.compile(
    rf"(?:(?<=\s)|^){_QTY}+(?![\d.,])(?!\s*(?:мл|л\b|г\b|кг|см|мм|м\b|%|руб|₽|ml|kg|cm|mm|%))", re.IGNORECASE
)
# A clock window in a schedule cell ("по рабочим дням, 10:00–19:00 МСК"): the hours are the
# contract's working_hours term; the scope item keeps the cadence ("по рабочим дням").
_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
_CLOCK = re.compile(
    rf",?\s*(?:с\s+|from\s+)?{_TIME}\s*(?:[–—-]|to|until|till|до|по)\s*{_TIME}"
    r"(?:\s*(?:\(?(?:мск|msk|et|est|edt|cet|cest|gmt|utc|pt|pst|bst)\)?|по московскому времени|"
    r"(?:eastern|central|pacific|moscow) time)\b)?",
    re.IGNORECASE,
)
# units and per-month marks in a quantity cell or after a trailing count
_UNITS = re.compile(
    r"(?<=\d)\s*(?:шт\.?|штук[аи]?|ед\.?|pcs\.?|pieces|units?|items?)(?=\s|$|/)", re.IGNORECASE
)
_PER_MONTH = re.compile(
    r"\s*(?:в\s+месяц|/\s*мес(?:яц)?\.?|ежемесячно|per\s+month|a\s+month|/\s*month|/\s*mo\.?|monthly)\s*$",
    re.IGNORECASE,
)
_BOUND = re.compile(r"(?:до|не более|up to|no more than|max\.?)\s+\d+", re.IGNORECASE)
# "Посты во «ВКонтакте» — 12 шт. в месяц", "Feed posts: 12 per month", "Stories x 8"
_TRAILING_COUNT = re.compile(
    r"^(?P<what>[^\d:—–]+?)\s*(?::|—|–|\s-\s|\s[x×]\s)\s*(?P<n>\d+)(?P<rest>.*)$", re.IGNORECASE
)
# "Instagram: 12 posts and 20 stories": a short label, then counted deliverables
_LABEL = re.compile(r"^(?P<label>[^\d:;,.]{2,30}):\s+(?P<body>\d+\s+[^\W\d_].*)$")
_LEADING_TIMES = re.compile(r"^(\d+)\s*[x×]\s+", re.IGNORECASE)
# "один раз в месяц проводит прямой эфир" → "1 прямой эфир в месяц": a monthly repetition
# count is the quantity of the deliverable
_TIMES_A_MONTH = re.compile(
    r"^(?P<n>\d+|один|одну|два|две|три|четыре|once|twice)\s+(?:раз[а]?\s+)?"
    r"(?:в месяц|ежемесячно|a month|per month|monthly)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_TIMES_WORDS = {
    "один": "1", "одну": "1", "два": "2", "две": "2", "три": "3", "четыре": "4", "once": "1", "twice": "2",
}  # fmt: skip


@dataclass(frozen=True)
class ItemRules:
    """The wording lists of one language (``rules/scope_items_<lang>.yaml``), compiled."""

    lang: str
    party: re.Pattern[str]
    lead: re.Pattern[str]
    verb_nouns: dict[str, str]
    uncounted_nouns: dict[str, str]
    production: re.Pattern[str]
    client: tuple[re.Pattern[str], ...]
    filler: tuple[re.Pattern[str], ...]
    no_limit: frozenset[str]
    all_values: frozenset[str]
    frequency: dict[str, str]
    month_suffix: str
    weak_suffix: str
    also: re.Pattern[str]
    and_words: tuple[str, ...]
    formats: frozenset[str]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@cache
def item_rules(lang: str) -> ItemRules:
    """Load and compile the lists once per language (English for anything not Russian)."""
    lang = "ru" if lang == "ru" else "en"
    data: dict[str, Any] = yaml.safe_load(
        (RULES_DIR / f"scope_items_{lang}.yaml").read_text(encoding="utf-8")
    )
    verbs: dict[str, str] = {str(k): str(v) for k, v in data["verb_nouns"].items()}
    uncounted: dict[str, str] = {str(k): str(v) for k, v in data["uncounted_verb_nouns"].items()}
    lead_words = [str(w) for w in data["lead_drop"]] + list(verbs) + list(uncounted)
    makers = _alternation([str(w) for w in data["production_nouns"]])
    return ItemRules(
        lang=lang,
        party=re.compile(data["party"], re.IGNORECASE),
        lead=re.compile(rf"^(?:{_alternation(lead_words)})(?=\s|,|$)\s*,?\s*", re.IGNORECASE),
        verb_nouns=verbs,
        uncounted_nouns=uncounted,
        production=re.compile(
            rf"(?:(?<=\s)|^)(?:{makers})(?:\s+(?:и|and)\s+(?:{makers}))*\s+(?={_QTY})", re.IGNORECASE
        ),
        client=tuple(re.compile(p, re.IGNORECASE) for p in data["client_phrases"]),
        filler=tuple(re.compile(p, re.IGNORECASE) for p in data["filler"]),
        no_limit=frozenset(normalize(str(v)) for v in data["no_limit"]),
        all_values=frozenset(normalize(str(v)) for v in data["all_values"]),
        frequency={normalize(str(k)): str(v) for k, v in data["frequency"].items()},
        month_suffix=str(data["month_suffix"]),
        weak_suffix=str(data["weak_suffix"]),
        also=re.compile(data["also"], re.IGNORECASE),
        and_words=tuple(str(w) for w in data["and_words"]),
        formats=frozenset(str(w).lower() for w in data["file_formats"]),
    )


@cache
def morph() -> Any:
    """The pymorphy3 analyser, loaded once (it takes a few hundred milliseconds)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


# --------------------------------------------------------------------------- one item


def _word_numbers(text: str) -> str:
    """ "3 (три)" → "3", "three (3)" → "3": a list keeps the digits only."""
    return _NUM_WORD_EN.sub(r"\1", _NUM_WORD_RU.sub(r"\1", text))


def _drop_lead(text: str, rules: ItemRules) -> tuple[str, bool]:
    """Strip obligation verbs at the start; an activity verb becomes its noun and stops.

    "Uncounted" verbs (publishing, placing) become nouns only without a count after them:
    in "публикует 12 постов" the posts are the deliverable, in "публикует ролики на
    канале" the publishing is.

    Returns the text and whether a verb was removed (its object is then in the accusative
    and is put back into the nominative by the caller).
    """
    dropped = False
    while True:
        m = rules.lead.match(text)
        if m is None:
            return text, dropped
        word = re.sub(r"\s+", " ", normalize(m.group(0)).strip(" ,"))
        rest = text[m.end() :]
        noun = rules.verb_nouns.get(word)
        if noun is None and not _STARTS_QTY.match(_word_numbers(rest)):
            noun = rules.uncounted_nouns.get(word)  # "публикует ролики" → "публикация роликов"
        if noun is not None:
            # "manage the campaigns" → "management of campaigns"; "модерирует комментарии" →
            # "модерация комментариев"
            rest = re.sub(r"^(?:the|all)\s+", "", rest) if rules.lang == "en" else _genitive(rest)
            return f"{noun} {rest}".strip(), False
        text = rest
        dropped = dropped or word not in rules.and_words


def _parenthetical(inner: str, formats: frozenset[str]) -> bool:
    """Keep a bracket that counts something or names a platform/tool; drop the rest.

    "(не менее 20 публикаций)", "(Figma)", "(Instagram and Facebook)" stay; file formats
    "(SVG, PDF, PNG)" and lower-case composition notes "(текст и изображение)" go.
    """
    words = re.findall(r"[^\W_]+(?:[/-][^\W_]+)*", inner)
    if not words or all(w.lower() in formats for w in words):
        return False
    if re.search(r"\d", inner):
        return True
    return any(w[:1].isupper() for w in words)


def _brackets(text: str, rules: ItemRules) -> str:
    def keep(m: re.Match[str]) -> str:
        return m.group(0) if _parenthetical(m.group(1), rules.formats) else ""

    return re.sub(r"\s*\(([^()]*)\)", keep, text)


def _lower_defined_terms(text: str, lang: str) -> str:
    """Contract-defined Terms ("Рабочее время", "Стратегии") are common words in a list.

    A capitalised Cyrillic word is lowered unless it is inside «», follows a Latin or
    capitalised word (a name such as "VK Реклама"), or is a name for pymorphy3. The first
    word is lowered the same way; English first words are lowered unless they are names
    (the platform list of ``rules/scope_<lang>.yaml``).
    """
    out: list[str] = []
    depth = 0
    prev = ""
    first = True
    for tok in re.split(r"(\s+)", text):
        inner = tok.strip("«»\"'()")
        candidate = (
            depth == 0
            and not tok.startswith("«")
            and re.fullmatch(r"[А-ЯЁ][а-яё-]+", inner) is not None
            and not re.match(r"[A-ZА-ЯЁ]", prev.strip("«»\"'(),"))
        )
        if candidate:
            tags = morph().parse(inner.lower())[0].tag
            if not ({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"} & set(tags.grammemes)):
                tok = tok.replace(inner, inner.lower(), 1)
        elif first and lang == "en" and re.fullmatch(r"[A-Z][a-z-]+", inner) and inner not in _names("en"):
            tok = tok.replace(inner, inner.lower(), 1)
        if re.search(r"[^\W\d_]", tok):
            first = False
        depth += tok.count("«") - tok.count("»")
        if tok.strip():
            prev = tok
        out.append(tok)
    return "".join(out)


@cache
def _names(lang: str) -> frozenset[str]:
    """Proper names that keep their capital at the start of an item (platforms, tools)."""
    data: dict[str, Any] = yaml.safe_load(
        (RULES_DIR / f"scope_items_{lang}.yaml").read_text(encoding="utf-8")
    )
    return frozenset(str(w) for w in data.get("names", ()))


def _agree_number(text: str) -> str:
    """ "12 посты" → "12 постов", "1 главную обложку" → "1 главная обложка" (pymorphy3)."""
    m = re.match(r"^(\d+)\s+", text)
    if m is None or not re.search(r"[а-яё]", text[: m.end() + 20]):
        return text
    n = int(m.group(1))
    words = text[m.end() :].split(" ")
    an = morph()
    adjectives: list[tuple[int, Any]] = []
    noun = None
    for i, word in enumerate(words):
        if not re.fullmatch(r"[а-яё-]+", word):
            break
        parse = an.parse(word)[0]
        if {"ADJF"} & parse.tag.grammemes or {"PRTF"} & parse.tag.grammemes:
            adjectives.append((i, parse))
            continue
        if "NOUN" in parse.tag.grammemes:
            noun = (i, parse)
        break
    if noun is None:
        return text
    out = list(words)
    # "сторис", "видео": indeclinable nouns stay as written; their adjectives still agree
    fixed = not an.word_is_known(words[noun[0]]) or "Fixd" in noun[1].tag.grammemes
    if fixed and not adjectives:
        return text
    base = noun[1].inflect({"nomn", "plur"}) or noun[1]
    agreed = None if fixed else base.make_agree_with_number(n)
    if agreed is not None:
        out[noun[0]] = _keep_case(words[noun[0]], agreed.word)
    if n % 10 == 1 and n % 100 != 11:
        grams = {"nomn", "sing"} | ({noun[1].tag.gender} if noun[1].tag.gender else set())
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 and noun[1].tag.gender == "femn":
        grams = {"nomn", "plur"}
    else:
        grams = {"gent", "plur"}
    for i, parse in adjectives:
        form = parse.inflect(grams)
        if form is not None:
            out[i] = _keep_case(words[i], form.word)
    return f"{n} " + " ".join(out)


def _nominative(text: str) -> str:
    """The object of a dropped verb back in the nominative: "аналитическую справку" → "…ая справка"."""
    words = text.split(" ")
    an = morph()
    out = list(words)
    for i, word in enumerate(words):
        if not re.fullmatch(r"[а-яё-]+", word, re.IGNORECASE):
            break
        parse = next((p for p in an.parse(word.lower()) if {"accs"} & p.tag.grammemes), None)
        if parse is None:
            if i == 0:
                parse = an.parse(word.lower())[0]
                if "NOUN" in parse.tag.grammemes and parse.tag.case in ("datv", "gent", "ablt", "loct"):
                    form = parse.inflect({"nomn", parse.tag.number or "sing"})
                    if form is not None:
                        out[i] = _keep_case(word, form.word)
            break
        form = parse.inflect({"nomn", parse.tag.number or "sing"})
        if form is not None:
            out[i] = _keep_case(word, form.word)
        if "NOUN" in parse.tag.grammemes:
            break
    return " ".join(out)


def _genitive(text: str) -> str:
    """A verb's direct object after its noun goes into the genitive ("ведение кампаний")."""
    words = text.split(" ")
    out = list(words)
    for i, word in enumerate(words):
        if not re.fullmatch(r"[а-яё-]+", word):
            break
        parse = next(
            (
                p
                for p in morph().parse(word)
                if "accs" in p.tag.grammemes and {"NOUN", "ADJF", "PRTF"} & p.tag.grammemes
            ),
            None,
        )
        if parse is None:
            break
        form = parse.inflect({"gent", parse.tag.number or "sing"})
        if form is not None:
            out[i] = form.word
        if "NOUN" in parse.tag.grammemes:
            break
    return " ".join(out)


def _keep_case(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


def _agree_inside(text: str, start: int) -> str:
    """Number agreement for a count that a dropped maker noun used to govern (mid-item)."""
    return text[:start] + _agree_number(text[start:])


def _add_month(item: str, rules: ItemRules) -> str:
    """ "12 постов" → "12 постов в месяц", before a trailing bracket: "… per month (Meta)"."""
    bare = re.sub(r"\([^()]*\)", "", item)
    if not re.search(r"\d", bare) or _MONTHLY.search(normalize(item)):
        return item
    m = re.search(r"(\s*\([^()]*\))+$", item)
    if m is None or re.search(r"\d", m.group(0)):
        # a bracket that measures the deliverable ("(up to 30 seconds)") belongs to it
        return item + rules.month_suffix
    return item[: m.start()] + rules.month_suffix + item[m.start() :]


def _times_24h(text: str) -> str:
    """ "9:00 a.m. to 5:00 p.m." → "9:00-17:00": how a list writes a schedule."""

    def h24(m: re.Match[str]) -> str:
        hour, minute, half = int(m.group(1)), m.group(2) or "00", m.group(3).lower()
        if half.startswith("p") and hour != 12:
            hour += 12
        if half.startswith("a") and hour == 12:
            hour = 0
        return f"{hour}:{minute}"

    text = re.sub(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", h24, text, flags=re.IGNORECASE)
    return re.sub(r"(\d{1,2}:\d{2})\s+(?:to|until|till|–|—|-)\s+(\d{1,2}:\d{2})", r"\1-\2", text)


def _count_to_front(text: str) -> tuple[str, bool]:
    """ "Посты во «ВКонтакте» — 12 шт. в месяц" → "12 Посты во «ВКонтакте»", monthly.

    Only when nothing but a unit or a per-month mark follows the count; the noun is made
    to agree with the number later.
    """
    m = _TRAILING_COUNT.match(text)
    if m is None:
        return text, False
    rest = m.group("rest")
    per_month = _PER_MONTH.search(rest)
    if per_month is not None:
        rest = rest[: per_month.start()]
    if _UNITS.sub("", m.group("n") + rest)[len(m.group("n")) :].strip(" .;,"):
        return text, False
    return f"{m.group('n')} {m.group('what').strip()}", per_month is not None


def clean_item(text: str, lang: str, monthly: bool = False) -> str:
    """One deliverable, worded the way the labelled scope lists word them (module docstring)."""
    rules = item_rules(lang)
    text = re.sub(r"\s+", " ", text).strip(" ;.,:")
    text = _LEADING_TIMES.sub(r"\1 ", _word_numbers(text))  # "12 x posts" → "12 posts"
    text, trailing_monthly = _count_to_front(text)
    monthly = monthly or trailing_monthly
    times = _TIMES_A_MONTH.match(text)
    if times is not None:
        rest, _ = _drop_lead(times.group("rest"), rules)
        n = times.group("n").lower()
        text, monthly = f"{_TIMES_WORDS.get(n, n)} {rest}", True
    for pattern in (*rules.client, *rules.filler):
        text = pattern.sub("", text)
    text, _ = _drop_lead(text.strip(), rules)
    agree_at: int | None = None
    m = rules.production.search(text)
    if m is not None:
        text = text[: m.start()] + text[m.end() :]
        agree_at = m.start()
    text = _brackets(text, rules)
    colon = text.find(":")
    if colon > 0 and re.search(r"\d", text[:colon]) and "," in text[colon:]:
        text = text[:colon]  # "макеты 5 носителей: визитка, бланк, …" — the count says it
    text = re.sub(r"\s+", " ", text).strip(" ;.,:")
    text = _lower_defined_terms(text, rules.lang)
    if rules.lang == "ru":
        if agree_at is not None and agree_at > 0:
            text = _agree_inside(text, agree_at)
        elif _STARTS_QTY.match(text) or agree_at == 0:
            text = _agree_number(text)
        else:
            text = _nominative(text)  # list items are objects: "презентацию" → "презентация"
    else:
        text = _times_24h(text)
    if monthly:
        text = _add_month(text, rules)
    return re.sub(r"\s+", " ", text).strip(" ;.,:")


# --------------------------------------------------------------------------- enumerations


def _prep_tail(piece: str, lang: str) -> str:
    """The prepositional tail of "12 постов во «ВКонтакте»": " во «ВКонтакте»".

    It ends the piece and crosses no comma: in "12 постов и 8 сторис в месяц, контент-план"
    the tail of "8 сторис …" is not " в месяц, контент-план", which made the content plan
    a part of the posts' item as well ("12 постов в месяц, контент-план").
    """
    preps = r"в|во|на|для|in|on|for|across"
    m = re.search(rf"\s(?:{preps})\s[^,;]+$", piece)
    return m.group(0) if m else ""


def split_enumeration(text: str, rules: ItemRules, verbs_split: bool) -> list[str]:
    """Split "12 постов и 30 сторис во «ВКонтакте»" into one piece per counted deliverable.

    A separator ("," / "и" / "and") splits only when the next piece starts with a count
    (or, with ``verbs_split``, with an obligation or activity verb), so "цветовая палитра
    и 2 шрифтовые гарнитуры" and "audience and creative testing" stay whole. A trailing
    modifier of the last piece goes to earlier pieces that have none.
    """
    ands = "|".join(re.escape(w) for w in rules.and_words)
    sep = re.compile(rf",\s+(?:(?:{ands})\s+)?|\s+(?:{ands})\s+", re.IGNORECASE)
    pieces: list[str] = []
    start = 0
    for m in sep.finditer(text):
        nxt = text[m.end() :]
        if _STARTS_QTY.match(_word_numbers(nxt)) or (verbs_split and rules.lead.match(nxt)):
            if start == 0 and not re.search(r"\d", _word_numbers(text[: m.start()])) and not verbs_split:
                continue
            pieces.append(text[start : m.start()])
            start = m.end()
    pieces.append(text[start:])
    pieces = [p.strip(" ;.,") for p in pieces if p.strip(" ;.,")]
    if len(pieces) > 1 and _STARTS_QTY.match(_word_numbers(pieces[-1])):
        tail = _prep_tail(pieces[-1], rules.lang)
        if tail:
            pieces = [
                p + tail if _STARTS_QTY.match(_word_numbers(p)) and not _prep_tail(p, rules.lang) else p
                for p in pieces[:-1]
            ] + [pieces[-1]]
    return pieces


# --------------------------------------------------------------------------- sources


def _platform(value: str, lang: str) -> str:
    """A platform cell as it reads in a list: "в «Дзене»", "во «ВКонтакте»", "(Instagram)"."""
    if lang != "ru":
        return f" ({value})"
    inner = value.strip('«»" ')
    word = inner
    if re.fullmatch(r"[А-Яа-яЁё-]+", inner):
        parse = morph().parse(inner.lower())[0]
        if (
            morph().word_is_known(inner.lower())
            and "Fixd" not in parse.tag.grammemes
            and "NOUN" in parse.tag.grammemes
        ):
            form = parse.inflect({"loct"})
            if form is not None:
                word = _keep_case(inner, form.word)
    shown = value.replace(inner, word)
    if shown == word and re.fullmatch(r"[А-ЯЁ][А-Яа-яЁё-]+", word):
        shown = f"«{word}»"  # a Cyrillic platform name is written in «quotes»: «ВКонтакте»
    first = re.sub(r"^[«\"]", "", shown)[:2].lower()
    prep = "во" if len(first) == 2 and first[0] in "вф" and first[1] not in "аеёиоуыэюя" else "в"
    return f" {prep} {shown}"


def _table_items(blocks: Sequence[Block], lang: str) -> list[str]:
    """Rows of the first table with a quantity column, one item per row."""
    rules = item_rules(lang)
    for i, block in enumerate(blocks):
        if block.kind != "row":
            continue
        header = [normalize(c) for c in block.text.split(" | ")]
        qty_cols = [j for j, c in enumerate(header) if _QTY_HEADER.search(c)]
        if not qty_cols:
            continue
        q = qty_cols[0]
        monthly = any(_MONTHLY.search(c) for c in header) or _monthly_before(blocks, i)
        mains = [j for j, c in enumerate(header) if j != q and _MAIN_COL.search(c)]
        main = mains[0] if mains else None
        extra = [j for j, c in enumerate(header) if j not in (q, main) and not _SKIP_COL.search(c.strip())]
        items: list[str] = []
        for row in blocks[i + 1 :]:
            if row.kind != "row":
                break
            cells = row.text.split(" | ")
            if len(cells) != len(header):
                continue
            texts = [
                j for j, c in enumerate(cells) if j != q and not re.fullmatch(r"[\d.№ ]*|—|-", c.strip())
            ]
            if not texts:
                continue
            col = main if main is not None else texts[0]
            items.append(_row_item(cells, col, q, [j for j in extra if j != col], header, rules, monthly))
        if items:
            return items
    return []


def _row_item(
    cells: list[str], col: int, q: int, extra: list[int], header: list[str], rules: ItemRules, monthly: bool
) -> str:
    service = _lower_defined_terms(_brackets(cells[col].strip(), rules), rules.lang)
    qty = _word_numbers(cells[q].strip())
    per_month = _PER_MONTH.search(qty)
    if per_month is not None:  # "12 шт. в месяц", "8 / month": the column is monthly
        monthly = True
        qty = qty[: per_month.start()] + qty[per_month.end() :]
    qty = _UNITS.sub("", qty).strip()
    qn = normalize(qty).strip(" .")
    bound = _BOUND.fullmatch(qn)
    platform = ""
    notes: list[str] = []
    for j in extra:
        value = cells[j].strip()
        if normalize(value).strip(" .") in rules.all_values:
            continue
        if _PLATFORM_COL.search(header[j]):
            platform = _platform(value, rules.lang)
        else:
            notes.append(value)
    counted = (re.fullmatch(r"\d+", qn) is not None and qn != "1") or bound is not None
    if re.fullmatch(r"\d+", qn):
        item = service if qn == "1" else f"{qty} {service}"
    elif bound is not None:  # "до 4": "до 4 клипов", "up to 4 clips"
        head = _np_case(service, {"gent", "plur"}) if rules.lang == "ru" else service
        item = f"{qty} {head}"
    elif qn in rules.no_limit:
        item = service
    elif qn in rules.frequency:
        item = _frequency(rules.frequency[qn], service, rules.lang)
    elif re.match(r"\d", qn):
        item = f"{service}: {qty[:1].lower() + qty[1:]}"
    else:
        schedule = _CLOCK.sub("", qty).strip(" ,;")
        schedule = schedule[:1].lower() + schedule[1:] if rules.lang == "ru" else schedule
        if rules.lang == "en" and not re.match(r"(?:on|in|at|during|within|every|each)\b", qn):
            schedule = f"on {schedule}"
        item = f"{service} {schedule}"
    ru_platform = platform if rules.lang == "ru" else ""
    item = clean_item(item + ru_platform, rules.lang, monthly and counted)
    tail = [platform.strip(" ()")] if platform and rules.lang != "ru" else []
    tail += notes
    return f"{item} ({', '.join(tail)})" if tail else item


def _np_case(text: str, grams: set[str]) -> str:
    """Put the leading adjectives and noun of a Russian phrase into ``grams``."""
    words = text.split(" ")
    out = list(words)
    for i, word in enumerate(words):
        if not re.fullmatch(r"[а-яё-]+", word, re.IGNORECASE):
            break
        parse = morph().parse(word.lower())[0]
        if not {"NOUN", "ADJF", "PRTF"} & parse.tag.grammemes:
            break
        form = parse.inflect(grams)
        if form is not None and "Fixd" not in parse.tag.grammemes:
            out[i] = _keep_case(word, form.word)
        if "NOUN" in parse.tag.grammemes:
            break
    return " ".join(out)


def _frequency(adjective: str, service: str, lang: str) -> str:
    """ "ответы на отзывы" + "ежедневно" → "ежедневные ответы на отзывы"."""
    if lang != "ru":
        return f"{adjective} {service[:1].lower() + service[1:]}"
    head = service.split(" ")[0]
    noun = morph().parse(head.lower())[0]
    adj = morph().parse(adjective)[0]
    grams = {"nomn", noun.tag.number or "sing"}
    if noun.tag.number != "plur" and noun.tag.gender:
        grams.add(noun.tag.gender)
    form = adj.inflect(grams)
    return f"{form.word if form is not None else adjective} {service[:1].lower() + service[1:]}"


def _monthly_before(blocks: Sequence[Block], i: int) -> bool:
    """A table whose caption or preceding clause says the volume is monthly."""
    for block in reversed(blocks[max(0, i - 2) : i]):
        if block.kind != "row" and _MONTHLY.search(normalize(block.text)):
            return True
    return False


def _home(blocks: Sequence[Block], hit: ClauseHit) -> int | None:
    """The index of the block that holds the scope quote."""
    quote = hit.quote or ""
    return next((i for i, b in enumerate(blocks) if quote and quote in b.text), None)


def _list_at(blocks: Sequence[Block], start: int, lang: str) -> list[str]:
    """The items of the list that starts at ``start``, monthly if its intro says so."""
    rules = item_rules(lang)
    intro = normalize(blocks[start - 1].text) if start > 0 else ""
    monthly = bool(_MONTHLY.search(intro))
    items: list[str] = []
    for block in blocks[start:]:
        if block.kind != "item":
            break
        text = _verb_chain(block.text.strip(" ;.,"), rules)[0]
        text, _ = _drop_lead(_word_numbers(text), rules)
        label = _LABEL.match(text)
        where = ""
        if label is not None:  # "Instagram: 12 posts and 20 stories" — the label is the platform
            text, where = label.group("body"), label.group("label").strip()
        for piece in split_enumeration(text, rules, verbs_split=False):
            suffix = _platform(where, lang) if where and lang == "ru" else ""
            item = clean_item(piece + suffix, lang, monthly)
            items.append(f"{item} ({where})" if where and lang != "ru" else item)
    return items


def _list_items(blocks: Sequence[Block], hit: ClauseHit, lang: str) -> list[str]:
    """The list the scope quote sits in; else the first list a scope intro opens."""
    home = _home(blocks, hit)
    if home is not None and blocks[home].kind == "item":
        start = home
        while start > 0 and blocks[start - 1].kind == "item":
            start -= 1
        return _list_at(blocks, start, lang)
    for i, block in enumerate(blocks):
        if block.kind == "item" and i > 0 and blocks[i - 1].kind != "item":
            intro = normalize(blocks[i - 1].text)
            in_scope_clause = hit.location is not None and blocks[i - 1].location == hit.location
            if (_LIST_INTRO.search(intro) or in_scope_clause) and not _NOT_SCOPE_INTRO.search(intro):
                items = _list_at(blocks, i, lang)
                if items:
                    return items
    return []


def _count_start(piece: str) -> int | None:
    """Where the first count outside «quotes» starts in a piece, if anywhere."""
    for m in _COUNT.finditer(piece):
        if piece[: m.start()].count("«") == piece[: m.start()].count("»"):
            return m.start()
    return None


def _verb_chain(text: str, rules: ItemRules) -> list[str]:
    """ "подбирает блогеров, ведёт переговоры и организует 2 интеграции" → the counted phrase.

    A list item made of several action phrases where exactly one has a count describes
    how that one deliverable is made; the list keeps the deliverable. Anything else is
    returned whole.
    """
    ands = "|".join(re.escape(w) for w in rules.and_words)
    sep = re.compile(rf",\s+(?:(?:{ands})\s+)?|\s+(?:{ands})\s+", re.IGNORECASE)
    if not rules.lead.match(text):
        return [text]
    pieces: list[str] = []
    start = 0
    for m in sep.finditer(text):
        if rules.lead.match(text[m.end() :]):
            pieces.append(text[start : m.start()])
            start = m.end()
    pieces.append(text[start:])
    contentful = [p for p in pieces if _drop_lead(p.strip(), rules)[0].strip()]
    counted = [p for p in contentful if _count_start(_word_numbers(p)) is not None]
    if len(contentful) > 1 and len(counted) == 1:
        return counted
    return [text]


def _inline_items(sentence: str, lang: str) -> list[str]:
    """The enumeration in the scope sentence itself ("… готовит 12 постов, 8 сторис и …")."""
    rules = item_rules(lang)
    monthly = bool(_MONTHLY.search(normalize(sentence)))
    body = _word_numbers(sentence.strip(" .;"))
    colon = body.find(":")
    party = rules.party.search(body)
    if colon >= 0:
        body = body[colon + 1 :]
    elif party is not None:
        body = body[party.end() :]
    items: list[str] = []
    for part in rules.also.split(body):
        lead, _ = _drop_lead(part.strip(), rules)
        for piece in split_enumeration(lead, rules, verbs_split=True):
            at = _count_start(piece)
            if at and re.match(r"(?:для|на|в|во|for|on|in)\s", piece, re.IGNORECASE):
                piece = piece[at:]  # "для карточки товара «…» 10 слайдов": the count starts it
            items.append(clean_item(piece, lang, monthly))
    return items if any(re.search(r"\d", x) for x in items) else []


_ACTIVITY_SPLIT = {
    # a comma, or "и"/"and" before a noun of action: "наполнение канала, привлечение
    # подписчиков и повышение узнаваемости" is three activities; "blog posts and website
    # copy" is one
    "ru": re.compile(r",\s+(?:и\s+)?|\s+и\s+(?=[а-яё]+(?:ние|тие|ция|ка|ство)\s)", re.IGNORECASE),
    "en": re.compile(r",\s+(?:and\s+)?|\s+and\s+(?=[a-z]+(?:ing|ment|tion)\s)", re.IGNORECASE),
}


def _weak_source(blocks: Sequence[Block], hit: ClauseHit, rules: ItemRules) -> str:
    """The sentence that names the work: the scope quote, or the next clause of the same
    section when it has the contractor enumerate what they do ("1.1. … продвижение канала.
    1.2. Исполнитель обеспечивает наполнение канала, привлечение подписчиков и …")."""
    quote = hit.quote or ""
    home = _home(blocks, hit)
    if home is None or home + 1 >= len(blocks):
        return quote
    here, nxt = blocks[home], blocks[home + 1]
    same = (here.location.section or "").split(".")[0] == (nxt.location.section or "").split(".")[0]
    party = rules.party.search(nxt.text)
    if same and nxt.kind == here.kind and party is not None and not re.search(r"\d", nxt.text[party.end() :]):
        body = nxt.text[party.end() :]
        if len(_ACTIVITY_SPLIT[rules.lang].split(body)) >= 2:
            return body
    return quote


def _weak_items(blocks: Sequence[Block], hit: ClauseHit, lang: str) -> tuple[str, ...]:
    """A scope without quantities: the named activities, marked once as having no quantities."""
    rules = item_rules(lang)
    source = _weak_source(blocks, hit, rules)
    start = hit.span[0] if hit.span and source == hit.quote else 0
    phrase = re.split(r",\s+(?:а|and)\s|\.\s|;", source[start:])[0].strip(" .")
    party = rules.party.search(phrase)
    if party is not None:
        phrase = phrase[party.end() :]
    phrase = re.sub(r"^.*?(?:услуг\w*|работ\w*|обязательств\w*)\s+по\s+", "", phrase, flags=re.IGNORECASE)
    phrase, _ = _drop_lead(phrase.strip(), rules)
    items: list[str] = []
    for piece in _ACTIVITY_SPLIT[rules.lang].split(phrase):
        item = clean_item(piece, lang)
        items.append(_nominative(item) if rules.lang == "ru" else item)
    items = [x for x in items if x]
    if not items:
        return ()
    return (items[0] + rules.weak_suffix, *items[1:])


def extract_scope(blocks: Sequence[Block], hit: ClauseHit | None, lang: str) -> tuple[str, ...]:
    """Deliverables as a person lists them; weak scopes are marked as having no quantities."""
    if hit is None or hit.status == "missing" or not hit.quote:
        return ()
    if hit.status == "weak":
        return _weak_items(blocks, hit, lang)
    items = _table_items(blocks, lang)
    home = _home(blocks, hit)
    if not items and home is not None and blocks[home].kind != "item":
        # a sentence that itself enumerates counted deliverables is the scope, even when
        # some unrelated list (stages, obligations) follows later in the contract
        inline = _inline_items(hit.quote, lang)
        if sum(1 for x in inline if re.search(r"\d", x)) >= 2:
            items = inline
    items = items or _list_items(blocks, hit, lang) or _inline_items(hit.quote, lang)
    return tuple(items) if items else (_quoted_item(hit.quote, lang),)


def _quoted_item(quote: str, lang: str) -> str:
    """The scope quote as one item: its first sentence, without "The Designer will create".

    English only: "The Designer will create a logo and a business card design as described
    in Appendix A. Any work outside Appendix A is extra work …" was the item whole, so the
    scope-boundary reply told the client "The agreed work currently covers: - the Designer
    will create a logo …" (helper 128, English day). Russian keeps the quote as before.
    """
    if lang == "ru":
        return clean_item(quote, lang)
    rules = item_rules(lang)
    first = re.split(r"(?<=\.)\s+(?=[A-Z])|\s*;\s*", quote.strip(), maxsplit=1)[0]
    party = rules.party.search(first)
    if party is not None and party.start() <= len("the "):
        first = first[party.end() :]
    first, _ = _drop_lead(first.strip(), rules)
    return clean_item(first, lang) or clean_item(quote, lang)
