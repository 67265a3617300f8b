"""Clause rules: load the per-language rule tables and decide present / weak / missing.

The rules themselves live in ``rules/{ru,en}.yaml`` (data, with comments); this module
only compiles them and applies them sentence by sentence. For each clause the FIRST
protective rule in file order that matches a sentence wins. Traps are decoy rules
(``status: missing``): a decoy placed before the weak wording takes "неустойка не
начисляется" out of play, so it cannot be read as a weak penalty, and the clause ends
``missing`` with the decoy quoted unless another sentence really protects.

Every explanation (a rule's ``why``, a clause's ``missing_why``) is kept in both interface
languages (:class:`Why`): the person reading the verdict on an English contract may use
the Russian interface, and the reverse. The quotes stay as the contract has them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.contracts.reader import Block, Location
from clientguard.errors import ModelError
from clientguard.taxonomy import CLAUSE_STATUSES, CLAUSES

RULES_DIR = Path(__file__).resolve().parent / "rules"
LANGS = ("ru", "en")

# Abbreviations after which a full stop does not end a sentence (RU and EN legal text).
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\b(?:г|гг|п|пп|ст|ч|д|оф|кв|ул|тел|им|т|е|др|руб|коп|стр|no|nos|inc|ltd|co|st|corp|"
    r"mr|mrs|ms|dr|vs|e\.g|i\.e|a\.m|p\.m|u\.s|approx|сек|мин|тыс|млн)|\b[A-ZА-ЯЁ])\.$",
    re.IGNORECASE,
)
# A number before the full stop ends a sentence ("после принятия этапа 2. Несвоевременная …")
# unless it is a reference ("п. 3.3.", "ст. 395.", "Section 4.") or a clause number itself.
_NUMBER_END = re.compile(
    r"(?:\b(?:п|пп|ст|ч|№|no|nos|article|section|clause|пункт\w*|стать\w*|раздел\w*|приложени\w*)"
    r"\.?\s*[\d.]*\d|^\s*[\d.]*\d|\d\.\d+)\.$",
    re.IGNORECASE,
)
# Clause numbering at the start of a block: "1.1.", "2.1 ", "I.1.", "IV.2.", "Статья 3.", "§ 4".
_NUMBERING = re.compile(
    r"^\s*(?:(?:\d{1,2}|[IVXL]{1,5})(?:\.\d{1,2})+[.)]?|(?:\d{1,2}|[IVXL]{1,5})\.|§\s*\d+(?:\.\d+)*\.?|"
    r"(?:статья|article|section|clause|пункт)\s+\d+(?:\.\d+)*\.?)\s+(?=\S)",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(A-ZА-ЯЁ0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the contract: original text, matching form and location."""

    text: str
    norm: str
    location: Location
    block: int = -1  # index of the block (paragraph) the sentence came from
    heading: bool = False  # a section title: names a topic, never states a term
    lead: str = ""  # for a list item: the normalised intro it continues ("исполнитель вправе")

    @property
    def target(self) -> str:
        """What the rules read: a list item is read after its intro, so "Исполнитель вправе:"
        + "- приостановить работу при неоплате" is one statement; the quote stays the item."""
        return f"{self.lead} {self.norm}" if self.lead else self.norm


@dataclass(frozen=True)
class Why:
    """A verdict's explanation in both interface languages.

    The wording follows the reader's interface, not the contract: a Russian user checking
    a foreign client's English MSA read English reasons on a Russian page.
    """

    ru: str
    en: str

    def text(self, lang: str) -> str:
        """The explanation in ``lang`` (``ru`` or ``en``; anything else reads as English)."""
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True)
class Rule:
    """One row of a rule table: all ``all`` patterns match and no ``none`` pattern does."""

    id: str
    clause: str
    status: str
    all: tuple[re.Pattern[str], ...]
    none: tuple[re.Pattern[str], ...]
    why: Why
    window: int = 1  # 2: also read a sentence together with the next one of its paragraph

    def matches(self, norm: str) -> re.Match[str] | None:
        first: re.Match[str] | None = None
        for pat in self.all:
            m = pat.search(norm)
            if m is None:
                return None
            first = first or m
        if any(p.search(norm) for p in self.none):
            return None
        return first


@dataclass(frozen=True)
class RuleSet:
    """The compiled rules of one language; ``version`` names the data file revision."""

    lang: str
    version: str
    clauses: dict[str, tuple[Rule, ...]]
    missing_why: dict[str, Why]


