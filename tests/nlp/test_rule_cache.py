"""The compiled-rule-set cache must never change a result, and must never go stale.

The cache (``clientguard/nlp/rulecache.py``) stores compiled rule sets keyed by a sha256
of every rule file and of the engine; these tests pin the behaviour the speed work relies
on: cached == uncached, an edited rule file misses the cache, and a broken or unwritable
cache directory only costs the uncached load.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from clientguard.nlp import api, rulecache
from clientguard.nlp.rules import RULES_DIR, Rule, RuleError, RuleSet, _row, build_ruleset, seq_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nlp"


def _fixture_texts() -> tuple[list[str], list[str | None]]:
    texts: list[str] = []
    langs: list[str | None] = []
    for path in sorted(FIXTURES.glob("holdout*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                texts.append(str(rec["text"]))
                langs.append(rec.get("lang"))
    return texts, langs


def _rows(rs: RuleSet) -> list[tuple[Any, ...]]:
    return [_row(r) for r in rs.rules]


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("rules-*.bin"))


def _analyses(monkeypatch: pytest.MonkeyPatch, sets: dict[str, RuleSet]) -> list[Any]:
    """Full analyses of the fixture texts with the rule sets in ``sets``."""
    texts, langs = _fixture_texts()
    with monkeypatch.context() as m:
        m.setattr(api, "load_ruleset", sets.__getitem__)
        return [(e.analysis, e.hits) for e in api.explain_texts(texts, langs)]


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the shipped rule files (edited by some tests)."""
    dst = tmp_path / "rules"
    shutil.copytree(RULES_DIR, dst)
    yield dst


def test_cached_and_uncached_rulesets_are_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    uncached = {lang: build_ruleset(lang, cache_dir=None) for lang in ("ru", "en")}
    first = {lang: build_ruleset(lang, cache_dir=cache) for lang in ("ru", "en")}  # miss: compiles, writes
    assert len(_entries(cache)) == 2
    cached = {lang: build_ruleset(lang, cache_dir=cache) for lang in ("ru", "en")}  # hit: nothing compiled
    for lang in ("ru", "en"):
        assert _rows(cached[lang]) == _rows(uncached[lang]) == _rows(first[lang])
        assert all("pattern" not in r.__dict__ for r in cached[lang].rules), "cache hits compile lazily"
        assert cached[lang].exact.keys() == uncached[lang].exact.keys()
        assert cached[lang].prefix.keys() == uncached[lang].prefix.keys()
        for a, b in zip(cached[lang].rules, uncached[lang].rules, strict=True):
            assert a.pattern.pattern == b.pattern.pattern and a.pattern.flags == b.pattern.flags
            assert [u.pattern for u in a.unless] == [u.pattern for u in b.unless]
    assert _analyses(monkeypatch, cached) == _analyses(monkeypatch, uncached)


def test_edited_rule_file_misses_the_cache(
    rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    before = build_ruleset("ru", rules_copy, cache)
    text = "Я вам зелёного слона нарисую"
    with monkeypatch.context() as m:
        m.setattr(api, "load_ruleset", {"ru": before}.__getitem__)
        assert "arrogance" not in api.analyze_text(text, "ru").labels
    path = rules_copy / "ru" / "arrogance.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"].append({"id": "test_green_elephant", "lex": ["зелёный слон"], "weight": 0.9})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    after = build_ruleset("ru", rules_copy, cache)
    assert len(_entries(cache)) == 2, "a new key, a new entry; the old one is not reused"
    assert _rows(after) == _rows(build_ruleset("ru", rules_copy, None))
    assert "ru.arrogance.test_green_elephant" in {r.id for r in after.rules}
    with monkeypatch.context() as m:
        m.setattr(api, "load_ruleset", {"ru": after}.__getitem__)
        res = api.analyze_text(text, "ru")
    assert "arrogance" in res.labels
    assert any(e.rule == "ru.arrogance.test_green_elephant" for e in res.evidence["arrogance"])

    # A changed weight alone (same ids, same patterns) is a new key too.
    data["rules"][-1]["weight"] = 0.1
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    again = build_ruleset("ru", rules_copy, cache)
    assert [r.weight for r in again.rules if r.id.endswith("test_green_elephant")] == [0.1]


def test_rule_file_added_or_renamed_changes_the_key(rules_copy: Path) -> None:
    def key() -> str:
        files = sorted((rules_copy / "en").glob("*.yaml"))
        return rulecache.ruleset_key("en", [(p.name, p.read_bytes()) for p in files])

    k0 = key()
    src = rules_copy / "en" / "insult.yaml"
    src.rename(rules_copy / "en" / "zz_insult.yaml")
    k1 = key()
    (rules_copy / "en" / "empty.yaml").write_text("{}\n", encoding="utf-8")
    assert len({k0, k1, key()}) == 3


def test_engine_fingerprint_depends_on_language_and_sources() -> None:
    assert rulecache.engine_fingerprint("ru") != rulecache.engine_fingerprint("en")
    assert rulecache.ruleset_key("en", [("a.yaml", b"x")]) != rulecache.ruleset_key("en", [("a.yaml", b"y")])
    assert rulecache.ruleset_key("en", [("a.yaml", b"x")]) != rulecache.ruleset_key("en", [("b.yaml", b"x")])


