"""Precomputed pymorphy3 lemmas of the words the Russian rule files are written in.

Why: on a machine that has never compiled the rules (empty compiled-rule cache, see
:mod:`clientguard.nlp.rulecache`), compiling them asked pymorphy3 for ~6,300 distinct
words, ~0.45 s of a first ``analyze_text`` that must stay under 1 s. Those words only
change when a rule file does, so their lemmas are generated once, committed as
``rules/lemmas_ru.tsv`` and looked up before pymorphy3 is asked.

The table is a shortcut, never a second opinion: it is used only when the installed
pymorphy3 and dictionary versions are the ones it was generated with (and no custom
dictionary path is set), a word missing from it falls back to pymorphy3, and
``tests/nlp/test_rule_lemmas.py`` fails when it is stale or disagrees with pymorphy3.
Regenerate after editing a Russian rule file::

    python -m clientguard.nlp.rule_lemmas
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("rules") / "lemmas_ru.tsv"
_HEADER = "# clientguard rule-word lemmas/1"


def versions() -> str:
    """The pymorphy3 and dictionary versions a table is only valid for."""
    import pymorphy3

    dicts = importlib.import_module("pymorphy3_dicts_ru")  # untyped package: no stubs needed
    return f"pymorphy3={pymorphy3.__version__} dicts={getattr(dicts, '__version__', '')}"


@cache
def table(path: Path = TABLE) -> dict[str, str]:
    """word -> lemma, or an empty table when absent, unreadable or made for other versions."""
    if os.environ.get("PYMORPHY2_DICT_PATH"):
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    if len(lines) < 2 or lines[0] != _HEADER or lines[1] != f"# {versions()}":
        return {}
    out: dict[str, str] = {}
    for line in lines[2:]:
        word, sep, lem = line.partition("\t")
        if not sep or not word or not lem:
            return {}  # a damaged table is ignored as a whole, never half-used
        out[word] = lem
    return out


def rule_words(lang: str = "ru") -> list[str]:
    """Every word compiling the ``lang`` rule files lemmatises with pymorphy3, sorted."""
    from clientguard.nlp import lemmas, rules

    seen: set[str] = set()
    ask = lemmas.lemma_ru

    def recording(word: str) -> str:
        seen.add(word)
        return ask(word)

    rules._item.cache_clear()  # memoised items and alternatives would hide their words
    rules._alt.cache_clear()
    lemmas.lemma_ru = recording  # type: ignore[assignment]  # ``lemma`` looks it up per call
    try:
        rules._compile_files(lang, rules._read_rule_files(lang, rules.RULES_DIR))
    finally:
        lemmas.lemma_ru = ask
        rules._item.cache_clear()
        rules._alt.cache_clear()
    return sorted(w for w in seen if lemmas.needs_morph(w))


def render() -> str:
    """The table as it should be on disk: header, versions, then ``word<TAB>lemma`` lines."""
    from clientguard.nlp.lemmas import morph_lemma

    body = [f"{w}\t{morph_lemma(w)}" for w in rule_words("ru")]
    return "\n".join([_HEADER, f"# {versions()}", *body]) + "\n"


def main() -> int:
    """Write the table; prints what changed so a rule edit's effect is visible."""
    new = render()
    old = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    TABLE.write_text(new, encoding="utf-8", newline="\n")
    n = new.count("\n") - 2
    print(f"{TABLE}: {n} words ({'unchanged' if new == old else 'updated'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
