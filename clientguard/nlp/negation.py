"""Negation scope: which tokens sit under "не"/"not".

Why: "не заплатим" is a payment threat while "не задержим оплату" is a promise; rules
declare ``neg: require`` or ``neg: forbid`` and this module decides the scope.  The
scope of a negator is the next few word tokens up to a clause boundary (punctuation
or an adversative conjunction), which covers "не буду больше платить".
"""

from __future__ import annotations

from collections.abc import Sequence

from clientguard.nlp.tokens import Token

NEGATORS: dict[str, frozenset[str]] = {
    "ru": frozenset({"не", "ни", "нельзя", "никогда", "нет"}),
    "en": frozenset({"not", "never", "no", "cannot", "nothing", "nobody"}),
}
_BOUNDARY = frozenset({".", ",", "!", "?", ";", ":", "-", "—", "(", ")", "а", "но", "but", "however", "зато"})
SCOPE = 3


_EN_FUSED = frozenset({"dont", "wont", "cant", "didnt"})
_NT = ("n't", "n’t")


def _is_negator(tok: Token, lang: str) -> bool:
    t = tok.text
    if t in NEGATORS[lang]:
        return True
    return lang == "en" and (t.endswith(_NT) or t in _EN_FUSED)


_new = object.__new__
_set = object.__setattr__


def _negated(tok: Token) -> Token:
    """``dataclasses.replace(tok, negated=True)`` without the generic ``replace`` machinery.

    Same trick as :func:`tokens.tokenize`: an equal Token (same fields in the same order).
    """
    out = _new(Token)
    _set(out, "__dict__", {**tok.__dict__, "negated": True})
    return out


def negation_flags(words: Sequence[str], lang: str) -> list[bool]:
    """For each token text, whether it sits in a negator's scope (the logic of the module).

    Hot path (every token of every message): the negator test of :func:`_is_negator` is
    inlined and the scope test needs one set lookup per token.
    """
    flags = [False] * len(words)
    left = 0
    negators = NEGATORS[lang]
    en = lang == "en"
    for i, t in enumerate(words):
        if t in negators or (en and (t.endswith(_NT) or t in _EN_FUSED)):
            left = SCOPE
            continue
        if t in _BOUNDARY or t[0] in "!?":
            left = 0
            continue
        if left > 0:
            flags[i] = True
            left -= 1
    return flags


def mark_negation(tokens: list[Token], lang: str) -> list[Token]:
    """Return tokens with ``negated=True`` for the words in a negator's scope."""
    flags = negation_flags([t.text for t in tokens], lang)
    return [_negated(t) if f else t for t, f in zip(tokens, flags, strict=True)]
