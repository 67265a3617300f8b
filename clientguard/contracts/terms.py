"""Extract the enforceable numbers of a contract: revisions, payment period, price, hours, scope.

Extraction reads only sentences the clause rules already accepted (a revision limit is
taken from the sentence that made ``revision_limit`` present), so a number mentioned in a
decoy — the client's office hours, a penalty the contractor pays — never becomes a term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from clientguard.contracts.clauses import ClauseHit, RuleSet, Sentence, normalize
from clientguard.contracts.number_words import sums_in_words
from clientguard.contracts.reader import Block
from clientguard.contracts.validate import day_range
from clientguard.domain import ContractTerms, WorkingHours

_WORDS: dict[str, int] = {
    # Russian stems of cardinal numbers as they appear in "(трёх)", "двух раундов".
    "один": 1, "одн": 1, "два": 2, "двух": 2, "две": 2, "двум": 2, "три": 3, "трех": 3,
    "трем": 3, "четыре": 4, "четырьм": 4,
    "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "четырнадцат": 14, "пятнадцат": 15, "двадцат": 20, "тридцат": 30,
    # English.
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-one": 21,
    "twenty-five": 25, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
_REV_NOUN = re.compile(r"раунд|круг|итерац|правок|\bправк[аиуе]\b|\brevision|\brounds?\b|\biterations?\b")
# "вправе дважды вернуть материал", "may twice return": the count is an adverb of repetition
_REV_ADVERB = {"однократно": 1, "единожды": 1, "дважды": 2, "трижды": 3, "once": 1, "twice": 2, "thrice": 3}
# "в течение 5 дней", "не позднее 7 рабочих дней"; not a date ("не позднее 10-го числа",
# "не позднее 10 декабря"), which gives no number of days
_PERIOD_RU = re.compile(
    r"(?:в течение|не позднее|в срок до)\s+(?:чем\s+)?(?:за\s+)?(\d+)(?![\d.])"
    r"(?!\s*[-‑]?го\b)(?!\s*числ)(?!\s+(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр))"
)
# "в течение пяти (5) рабочих дней", "не позднее трех банковских дней": the count in words,
# read only before a digit in brackets or a day noun ("в течение всего срока" is no count)
_PERIOD_RU_WORDS = re.compile(
    r"(?:в течение|не позднее|не позже|в срок до|в срок не более)\s+(?:чем\s+)?(?:за\s+)?([а-я]+)"
    r"(?:\s*\((\d+)\))?\s+(?:(?:рабоч|календарн|банковск)\w*\s+)?(?:дн|день|дня)"
)
_PERIOD_EN = re.compile(
    r"(?:within|due|payable(?: within)?|no later than)\s+(\d+|[a-z-]+)(?:\s*\((\d+)\))?\s+"
    r"(?:business |calendar |working |banking )?days"
    r"|\b(\d+|[a-z]+(?:-[a-z]+)?)(?:\s*\((\d+)\))?\s+(?:business |calendar |working |banking )?days"
    r"\s+(?:after|from|of)\s+(?:the\s+)?(?:date of\s+)?(?:the\s+)?(?:invoice|receipt|acceptance|delivery)"
)
_PERIOD_NET = re.compile(r"\bnet\s+(\d+)\b")
_INVOICE_WORDS = re.compile(r"сч[её]т|акт|invoice|приемк|остаток|оставш|итогам|after acceptance|balance")
# "40 тыс. руб.", "40 тысяч рублей", "1,5 млн руб.", "40000р" (QA pass 7: no price was read);
# "40 т.р." (тысяч рублей), "40 000 российских рублей" and "40.000 руб." (thousands grouped
# by dots, as spreadsheets export them) gave no price either
_MONEY_RU = re.compile(
    r"(\d{1,3}(?:[  ]\d{3})+|\d{1,3}(?:\.\d{3})+(?![\d.])|\d+)(?:[.,](\d{1,2}))?(?:\s*\([^)]{1,60}\))?"
    r"\s*(?:(тыс\.?|тысяч\w*|млн\.?|миллион\w*|т\.(?=\s?р))\s*)?"
    r"(бел\w*\.?\s*руб|(?:российск\w*\s+)?руб|₽|р\.|р\b|евро|долл|тенге|₸|грн|гривн|гривен|₴)"
)
_THOUSANDS_WORD = {"тыс": 1_000, "млн": 1_000_000, "миллион": 1_000_000, "т.": 1_000}
# thousands grouped with commas or, as continental Europe writes them, with spaces
# ("1 200 EUR": the space cut the sum to 200, QA pass 7)
_MONEY_EN = re.compile(
    r"(usd|eur|gbp|rub|kzt|uah|byn|\$|€|£)\s?(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[  ]\d{3})+|\d+)(?:\.(\d{1,2}))?"
    r"|(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[  ]\d{3})+|\d+)(?:\.(\d{1,2}))?\s?"
    r"(usd|eur|gbp|rub|kzt|uah|byn|dollars|euros|pounds|r(?:o)?ubles)\b"
)
_CURRENCY = {
    "руб": "RUB", "₽": "RUB", "р.": "RUB", "р": "RUB", "rub": "RUB",
    "rubles": "RUB", "roubles": "RUB", "usd": "USD", "$": "USD", "dollars": "USD",
    "eur": "EUR", "€": "EUR", "euros": "EUR", "gbp": "GBP", "£": "GBP", "pounds": "GBP",
    "евро": "EUR", "долл": "USD",
    # the tenge, the hryvnia and the Belarusian rouble: a Kazakh, Ukrainian or Belarusian
    # client's contract in Russian had no price (and "бел. руб." is no RUB), QA pass 7
    "тенге": "KZT", "₸": "KZT", "kzt": "KZT", "грн": "UAH", "гривн": "UAH", "гривен": "UAH", "₴": "UAH",
    "uah": "UAH", "byn": "BYN",
}  # fmt: skip


def _currency_of(token: str) -> str:
    """The ISO code of a currency word as the money patterns matched it."""
    if token.startswith("бел"):
        return "BYN"
    return "RUB" if token.startswith("росс") else _CURRENCY[token]


_PRICE_CONTEXT = re.compile(
    r"стоимост|цена|вознагражден|абонентск\w* плат|\bсто(?:ят|ит)\b|fee|price|retainer|"
    r"(?:will|shall|to|agrees to) pay\b|\bpays\b|pay (?:agency|studio|writer)|\bcosts?\b"
)
_PRICE_SKIP = re.compile(
    r"стоимост\w* (?:одн|кажд)|сверх|дополнительн|аванс|предоплат|пен[иья]|неустойк|бюджет|остаток|"
    r"оставш|рекомендуем|per hour|hourly|late|interest|additional|further|credit|deposit|вернуть|возвра"
)
_PER_UNIT = re.compile(
    r"^\s*(?:за|per)\s+(?:один |одну |каждый |каждую |an? |each )?"
    r"(?:час|пост|раунд|круг|креатив|слайд|ролик|стать|сторис|единиц|hour|post|round|creative)"
)
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)?", re.IGNORECASE)
_TIME_RANGE = re.compile(
    r"(\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)?)\s*(?:до|to|until|-|–|—)\s*"
    r"(\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm)?)"
)
_DAY_NAMES: tuple[tuple[str, int], ...] = (
    ("пн", 0), ("вт", 1), ("ср", 2), ("чт", 3), ("пт", 4), ("сб", 5), ("вс", 6),
    ("mon", 0), ("tue", 1), ("wed", 2), ("thu", 3), ("fri", 4), ("sat", 5), ("sun", 6),
    ("понедельн", 0), ("вторник", 1), ("сред", 2), ("четверг", 3), ("пятниц", 4), ("суббот", 5),
    ("воскресен", 6),
)  # fmt: skip
_DAY_RANGE = re.compile(
    r"\b(?:с\s+)?(понедельник\w*|вторник\w*|сред\w*|четверг\w*|пятниц\w*|суббот\w*|воскресен\w*|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|пн|вт|ср|чт|пт|сб|вс|mon|tue|wed|thu|fri|sat|sun)"
    r"\.?\s*(?:по|through|to|until|-|–|—)\s*"
    r"(понедельник\w*|вторник\w*|сред\w*|четверг\w*|пятниц\w*|суббот\w*|воскресен\w*|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|пн|вт|ср|чт|пт|сб|вс|mon|tue|wed|thu|fri|sat|sun)\b"
)
# "0,1 %", and in words: "1 (одного) процента", "0.1 percent"
_PERCENT = r"(?:\s*\([^)]{1,40}\))?\s*(?:%|процент|percent\b|per cent\b)"
_RATE = re.compile(r"(\d+(?:[.,]\d+)?)" + _PERCENT)
_CAP = re.compile(
    r"(?:не более|но не более|не свыше|up to|capped at|not (?:to )?exceed|maximum of)\s+(\d+(?:[.,]\d+)?)"
    + _PERCENT
)


@dataclass(frozen=True)
class ExtractedTerms:
    """What the checker could read off the contract; ``None`` means not found."""

    revision_limit: int | None = None
    payment_due_days: int | None = None
    price: float | None = None
    currency: str | None = None
    working_hours: WorkingHours | None = None
    scope: tuple[str, ...] = ()
    late_fee_percent_per_day: float | None = None
    late_fee_cap_percent: float | None = None
    #: why a late-payment rate the clause names was not stored (see :class:`LateFee`)
    late_fee_unread: str | None = None
    #: a late fee that is a sum per day or week ("пени 500 рублей в день")
    late_fee_fixed: FixedLateFee | None = None
    #: a rate's cap written as a sum ("0,1 % в день, но не более 10 000 рублей")
    late_fee_cap_sum: SumCap | None = None

    def to_contract_terms(self, signed: bool = True) -> ContractTerms:
        return ContractTerms(
            signed=signed,
            scope=self.scope,
            revision_limit=self.revision_limit,
            price=self.price,
            currency=self.currency,
            payment_due_days=self.payment_due_days,
            working_hours=self.working_hours,
            late_fee_percent_per_day=self.late_fee_percent_per_day,
        )

    def as_json(self) -> dict[str, object]:
        """The ``extracted`` object of ``contract check --json`` (labels.json format)."""
        wh = self.working_hours
        return {
            "revision_limit": self.revision_limit,
            "payment_due_days": self.payment_due_days,
            "price": _plain_number(self.price),
            "currency": self.currency,
            "working_hours": None
            if wh is None
            else {"days": list(wh.days), "start": wh.start, "end": wh.end},
            "scope": list(self.scope),
        }


def _plain_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def parse_number(token: str, paren: str | None = None) -> int | None:
    """``"2"``, ``"двух"``, ``"two"`` → 2; a digit in parentheses wins ("two (2)")."""
    for candidate in (paren, token):
        if not candidate:
            continue
        candidate = candidate.strip().lower().replace("ё", "е")
        if candidate.isdigit():
            return int(candidate)
    word = normalize(token.strip())
    if word in _WORDS:
        return _WORDS[word]
    for stem, value in _WORDS.items():
        if len(stem) >= 3 and word.startswith(stem) and not word.startswith("одиннад"):
            return value
    return None


def _revision_limit(hit: ClauseHit | None) -> int | None:
    """The number right before "раунд/круг/итерац/round/revision" (up to two words back)."""
    if hit is None or hit.status != "present" or hit.quote is None:
        return None
    norm = normalize(hit.quote)
    if hit.rule is not None and hit.rule.endswith(".times"):
        adverb = re.search(r"\b(" + "|".join(_REV_ADVERB) + r")\b", norm)
        if adverb is not None:
            return _REV_ADVERB[adverb.group(1)]
        times = re.search(r"(\d+|[а-я]+)(?:\s*\([^)]{1,40}\))?\s+раз", norm)  # "2 (двух) раз"
        if times is not None:
            return parse_number(times.group(1))
    for m in _REV_NOUN.finditer(norm):
        head = norm[max(0, m.start() - 60) : m.start()]
        tokens = re.findall(r"\(\d+\)|\([а-я ]+\)|[a-zа-я-]+|\d+", head)[-4:]
        for tok in reversed(tokens):
            value = parse_number(tok.strip("()"))
            if value is not None and 0 < value < 50:
                return value
    # "правок не более 3", "ограничено двумя раундами": the number after the limit word
    # "Количество правок: 3", "Revisions - three.": the number after a dash or a colon
    for after in re.finditer(
        r"(?:не более|не превышает|ограничен\w*|limited to|up to|no more than|"
        r"[—–:-](?:\s+(?:не более|до|up to|no more than))?)\s+(\S+)",
        norm,
    ):
        value = parse_number(after.group(1).strip("().,;"))
        if value is not None and 0 < value < 50:
            return value
    return None


def _payment_due_days(sentences: Sequence[Sentence], rules: RuleSet) -> int | None:
    period_rules = [r for r in rules.clauses.get("payment_terms", ()) if r.status == "present"]
    best: tuple[int, int] | None = None  # (priority, days)
    for sent in sentences:
        if not any(r.matches(sent.norm) for r in period_rules):
            continue
        periods: list[tuple[int, int]] = []
        for m in _PERIOD_RU.finditer(sent.norm):
            periods.append((m.start(), int(m.group(1))))
        for m in _PERIOD_RU_WORDS.finditer(sent.norm):
            value = parse_number(m.group(1), m.group(2))
            if value is not None and not any(start == m.start() for start, _ in periods):
                periods.append((m.start(), value))
        for m in _PERIOD_EN.finditer(sent.norm):
            value = parse_number(m.group(1) or m.group(3), m.group(2) or m.group(4))
            if value is not None:
                periods.append((m.start(), value))
        for m in _PERIOD_NET.finditer(sent.norm):
            periods.append((m.start(), int(m.group(1))))
        if not periods:
            continue
        periods.sort()
        key = _INVOICE_WORDS.search(sent.norm)
        if key is not None:
            after = [p for p in periods if p[0] >= key.start()] or periods
            # the period bound to "счёт"/"акт"/"invoice" is the nearest one to that word
            nearest = min(periods, key=lambda p: abs(p[0] - key.start()))
            chosen = (0, nearest[1] if nearest in after else after[0][1])
        else:
            chosen = (1, periods[0][1])
        if best is None or chosen[0] < best[0]:
            best = chosen
    return None if best is None else best[1]


def _money(norm: str, start: int = 0) -> list[tuple[int, float, str, int]]:
    """The sums in ``norm`` from ``start`` on: (where it starts, value, currency, where it ends)."""
    found: list[tuple[int, float, str, int]] = []
    for m in _MONEY_RU.finditer(norm, start):
        value = float(re.sub(r"[  .]", "", m.group(1)) + (f".{m.group(2)}" if m.group(2) else ""))
        if m.group(3):
            value = round(value * next(v for k, v in _THOUSANDS_WORD.items() if m.group(3).startswith(k)), 2)
        found.append((m.start(), value, _currency_of(m.group(4)), m.end()))
    for m in _MONEY_EN.finditer(norm, start):
        if m.group(1):
            cur, whole, frac = m.group(1), m.group(2), m.group(3)
        else:
            whole, frac, cur = m.group(4), m.group(5), m.group(6)
        value = float(re.sub(r"[,  ]", "", whole) + (f".{frac}" if frac else ""))
        found.append((m.start(), value, _CURRENCY[cur], m.end()))
    # "сорок тысяч рублей", "two thousand five hundred dollars": a sum only in words; one
    # that overlaps a sum in digits is that sum's spelling, not a second sum
    found += [w for w in sums_in_words(norm, start) if not any(w[0] < d[3] and d[0] < w[3] for d in found)]
    found.sort()
    return found


#: The rest of a currency word a sum ends in ("руб" of "рублей"), its full stop and a
#: bracketed amount in words ("40 000 руб. (сорок тысяч рублей)").
_SUM_TAIL = re.compile(r"\w*\.?(?:\s*\([^)]*\))?")


def _after_sum(text: str, end: int) -> str:
    """What follows a sum that ends at ``end``: "за пост" in "3 000 руб. за пост".

    It was looked for after the first digit or currency word of the sum's text, which is
    its first digit: the rest began "000 руб. за пост", so no price in prose was ever a
    rate of one post ("Стоимость — 3 000 руб. за пост" gave a price of 3 000).
    """
    tail = _SUM_TAIL.match(text, end)
    return text[tail.end() if tail else end :]


# ";" or a full stop after an abbreviation ("35 000 руб. Предоплата …") ends a price part,
# but not "руб. за пост": that is one rate, and cut there it read as a price of 3 000
_PRICE_SPLIT = re.compile(r";|(?<=\.)\s+(?=[a-zа-я])(?!(?:за|per)\s)")


def _price_parts(sentences: Sequence[Sentence]) -> Iterator[str]:
    """Sentences, and each sentence's ";"-parts after it whole.

    The whole sentence comes first (the strict reading that the dev set was fitted on);
    its ";"-parts come next, so "Услуги стоят 40 000 рублей в месяц; рекламный бюджет
    Заказчик пополняет сам" still gives the fee: the budget word only vetoes its own part.
    """
    for sent in sentences:
        yield sent.norm
    for sent in sentences:
        parts = _PRICE_SPLIT.split(sent.norm)
        if len(parts) > 1:
            yield from parts


def _price_context(norm: str) -> re.Match[str] | None:
    """The first price word that is not a unit price's ("цена за единицу", "unit price").

    A PDF's plain text glues a table's header onto its first row ("Материал Количество Цена
    за единицу Сумма Пост 12 2 500 руб."): read from "Цена", the rate of one post was taken
    for the contract's price, and the table's total was never looked at.
    """
    unit = _table_words().unit_header
    for m in _PRICE_CONTEXT.finditer(norm):
        if unit.search(norm[max(0, m.start() - 6) : m.end() + 16]) is None:
            return m
    return None


def _price(sentences: Sequence[Sentence]) -> tuple[float | None, str | None]:
    for norm in _price_parts(sentences):
        ctx = _price_context(norm)
        if ctx is None or _PRICE_SKIP.search(norm):
            continue
        for _pos, value, cur, end in _money(norm, ctx.start()):
            if _PER_UNIT.match(_after_sum(norm, end)):
                continue
            if value >= 100:
                return value, cur
    return None, None


@dataclass(frozen=True)
class _TableWords:
    """The compiled patterns of ``rules/table_price.yaml``."""

    header: re.Pattern[str]
    unit_header: re.Pattern[str]
    total: re.Pattern[str]
    header_currency: tuple[tuple[str, re.Pattern[str]], ...]


def _word_table(name: str) -> dict[str, Any]:
    """One of the pattern tables in ``rules/`` (``table_price.yaml``, ``late_fee.yaml``)."""
    import yaml

    from clientguard.contracts.clauses import RULES_DIR

    data: dict[str, Any] = yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8"))
    return data


def _any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def _table_words() -> _TableWords:
    data = _word_table("table_price.yaml")
    currencies = tuple((code, _any_of(patterns)) for code, patterns in data["header_currency"].items())
    header, unit, total = (_any_of(data[k]) for k in ("header", "unit_header", "total"))
    return _TableWords(header, unit, total, currencies)


# a cell that is only a number: "40 000", "40 000,00", "1,200.00", "1200"
_BARE_RU = re.compile(r"(\d{1,3}(?:[  ]\d{3})+|\d+)(?:[.,](\d{1,2}))?")
_BARE_EN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")
_CURRENCY_WORD = {
    "RUB": "руб", "USD": "usd", "EUR": "eur", "GBP": "gbp", "KZT": "kzt", "UAH": "uah", "BYN": "byn",
}  # fmt: skip


def _header_currency(cell: str) -> str | None:
    """The currency a price column's header names: "Стоимость, руб." → RUB, "Fee (EUR)" → EUR."""
    return next((code for code, pat in _table_words().header_currency if pat.search(cell)), None)


def _in_currency(cell: str, code: str | None) -> str:
    """A bare number under a header that names the currency, written with it ("40 000" under
    "Стоимость, руб." → "40000.00 руб"), so the row reads as a sum; other cells unchanged."""
    text = cell.strip()
    if code is None:
        return cell
    for bare in (_BARE_RU, _BARE_EN):
        m = bare.fullmatch(text)
        if m is not None:
            whole = re.sub(r"[  ,]", "", m.group(1))
            return f"{whole}.{m.group(2) or '00'} {_CURRENCY_WORD[code]}"
    return cell


def _tables(blocks: Sequence[Block]) -> Iterator[list[list[str]]]:
    """Consecutive "row" blocks as tables, each row its normalised cells."""
    table: list[list[str]] = []
    for block in [*blocks, None]:
        if block is not None and block.kind == "row":
            table.append([normalize(c.strip()) for c in block.text.split(" | ")])
            continue
        if table:
            yield table
        table = []


def _row_sum(cells: Sequence[str]) -> tuple[float, str] | None:
    """The one sum of a row's cells, unless the row is a budget, an extra or a unit fee."""
    text = " | ".join(cells)
    if _PRICE_SKIP.search(text):
        return None
    sums: list[tuple[float, str]] = []
    for cell in cells:
        for _pos, value, cur, end in _money(cell):
            rest = _after_sum(cell, end)
            if _PER_UNIT.match(rest) or _table_words().unit_header.search(rest):
                return None  # "3 000 руб. за пост": a rate, not the price
            if value >= 100:
                sums.append((value, cur))
    return sums[0] if len(sums) == 1 else None


def _table_price(blocks: Sequence[Block]) -> tuple[float | None, str | None]:
    """A price stated only in a table: its total row, else the one row priced in a
    price-like column (see ``rules/table_price.yaml`` for why only these)."""
    words = _table_words()
    for table in _tables(blocks):
        header, rows = table[0], table[1:]
        if _PRICE_SKIP.search(" | ".join(header)):
            continue  # a table of budgets, extras or advances
        # a total that may include a budget or an extra row is not the contract's price
        lines = [c for c in rows if not (c and words.total.search(c[0]))]
        columns = [
            i for i, c in enumerate(header) if words.header.search(c) and not words.unit_header.search(c)
        ]
        # "Стоимость, руб." / "Price, USD": the column's bare numbers are sums in that currency
        code = _header_currency(header[columns[0]]) if len(columns) == 1 else None
        named = {_header_currency(c) for c in header if words.header.search(c)} - {None}
        total_code = next(iter(named)) if len(named) == 1 else None  # "Цена, руб. | Сумма, руб."
        if not any(_PRICE_SKIP.search(" | ".join(c)) for c in lines):
            for cells in rows:
                if not (cells and words.total.search(cells[0])):
                    continue
                found = _row_sum(cells[1:]) or _row_sum([_in_currency(c, total_code) for c in cells[1:]])
                if found:
                    return found
        if len(columns) != 1 or any(words.unit_header.search(c) for c in header):
            continue  # no price column, or a unit price beside it: the rows are rates or lines
        priced: list[tuple[float, str]] = []
        for cells in lines:
            if len(cells) != len(header) or _PRICE_SKIP.search(" | ".join(cells)):
                continue  # a budget or extra row; or merged cells, the column unknown
            found = _row_sum([_in_currency(cells[columns[0]], code)])
            if found is not None:
                priced.append(found)
        # two services priced apart and no total: the contract's price is not one row's
        if len(priced) == 1:
            return priced[0]
    return None, None


def _hhmm(token: str) -> str | None:
    m = _TIME.search(token.strip())
    if m is None:
        return None
    hour = int(m.group(1))
    minute = int(m.group(2) or 0)
    suffix = (m.group(3) or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    if suffix == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_working_hours(text: str) -> WorkingHours | None:
    """Days and hours from "по будним дням с 10:00 до 19:00" or "Mon-Thu, 8:00 to 16:00"."""
    norm = normalize(text)
    tr = _TIME_RANGE.search(norm)
    if tr is None:
        return None
    start, end = _hhmm(tr.group(1)), _hhmm(tr.group(2))
    if start is None or end is None:
        return None
    days: tuple[int, ...] | None = None
    dr = _DAY_RANGE.search(norm)
    if dr is not None:
        first = next(v for k, v in _DAY_NAMES if dr.group(1).startswith(k))
        last = next(v for k, v in _DAY_NAMES if dr.group(2).startswith(k))
        days = day_range(first, last)  # "пт-пн" runs through the weekend, not to nothing
    elif re.search(r"ежедневно|без выходных|every day|daily|seven days", norm):
        days = tuple(range(7))
    elif re.search(
        r"рабоч\w+ дн|будн\w+ дн|будни|business days|weekdays|working days|mon\w*\s*-\s*fri", norm
    ):
        days = (0, 1, 2, 3, 4)
    if days is None:
        days = (0, 1, 2, 3, 4)
    return WorkingHours(days=days, start=start, end=end)


#: The periods a fixed late fee accrues per, with their length in days. A week is counted
#: as Russian contracts word it: "за каждую полную неделю" / "per full week" charges only
#: full weeks (``"week"``, the name ``late_fee.v3`` stored them under), "за каждую неделю" /
#: "per week" every week begun (``"week_started"``): six days late is one week's fee.
FIXED_FEE_PERIODS: dict[str, int] = {"day": 1, "week": 7, "week_started": 7}


@dataclass(frozen=True)
class FixedLateFee:
    """A late fee that is a sum, not a percentage: "пени 500 рублей за каждый день
    просрочки", "$50 per week late". ``per`` is a key of :data:`FIXED_FEE_PERIODS`.

    Kept as what the contract says (a sum, its currency, its period) rather than turned
    into a daily rate: the sum does not depend on the invoice, and a percentage made of
    it would be wrong for every invoice but one. ``cap`` is a cap the contract writes as a
    sum in the fee's currency ("но не более 10 000 рублей", "not to exceed $500 in total").
    """

    amount: float
    per: str
    currency: str
    cap: float | None = None

    def accrued(self, days: int) -> float:
        """The fee for ``days`` days late: every day, every full week or every week begun
        (see :data:`FIXED_FEE_PERIODS`), at most the cap."""
        length = FIXED_FEE_PERIODS[self.per]
        days = max(days, 0)
        periods = -(-days // length) if self.per == "week_started" else days // length
        total = self.amount * periods
        return round(total if self.cap is None else min(total, self.cap), 2)

    def as_json(self) -> dict[str, object]:
        """The stored form; ``cap`` only when there is one, so a fee stored before caps
        were read logs and verifies as it did."""
        out: dict[str, object] = {"amount": self.amount, "per": self.per, "currency": self.currency}
        if self.cap is not None:
            out["cap"] = self.cap
        return out

    def worded(self, lang: str, *, short: bool = False, names: dict[str, str] | None = None) -> str:
        """The fee in words, "500 ₽ за каждый день просрочки" / "25 USD per day late";
        ``short`` for a table cell, "500 ₽ в день" / "25 USD/day"; the cap after it. Every
        place that shows the fee says it so. ``names`` as :func:`clientguard.numbers.money`
        takes it (the evidence export names currencies by ISO code)."""
        from clientguard.numbers import money
        from clientguard.report.i18n import t

        key = f"short_{self.per}" if short else self.per
        text = t("fixed_late_fee", key, lang).replace(
            "{money}", money(self.amount, self.currency, lang, names)
        )
        if self.cap is not None:
            cap = money(self.cap, self.currency, lang, names)
            text += t("fixed_late_fee", "cap", lang).replace("{money}", cap)
        return text

    def other_currency(self, lang: str) -> str:
        """Why no sum is computed for an invoice in another currency than the fee."""
        from clientguard.numbers import currency_text
        from clientguard.report.i18n import t

        return t("fixed_late_fee", "other_currency", lang).replace(
            "{currency}", currency_text(self.currency, lang)
        )

    @classmethod
    def from_json(cls, value: object) -> FixedLateFee | None:
        """A stored fee, or None for one that is not there or not readable (never raises:
        a stored terms row must stay readable). A cap that is not a positive number is
        left out, not the fee."""
        if not isinstance(value, dict):
            return None
        try:
            amount, per, currency = float(value["amount"]), str(value["per"]), str(value["currency"])
        except (KeyError, TypeError, ValueError):
            return None
        try:
            cap = float(value["cap"]) if value.get("cap") is not None else None
        except (TypeError, ValueError):
            cap = None
        cap = cap if cap is not None and cap > 0 else None
        return cls(amount, per, currency, cap) if per in FIXED_FEE_PERIODS and amount > 0 else None


@dataclass(frozen=True)
class SumCap:
    """A percentage late fee's cap written as a sum: "0,1 % в день, но не более 10 000
    рублей", "0.1% per day, not to exceed $500". The fee of an invoice stops there.

    Kept with its currency rather than as a bare number in the contract's: the cap is
    charged only on an invoice in that currency (no rates offline to convert it), and a
    stored terms row whose currency is changed later must not change what the cap means.
    A fixed fee's cap is :attr:`FixedLateFee.cap` (the fee and its cap share a currency).
    """

    amount: float
    currency: str

    def applies_to(self, currency: str | None) -> bool:
        """Whether the cap limits the fee of an invoice in ``currency``."""
        return self.currency.upper() == (currency or "RUB").upper()

    def as_json(self) -> dict[str, object]:
        return {"amount": self.amount, "currency": self.currency}

    def __str__(self) -> str:
        """"10000 RUB": what a place that prints terms with ``str`` (logs, a page not yet
        taught :meth:`worded`) shows, never the dataclass's repr."""
        return f"{self.amount:g} {self.currency}"

    def worded(self, lang: str, names: dict[str, str] | None = None) -> str:
        """"10 000 ₽ всего" / "500 USD in total", as every place shows it; ``names`` as
        :func:`clientguard.numbers.money` takes it."""
        from clientguard.numbers import money
        from clientguard.report.i18n import t

        return t("fixed_late_fee", "cap_sum", lang).replace(
            "{money}", money(self.amount, self.currency, lang, names)
        )

    @classmethod
    def from_json(cls, value: object) -> SumCap | None:
        """A stored cap, or None for one that is not there or not readable (never raises:
        a stored terms row must stay readable)."""
        if not isinstance(value, dict):
            return None
        try:
            amount, currency = float(value["amount"]), str(value["currency"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(amount, currency.upper()) if amount > 0 and len(currency) == 3 else None


@dataclass(frozen=True)
class LateFee:
    """A late-payment clause's rate as read: % per day and cap, or why no rate was stored.

    ``unread`` is ``"reference_rate"`` (tied to a central bank's or other published rate,
    which moves and which we cannot look up offline) or ``"no_period"`` (a percentage with
    no day, month or year): storing a guess there made reminders claim interest the
    contract does not allow, so the user is told to set the rate (``--late-fee``).
    ``fixed`` is a late fee that is a sum per day or week instead of a percentage;
    ``cap_sum`` a percentage's cap written as a sum (a fixed fee's is ``fixed.cap``).
    """

    percent_per_day: float | None = None
    cap_percent: float | None = None
    unread: str | None = None
    fixed: FixedLateFee | None = None
    cap_sum: SumCap | None = None


@dataclass(frozen=True)
class _LateFeeWords:
    """The compiled patterns of ``rules/late_fee.yaml``."""

    reference_rate: re.Pattern[str]
    per_day: re.Pattern[str]
    per_full_week: re.Pattern[str]
    per_week: re.Pattern[str]
    per_month: re.Pattern[str]
    per_year: re.Pattern[str]
    daily_by_nature: re.Pattern[str]
    version: str


@cache
def _late_fee_words() -> _LateFeeWords:
    data = _word_table("late_fee.yaml")
    keys = (
        "reference_rate",
        "per_day",
        "per_full_week",
        "per_week",
        "per_month",
        "per_year",
        "daily_by_nature",
    )
    reference, day, full, week, month, year, nature = (_any_of(data[k]) for k in keys)
    return _LateFeeWords(reference, day, full, week, month, year, nature, str(data["version"]))


def reader_version() -> str:
    """The version of this reader, stored with each term it reads off a contract.

    ``rules/late_fee.yaml`` ``version``: the late-payment rate is the term whose reading
    changed in a way that makes stored readings wrong (see that file), so a stored term
    read by another version is re-read (``contract reread``) rather than trusted.
    """
    return _late_fee_words().version


def _late_fee(hit: ClauseHit | None) -> LateFee:
    if hit is None or hit.status != "present" or hit.quote is None:
        return LateFee()
    return read_late_fee(hit.quote)


def read_late_fee(quote: str) -> LateFee:
    """The rate of a late-payment clause from its quote alone.

    Public because a stored contract keeps its clauses' quotes (``contracts.report``):
    ``contract reread`` reads the rate again from the quote when the contract's file has
    gone or changed since it was added.
    """
    norm = normalize(quote)
    words = _late_fee_words()
    rate_m = _RATE.search(norm)
    first_cap = _CAP.search(norm)
    if rate_m and first_cap and first_cap.start() <= rate_m.start() < first_cap.end() and _money(norm):
        # "пени 300 руб. в день, но не более 10 % суммы": the percentage is the cap of a sum
        rate_m = None
    cap_m = _CAP.search(norm[rate_m.end() :] if rate_m else norm)
    cap = float(cap_m.group(1).replace(",", ".")) if cap_m else None
    # "0,1 % в день, но не более 10 000 рублей": a rate's cap as a sum; with no rate, a sum
    # after the cap words is the cap of a fixed fee (_fixed_fee), not this
    sums = _cap_sums(norm) if rate_m or words.reference_rate.search(norm) else []
    cap_sum = SumCap(sums[0][1], sums[0][2]) if sums else None
    if words.reference_rate.search(norm):  # "1/300 ключевой ставки" has no % at all
        return LateFee(cap_percent=cap, unread="reference_rate", cap_sum=cap_sum)
    if rate_m is None:
        return LateFee(cap_percent=cap, fixed=_fixed_fee(norm, words)) if _money(norm) else LateFee()
    rate = float(rate_m.group(1).replace(",", "."))
    # the period said right after the rate wins ("1,5 % в месяц, но не более 0,1 % в день")
    tail = norm[rate_m.end() : rate_m.end() + 40]
    for text in (tail, norm):
        if words.per_day.search(text):
            return LateFee(rate, cap, cap_sum=cap_sum)
        if words.per_month.search(text):
            return LateFee(round(rate / 30, 6), cap, cap_sum=cap_sum)
        if words.per_year.search(text):
            return LateFee(round(rate / 365, 6), cap, cap_sum=cap_sum)
    if words.daily_by_nature.search(norm):
        return LateFee(rate, cap, cap_sum=cap_sum)
    return LateFee(cap_percent=cap, unread="no_period", cap_sum=cap_sum)


def _fixed_fee(norm: str, words: _LateFeeWords) -> FixedLateFee | None:
    """The clause's first sum that is not a cap, as a fee per day or per week, when the
    clause says which (or is "пени", which accrue per day by convention). A sum with no
    period ("штраф 5 000 рублей") is charged once, not per day: not a late fee that accrues.
    A week is a full week only when the clause says so ("за каждую полную неделю")."""
    caps = _cap_sums(norm)
    fees = [s for s in _money(norm) if s not in caps]
    if not fees:
        return None
    _start, value, currency, end = fees[0]
    cap = next((c[1] for c in caps if c[2] == currency), None)  # another currency: not convertible
    tail = norm[end : end + 40]
    for text in (tail, norm):
        if words.per_day.search(text):
            return FixedLateFee(value, "day", currency, cap)
        if words.per_full_week.search(text):
            return FixedLateFee(value, "week", currency, cap)
        if words.per_week.search(text):
            return FixedLateFee(value, "week_started", currency, cap)
    if words.daily_by_nature.search(norm):
        return FixedLateFee(value, "day", currency, cap)
    return None


# "но не более 10 000 рублей", "not to exceed $500 in total", "up to 5 000 ₽": the cap words
# of a percentage cap (_CAP), here before a sum
_CAP_WORDS = re.compile(r"(?:не более|не свыше|up to|capped at|not (?:to )?exceed|maximum of)\s+")


def _cap_sums(norm: str) -> list[tuple[int, float, str, int]]:
    """The sums of ``norm`` that come right after a cap's words: caps, not the fee."""
    sums = _money(norm)
    return [s for m in _CAP_WORDS.finditer(norm) for s in sums if s[0] == m.end()]


def extract(
    blocks: Sequence[Block], sentences: Sequence[Sentence], hits: Sequence[ClauseHit], rules: RuleSet
) -> ExtractedTerms:
    """All terms at once; see the module docstring for why hits come first."""
    from clientguard.contracts.scope import extract_scope

    by_id = {h.clause: h for h in hits}
    price, currency = _price(sentences)
    if price is None:
        # "Ведение аккаунта | 40 000 руб." under a "Стоимость" column, or an "Итого" row:
        # the price of many SMM contracts is stated only in a table
        price, currency = _table_price(blocks)
    wh_hit = by_id.get("working_hours")
    hours = (
        parse_working_hours(wh_hit.quote) if wh_hit and wh_hit.status == "present" and wh_hit.quote else None
    )
    fee = _late_fee(by_id.get("late_payment_penalty"))
    return ExtractedTerms(
        revision_limit=_revision_limit(by_id.get("revision_limit")),
        payment_due_days=_payment_due_days(sentences, rules),
        price=price,
        currency=currency,
        working_hours=hours,
        scope=extract_scope(blocks, by_id.get("scope"), rules.lang),
        late_fee_percent_per_day=fee.percent_per_day,
        late_fee_cap_percent=fee.cap_percent,
        late_fee_unread=fee.unread,
        late_fee_fixed=fee.fixed,
        late_fee_cap_sum=contract_cap(fee.cap_sum, currency),
    )


def contract_cap(cap: SumCap | None, currency: str | None) -> SumCap | None:
    """``cap`` when it is in the contract's currency (or the contract names none): a cap in
    another currency than the price ("0,1 % в день, но не более $500" in a rouble
    contract) is not convertible offline, so it is not read."""
    return cap if cap is not None and (currency is None or cap.applies_to(currency)) else None
