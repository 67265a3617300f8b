"""The rule engine: rules are DATA (``rules/<lang>/<signal>.yaml``), compiled once.

A rule file looks like::

    signal: payment_delay
    rules:
      - id: postpone_next_week          # full id: ru.payment_delay.postpone_next_week
        seq: "[оплатить|заплатить|оплата] ~0-3 следующий [неделя|месяц]"
        weight: 0.8
        neg: forbid                     # require | forbid | any (default any)
        unless: ["уже оплатить"]        # seq patterns; any hit anywhere cancels the rule
      - id: no_money
        lex: [безденежье, "денег нет"]  # each entry a lemma or lemma phrase
      - id: caps
        re: "срочно!{2,}"               # regex over the normalised surface text
      - id: shout
        raw: "\\b[А-ЯЁ]{6,}\\b"         # regex over the original text (case kept)

``seq`` items: a lemma, ``pref*`` (lemma prefix), ``[a|b*]`` alternatives, ``_`` any
token, ``~m-n`` a gap of m..n tokens that does not cross a sentence end.  Sequences
are compiled to regexes over the space-joined lemma string and indexed by their first
item, so a message only runs the rules whose anchor lemma it contains.

Loading cost: parsing YAML, lemmatising every rule word with pymorphy3 and compiling
~1,400 regexes took ~0.6 s per process.  A compiled rule set is therefore kept as plain
data (regex SOURCES, anchors, pre-check sets) in a per-user cache file keyed by a
sha256 of every rule file of the language AND of this engine (see :mod:`rulecache`),
and each regex is compiled only when a message first needs it (:class:`Rule` ``pattern``).
A changed rule file or engine simply misses the cache; a broken or read-only cache dir
only costs the uncached load.
"""

from __future__ import annotations

import bisect
import os
import re
import re._constants as _sre  # type: ignore[import-not-found]  # stdlib regex parser (pre-checks)
import re._parser as _sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, reduce
from itertools import repeat
from operator import or_
from pathlib import Path
from typing import Any

import regex
import yaml

from clientguard.errors import ClientguardError
from clientguard.nlp.lemmas import lemma
from clientguard.taxonomy import SIGNALS

RULES_DIR = Path(__file__).with_name("rules")
RULESET_VERSION = "rules.v1"
# libyaml when PyYAML was built with it (~10x faster than the pure-Python parser; the
# constructor and resolvers are the same Python code, so the data is the same).
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GAP = r"(?: [^\s.!?;]\S*)"


class RuleError(ClientguardError):
    """A rule file is malformed."""

    code = "E300"


@dataclass(frozen=True)
class Rule:
    """One compiled rule.

    The regexes are kept as source text and compiled on first use (``pattern``,
    ``unless``): a cached rule set then loads without compiling ~1,400 regexes, most of
    which a given batch of messages never reaches.  ``cached_property`` stores the
    compiled pattern in the instance dict, so later accesses are plain attribute reads.
    """

    id: str
    signal: str
    kind: str  # seq | re | raw
    # Regex source over the lemma string (seq: " X", matching from the space before the
    # first token, see ``_space_form``), the normalised text (re) or the raw text (raw).
    src: str
    weight: float
    neg: str = "any"
    unless_src: tuple[str, ...] = ()  # stdlib regex sources (space form) of the ``unless`` seqs
    source: str = ""
    anchors: tuple[str, ...] = ()
    required: tuple[frozenset[str], ...] = ()
    literals: tuple[str, ...] = ()  # re/raw: a match must contain one of these (cheap pre-check)
    engine: str = "re"  # re (stdlib) | regex (V1, for syntax the stdlib lacks)

    @cached_property
    def pattern(self) -> re.Pattern[str] | regex.Pattern[str]:
        """The compiled regex (compiled on first access)."""
        if self.engine == "regex":
            return regex.compile(self.src, regex.V1)
        return re.compile(self.src)

    @cached_property
    def unless(self) -> tuple[re.Pattern[str], ...]:
        """Compiled ``unless`` patterns (compiled on first access)."""
        return tuple(re.compile(u) for u in self.unless_src)


@dataclass(frozen=True)
class Hit:
    """A fired rule: which, where in the original text, and its weight."""

    rule: str
    signal: str
    start: int
    end: int
    weight: float


