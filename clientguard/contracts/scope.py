"""Scope items: read them off the contract, and match client requests against them.

Extraction prefers the most structured source: an annex table with a quantity column,
then a list under the clause that introduced the deliverables, then the enumeration in
the scope sentence itself. Matching a request to the scope is lemma overlap plus a small
synonym table (``rules/scope_<lang>.yaml``), so "сделайте ещё рилс" meets "4 клипа".
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
from clientguard.domain import Evidence, Message, Role

RULES_DIR = Path(__file__).resolve().parent / "rules"
_QTY_HEADER = re.compile(r"объ[её]м|количеств|quantity|qty|кол-во")
_MONTHLY = re.compile(
    r"ежемесячн|в месяц|each month|per month|monthly|каждый месяц|during each calendar month"
)
_LIST_INTRO = re.compile(
    r"входят|включает|ежемесячн\w* объ|ежемесячно исполнитель|следующ|deliverables|the following|"
    r"will deliver|includes?:|:\s*$"
)
_NUM_PAREN_RU = re.compile(r"(\d+)\s*\([^)]{1,40}\)")
_NUM_PAREN_EN = re.compile(r"\b[a-z-]+\s*\((\d+)\)", re.IGNORECASE)
_WEAK_SUFFIX = {"ru": " (без количества)", "en": " (no quantities)"}
_MONTH_SUFFIX = {"ru": " в месяц", "en": " per month"}


_FORMATS_PAREN = re.compile(
    r"\s*\((?:форматы?\s+)?(?:[A-Z]{2,4}|PDF|SVG|PNG|AI|JPG|MP4)(?:,\s*(?:[A-Z]{2,4}))*\)"
)
_LEAD_VERBS = re.compile(
    r"^(?:(?:ежемесячно|исполнитель|готовит|публикует|подготавливает|разрабатывает|создает|создаёт|"
    r"пишет|снимает|ведет|ведёт|и|will|deliver|produce|create|write)\s+)+",
    re.IGNORECASE,
)


def _tidy(text: str) -> str:
    """Word numbers out ("3 (три)" → "3"), file-format lists and filler verbs dropped."""
    text = _NUM_PAREN_RU.sub(r"\1", text)
    text = _NUM_PAREN_EN.sub(r"\1", text)
    text = _FORMATS_PAREN.sub("", text)
    text = re.sub(r"\s+(?:каждая|каждый|каждое|each)\s*$", "", text.strip(" ;.,:"))
    text = _LEAD_VERBS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ;.,:")
    return _agree_number(text)


def _agree_number(text: str) -> str:
    """ "12 посты" → "12 постов", "4 вертикальные видео" → "4 вертикальных видео" (pymorphy3)."""
    m = re.match(r"^(\d+)\s+", text)
    if m is None or not re.search(r"[а-яё]", text[: m.end() + 20]):
        return text
    n = int(m.group(1))
    words = text[m.end() :].split(" ")
    morph = _morph()
    out: list[str] = []
    adjectives: list[tuple[int, Any]] = []
    noun = None
    for i, word in enumerate(words):
        if not re.fullmatch(r"[а-яё-]+", word):
            break
        parse = morph.parse(word)[0]
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
    fixed = not morph.word_is_known(words[noun[0]]) or "Fixd" in noun[1].tag.grammemes
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
    """ "ведению социальных сетей" → "ведение социальных сетей" (first word only)."""
    head, _, rest = text.partition(" ")
    if not re.fullmatch(r"[а-яё]+", head):
        return text
    parse = _morph().parse(head)[0]
    if "NOUN" not in parse.tag.grammemes:
        return text
    form = parse.inflect({"nomn", parse.tag.number or "sing"})
    return f"{form.word} {rest}".strip() if form is not None else text


def _keep_case(original: str, new: str) -> str:
    return new[:1].upper() + new[1:] if original[:1].isupper() else new


_MAIN_COL = re.compile(r"услуг|формат|работ|наименован|позици|результат|deliverable|service|item|format|work")
_SKIP_COL = re.compile(r"^(?:№|#|no\.?|)$|ставк|цена|стоимост|тариф|rate|price|fee|cost")


def _table_items(blocks: Sequence[Block], lang: str) -> list[str]:
    """Rows of the first table with a quantity column: "12 постов в месяц (Telegram)"."""
    items: list[str] = []
    for i, block in enumerate(blocks):
        if block.kind != "row":
            continue
        header = [normalize(c) for c in block.text.split(" | ")]
        qty_cols = [j for j, c in enumerate(header) if _QTY_HEADER.search(c)]
        if not qty_cols:
            continue
        q = qty_cols[0]
        monthly = any(_MONTHLY.search(c) for c in header)
        main = next((j for j, c in enumerate(header) if j != q and _MAIN_COL.search(c)), None)
        extra = [j for j, c in enumerate(header) if j not in (q, main) and not _SKIP_COL.search(c.strip())]
        for row in blocks[i + 1 :]:
            if row.kind != "row":
                break
            cells = row.text.split(" | ")
            if len(cells) != len(header):
                continue
            texts = [c for j, c in enumerate(cells) if j != q and not re.fullmatch(r"[\d.№ ]+|—|-", c)]
            if not texts:
                continue
            service = cells[main] if main is not None else texts[0]
            service = re.sub(r"\s*\([^)]*\)", "", service)
            service = service[:1].lower() + service[1:]
            notes = [cells[j] for j in extra if main is not None and cells[j] not in ("—", "-", "")]
            qty = cells[q].strip()
            if qty == "1":
                item = service
            elif re.fullmatch(r"\d+", qty):
                item = f"{qty} {service}" + (_MONTH_SUFFIX[lang] if monthly else "")
            elif qty in ("—", "-", ""):
                item = service
            else:
                item = f"{service}: {qty[:1].lower() + qty[1:]}"
            item = _tidy(item)
            items.append(f"{item} ({', '.join(notes)})" if notes else item)
        if items:
            return items
    return []


def _list_items(blocks: Sequence[Block], hit: ClauseHit, lang: str) -> list[str]:
    candidates: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind == "item" and i > 0 and blocks[i - 1].kind != "item":
            intro = normalize(blocks[i - 1].text)
            if _LIST_INTRO.search(intro) or (hit.location and blocks[i - 1].location == hit.location):
                candidates.append(i)
    for start in candidates:
        intro = normalize(blocks[start - 1].text)
        if re.search(r"не входит|outside|not included|обязуется:", intro):
            continue
        monthly = bool(_MONTHLY.search(intro))
        items: list[str] = []
        for block in blocks[start:]:
            if block.kind != "item":
                break
            item = _tidy(block.text)
            if monthly and re.search(r"\d", item) and not _MONTHLY.search(normalize(item)):
                item += _MONTH_SUFFIX[lang]
            items.append(item)
        if items:
            return items
    return []


def extract_scope(blocks: Sequence[Block], hit: ClauseHit | None, lang: str) -> tuple[str, ...]:
    """Deliverables as short strings; weak scopes are marked as having no quantities."""
    if hit is None or hit.status == "missing" or not hit.quote:
        return ()
    if hit.status == "weak":
        start = hit.span[0] if hit.span else 0
        phrase = re.split(r",\s+(?:а|and)\s|\.\s|;", hit.quote[start:])[0]
        phrase = re.sub(r"^(?:услуг\w*|работ\w*|обязательств\w*)\s+по\s+", "", phrase)
        return (_nominative(_tidy(phrase)) + _WEAK_SUFFIX[lang],)
    items = _table_items(blocks, lang) or _list_items(blocks, hit, lang)
    if items:
        return tuple(items)
    quote = hit.quote
    m = re.search(r"(?:объем|публикует|готовит|will|входят|включает)[^:]*?[:\s]\s*(.+)$", quote)
    body = m.group(1) if m else quote
    pieces = [_tidy(p) for p in re.split(r",\s+|\s+и\s+|\s+and\s+|;\s*", body)]
    parts = [
        m.group(0)
        for p in pieces
        if (m := re.search(r"(?<![\w.,])\d+\s+(?!мл|г\b|кг|см|мм|%|руб)[^\d\s].*", p))
    ]
    monthly = bool(_MONTHLY.search(normalize(quote)))
    out = [_tidy(p) + (_MONTH_SUFFIX[lang] if monthly else "") for p in parts]
    return tuple(out) or (_tidy(quote),)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class ScopeMatch:
    """Whether a client request fits the contract scope, and the offer text when it does not."""

    in_scope: bool
    item: str | None
    score: float
    request_terms: tuple[str, ...]
    offer: str | None = None


@cache
def _scope_table(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((RULES_DIR / f"scope_{lang}.yaml").read_text(encoding="utf-8"))
    return data


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _lemmas(text: str, lang: str) -> set[str]:
    words = re.findall(r"[a-zа-яё]+", normalize(text))
    stop = set(_scope_table(lang).get("stopwords", ()))
    out: set[str] = set()
    for w in words:
        if len(w) < 3 or w in stop:
            continue
        if lang == "ru" and re.match(r"[а-я]", w):
            lemma = str(_morph().parse(w)[0].normal_form).replace("ё", "е")
        else:
            lemma = re.sub(r"(?:ies|es|s|ing|ed)$", "", w) if len(w) > 4 else w
        out.add(lemma)
        out.add(w)  # the surface form too: pymorphy3 guesses unknown loanwords ("лендинга")
    return out


def _canon(lemmas: set[str], lang: str) -> set[str]:
    """Map synonyms onto one deliverable kind ("рилс", "клип", "ролик" → video)."""
    kinds: dict[str, list[str]] = _scope_table(lang).get("kinds", {})
    out = set(lemmas)
    for kind, words in kinds.items():
        if lemmas & set(words):
            out.add(f"@{kind}")
    return out


def match_scope(request_text: str, scope_items: Sequence[str], lang: str | None = None) -> ScopeMatch:
    """Is the request covered by one of the scope items? Out of scope → offer a допсоглашение.

    A request that names a deliverable kind (post, video, ads, website…) absent from every
    scope item is out of scope; a request that shares a kind or enough lemmas is in scope.
    With no scope items at all nothing can be judged, so the request counts as in scope.
    """
    from clientguard.contracts.clauses import detect_lang

    lang = lang or detect_lang(request_text)
    req = _canon(_lemmas(request_text, lang), lang)
    req_kinds = {t for t in req if t.startswith("@")}
    if not scope_items:
        return ScopeMatch(True, None, 0.0, tuple(sorted(req)))
    best: tuple[float, str | None] = (0.0, None)
    for item in scope_items:
        terms = _canon(_lemmas(item, lang), lang)
        kinds = {t for t in terms if t.startswith("@")}
        if req_kinds:
            # the share of the deliverable kinds named in the request that this item covers
            score = len(req_kinds & kinds) / len(req_kinds)
        else:
            words = req - {t for t in req if t.startswith("@")}
            score = len(words & terms) / max(1, len(words))
        if score > best[0]:
            best = (score, item)
    in_scope = best[0] >= (1.0 if req_kinds else 0.5)
    offer = None if in_scope else _offer(request_text, lang)
    return ScopeMatch(in_scope, best[1], round(best[0], 3), tuple(sorted(req)), offer)


def _offer(request_text: str, lang: str) -> str:
    from clientguard.contracts.drafts import render_offer

    return render_offer(request_text, lang)


@dataclass(frozen=True)
class OutOfScope:
    """An ``out_of_scope_request``: the client's message, the span that named the work, the offer."""

    signal: str
    message_id: str
    text: str
    evidence: Evidence
    offer: str


def _request_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _scope_table(lang).get("request", ()))


def find_out_of_scope(messages: Sequence[Message], scope_items: Sequence[str]) -> list[OutOfScope]:
    """Client messages that ask for work no scope item covers, each with its evidence span.

    Works on the message text alone (request phrases from ``rules/scope_<lang>.yaml``), so
    it does not wait for the message-signal detector; with no scope on file it finds nothing.
    """
    from clientguard.contracts.clauses import detect_lang

    found: list[OutOfScope] = []
    if not scope_items:
        return found
    for msg in messages:
        if msg.role != Role.CLIENT or not msg.text.strip():
            continue
        lang = detect_lang(msg.text)
        norm = normalize(msg.text)
        request = next((m for p in _request_patterns(lang) if (m := p.search(norm))), None)
        if request is None:
            continue
        verdict = match_scope(msg.text, scope_items, lang)
        if verdict.in_scope or verdict.offer is None:
            continue
        found.append(
            OutOfScope(
                signal="out_of_scope_request",
                message_id=msg.source_id,
                text=msg.text,
                evidence=Evidence(request.start(), len(msg.text), "out_of_scope_request"),
                offer=verdict.offer,
            )
        )
    return found
