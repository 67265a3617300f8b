"""Negation scope: which tokens sit under "не"/"not".

Why: "не заплатим" is a payment threat while "не задержим оплату" is a promise; rules
declare ``neg: require`` or ``neg: forbid`` and this module decides the scope.  The
scope of a negator is the next few word tokens up to a clause boundary (punctuation
or an adversative conjunction), which covers "не буду больше платить".
"""

from __future__ import annotations

from dataclasses import replace

from clientguard.nlp.tokens import Token

NEGATORS: dict[str, frozenset[str]] = {
    "ru": frozenset({"не", "ни", "нельзя", "никогда", "нет"}),
    "en": frozenset({"not", "never", "no", "cannot", "nothing", "nobody"}),
}
_BOUNDARY = frozenset({".", ",", "!", "?", ";", ":", "-", "—", "(", ")", "а", "но", "but", "however", "зато"})
SCOPE = 3


def _is_negator(tok: Token, lang: str) -> bool:
    t = tok.text
    if t in NEGATORS[lang]:
        return True
    return lang == "en" and (t.endswith("n't") or t.endswith("n’t") or t in {"dont", "wont", "cant", "didnt"})


def mark_negation(tokens: list[Token], lang: str) -> list[Token]:
    """Return tokens with ``negated=True`` for the words in a negator's scope."""
    out = list(tokens)
    left = 0
    for i, tok in enumerate(tokens):
        if _is_negator(tok, lang):
            left = SCOPE
            continue
        if tok.text in _BOUNDARY or tok.text[0] in "!?":
            left = 0
            continue
        if left > 0:
            out[i] = replace(tok, negated=True)
            left -= 1
    return out