_new = object.__new__
_set = object.__setattr__


def make_hit(rule: str, signal: str, start: int, end: int, weight: float) -> Hit:
    """``Hit(rule, signal, start, end, weight)`` at a third of the cost (hot paths only).

    A frozen dataclass ``__init__`` sets each field with ``object.__setattr__``; setting
    the instance dict in one call builds an equal Hit (same fields in the same order, so
    the same eq, hash and repr) -- the trick :func:`clientguard.nlp.tokens.tokenize` uses.
    """
    h = _new(Hit)
    _set(h, "__dict__", {"rule": rule, "signal": signal, "start": start, "end": end, "weight": weight})
    return h


@dataclass(frozen=True)
class View:
    """What rules look at for one message (built by :mod:`clientguard.nlp.api`)."""

    lemma_str: str  # " l1 l2 ... ln "
    tok_pos: tuple[int, ...]  # start of each token in lemma_str
    ospans: tuple[tuple[int, int], ...]  # original span of each token
    negated: tuple[bool, ...]
    norm_text: str
    norm_starts: tuple[int, ...]
    norm_ends: tuple[int, ...]
    raw_text: str
    lemmas: frozenset[str] = field(default_factory=frozenset)


_SEQ_ITEM = regex.compile(r"\[[^\]]*\]\??|\S+")


_DIGIT_GROUP = re.compile(r"(\d),(\d)")


@cache
def _alt(a: str, lang: str) -> tuple[str, str]:
    """Regex and anchor of one alternative; may be a phrase of several words.

    Memoised like :func:`_item`: the same alternatives recur across items and rules.
    """
    # "1,000" is three tokens in a message ("1", ",", "000"): spell it the same way here,
    # or the alternative could never match.
    a_low = a.strip().lower().replace("ё", "е")
    words = (_DIGIT_GROUP.sub(r"\1 , \2", a_low) if "," in a_low else a_low).split()
    if not words:
        raise RuleError("empty alternative in a seq item")
    if "''" in a:  # YAML keeps '' literally outside single quotes: a rule that never matches
        raise RuleError(f"doubled apostrophe in {a!r}; write the entry in double quotes with one '")
    parts: list[str] = []
    for w in words:
        if w.endswith("*") and len(w) > 1:
            parts.append(re.escape(w[:-1]) + r"\S*")
        else:
            parts.append(re.escape(lemma(w, lang) if w[0].isalpha() else w))
    return " ".join(parts), _phrase_anchor(words, lang)


def _phrase_anchor(words: list[str], lang: str) -> str:
    """The word of a phrase to index it by: its longest word that is not a stop word.

    Every word of a matching phrase is a lemma of the message, so any of them is a valid
    anchor; "в пустоту" indexed by "в" would be tried on nearly every Russian message,
    by "пустота" only where it can match. A phrase of stop words keeps its first word.
    """
    first = words[0]
    best = first if first.endswith("*") else (lemma(first, lang) if first[0].isalpha() else first)
    if len(words) == 1:
        return best
    best_len = 0
    for w in words:
        if w.endswith("*"):
            cand = w if len(w) > 4 else ""  # a prefix of 4+ letters indexes well enough
        elif w[0].isalpha():
            cand = lemma(w, lang)
        else:
            cand = ""
        if cand and cand not in _STOP and len(cand.rstrip("*")) > best_len:
            best, best_len = cand, len(cand.rstrip("*"))
    return best


