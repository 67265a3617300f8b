"""Mat aimed at the specialist, the team or their work: when an obscene word is also an insult.

Why: the spec labels ``obscenity`` whoever the word targets, but ``insult`` only when the
specialist, the team or their work is demeaned.  The old proxy (a mat root plus "вы/это/
кто/you/this" anywhere in the message) also fired on mat about competitors, printers,
banks and algorithms, on exclamations ("бл*, это я забыл файл прислать") and on
self-blame ("п*здец я забыл пароль").  The check is therefore local: an aim word must
stand next to the mat word (a window of words inside its sentence), and third parties
there, exclamations without anyone addressed in their clause, praise ("ох*енно") and
self-blame in the message veto it.

Data, not code: every word list and pattern lives in ``rules/<lang>/insult_mat_aim.yaml``
(its ``mat_aim`` section).  Those files are ordinary rule files for the rule engine (a
``signal`` key and no ``rules``, so the engine compiles nothing from them), which puts
their bytes into the compiled-rule cache key (:mod:`rulecache`): an edit can never be
served from a stale cache.  This module's own compiled form is built per process, lazily,
on the first message that contains mat (~150 words and a handful of seq patterns, ~6 ms
for both languages), so it cannot go stale either.

Output: one ``mat_at_work`` insult hit (weight 0.55) on the first aimed word; when no word
is aimed but a veto showed one is not, a small negative ``guard_mat_not_aimed`` hit
(-0.2), because the statistical and toxicity models read any f-word as abuse.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from clientguard.nlp.lemmas import lemma
from clientguard.nlp.rules import RULES_DIR, Hit, RuleError, make_hit, seq_source

FILE_NAME = "insult_mat_aim.yaml"
SECTION = "mat_aim"
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Symbols clients hide letters with (as in :mod:`obscenity`; "!"/"?" only inside a word
# split into tokens, which :func:`_mat_word` rejoins with "*").
_MASKS = "*#%@"
_MASK_RUN = re.compile(r"[*#%@]+")
_PUNCT_MASK_RUN = re.compile(r"[!?]+")
_HIDDEN = r"[^\W\d_]{1,3}"  # what one run of mask symbols may stand for: 1-3 letters
# A sentence ends at these tokens (or at a line break); a clause also at these.
_SENTENCE_END = re.compile(r"^[.!?…]+$")
_CLAUSE_END = re.compile(r"^(?:[.!?…,;:()\"«»“”]+|[-–—]+)$")


@dataclass(frozen=True)
class WordList:
    """Exact forms of mat words (no lemmas: the lemmatiser cannot read "пох*й"), matched
    mask-aware: a run of hidden letters stands for 1-3 letters, so "пох*й" is "похуй".

    Whole forms only, no ``stem*`` prefixes: a hidden run next to a prefix matches too
    much ("оху*ли" could then be read as a completion of "охуенн…").
    """

    forms: frozenset[str]

    def has(self, word: str) -> bool:
        """Whether ``word`` (normalised, maybe with hidden letters) is one of the forms."""
        return _in_list(self, word)


@lru_cache(maxsize=4096)
def _in_list(words: WordList, word: str) -> bool:
    """:meth:`WordList.has`, memoised: the same few masked spellings recur across messages."""
    if not any(c in _MASKS for c in word):
        return word in words.forms
    rx = re.compile(_HIDDEN.join(re.escape(p) for p in _MASK_RUN.split(word)))
    return any(rx.fullmatch(w) for w in words.forms)


def _word_list(items: Sequence[str], where: str) -> WordList:
    forms = [str(x).strip().lower().replace("ё", "е") for x in items]
    bad = [f for f in forms if not f or "*" in f or " " in f]
    if bad:
        raise RuleError(f"{where}: expected whole one-word forms, got {bad!r}")
    return WordList(frozenset(forms))


@dataclass(frozen=True)
class LemmaList:
    """Lemmas, lemma phrases ("что за") and ``stem*`` prefixes, as the rule files write them."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    def has(self, lem: str) -> bool:
        """Whether one lemma is listed (as a word or by a prefix)."""
        return lem in self.words or bool(self.prefixes and lem.startswith(self.prefixes))

    def any_at(self, lemmas: Sequence[str], idx: Sequence[int]) -> bool:
        """Whether a listed lemma, or the first lemma of a listed phrase, stands at one of ``idx``."""
        for i in idx:
            lem = lemmas[i]
            if self.has(lem):
                return True
            for ph in self.phrases:
                if lem == ph[0] and tuple(lemmas[i : i + len(ph)]) == ph:
                    return True
        return False


