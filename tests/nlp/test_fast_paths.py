"""Each speed shortcut of the analysis hot path against the plain code it replaced.

The shortcuts (``token_columns``, ``negation_flags``, the split slow-path test of the
normaliser, run-length language counts, the comparison form of ``rule_scores``, the
n-gram trie of the statistical layer, space-anchored seq patterns) must give exactly the
results of the straightforward versions kept here as references.
"""

from __future__ import annotations

import bisect
import json
import re
import re._constants as _sre  # type: ignore[import-not-found]
import re._parser as _sre_parse  # type: ignore[import-not-found]
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from clientguard.nlp.api import _hits
from clientguard.nlp.lang import detect_lang
from clientguard.nlp.negation import _BOUNDARY, NEGATORS, SCOPE, mark_negation, negation_flags
from clientguard.nlp.normalize import _SLOW, _needs_slow_path, normalize
from clientguard.nlp.rules import Hit, load_ruleset
from clientguard.nlp.scoring import rule_scores
from clientguard.nlp.statmodel import CHAR_N, load_model
from clientguard.nlp.tokens import _TOKEN, Token, token_columns, tokenize
from clientguard.taxonomy import SIGNALS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"
EDGE = [
    "", " ", "ок", "!!!", "...", "ааа", "Срочнооо!!!", "х*йня", "б л я т ь", "Бл@, опять", "xуйня",
    "don't do it, not now", "I can't pay. But ok", "a\u00a0\u00a0b", "сделайте\u00adскидку", "x\u0301y",
    "𝐀𝐀𝐀", "___", "111", "ёёё", "\n\n\n", "a\x1cb", "кто-то, что-то — и всё", "«Ёлки» 12:00…",
]


def _texts() -> list[str]:
    out = list(EDGE)
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(str(json.loads(line)["text"]))
    return out


def _ref_mark_negation(tokens: list[Token], lang: str) -> list[Token]:
    """The original implementation (``dataclasses.replace`` per negated token)."""

    def is_neg(t: str) -> bool:
        if t in NEGATORS[lang]:
            return True
        fused = {"dont", "wont", "cant", "didnt"}
        return lang == "en" and (t.endswith("n't") or t.endswith("n’t") or t in fused)

    out = list(tokens)
    left = 0
    for i, tok in enumerate(tokens):
        if is_neg(tok.text):
            left = SCOPE
            continue
        if tok.text in _BOUNDARY or tok.text[0] in "!?":
            left = 0
            continue
        if left > 0:
            out[i] = replace(tok, negated=True)
            left -= 1
    return out


def test_token_columns_and_negation_match_tokens() -> None:
    for text in _texts():
        for lang in ("ru", "en"):
            norm = normalize(text)
            toks = tokenize(norm, lang)
            spans = [(m.group(), *m.span()) for m in _TOKEN.finditer(norm.text)]
            assert [(t.text, t.start, t.end) for t in toks] == spans, text
            words, lemmas, ostarts, oends = token_columns(norm, lang)
            assert words == [t.text for t in toks]
            assert lemmas == [t.lemma for t in toks]
            assert ostarts == [t.ostart for t in toks] and oends == [t.oend for t in toks]
            ref = _ref_mark_negation(toks, lang)
            assert mark_negation(toks, lang) == ref
            assert negation_flags(words, lang) == [t.negated for t in ref]


def test_split_slow_path_test_equals_the_regex() -> None:
    for text in _texts():
        assert _needs_slow_path(text) == (_SLOW.search(text) is not None), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("аяёЖz!.  \u00a0\u0301\u00ad1_@*Ω\x1c\U0001d400")), max_size=12))
def test_split_slow_path_test_equals_the_regex_random(text: str) -> None:
    assert _needs_slow_path(text) == (_SLOW.search(text) is not None)


def test_language_counts_equal_char_counts() -> None:
    cyr, lat = regex.compile(r"[\p{Cyrillic}]"), regex.compile(r"[a-zA-Z]")
    for text in _texts():
        c, la = len(cyr.findall(text)), len(lat.findall(text))
        want = "ru" if c == 0 and la == 0 else ("ru" if c * 2 >= la else "en")
        assert detect_lang(text) == want, text


