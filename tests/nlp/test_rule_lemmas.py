"""The precomputed rule-word lemma table is a shortcut that must never change an answer.

``clientguard/nlp/rules/lemmas_ru.tsv`` lets a first-ever rule compile skip ~6,300
pymorphy3 parses. These tests pin what makes that safe: the committed table is exactly
what the generator writes from the current rule files (so it is never stale), every
entry is pymorphy3's own answer, and a table made for other versions, damaged, or
facing a custom dictionary is ignored as a whole. The compiled rules are compared with
and without the table, and with the compile memo warm and cold.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientguard.nlp import lemmas, rule_lemmas, rules


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Every memo a compile reads, cleared before and after (tests must not leak them)."""

    def clear() -> None:
        rule_lemmas.table.cache_clear()
        lemmas.lemma_ru.cache_clear()
        rules._item.cache_clear()
        rules._alt.cache_clear()

    clear()
    yield
    clear()


def _rows_digest(lang: str) -> str:
    compiled = rules._compile_files(lang, rules._read_rule_files(lang, rules.RULES_DIR))
    return hashlib.sha256(marshal.dumps([rules._row(r) for r in compiled], 2)).hexdigest()


def test_committed_table_is_current() -> None:
    """Fails after a Russian rule edit until ``python -m clientguard.nlp.rule_lemmas`` is run."""
    on_disk = rule_lemmas.TABLE.read_text(encoding="utf-8")
    assert on_disk == rule_lemmas.render(), (
        "rules/lemmas_ru.tsv is stale: run `python -m clientguard.nlp.rule_lemmas`"
    )


def test_every_entry_is_pymorphy3s_answer(fresh_caches: None) -> None:
    table = rule_lemmas.table()
    assert len(table) > 5_000, "the table is not being read (wrong versions or damaged?)"
    wrong = {w: lem for w, lem in table.items() if lemmas.morph_lemma(w) != lem}
    assert not wrong
    # and the cached entry point answers the same, table or not
    sample = sorted(table)[::50]
    assert [lemmas.lemma_ru(w) for w in sample] == [lemmas.morph_lemma(w) for w in sample]


def test_compiled_rules_identical_without_table(
    fresh_caches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_table = _rows_digest("ru")
    warm_memo = _rows_digest("ru")  # items and alternatives now served by the memo
    rules._item.cache_clear()
    rules._alt.cache_clear()
    lemmas.lemma_ru.cache_clear()
    # Undone inside the test: fixture teardown order (the autouse locale fixture also holds
    # ``monkeypatch``) would otherwise leave the lambda in place while fresh_caches clears.
    with monkeypatch.context() as patch:
        patch.setattr(rule_lemmas, "table", lambda path=rule_lemmas.TABLE: {})
        without = _rows_digest("ru")
    assert with_table == warm_memo == without


def test_table_is_used_when_valid(fresh_caches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut really is taken: a rule word does not reach pymorphy3."""
    word = next(iter(rule_lemmas.table()))
    asked: list[str] = []
    real = lemmas.morph_lemma

    def spy(w: str) -> str:
        asked.append(w)
        return real(w)

    monkeypatch.setattr(lemmas, "morph_lemma", spy)
    lemmas.lemma_ru(word)
    lemmas.lemma_ru("абракадабрами")  # not a rule word: pymorphy3 is asked
    assert asked == ["абракадабрами"]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "lemmas.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_HEAD = "# clientguard rule-word lemmas/1"


def test_table_for_other_versions_is_ignored(tmp_path: Path) -> None:
    good = _write(tmp_path, [_HEAD, f"# {rule_lemmas.versions()}", "денег\tденьга"])
    assert rule_lemmas.table.__wrapped__(good) == {"денег": "деньга"}
    other = _write(tmp_path, [_HEAD, "# pymorphy3=0.0 dicts=0", "денег\tденьга"])
    assert rule_lemmas.table.__wrapped__(other) == {}


def test_damaged_table_is_ignored_as_a_whole(tmp_path: Path) -> None:
    head = [_HEAD, f"# {rule_lemmas.versions()}"]
    assert rule_lemmas.table.__wrapped__(_write(tmp_path, [*head, "денег\tденьга", "оплата"])) == {}
    assert rule_lemmas.table.__wrapped__(_write(tmp_path, [*head, "денег\t"])) == {}
    assert rule_lemmas.table.__wrapped__(tmp_path / "missing.tsv") == {}


def test_custom_dictionary_disables_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYMORPHY2_DICT_PATH", "/somewhere/else")
    assert rule_lemmas.table.__wrapped__(rule_lemmas.TABLE) == {}
