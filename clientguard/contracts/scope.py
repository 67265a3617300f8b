"""Scope items: match client requests against the deliverables read off the contract.

Extraction (how the deliverables are listed) lives in :mod:`clientguard.contracts.scope_items`
and is re-exported here. Matching a request to the scope is lemma overlap plus a small
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

from clientguard.contracts.clauses import normalize
from clientguard.contracts.scope_items import extract_scope, morph
from clientguard.domain import Evidence, Message, Role

__all__ = ["OutOfScope", "ScopeMatch", "extract_scope", "find_out_of_scope", "match_scope"]

RULES_DIR = Path(__file__).resolve().parent / "rules"


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


def _morph() -> Any:
    return morph()


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