def _ref_rule_scores(hits: list[Hit]) -> dict[str, float]:
    best: dict[tuple[str, str], float] = {}
    for h in hits:
        key = (h.signal, h.rule)
        if h.weight >= 0:
            best[key] = max(best.get(key, 0.0), h.weight)
        else:
            best[key] = min(best.get(key, 0.0), h.weight)
    miss: dict[str, float] = {}
    damp: dict[str, float] = {}
    for (sig, _), w in best.items():
        if w >= 0:
            miss[sig] = miss.get(sig, 1.0) * (1.0 - min(w, 0.99))
        else:
            damp[sig] = damp.get(sig, 1.0) * (1.0 + max(w, -1.0))
    out = dict.fromkeys(SIGNALS, 0.0)
    for sig, m in miss.items():
        out[sig] = (1.0 - m) * damp.get(sig, 1.0)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SIGNALS[:3]), st.sampled_from("abc"),
                          st.floats(min_value=-1.5, max_value=1.5, allow_nan=False)), max_size=8))
def test_rule_scores_equal_reference(spec: list[tuple[str, str, float]]) -> None:
    hits = [Hit(r, s, 0, 1, w) for s, r, w in spec]
    got, want = rule_scores(hits), _ref_rule_scores(hits)
    assert list(got) == list(want)
    assert all(got[k] == want[k] and str(got[k]) == str(want[k]) for k in want)  # -0.0 too


def test_char_trie_equals_vocabulary_lookup() -> None:
    model = load_model()
    if model is None:
        return
    chars = model._typed_index()[2]
    padded = [" " + " ".join(normalize(t).text.split()) + " " for t in _texts()]
    rows, cols = model._char_columns(padded, [len(t) for t in padded])
    want: list[tuple[int, int]] = []
    lo, hi = CHAR_N
    for n in range(lo, hi + 1):
        for row, t in enumerate(padded):
            for i in range(len(t) - n + 1):
                j = chars.get(t[i : i + n])
                if j is not None:
                    want.append((row, j))
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == want


@cache
def _lemma_lists(lang: str) -> tuple[tuple[str, ...], ...]:
    """The lemmas of every non-blank fixture text, for the rule tests below.

    Computed once per language and shared: it runs the whole analysis per text (~6 s per
    language), which those tests need once, not once each.
    """
    return tuple(tuple(_hits(t, lang)[1]) for t in _texts() if t.strip())


def _lemma_strings(lang: str) -> tuple[str, ...]:
    """`` l1 l2 ... ln `` of every non-blank fixture text: what seq rules run on."""
    return tuple(" " + " ".join(lemmas) + " " for lemmas in _lemma_lists(lang))


# What a class item does with "\n": True = can consume it, False = cannot; a category missing
# here (or any other construct not handled below) makes the pattern "not shown blind".
_CATEGORY_TAKES_NEWLINE = {
    _sre.CATEGORY_SPACE: True, _sre.CATEGORY_NOT_SPACE: False,
    _sre.CATEGORY_DIGIT: False, _sre.CATEGORY_NOT_DIGIT: True,
    _sre.CATEGORY_WORD: False, _sre.CATEGORY_NOT_WORD: True,
}


def _blind_to_newline(src: str) -> bool:
    r"""True when no atom of the ``re`` pattern can consume "\n" and it has no anchors.

    Then the pattern cannot tell a "\n" next to a string from that string's end or start
    (every attempt to read it fails, as at the end; lookarounds made of such atoms give the
    same answer too), so its matches in ``"\n".join(strings)`` are exactly its matches in
    each string, shifted. Conservative: anything not understood here answers False.
    """
    parsed = _sre_parse.parse(src)
    return not parsed.state.flags & (re.DOTALL | re.MULTILINE) and _blind(parsed)