@dataclass(frozen=True)
class ClauseHit:
    """The verdict for one clause id: status, the winning rule and its sentence."""

    clause: str
    status: str
    rule: str | None
    quote: str | None
    location: Location | None
    why: Why
    trap: bool = False
    span: tuple[int, int] | None = None  # what the first pattern matched, inside ``quote``


def normalize(text: str) -> str:
    """Lower-case, "ё"→"е", non-breaking spaces → spaces; keeps every offset."""
    return text.lower().replace("ё", "е").replace("\u00a0", " ").replace("\u202f", " ")


def split_sentences(blocks: Sequence[Block]) -> list[Sentence]:
    """Split blocks into sentences, keeping abbreviations ("п. 3.3", "г.") intact.

    List items that follow an intro ending in a colon ("Исполнитель вправе:", "The Client
    shall:") carry that intro as their ``lead``: the subject and the modal verb live there.
    """
    out: list[Sentence] = []
    intro = ""
    for block_no, block in enumerate(blocks):
        if block.kind != "item":
            intro = ""
        text = _NUMBERING.sub("", block.text, count=1)
        parts: list[str] = []
        start = 0
        for m in _SENT_END.finditer(text):
            head = text[start : m.start()]
            if _NO_SPLIT_BEFORE.search(head[-12:]):
                continue
            if head.endswith(".") and head[-2:-1].isdigit() and _NUMBER_END.search(head[-24:]):
                continue
            parts.append(head)
            start = m.end()
        parts.append(text[start:])
        lead = intro if block.kind == "item" else ""
        for part in parts:
            part = part.strip()
            if part:
                out.append(
                    Sentence(part, normalize(part), block.location, block_no, block.kind == "heading", lead)
                )
        if block.kind != "item" and parts and parts[-1].strip().endswith(":"):
            intro = normalize(parts[-1].strip().rstrip(":").strip())
    return out


def _compile(pattern: str, macros: dict[str, str], where: str) -> re.Pattern[str]:
    for _ in range(3):
        for name, value in macros.items():
            pattern = pattern.replace(f"<<{name}>>", value)
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ModelError(f"{where}: bad regex {pattern!r}: {exc}") from exc


@cache
def _rule_data(lang: str) -> dict[str, Any]:
    path = RULES_DIR / f"{lang}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _why(value: object, where: str) -> Why:
    """A ``why`` of the rule data: a mapping with a non-empty ``ru`` and ``en`` text.

    A rule worded in one language only would show that language to the other's readers
    (the bug this format fixes), so it is refused when the table loads, naming the rule.
    """
    if not isinstance(value, dict):
        raise ModelError(f"{where}: expected why: {{ru: …, en: …}}, got {value!r}")
    missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang].strip()]
    extra = sorted(str(k) for k in set(value) - set(LANGS))
    if missing or extra:
        raise ModelError(
            f"{where}: expected why with a text in each of {LANGS}, "
            f"got {sorted(str(k) for k in value)} (missing or empty: {missing}, unknown: {extra})"
        )
    return Why(ru=value["ru"], en=value["en"])


# Role macros that take the contract's own party names (see clientguard.contracts.parties).
CONTRACTOR_MACROS = ("PC", "PC1")
CLIENT_MACROS = ("PK",)


@cache
def load_rules(lang: str, contractor: tuple[str, ...] = (), client: tuple[str, ...] = ()) -> RuleSet:
    """Load and compile ``rules/<lang>.yaml``; unknown clause ids or statuses are errors.

    ``contractor`` and ``client`` are regex fragments for the names a contract gives its
    parties ("brightwater", "студи\\w*"); they are added to the role macros, so "Brightwater
    may pause the Services" reads like "the Contractor may pause the Services". Compiled
    rule sets are cached per name set.
    """
    if lang not in LANGS:
        raise ModelError(f"no contract rules for language {lang!r}; expected one of {LANGS}")
    path = RULES_DIR / f"{lang}.yaml"
    data = _rule_data(lang)
    macros: dict[str, str] = {k: str(v) for k, v in (data.get("macros") or {}).items()}
    for names, keys in ((contractor, CONTRACTOR_MACROS), (client, CLIENT_MACROS)):
        if names:
            for key in keys:
                if key in macros:
                    macros[key] = "(?:" + "|".join((*names, macros[key])) + ")"
    clauses: dict[str, tuple[Rule, ...]] = {}
    for clause, rows in (data.get("clauses") or {}).items():
        if clause not in CLAUSES:
            raise ModelError(f"{path.name}: unknown clause id {clause!r}")
        rules: list[Rule] = []
        for row in rows:
            status = row["status"]
            if status not in CLAUSE_STATUSES:
                raise ModelError(f"{path.name}: {row.get('id')}: bad status {status!r}")
            where = f"{path.name}:{row['id']}"
            rules.append(
                Rule(
                    id=str(row["id"]),
                    clause=clause,
                    status=status,
                    all=tuple(_compile(p, macros, where) for p in row.get("all") or ()),
                    none=tuple(_compile(p, macros, where) for p in row.get("none") or ()),
                    why=_why(row.get("why"), where),
                    window=int(row.get("window", 1)),
                )
            )
        clauses[clause] = tuple(rules)
    missing_why = {
        str(k): _why(v, f"{path.name}:missing_why.{k}") for k, v in (data.get("missing_why") or {}).items()
    }
    unknown = set(missing_why) - set(CLAUSES)
    if unknown:
        raise ModelError(f"{path.name}: missing_why names unknown clause ids {sorted(unknown)}")
    return RuleSet(
        lang=lang,
        version=str(data.get("version", f"contracts-{lang}")),
        clauses=clauses,
        missing_why=missing_why,
    )


