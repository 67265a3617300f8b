"""Mat aimed at the specialist is an insult; mat about anything else is obscenity only.

``tests/fixtures/nlp/mat_aim_cases.jsonl`` holds hand-written messages (none copied from a
tuning, dev or held-out set). Each row is one of

* ``pos`` -- mat aimed at the reader, the team or their work ("это х*йня, а не дизайн",
  "what the fuck is this design"): ``insult`` must be labelled and the ``mat_at_work``
  hit must fire, so the aim check itself is what keeps these true positives;
* ``not`` -- mat aimed at a third party (competitor, printer, bank, algorithm), used as an
  exclamation without anyone addressed, as praise, or in self-blame: no ``mat_at_work``
  hit and no ``insult``. Every ``not`` row made the old proxy (a mat root plus
  "вы/это/кто/you/this" anywhere in the message) fire.

Both kinds stay ``obscenity`` (spec: obscenity whoever it targets). Rules only, so the
check is deterministic and does not depend on the statistical or toxicity models.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from clientguard.nlp import mat_aim, rulecache
from clientguard.nlp.rules import RULES_DIR, RuleError, _read_rule_files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"
CASES = FIXTURES / "mat_aim_cases.jsonl"


def _rows() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ROWS = _rows()


def _of(kind: str) -> list[tuple[str, str]]:
    return [(r["lang"], r["text"]) for r in ROWS if r["kind"] == kind]


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


def _explain(text: str, lang: str) -> tuple[tuple[str, ...], set[str]]:
    from clientguard.nlp.api import explain_texts

    e = explain_texts([text], [lang])[0]
    return e.analysis.labels, {h.rule for h in e.hits}


def test_fixture_is_well_formed() -> None:
    assert len(ROWS) >= 40
    kinds = Counter((r["lang"], r["kind"]) for r in ROWS)
    for lang in ("ru", "en"):
        assert kinds[(lang, "pos")] >= 8, kinds
        assert kinds[(lang, "not")] >= 10, kinds
    assert all(set(r) == {"kind", "lang", "text"} for r in ROWS)
    assert len({r["text"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize(("lang", "text"), _of("pos"), ids=lambda v: str(v)[:40])
def test_mat_aimed_at_the_work_is_an_insult(lang: str, text: str) -> None:
    labels, rules = _explain(text, lang)
    assert "obscenity" in labels
    assert "insult" in labels
    assert f"{lang}.insult.mat_at_work" in rules


@pytest.mark.parametrize(("lang", "text"), _of("not"), ids=lambda v: str(v)[:40])
def test_mat_not_aimed_is_obscenity_only(lang: str, text: str) -> None:
    labels, rules = _explain(text, lang)
    assert "obscenity" in labels
    assert "insult" not in labels
    assert f"{lang}.insult.mat_at_work" not in rules


@pytest.mark.parametrize(
    ("word", "listed"),
    [("пох*й", True), ("по**й", True), ("похуй", True), ("ох*еть", True), ("ни*уя", True),
     ("ох*ели", False), ("оху*ли", False), ("х*йня", False), ("е**нулись", False)],
)
def test_exclamations_match_hidden_letters_as_whole_forms(word: str, listed: bool) -> None:
    """A hidden run stands for 1-3 letters of a whole listed form: "ох*ели" (aimed, "you've
    gone mad") must not read as the exclamation "охуеть"."""
    assert mat_aim.mat_aim("ru").exclamations.has(word) is listed


def test_praise_forms_do_not_swallow_aimed_verbs() -> None:
    praise = mat_aim.mat_aim("ru").praise
    assert praise.has("ох*енно") and praise.has("охуенные")
    assert not praise.has("оху*ли")


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped rule files (edited by the tests below)."""
    dst = tmp_path / "rules"
    shutil.copytree(RULES_DIR, dst)
    return dst


def test_the_yaml_is_read_and_an_edit_is_picked_up(rules_copy: Path) -> None:
    """The data lives in rules/<lang>/insult_mat_aim.yaml: an edit changes the loaded lists
    and the compiled-rule cache key (the file is one of the language's rule files)."""
    path = rules_copy / "en" / mat_aim.FILE_NAME

    def key() -> str:
        files = _read_rule_files("en", rules_copy)
        return rulecache.ruleset_key("en", [(p.name, raw) for p, raw in files])

    before, k0 = mat_aim.load("en", rules_copy), key()
    assert before.third_party.has("printer") and before.window == 4
    text = path.read_text(encoding="utf-8").replace("third_party: [competitor*, printer*, ", "third_party: [")
    text = text.replace("  window: 4\n", "  window: 2\n")
    path.write_text(text, encoding="utf-8")
    after = mat_aim.load("en", rules_copy)
    assert not after.third_party.has("printer") and after.window == 2
    assert key() != k0


def test_malformed_lists_fail_at_load(rules_copy: Path) -> None:
    path = rules_copy / "ru" / mat_aim.FILE_NAME
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("openers: [fuck,", 'openers: ["fu*",'), encoding="utf-8")
    with pytest.raises(RuleError, match="whole one-word forms"):
        mat_aim.load("ru", rules_copy)
    path.write_text(good.replace('    - "ж ты ж"\n', '    - "ж [ты"\n'), encoding="utf-8")
    with pytest.raises(RuleError, match="veto"):
        mat_aim.load("ru", rules_copy)


def test_a_long_message_of_mat_stays_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each obscene word costs a window's worth of work: tokens are found by bisection."""
    calls: list[int] = []
    real = mat_aim._side

    def spy(first: int, step: int, c: mat_aim._Cols, limit: int) -> tuple[list[int], list[int], bool]:
        out = real(first, step, c, limit)
        calls.append(len(out[0]))
        return out

    monkeypatch.setattr(mat_aim, "_side", spy)
    labels, _ = _explain("х*йня с банком, " * 3000, "ru")
    assert "obscenity" in labels and "insult" not in labels
    assert len(calls) == 2 * 3000 and max(calls) <= mat_aim.mat_aim("ru").window