def _blind(nodes: Any) -> bool:
    for op, av in nodes:
        if op is _sre.LITERAL:
            ok = av != 10
        elif op is _sre.ANY:  # "." (no DOTALL flag below) never takes "\n"
            ok = True
        elif op is _sre.IN:
            negate = any(o is _sre.NEGATE for o, _ in av)
            takes = False
            for o, a in av:
                if o is _sre.LITERAL:
                    takes |= a == 10
                elif o is _sre.RANGE:
                    takes |= a[0] <= 10 <= a[1]
                elif o is _sre.CATEGORY:
                    if a not in _CATEGORY_TAKES_NEWLINE:
                        return False
                    takes |= _CATEGORY_TAKES_NEWLINE[a]
                elif o is not _sre.NEGATE:
                    return False
            ok = takes == negate
        elif op is _sre.BRANCH:
            ok = all(_blind(alt) for alt in av[1])
        elif op is _sre.SUBPATTERN:
            ok = not ((av[1] | av[2]) & (re.DOTALL | re.MULTILINE)) and _blind(av[3])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            ok = _blind(av[2])
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.ATOMIC_GROUP):
            ok = _blind(av[1] if op is not _sre.ATOMIC_GROUP else av)
        else:  # anchors (^ $ \A \Z \b), backreferences, conditionals, ...
            ok = False
        if not ok:
            return False
    return True


def _starts(nodes: Any) -> list[str]:
    """Literal texts one of which every match of a parsed pattern begins with ("" = any)."""
    out = [""]
    for op, av in nodes:
        if op is _sre.LITERAL:
            out = [o + chr(av) for o in out]
        elif op is _sre.BRANCH:
            return [o + s for alt in av[1] for s in _starts(alt) for o in out]
        elif op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
            return [o + chr(c) for _, c in av for o in out]
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:
            return [o + s for s in _starts(av[3]) for o in out]
        else:
            return out
    return out


def _could_match(x: str, n: int, words: list[str], where: dict[str, int]) -> list[int]:
    """Indexes of the strings where ``(?<= )X`` or `` X`` can match at all (in order).

    Either form matches X right after a space, i.e. at the start of a word of the string,
    and so does every part of X after a space of its own top level (the spaces between
    seq items): for each such part with known literal starts, the string must hold a word
    beginning with the first word of one of them. ``words`` are the strings' words,
    sorted; ``where`` maps a word to the set of its strings as bits (bit i = string i).
    """
    parsed = _sre_parse.parse(x)
    if parsed.state.flags & re.IGNORECASE:
        return list(range(n))
    ids = -1  # every string
    for i in [0, *(k + 1 for k, node in enumerate(parsed) if node == (_sre.LITERAL, 32))]:
        firsts = {s.split(" ")[0] for s in _starts(parsed[i:])}
        if "" in firsts:
            continue
        here = 0
        for f in firsts:
            j = bisect.bisect_left(words, f)
            while j < len(words) and words[j].startswith(f):
                here |= where[words[j]]
                j += 1
        ids &= here
    if ids == -1:
        return list(range(n))
    bits, out = bin(ids)[:1:-1], []  # bit i is character i
    i = bits.find("1")
    while i >= 0:
        out.append(i)
        i = bits.find("1", i + 1)
    return out