#: The explanation of a missing clause whose ``missing_why`` the table does not give.
_MISSING_WHY = Why(ru="В договоре нет такого условия.", en="The contract has no such clause.")


def _span_in_quote(m: re.Match[str], sent: Sentence) -> tuple[int, int]:
    """The match span inside the quote (the item text), not inside lead + item."""
    shift = len(sent.target) - len(sent.norm)
    return max(0, m.start() - shift), max(0, m.end() - shift)


def _joined(sentences: Sequence[Sentence], i: int, window: int, used: set[int]) -> Sentence | None:
    """Sentence ``i`` glued to the next ``window - 1`` sentences of the same paragraph.

    Some protections are spread over two sentences ("Любая Сторона вправе расторгнуть
    Договор… В этом случае Заказчик оплачивает фактически оказанные услуги."); a rule
    with ``window: 2`` reads them as one, and the quote is both sentences.
    """
    group = [sentences[i]]
    for j in range(i + 1, min(len(sentences), i + window)):
        if sentences[j].block != sentences[i].block or j in used:
            break
        group.append(sentences[j])
    if len(group) == 1:
        return None
    text = " ".join(s.text for s in group)
    return Sentence(text, normalize(text), group[0].location, group[0].block)


def check_clauses(sentences: Sequence[Sentence], rules: RuleSet) -> list[ClauseHit]:
    """One :class:`ClauseHit` per clause id, in spec order.

    Rules are tried in file order and the first protective (present/weak) rule that
    matches a sentence decides. A decoy rule (``status: missing``) does not end the
    search: it takes the sentences it matches out of play for the later rules of that
    clause and is remembered. So "пени не начисляются" can never count as a weak penalty,
    yet a contract that excludes one thing and protects with another sentence (the
    client's office hours AND the contractor's hours) still gets the protection. Only
    when nothing protective is left does the decoy decide: ``missing``, with its quote.
    """
    hits: list[ClauseHit] = []
    for clause in CLAUSES:
        hit: ClauseHit | None = None
        decoy: ClauseHit | None = None
        used: set[int] = set()
        for rule in rules.clauses.get(clause, ()):
            for i, sent in enumerate(sentences):
                if i in used or sent.heading:
                    continue
                m = rule.matches(sent.target)
                if m is None and rule.window > 1:
                    joined = _joined(sentences, i, rule.window, used)
                    if joined is not None:
                        sent, m = joined, rule.matches(joined.norm)
                if m is None:
                    continue
                found = ClauseHit(
                    clause=clause,
                    status=rule.status,
                    rule=rule.id,
                    quote=sent.text,
                    location=sent.location,
                    why=rule.why,
                    trap=rule.status == "missing" or "trap" in rule.id or "unlimited" in rule.id,
                    span=_span_in_quote(m, sent),
                )
                if rule.status != "missing":
                    hit = found
                    break
                used.add(i)
                decoy = decoy or found
            if hit is not None:
                break
        if hit is None:
            hit = decoy
        if hit is None:
            why = rules.missing_why.get(clause, _MISSING_WHY)
            hit = ClauseHit(clause, "missing", None, None, None, why)
        hits.append(hit)
    return hits


def detect_lang(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, else "en" (script ratio)."""
    cyr = len(re.findall(r"[а-яёА-ЯЁ]", text))
    lat = len(re.findall(r"[a-zA-Z]", text))
    return "ru" if cyr >= lat else "en"