def _lemma_list(items: Sequence[str], lang: str) -> LemmaList:
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for raw in items:
        parts = str(raw).strip().lower().replace("ё", "е").split()
        if not parts:
            raise RuleError(f"{FILE_NAME} ({lang}): empty entry")
        if len(parts) > 1:
            phrases.append(tuple(lemma(p, lang) for p in parts))
        elif parts[0].endswith("*"):
            prefixes.append(parts[0][:-1])
        else:
            words.add(lemma(parts[0], lang))
    return LemmaList(frozenset(words), tuple(prefixes), tuple(phrases))


@dataclass(frozen=True)
class MatAim:
    """One language's compiled ``mat_aim`` section (see the YAML for what each list means)."""

    rule: str
    weight: float
    guard_rule: str
    guard_weight: float
    roots: frozenset[str]
    window: int
    aim: LemmaList
    not_aim: frozenset[str]
    addressee: frozenset[str]
    exclamations: WordList
    openers: WordList
    leads: frozenset[str]
    praise: WordList
    third_party: LemmaList
    veto: tuple[re.Pattern[str], ...]


def load(lang: str, rules_dir: Path | None = None) -> MatAim:
    """Compile ``rules_dir/<lang>/insult_mat_aim.yaml`` (default: the shipped rules)."""
    path = (rules_dir or RULES_DIR) / lang / FILE_NAME
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    spec = data.get(SECTION)
    if not isinstance(spec, dict):
        raise RuleError(f"{path}: expected a {SECTION!r} mapping")

    def strings(key: str) -> list[str]:
        val = spec.get(key) or []
        if not isinstance(val, list):
            raise RuleError(f"{path}: {SECTION}.{key} must be a list")
        return [str(v) for v in val]

    def surface(key: str) -> frozenset[str]:
        return frozenset(s.strip().lower().replace("ё", "е") for s in strings(key))

    veto: list[re.Pattern[str]] = []
    for s in strings("veto"):
        try:
            veto.append(re.compile(seq_source(s, lang)[0]))
        except RuleError as exc:
            raise RuleError(f"{path}: {SECTION}.veto: {exc.message} (in {s!r})") from None
    return MatAim(
        rule=f"{lang}.insult.{spec.get('id', 'mat_at_work')}",
        weight=float(spec.get("weight", 0.55)),
        guard_rule=f"{lang}.insult.{spec.get('guard_id', 'guard_mat_not_aimed')}",
        guard_weight=float(spec.get("guard_weight", 0.0)),
        roots=frozenset(strings("roots")),
        window=int(spec.get("window", 4)),
        aim=_lemma_list(strings("aim"), lang),
        not_aim=surface("not_aim"),
        addressee=surface("addressee"),
        exclamations=_word_list(strings("exclamations"), f"{path}: {SECTION}.exclamations"),
        openers=_word_list(strings("openers"), f"{path}: {SECTION}.openers"),
        leads=surface("leads"),
        praise=_word_list(strings("praise"), f"{path}: {SECTION}.praise"),
        third_party=_lemma_list(strings("third_party"), lang),
        veto=tuple(veto),
    )


@cache
def mat_aim(lang: str) -> MatAim:
    """The shipped rules of ``lang``, compiled once per process."""
    return load(lang)


def _is_word(tok: str) -> bool:
    return tok[0].isalnum() or tok[0] in _MASKS


def aimed_hit(
    mat: Sequence[Hit],
    words: Sequence[str],
    lemmas: Sequence[str],
    ostarts: Sequence[int],
    oends: Sequence[int],
    raw: str,
    lemma_str: str,
    lang: str,
    aim: MatAim | None = None,
) -> list[Hit]:
    """One ``insult`` hit on the first obscene word aimed at the reader or their work, else [].

    ``mat``: the obscenity lexicon's hits; ``words``/``lemmas``/``ostarts``/``oends``: the
    message's token columns; ``lemma_str``: the " l1 l2 ... " string the veto seqs run on.
    Each hit costs a window's worth of work (tokens found by bisection), so a long message
    full of mat stays linear.
    """
    a = aim if aim is not None else mat_aim(lang)
    cands = [h for h in mat if h.rule.rsplit(".", 1)[-1] in a.roots]
    if not cands:
        return []
    if any(rx.search(lemma_str) for rx in a.veto):
        return _guard(a, cands[0])
    cols = _Cols(words, lemmas, ostarts, oends, raw, lang)
    unaimed: Hit | None = None
    for h in cands:
        first = bisect.bisect_right(oends, h.start)  # first token ending after the hit starts
        last = bisect.bisect_left(ostarts, h.end) - 1  # last token starting before it ends
        if first > last:
            continue
        v = _verdict(a, h, first, last, cols)
        if v == AIMED:
            return [make_hit(a.rule, "insult", h.start, h.end, a.weight)]
        if v == UNAIMED and unaimed is None:
            unaimed = h
    return _guard(a, unaimed) if unaimed is not None else []