def test_space_form_seq_patterns_find_the_same_spans() -> None:
    r"""Every seq rule's `` X`` (the fast path) against ``(?<= )X``, on every lemma string.

    Both forms are run on every string where either can match at all (:func:`_could_match`;
    elsewhere both find nothing), joined by "\n" into one text when both patterns are
    blind to it (:func:`_blind_to_newline`: then the joined run finds exactly each
    string's matches, shifted), else one string at a time. That is the per-string
    comparison of every rule with every string, without ~100 million regex calls.
    """
    for lang in ("ru", "en"):
        rs = load_ruleset(lang)
        strings = _lemma_strings(lang)
        assert not any("\n" in s for s in strings)
        where: dict[str, int] = {}
        for i, s in enumerate(strings):
            for w in set(s.split(" ")):
                where[w] = where.get(w, 0) | 1 << i
        words = sorted(where)
        joined = 0
        for r in rs.rules:
            if r.kind != "seq":
                continue
            assert r.src.startswith(" ")
            assert r.pattern.pattern == r.src  # the fast path runs exactly this source
            x = r.src[1:]
            old = re.compile("(?<= )" + x)
            cand = [strings[i] for i in _could_match(x, len(strings), words, where)]
            if _blind_to_newline(r.src) and _blind_to_newline(old.pattern):
                joined += 1
                cand = ["\n".join(cand)]
            for s in cand:
                want = [m.span() for m in old.finditer(s)]
                got = [(m.start() + 1, m.end()) for m in r.pattern.finditer(s)]
                assert got == want, (r.id, [s[a - 20 : b + 20] for a, b in set(got) ^ set(want)][:3])
        assert joined > 1000  # the joined run is taken, so it is what is checked


def test_skipped_anchor_sets_never_change_the_required_check() -> None:
    for lang in ("ru", "en"):
        rs = load_ruleset(lang)
        for t in _lemma_lists(lang):
            lemmas = frozenset(t)
            for r, left in rs._checks(lemmas):
                full = all(not req.isdisjoint(lemmas) for req in r.required)
                assert full == all(not req.isdisjoint(lemmas) for req in left), (r.id, t)


def _ref_find_obscenity(tokens: list[Token], raw: str, lang: str) -> list[Hit]:
    """The original Token-based implementation (plus the later whole-text masks step)."""
    from clientguard.nlp.normalize import to_cyrillic
    from clientguard.nlp.obscenity import _MASK, _punct_masked, match_masked, match_word

    hits: list[Hit] = []
    has_at = "@" in raw
    has_mask = has_at or any(c in raw for c in "*#%")
    for tok in tokens:
        w = tok.text
        if not w[0].isalnum() and w[0] not in "*#%@$":
            continue
        orig = raw[tok.ostart : tok.oend].lower() if has_at else ""
        if has_at and "@" in orig and any("а" <= c <= "я" for c in w) and not orig.startswith("@"):
            w = "".join("*" if o == "@" else c for o, c in zip(orig, w, strict=False)) if len(orig) == len(
                w
            ) else w
        res: tuple[str, float] | None
        if has_mask and any(c in _MASK for c in w):
            res = match_masked(w)
        else:
            rid = match_word(w)
            res = (rid, 0.95) if rid else None
        if res:
            hits.append(Hit(f"{lang}.obscenity.{res[0]}", "obscenity", tok.ostart, tok.oend, res[1]))
    def spell(word: str, span: tuple[int, int]) -> None:
        if any("а" <= c <= "я" for c in word):
            word = to_cyrillic(word)
        for i in range(len(word) - 2):
            if match_word(word[i:]):
                hits.append(Hit(f"{lang}.obscenity.spaced", "obscenity", *span, 0.9))
                break

    run: list[Token] = []
    prev: Token | None = None
    for maybe in [*tokens, None]:
        if maybe is not None and len(maybe.text) == 1 and maybe.text.isalpha():
            run.append(maybe)
            prev = maybe
            continue
        if maybe is not None and maybe.text in (".", "-", "_", "·", "/") and run and prev is run[-1]:
            prev = maybe
            continue  # a separator between spelled-out letters ("п.и.з.д.е.ц")
        prev = maybe
        if maybe is not None:
            parts = maybe.text.replace("_", "-").split("-")
            if len(parts) >= 3 and all(len(p) == 1 and p.isalpha() for p in parts):
                spell("".join(parts), (maybe.ostart, maybe.oend))  # "б-л-я" is one token
        if len(run) >= 3:
            spell("".join(t.text for t in run), (run[0].ostart, run[-1].oend))
        run = []
    _punct_masked(raw, lang, hits)  # the production code only skips it when it cannot match
    return hits