@cache
def _item(item: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """Regex of one seq item and its anchors (``*`` suffix = prefix anchor).

    Literal words are lemmatised here, so rule authors may write any inflected form;
    an alternative may be a phrase ("[как можно|максимально]"). Memoised: the Russian
    rules hold ~13,600 items but ~4,000 distinct ones, and :func:`required_sets` asks
    again for every item :func:`seq_source` has compiled (a third of a cold compile).
    """
    if item == "_":
        return r"\S+", ()
    if item.startswith("["):
        if not item.endswith("]"):
            raise RuleError(f"unbalanced brackets in seq item {item!r}")
        raw = item[1:-1].split("|")
    else:
        if "[" in item or "]" in item or "|" in item:
            raise RuleError(f"malformed seq item {item!r}; expected word, pref* or [a|b]")
        if len(item) > 1 and item.endswith("?"):  # would be the literal token "word?": never matches
            raise RuleError(f"seq item {item!r}: only a bracketed item is optional, write [{item[:-1]}]?")
        raw = [item]
    compiled = [_alt(a, lang) for a in raw]
    parts = list(dict.fromkeys(c[0] for c in compiled))
    return "(?:" + "|".join(parts) + ")", tuple(c[1] for c in compiled)


def required_sets(seq: str, lang: str) -> tuple[frozenset[str], ...]:
    """For each mandatory item without wildcards, the lemmas one of which must occur.

    A cheap set test on these skips most regex runs (the message lacks some word).
    """
    out: list[frozenset[str]] = []
    for it in _SEQ_ITEM.findall(seq):
        if it.startswith("~") or it.endswith("]?") or it == "_":
            continue
        _, alts = _item(it, lang)
        if alts and not any(a.endswith("*") for a in alts):
            out.append(frozenset(a.split(" ")[0] for a in alts))
    return tuple(out)


def compile_seq(seq: str, lang: str) -> tuple[re.Pattern[str], list[str]]:
    """Compile a seq string; returns the pattern and its most selective item's anchors."""
    src, anchors = seq_source(seq, lang)
    return re.compile(src), anchors


def seq_source(seq: str, lang: str) -> tuple[str, list[str]]:
    """Regex source of a seq string and its most selective item's anchors (not compiled)."""
    items = _SEQ_ITEM.findall(seq)
    if not items:
        raise RuleError("empty seq")
    out = "(?<= )"
    anchors: tuple[str, ...] = ()
    options: list[tuple[str, ...]] = []
    first = True
    gap = " "
    for it in items:
        if it.startswith("~"):
            try:
                lo, hi = (int(x) for x in it[1:].split("-"))
            except ValueError as exc:
                raise RuleError(f"bad gap {it!r} in {seq!r}; expected ~m-n") from exc
            if not 0 <= lo <= hi < _sre.MAXREPEAT:  # what re.compile would reject
                raise RuleError(f"bad gap {it!r} in {seq!r}; expected ~m-n with m <= n")
            gap = f"{_GAP}{{{lo},{hi}}} "
            continue
        optional = it.endswith("]?")
        rx, alts = _item(it[:-1] if optional else it, lang)
        if not optional:
            options.append(alts)
        if first:
            if optional:
                raise RuleError(f"the first item of {seq!r} cannot be optional")
            out += rx
            anchors = alts
            first = False
        elif optional:
            out += f"(?:{gap}{rx})?"
        else:
            out += gap + rx
        gap = " "
    usable = [o for o in options if o]
    if usable:
        anchors = min(usable, key=_anchor_cost)
    return out + "(?= )", list(anchors)


# Frequent words make poor anchors: a rule anchored on "не" would run on every message.
_STOP_WORDS = (
    "я мы вы ты он она они не ни и а в во на с со по к ко до за что как это же ещё еще уже так "
    "то у о об от из для но или ли бы вот там тут все всё весь мой ваш наш свой быть мне вам "
    "нам i you we he she they the a an to it not no and or of in on for is be do my your our me "
    "us that this just so have has get got can will would what with at if but are was were been "
    "as by all like now how why who when where there them it's its am did does "
)
_STOP = frozenset(_STOP_WORDS.split())
STOP_WORDS = _STOP  # also the words ``check --explain`` does not name as model evidence


def _anchor_cost(alts: tuple[str, ...]) -> tuple[int, int, int]:
    """Lower is more selective: no stop words or punctuation, no short prefixes, few alternatives."""
    stop = sum(1 for a in alts if a in _STOP or a.split(" ")[0] in _STOP or not a[:1].isalpha())
    short = sum(1 for a in alts if a.endswith("*") and len(a) < 4)
    return (stop, short, len(alts))


@dataclass
class RuleSet:
    """All rules of one language, with the anchor index."""

    lang: str
    rules: list[Rule]
    exact: dict[str, list[Rule]]
    prefix: dict[str, list[Rule]]
    always: list[Rule]
    text_rules: list[Rule]
    max_prefix: int

    cache: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    # (rule, on raw text, None when it has no pre-check literals) in rule order
    text_plan: tuple[tuple[Rule, bool, frozenset[int] | None], ...] = ()
    text_always: frozenset[int] = frozenset()  # plan positions with no literals: always tried
    literal_finders: tuple[Any, Any] = (None, None)  # automata over (normalised, raw) literals
    # Seq-rule bitsets (see ``_index_seq_bits``): bit i is ``seq_plan[i]``, in rule order.
    seq_plan: tuple[tuple[Rule, tuple[frozenset[str], ...]], ...] = ()
    anchor_bits: dict[str, int] = field(default_factory=dict)
    test_slots: tuple[tuple[dict[str, int], int], ...] = ()
    always_bits: int = 0

    def __post_init__(self) -> None:
        """Index the regex rules' pre-check literals in two Aho-Corasick automata.

        Why: a rule's pre-check ("the text contains one of these literals") was a Python
        loop of ``lit in text`` over ~10 literals per rule, for ~70 rules per message; one
        automaton pass finds every literal present at once (in C), and each rule then
        tests a set intersection. Same decisions: an automaton reports every occurrence
        of every literal, overlapping ones included.
        """
        # Each literal's automaton payload is the tuple of plan positions it unlocks, so a
        # message visits only the rules one of whose literals it contains (in plan order).
        unlocks: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        plan: list[tuple[Rule, bool, frozenset[int] | None]] = []
        always: list[int] = []
        for j, r in enumerate(self.text_rules):
            raw = r.kind == "raw"
            if not r.literals:
                plan.append((r, raw, None))
                always.append(j)
                continue
            plan.append((r, raw, frozenset()))
            for lit in r.literals:
                unlocks[raw].setdefault(lit, []).append(j)
        self.text_plan = tuple(plan)
        self.text_always = frozenset(always)
        self.literal_finders = (_automaton(unlocks[0]), _automaton(unlocks[1]))
        self._index_seq_bits()

    def _index_seq_bits(self) -> None:
        """Index the seq rules as bitsets: which rules each lemma anchors, and satisfies tests of.

        Why: a message has ~15 distinct lemmas and reaches ~50 candidate rules through them,
        of which ~7 pass their required-lemma tests; testing candidates one by one in Python
        (a dict merge, a loop, a set test each) cost ~40 µs per message. As bitsets (one
        Python int per lemma, bit i = ``seq_plan[i]``) the whole filter is ~60 ORs and
        ANDs in C: rules anchored by a lemma of the message, AND, per test slot, rules whose
        slot-k test a lemma satisfies (or that have no slot-k test). Tests beyond
        ``_TEST_SLOTS`` stay per rule (``seq_plan[i][1]``), for the few rules that survive.
        Same candidates and tests as :meth:`_checks`, visited in rule order.
        """
        seq = [r for r in self.rules if r.kind == "seq"]
        bit = {id(r): i for i, r in enumerate(seq)}
        tests = [sorted(_left_to_test(r), key=_test_cost) for r in seq]
        slots: list[tuple[dict[str, int], int]] = []
        for k in range(_TEST_SLOTS):
            members: dict[str, list[int]] = {}
            none = 0
            for i, t in enumerate(tests):
                if len(t) <= k:
                    none |= 1 << i
                    continue
                for lem in t[k]:
                    members.setdefault(lem, []).append(i)
            slots.append(({lem: _bits(ix) for lem, ix in members.items()}, none))
        self.seq_plan = tuple((r, tuple(t[_TEST_SLOTS:])) for r, t in zip(seq, tests, strict=True))
        self.test_slots = tuple(slots)
        self.always_bits = _bits(bit[id(r)] for r in self.always)
        self.anchor_bits = _AnchorBits(self, bit)

    def _for_lemma(self, lem: str) -> tuple[Rule, ...]:
        """Rules anchored on one lemma (exact or by prefix), cached per lemma."""
        got = self.cache.get(lem)
        if got is not None:
            return got
        found: list[Rule] = list(self.exact.get(lem, ()))
        for k in range(1, min(len(lem), self.max_prefix) + 1):
            found.extend(self.prefix.get(lem[:k], ()))
        res = tuple(found)
        if len(self.cache) < 200_000:
            self.cache[lem] = res
        return res

    def _checks(self, lemmas: Iterable[str]) -> list[tuple[Rule, tuple[frozenset[str], ...]]]:
        """The plain definition of the seq candidates (what :meth:`match` selects as bitsets).

        Rules anchored by some lemma (deduplicated, first-seen order), each with the
        required sets left to test: a rule reached through an exact anchor has that anchor
        in the message, so its required set equal to the anchor set always passes
        (:func:`_left_to_test`). Tests compare the bitsets with this.
        """
        seen: dict[int, tuple[Rule, tuple[frozenset[str], ...]]] = {
            id(r): (r, r.required) for r in self.always
        }
        for lem in lemmas:
            for r in self._for_lemma(lem):
                seen.setdefault(id(r), (r, _left_to_test(r)))
        return list(seen.values())

    def match(self, view: View) -> list[Hit]:
        """Every hit of every rule on one message view.

        Hot path (every message): seq candidates come from the bitsets of
        :meth:`_index_seq_bits` (the same rules :meth:`_checks` and its tests select) and
        are visited in rule order, so when several seq rules share an id (the entries of
        one ``lex`` list) the first listed one that matches gives the evidence span; this
        does not depend on PYTHONHASHSEED or on word order.  Text rules follow, in rule order.
        """
        hits: list[Hit] = []
        ls = view.lemma_str
        fired: set[str] = set()
        disjoint = view.lemmas.isdisjoint
        tok_pos = view.tok_pos
        lems = view.lemmas
        mask = reduce(or_, map(self.anchor_bits.__getitem__, lems), self.always_bits)
        for table, none in self.test_slots:
            if not mask:
                break
            mask &= reduce(or_, map(table.get, lems, repeat(0)), none)
        seq_plan = self.seq_plan
        while mask:  # candidates in rule order: lowest bit first
            low = mask & -mask
            mask ^= low
            r, extra = seq_plan[low.bit_length() - 1]
            if fired and r.id in fired:
                continue
            for req in extra:  # a plain loop: cheaper than all(<genexpr>) on this hot path
                if disjoint(req):
                    break
            else:
                pattern = r.pattern
                first = pattern.search(ls)
                if first is None:
                    continue
                if r.unless_src and any(u.search(ls) for u in r.unless):
                    continue
                # Seq patterns start with the space before the first token (see ``Rule``).
                for m in pattern.finditer(ls, first.start()):
                    i = bisect.bisect_right(tok_pos, m.start() + 1) - 1
                    j = bisect.bisect_right(tok_pos, m.end() - 1) - 1
                    if r.neg != "any":
                        neg = any(view.negated[i : j + 1])
                        if (r.neg == "require") != neg:
                            continue
                    hits.append(make_hit(r.id, r.signal, view.ospans[i][0], view.ospans[j][1], r.weight))
                    fired.add(r.id)
                    break
        norm_text = view.norm_text
        raw_text = view.raw_text
        find_norm, find_raw = self.literal_finders
        todo = set(self.text_always)
        if find_norm is not None:
            for _, js in find_norm.iter(norm_text):
                todo.update(js)
        if find_raw is not None:
            for _, js in find_raw.iter(raw_text):
                todo.update(js)
        plan = self.text_plan
        for j in sorted(todo):  # plan order: hits come out as before
            r, raw, _ = plan[j]
            target = raw_text if raw else norm_text
            m = r.pattern.search(target)
            if m is None or m.end() <= m.start():
                continue
            if r.unless_src and any(u.search(ls) for u in r.unless):
                continue
            if raw:
                s, e = m.span()
            else:
                s, e = view.norm_starts[m.start()], view.norm_ends[m.end() - 1]
            hits.append(make_hit(r.id, r.signal, s, e, r.weight))
        return hits


def _automaton(unlocks: dict[str, list[int]]) -> Any:
    """An Aho-Corasick automaton reporting, per literal found, the plan positions it unlocks."""
    if not unlocks:
        return None
    import ahocorasick  # C extension; imported with the first rule set

    finder = ahocorasick.Automaton()
    for lit, js in unlocks.items():
        finder.add_word(lit, tuple(js))
    finder.make_automaton()
    return finder


def _left_to_test(r: Rule) -> tuple[frozenset[str], ...]:
    """``r.required`` without the sets that hold whenever ``r`` is a candidate at all.

    A rule whose anchors are all exact (no ``pref*``) is only reached through
    ``RuleSet.exact[a]`` for a lemma ``a`` of the message, so a required set equal to
    its anchor set contains a lemma of the message: testing it again cannot fail.
    """
    anchors = frozenset(r.anchors)
    exact_only = bool(anchors) and all(not a.endswith("*") and a.replace("ё", "е") == a for a in anchors)
    if not exact_only:
        return r.required
    return tuple(req for req in r.required if req != anchors)


_TEST_SLOTS = 3  # required-lemma tests per rule checked as bitsets (90% of rules have <= 3)


def _test_cost(req: frozenset[str]) -> tuple[int, int]:
    """Likely-failing tests first (no stop words, few lemmas): the first slot prunes most."""
    return (sum(1 for a in req if a in _STOP), len(req))


def _bits(ix: Iterable[int]) -> int:
    out = 0
    for i in ix:
        out |= 1 << i
    return out


class _AnchorBits(dict[str, int]):
    """Lemma -> bits of the seq rules it anchors (exact or by prefix), filled on first use."""

    def __init__(self, rs: RuleSet, bit: dict[int, int]) -> None:
        super().__init__()
        self._rs = rs
        self._bit = bit

    def __missing__(self, lem: str) -> int:
        got = _bits(self._bit[id(r)] for r in self._rs._for_lemma(lem))
        if len(self) < 200_000:
            self[lem] = got
        return got


def _compile_regex(src: str, where: str) -> re.Pattern[str] | regex.Pattern[str]:
    """The stdlib engine when it can (faster for plain patterns), else ``regex`` (V1)."""
    try:
        return re.compile(src)
    except re.error:
        try:
            return regex.compile(src, regex.V1)
        except regex.error as exc:
            raise RuleError(f"{where}: bad regex: {exc}") from exc


_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT))