def _guard(a: MatAim, h: Hit) -> list[Hit]:
    """The damping hit for mat a veto showed is not aimed (none when ``guard_weight`` is 0)."""
    return [make_hit(a.guard_rule, "insult", h.start, h.end, a.guard_weight)] if a.guard_weight else []


@dataclass(frozen=True)
class _Cols:
    """One message's token columns and raw text."""

    words: Sequence[str]
    lemmas: Sequence[str]
    ostarts: Sequence[int]
    oends: Sequence[int]
    raw: str
    lang: str


def _side(first: int, step: int, c: _Cols, limit: int) -> tuple[list[int], list[int], bool]:
    """Word-token indices going ``step`` from ``first``: up to ``limit`` in the sentence, the
    clause part of them (a clause also ends at commas, dashes, colons and brackets), and
    whether the clause ended (a boundary or the message edge) before the limit did."""
    words = c.words
    sent: list[int] = []
    clause: list[int] = []
    in_clause = True
    i = first
    prev = first - step
    while 0 <= i < len(words) and len(sent) < limit:
        lo, hi = (c.oends[prev], c.ostarts[i]) if step > 0 else (c.oends[i], c.ostarts[prev])
        if "\n" in c.raw[lo:hi]:
            break
        tok = words[i]
        if _SENTENCE_END.match(tok):
            break
        if _CLAUSE_END.match(tok):
            in_clause = False
        elif _is_word(tok):
            sent.append(i)
            if in_clause:
                clause.append(i)
        prev = i
        i += step
    closed = not in_clause or len(sent) < limit
    return sent, clause, closed


def _mat_word(h: Hit, a_tok: int, b_tok: int, words: Sequence[str], raw: str) -> str:
    """The obscene word as one normalised string; a word split by "!"/"?" masks ("п!здец")
    is rejoined with "*" (a spelled-out run, "п.и.з.д.е.ц", keeps its dots and so matches
    no listed form, which only makes it an ordinary, non-exclamation word)."""
    if a_tok == b_tok:
        return words[a_tok]
    return _PUNCT_MASK_RUN.sub("*", raw[h.start : h.end].lower().replace("ё", "е"))


AIMED, UNAIMED, UNKNOWN = 1, -1, 0


def _verdict(a: MatAim, h: Hit, a_tok: int, b_tok: int, c: _Cols) -> int:
    """AIMED, UNAIMED (a veto said so) or UNKNOWN (no aim near) for the obscene word on
    tokens ``a_tok..b_tok`` (see the module doc and the YAML for the steps)."""
    words = c.words
    word = _mat_word(h, a_tok, b_tok, words, c.raw)
    if a.praise.has(word):
        return UNAIMED
    if "-" in word and any(a.third_party.has(lemma(p, c.lang)) for p in word.split("-") if p):
        return UNAIMED  # "мудак-конкурент": the target is glued to the word
    left, left_clause, left_closed = _side(a_tok - 1, -1, c, a.window)
    right, right_clause, _ = _side(b_tok + 1, 1, c, a.window)
    if a.third_party.any_at(c.lemmas, left) or a.third_party.any_at(c.lemmas, right):
        return UNAIMED
    # An exclamation form anywhere, or an opener ("fuck", "shit") that starts its clause
    # (only lead particles before it: "ugh, f*ck me", "holy sh*t").
    exclamation = a.exclamations.has(word) or (
        left_closed and all(words[i] in a.leads for i in left_clause) and a.openers.has(word)
    )
    if exclamation:
        return AIMED if any(words[i] in a.addressee for i in (*left_clause, *right_clause)) else UNAIMED
    near = [i for i in (*left, *right) if words[i] not in a.not_aim]
    return AIMED if a.aim.any_at(c.lemmas, near) else UNKNOWN