def test_obscenity_columns_equal_token_version() -> None:
    from clientguard.nlp.obscenity import find_obscenity, obscenity_hits

    extra = ["е б а т ь", "ну х у й", "а б в г х у й", "x y z f u c k", "бл@ть", "заеб@ли", "п****ц",
             "f*ck you", "mail@example.com 50% *bold*", "с у к а, е б а т ь", "ну п.и.з.д.е.ц, да",
             "п. и. з. д. е. ц", "б-л-я", "x.y.й", "т.е. и.т.д. ф.и.о.", "а.б. х.у.й",
             "п_и_з_д_е_ц . . х у й", "пи...ц а не агентство", "бл... опять", "да...нет", "на... ну",
             "х…ня полная", "ну... ладно"]
    for text in _texts() + extra:
        for lang in ("ru", "en"):
            norm = normalize(text)
            toks = tokenize(norm, lang)
            words, _, ostarts, oends = token_columns(norm, lang)
            want = _ref_find_obscenity(toks, text, lang)
            assert obscenity_hits(words, ostarts, oends, text, lang) == want, text
            assert find_obscenity(toks, text, lang) == want


def test_basic_alphabet_language_counts_equal_script_counts() -> None:
    from clientguard.nlp import lang

    alphabet = [chr(c) for c in range(0x80)] + [chr(c) for c in range(0x400, 0x460)]
    alphabet += list("\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026")
    cyr = regex.compile(r"\p{Cyrillic}")
    for ch in alphabet:
        assert lang._OUTSIDE_BASIC.search(ch) is None, hex(ord(ch))
        assert bool(cyr.fullmatch(ch)) == bool(lang._CYR_BASIC.fullmatch(ch)), hex(ord(ch))
    assert all(lang._OUTSIDE_BASIC.search(chr(c)) for c in range(0x80, 0x3000) if chr(c) not in alphabet)


_SHARED_ALPHABET = [chr(c) for c in [*range(0x1C), *range(0x20, 0x80), *range(0x400, 0x460)]] + list(
    "\u00a0\u00ab\u00bb\u2013\u2014\u2019\u201c\u201d\u2026"
)


def test_token_engines_agree_on_the_shared_alphabet() -> None:
    from clientguard.nlp import tokens

    for ch in _SHARED_ALPHABET:
        assert tokens._NOT_SHARED.search(ch) is None, hex(ord(ch))
        for cls in (r"\w", r"\s"):
            assert bool(re.fullmatch(cls, ch)) == bool(regex.fullmatch(cls, ch)), (cls, hex(ord(ch)))
    for c in [*range(0x1C, 0x20), *range(0x80, 0x3000)]:
        if chr(c) not in _SHARED_ALPHABET:
            assert tokens._NOT_SHARED.search(chr(c)), hex(c)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"аб ё-'’!?.*@#x1_\u00a0\u2014\t\n\x1c", "ф"]), max_size=20))
def test_token_strings_equal_regex_findall(text: str) -> None:
    from clientguard.nlp import tokens

    assert tokens._token_strings(text) == _TOKEN.findall(text)


def test_mixed_script_hint_never_skips_a_word_to_fix() -> None:
    """``normalize`` calls ``_fix_mixed`` only when ``_MIXED_HINT`` finds a candidate run;
    wherever the hint finds none, ``_fix_mixed`` must indeed change nothing."""
    from clientguard.nlp.normalize import _MIXED_HINT, _fix_mixed

    extra = ["x*й", "п@здa", "xéй", "пиzдец", "Zаказ", "10:00ч", "а1", "1а", "é1й", "оплачу 15 числа",
             "ok, да", "бл$ть", "x#у#й", "пост 2 шт, цена 3к", "бл€", "100 € за пост"]
    skipped = 0
    for text in [*(t.lower().replace("ё", "е") for t in _texts()), *extra]:
        if _MIXED_HINT.search(text) is None:
            skipped += 1
            assert _fix_mixed(text) == text, text
        elif text in ("x*й", "п@здa", "пиzдец", "а1", "бл€"):
            assert _fix_mixed(text) != text or text == "а1"
    assert skipped > 1000  # the shortcut is taken, so the check is not vacuous