def test_unwritable_cache_dir_falls_back_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where the cache dir should be", encoding="utf-8")
    rs = build_ruleset("en", cache_dir=blocker / "rules")  # mkdir fails (even for root)
    assert _rows(rs) == _rows(build_ruleset("en", cache_dir=None))
    assert rulecache.write(blocker / "rules", "en", "k", []) is False


def test_unreadable_or_corrupt_entries_are_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    want = _rows(build_ruleset("en", cache_dir=None))
    build_ruleset("en", cache_dir=cache)
    (entry,) = _entries(cache)
    blob = entry.read_bytes()
    entry.write_bytes(blob[: len(blob) // 2])  # truncated
    assert _rows(build_ruleset("en", cache_dir=cache)) == want
    assert entry.read_bytes() == blob, "a bad entry is replaced by a good one"
    entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))  # one flipped bit: checksum mismatch
    key = entry.name.removeprefix("rules-en-").removesuffix(".bin")
    assert rulecache.read(cache, "en", key) is None
    assert _rows(build_ruleset("en", cache_dir=cache)) == want
    entry.unlink()
    entry.mkdir()  # a directory where the file should be: neither readable nor replaceable
    assert _rows(build_ruleset("en", cache_dir=cache)) == want
    assert rulecache.read(cache, "en", "other-key") is None


def test_cache_location_and_switch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for off in ("off", "0", "", "none"):
        monkeypatch.setenv(rulecache.CACHE_ENV, off)
        assert rulecache.cache_dir() is None
    monkeypatch.setenv(rulecache.CACHE_ENV, str(tmp_path))
    assert rulecache.cache_dir() == tmp_path
    monkeypatch.delenv(rulecache.CACHE_ENV)
    default = rulecache.cache_dir()
    assert default is not None and default.name == "rules"


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for i in range(rulecache._KEEP + 3):
        assert rulecache.write(tmp_path, "en", f"{i:064x}", [])
    assert len(list(tmp_path.glob("rules-en-*.bin"))) == rulecache._KEEP
    assert not list(tmp_path.glob(".tmp-*"))


def test_rows_round_trip_every_field() -> None:
    rs = build_ruleset("ru", cache_dir=None)
    rebuilt = [Rule(*_row(r)) for r in rs.rules]
    assert rebuilt == rs.rules  # dataclass equality: every field


def test_yaml_c_loader_reads_the_same_data() -> None:
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        pytest.skip("PyYAML built without libyaml")
    for path in sorted(RULES_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=loader) == yaml.safe_load(text), path


_WORDS = st.sampled_from(["оплата", "платить", "денег", "pay*", "опл*", "a.b", "(x)", "c++", "?", "$", "\\d",
                          "как можно", "вы", "не", "ё", "x*y", "*"])


@st.composite
def _seq_items(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["word", "alt", "opt", "any", "gap", "junk"]))
    if kind == "word":
        return str(draw(_WORDS)).replace(" ", "_")
    if kind in ("alt", "opt"):
        alts = draw(st.lists(_WORDS, min_size=1, max_size=3))
        return "[" + "|".join(alts) + "]" + ("?" if kind == "opt" else "")
    if kind == "any":
        return "_"
    if kind == "gap":
        return f"~{draw(st.integers(0, 6))}-{draw(st.integers(0, 6))}"
    return str(draw(st.sampled_from(["[a", "a]", "[]", "~x", "~1", "~3-1", "~0-4294967296", "[|]"])))


@settings(max_examples=300, deadline=None)
@given(st.lists(_seq_items(), min_size=1, max_size=5), st.sampled_from(["ru", "en"]))
def test_seq_sources_always_compile_or_fail_at_load(items: list[str], lang: str) -> None:
    """Seq regexes are compiled lazily, so every source that loads must compile."""
    seq = " ".join(items)
    try:
        src, _ = seq_source(seq, lang)
    except RuleError:
        return
    re.compile(src)
    re.compile(" " + src[len("(?<= )"):])


def test_every_shipped_rule_pattern_compiles() -> None:
    for lang in ("ru", "en"):
        for r in build_ruleset(lang, cache_dir=None).rules:
            assert r.pattern is not None and all(u is not None for u in r.unless), r.id


@pytest.mark.parametrize(
    "seq",
    ["you did it?", "[don''t|do not] care", "не ~0-2 буду?"],
)
def test_rule_typos_that_could_never_match_fail_at_load(seq: str) -> None:
    """A bare ``word?`` and YAML's doubled apostrophe compile to literals no message has."""
    with pytest.raises(RuleError):
        seq_source(seq, "en")


def test_digit_groups_in_rules_match_the_tokens_of_a_message() -> None:
    """"10,000" is three tokens in a message; a rule spelling it as one word never matched."""
    from clientguard.nlp.api import message_view

    src, _ = seq_source("[1,000|10,000] ~0-2 followers", "en")
    lemmas = message_view("we want 10,000 new followers", "en")[0]
    assert re.search(src, " " + " ".join(lemmas) + " ")