def _required(sub: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed (sub)pattern must contain, or None.

    Conservative: only literal runs, groups, branches (all arms must yield) and repeats
    with min >= 1 contribute; lookarounds, classes and case-insensitive groups never do.
    """
    cands: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in sub:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            cands.append(frozenset(["".join(run)]))
            run = []
        got: frozenset[str] | None = None
        if op is _sre.SUBPATTERN:
            if not (av[1] & re.IGNORECASE):
                got = _required(av[3])
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            got = _required(av)
        elif op is _sre.BRANCH:
            arms = [_required(b) for b in av[1]]
            if arms and all(a is not None for a in arms):
                got = frozenset().union(*[a for a in arms if a is not None])
        elif op in _REPEATS and av[0] >= 1:
            body = list(av[2])
            if len(body) == 1 and body[0][0] is _sre.LITERAL:
                got = frozenset([chr(body[0][1]) * min(av[0], 4)])
            else:
                got = _required(av[2])
        elif op is _sre.IN:
            chars: list[str] = []
            for iop, iav in av:
                if iop is _sre.LITERAL:
                    chars.append(chr(iav))
                elif iop is _sre.RANGE and iav[1] - iav[0] < 10:
                    chars.extend(chr(c) for c in range(iav[0], iav[1] + 1))
                else:  # NEGATE, categories (\d is Unicode-wide), big ranges: no requirement
                    chars = []
                    break
            if 0 < len(chars) <= 10:
                got = frozenset(chars)
        if got:
            cands.append(got)
    if run:
        cands.append(frozenset(["".join(run)]))
    if not cands:
        return None
    return max(cands, key=lambda c: (min(3, min(len(s) for s in c)), -len(c)))


def required_literals(pattern: re.Pattern[str] | regex.Pattern[str]) -> tuple[str, ...]:
    """Literal pre-check of a regex rule: a match must contain one of these (``()`` = none)."""
    if not isinstance(pattern, re.Pattern) or pattern.flags & re.IGNORECASE:
        return ()
    try:
        got = _required(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:
        return ()
    if not got or len(got) > 24:
        return ()
    # A string containing another one of the set adds nothing to the check.
    kept = [s for s in got if not any(t != s and t in s for t in got)]
    return tuple(sorted(kept, key=lambda s: (len(s), s)))


_LOOKBEHIND = "(?<= )"


def _space_form(src: str) -> str:
    """``(?<= )X`` as `` X``: the same matches, each starting one char earlier (at the space).

    Why: a pattern that starts with a lookbehind gives ``re`` nothing to scan for, so it
    runs the whole pattern at every position; a literal first char lets it jump from space
    to space (~30% less time in seq searches).  Only the reported start moves (``match``
    adds 1); a search from position q finds exactly the matches whose token starts at q+1
    or later, as the lookbehind form does from q+1.
    """
    if not src.startswith(_LOOKBEHIND):
        raise RuleError(f"internal: a seq pattern must start with {_LOOKBEHIND!r}, got {src[:20]!r}")
    return " " + src[len(_LOOKBEHIND):]


def _compile_rule(lang: str, signal: str, spec: dict[str, Any], path: Path) -> list[Rule]:
    """Rules of one YAML entry; a malformed entry fails here, at load."""
    rid = spec.get("id")
    if not isinstance(rid, str) or not rid:
        raise RuleError(f"{path}: every rule needs an id, got {spec!r}")
    full = f"{lang}.{signal}.{rid}"
    weight = float(spec.get("weight", 0.6))
    neg = str(spec.get("neg", "any"))
    if neg not in ("any", "require", "forbid"):
        raise RuleError(f"{path}: {full}: neg must be any|require|forbid, got {neg!r}")
    # Seq sources are built from escaped words, fixed groups and checked gap bounds, so they
    # always compile (tests fuzz the grammar): they are compiled lazily, on a message's first
    # need, even on the first load; ``re``/``raw`` regexes are compiled here (a bad one must
    # fail at load, and the engine choice and literal pre-check need the compiled form).
    unless_src = tuple(_space_form(seq_source(u, lang)[0]) for u in spec.get("unless", []) or [])
    out: list[Rule] = []
    seqs: list[str] = []
    if "seq" in spec:
        s = spec["seq"]
        seqs.extend([s] if isinstance(s, str) else list(s))
    if "lex" in spec:
        seqs.extend(str(x) for x in spec["lex"])
    for s in seqs:
        # One compiled entry per seq: small regexes, each run only when its anchor occurs.
        try:
            src, anchors = seq_source(s, lang)
        except RuleError as exc:
            raise RuleError(f"{path}: {full}: {exc.message} (in {s!r})") from None
        req = required_sets(s, lang)
        src = _space_form(src)
        out.append(Rule(full, signal, "seq", src, weight, neg, unless_src, s, tuple(anchors), req))
    for kind in ("re", "raw"):
        if kind in spec:
            rx = _compile_regex(spec[kind], f"{path}: {full}")
            engine = "re" if isinstance(rx, re.Pattern) else "regex"
            rule = Rule(full, signal, kind, spec[kind], weight, neg, unless_src, spec[kind],
                        literals=required_literals(rx), engine=engine)
            rule.__dict__["pattern"] = rx  # the lazy value, already computed
            out.append(rule)
    if not out:
        raise RuleError(f"{path}: {full}: expected one of seq/lex/re/raw")
    return out


def _read_rule_files(lang: str, rules_dir: Path) -> list[tuple[Path, bytes]]:
    """Every rule file of ``lang`` (sorted by name) with its bytes: the cache key's input."""
    return [(p, p.read_bytes()) for p in sorted((rules_dir / lang).glob("*.yaml"))]


def _parse_rule_file(path: Path, raw: bytes) -> dict[str, Any]:
    """The YAML mapping of one rule file (from the bytes the cache key was computed on)."""
    # Universal newlines, as ``Path.read_text`` gives: the text the parser sees is unchanged.
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    data = yaml.load(text, Loader=_YAML_LOADER) or {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}: expected a mapping, got {type(data).__name__}")
    return data


def load_rule_files(lang: str, rules_dir: Path | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """Parsed YAML of every rule file of ``lang`` (used by tests too)."""
    return [(p, _parse_rule_file(p, raw)) for p, raw in _read_rule_files(lang, rules_dir or RULES_DIR)]


def _compile_files(lang: str, files: list[tuple[Path, bytes]]) -> list[Rule]:
    """Rules of every file, in file then entry order (the order decides candidate order)."""
    rules: list[Rule] = []
    for path, raw in files:
        data = _parse_rule_file(path, raw)
        signal = data.get("signal")
        if signal is None:
            continue  # lexicon-only files (e.g. mat roots) have no signal key
        if signal not in SIGNALS:
            raise RuleError(f"{path}: unknown signal {signal!r}; expected one of taxonomy.SIGNALS")
        for spec in data.get("rules", []) or []:
            rules.extend(_compile_rule(lang, signal, spec, path))
    return rules


# The stored form of a Rule: its fields in declaration order (plain data for marshal).
_ROW_LEN = 12


def _row(r: Rule) -> tuple[Any, ...]:
    return (r.id, r.signal, r.kind, r.src, r.weight, r.neg, r.unless_src, r.source, r.anchors,
            r.required, r.literals, r.engine)


def _from_rows(rows: list[tuple[Any, ...]]) -> list[Rule] | None:
    """Rules from cached rows, or None if a row does not have the expected shape."""
    out: list[Rule] = []
    for row in rows:
        if len(row) != _ROW_LEN or row[2] not in ("seq", "re", "raw") or row[11] not in ("re", "regex"):
            return None
        out.append(Rule(*row))
    return out


_DEFAULT_CACHE = Path("<default>")


def build_ruleset(
    lang: str, rules_dir: Path | None = None, cache_dir: Path | None = _DEFAULT_CACHE
) -> RuleSet:
    """Compile (or load from the on-disk cache) all rule files of ``lang`` under ``rules_dir``.

    ``cache_dir``: the default is :func:`rulecache.cache_dir` (``CLIENTGUARD_RULES_CACHE`` or
    the user cache dir); None compiles without reading or writing any cache.
    """
    from clientguard.nlp import rulecache

    files = _read_rule_files(lang, rules_dir or RULES_DIR)
    cdir = rulecache.cache_dir() if cache_dir is _DEFAULT_CACHE else cache_dir
    key = ""
    rules: list[Rule] | None = None
    if cdir is not None:
        key = rulecache.ruleset_key(lang, [(p.name, raw) for p, raw in files])
        rows = rulecache.read(cdir, lang, key)
        rules = _from_rows(rows) if rows is not None else None
    if rules is None:
        rules = _compile_files(lang, files)
        if cdir is not None:
            rulecache.write(cdir, lang, key, [_row(r) for r in rules])
    return _index(lang, apply_weight_caps(rules, rules_dir or RULES_DIR))


WEIGHT_CAPS = "weight_caps.yaml"


def apply_weight_caps(rules: list[Rule], rules_dir: Path) -> list[Rule]:
    """``rules`` with the measured weight caps of ``rules_dir/weight_caps.yaml`` applied.

    Why a separate table instead of edited weights: the caps are MEASURED, not written by
    hand (:mod:`clientguard.nlp.rule_precision` finds the rules that fire more often on
    messages without their signal than with it, on labelled text no rule was written
    from), so the table is regenerated by one command and its provenance stays beside it.
    Applied after the compiled-rule cache, which stays keyed by the rule files alone.
    ``CLIENTGUARD_RULE_CAPS=off`` disables it (the measuring command needs the raw rules).
    """
    path = rules_dir / WEIGHT_CAPS
    if os.environ.get("CLIENTGUARD_RULE_CAPS", "").strip().lower() == "off" or not path.is_file():
        return rules
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cap = float(data.get("cap", 1.0))
    capped = set(data.get("rules") or {})
    return [replace(r, weight=min(r.weight, cap)) if r.id in capped and r.weight > 0 else r for r in rules]


@cache
def load_ruleset(lang: str) -> RuleSet:
    """Compile all rule files of ``lang`` (cached for the process, and on disk: :mod:`rulecache`)."""
    return build_ruleset(lang)


def _index(lang: str, rules: list[Rule]) -> RuleSet:
    """The anchor index over ``rules`` (list order is kept: it decides candidate order)."""
    exact: dict[str, list[Rule]] = {}
    prefix: dict[str, list[Rule]] = {}
    always: list[Rule] = []
    text_rules: list[Rule] = []
    for r in rules:
        if r.kind != "seq":
            text_rules.append(r)
            continue
        alts = r.anchors
        if not alts:
            always.append(r)
            continue
        for a in alts:
            a = a.replace("ё", "е")
            if a.endswith("*"):
                prefix.setdefault(a[:-1], []).append(r)
            else:
                exact.setdefault(a, []).append(r)
    max_prefix = max((len(k) for k in prefix), default=0)
    return RuleSet(lang, rules, exact, prefix, always, text_rules, max_prefix)
