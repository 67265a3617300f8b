"""Floors on the sets written outside dev: the fresh held-out sets and the tuning sets.

``tests/fixtures/nlp/holdout5_*``, ``holdout6_*``, ``holdout7_*`` and ``tests/fixtures/holdout_sets/``
were written on 2026-11-24 by people who never saw the rules and have never been tuned on; their floors
sit a little under the measured figures (README, "Fresh data"), so a change that makes
the product generalise worse fails here even when dev still looks perfect. The tuning
sets (``tune6_*`` … ``tune9_*``, ``tune_sets/``) are in-sample for the rules;
their floors guard the work done on them. Figures: ``python bench/eval_fresh.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NLP = FIXTURES / "nlp"
HOLD = FIXTURES / "holdout_sets"
TUNE = FIXTURES / "tune_sets"

# (file, macro-F1 floor, neutral FP ceiling), default layers
SIGNAL_FLOORS = [  # measured 2026-11-24, end of the sixth session (README "Message signals")
    ("holdout5_ru.jsonl", 0.81, 0.09),  # 0.842 / 7.7%
    ("holdout5_en.jsonl", 0.83, 0.10),  # 0.869 / 7.7%
    ("holdout6_ru.jsonl", 0.80, 0.10),  # 0.835 / 7.7%
    ("holdout6_en.jsonl", 0.72, 0.07),  # 0.759 / 4.7%
    ("holdout7_ru.jsonl", 0.77, 0.14),  # 0.800 / 12% (read at the end; session start 0.767 / 11%)
    ("holdout7_en.jsonl", 0.76, 0.14),  # 0.800 / 12% (0.793 at its first read; session start 0.757 / 10%)
    ("tune6_ru.jsonl", 0.92, 0.04),
    ("tune6_en.jsonl", 0.94, 0.04),
    ("tune7_ru.jsonl", 0.95, 0.03),
    ("tune7_en.jsonl", 0.94, 0.03),
    ("tune8_ru.jsonl", 0.90, 0.03),
    ("tune8_en.jsonl", 0.90, 1.0),  # one neutral message in the set: no FP ceiling
    ("tune9_ru.jsonl", 0.89, 0.04),  # 0.926 / 1% (before tuning: 0.726 / 13%)
    ("tune9_en.jsonl", 0.93, 0.02),  # 0.954 / 0% (before tuning: 0.740 / 8%)
    # pool20 (twentieth session, a writer who never saw the code), first read / after rule pass 20
    ("holdout20_ru.jsonl", 0.77, 0.12),  # 0.809 / 9.5% both
    ("holdout20_en.jsonl", 0.87, 0.11),  # 0.913 / 7.9% both
    ("tune20_ru.jsonl", 0.82, 0.04),  # 0.838 / 4.8% -> 0.855 / 2.9%
    ("tune20_en.jsonl", 0.78, 0.07),  # 0.788 / 7.5% -> 0.809 / 5.0%
    # pool21 (twenty-first session, another writer who never saw the code), first read / after pass 21
    ("holdout21_ru.jsonl", 0.77, 0.11),  # 0.802 / 8.5% both
    ("holdout21_en.jsonl", 0.70, 0.14),  # 0.732 / 11.8% both
    ("tune21_ru.jsonl", 0.88, 0.02),  # 0.805 / 7.1% -> 0.910 / 0%
    ("tune21_en.jsonl", 0.80, 0.05),  # 0.616 / 10.1% -> 0.843 / 2.9%
]


@pytest.mark.parametrize(("name", "floor", "fp_ceiling"), SIGNAL_FLOORS)
def test_message_signals_on_fresh_sets(name: str, floor: float, fp_ceiling: float) -> None:
    from clientguard.nlp.evaluate import evaluate_records, read_labelled

    rep = evaluate_records(read_labelled(NLP / name))
    assert rep.macro_f1 >= floor, f"{name}: macro-F1 {rep.macro_f1:.3f} < {floor}"
    assert rep.neutral_fp_rate <= fp_ceiling, f"{name}: FP {rep.neutral_fp_rate:.3f} > {fp_ceiling}"


def test_conversations_held_out() -> None:
    from clientguard.analysis.evaluate import evaluate

    d = evaluate(HOLD / "conversations").to_dict()
    assert d["conversations"] == 8
    assert d["recommendation_accuracy"] >= 0.75
    assert d["archetype_macro_f1"] >= 0.60  # 0.636 measured (0.545 before the context step)


def test_conversations_s14() -> None:
    """The fourteenth session's pool: the tuning part (in-sample since helper-114's rule pass
    13 and bad-payer recommendation rules) and its held-out twin (scored only, never read)."""
    from clientguard.analysis.evaluate import evaluate

    tune = evaluate(TUNE / "conversations_s14").to_dict()
    assert tune["conversations"] == 14
    assert tune["recommendation_accuracy"] >= 0.92  # 1.000 measured (0.786 before tuning)
    assert tune["archetype_macro_f1"] >= 0.74  # 0.770 measured (0.721 before)
    assert tune["message_micro_f1"] >= 0.72  # 0.743 measured (0.658 before)
    held = evaluate(HOLD / "conversations_s14").to_dict()
    assert held["conversations"] == 10
    assert held["recommendation_accuracy"] >= 0.60  # 0.700 measured, before and after tuning
    # 0.515 measured before and after tuning; 0.455 since the Russian model-support guard
    # (rules/model_support.yaml, one archetype fewer in 10 chats, the 32 tuning chats unchanged;
    # CLIENTGUARD_MODEL_SUPPORT=off gives 0.515 back). Lowered knowingly, not for an improvement.
    assert held["archetype_macro_f1"] >= 0.44
    assert held["message_micro_f1"] >= 0.62  # 0.648 measured (0.652 before tuning)


def test_conversations_s16() -> None:
    """The sixteenth session's pool: the tuning part (in-sample since rule pass 16b and the
    conversation fixes of that session) and its held-out twin (scored only, never read)."""
    from clientguard.analysis.evaluate import evaluate

    tune = evaluate(TUNE / "conversations_s16").to_dict()
    assert tune["conversations"] == 12
    assert tune["archetype_macro_f1"] >= 0.80  # 0.848 measured (0.679 before tuning)
    assert tune["recommendation_accuracy"] >= 0.66  # 0.750 measured, before and after
    assert tune["message_micro_f1"] >= 0.82  # 0.856 measured (0.667 before)
    held = evaluate(HOLD / "conversations_s16").to_dict()
    assert held["conversations"] == 12
    assert held["archetype_macro_f1"] >= 0.65  # 0.709 before and after tuning; 0.800 since quote_replies
    assert held["recommendation_accuracy"] >= 0.66  # 0.750 measured, before and after
    assert held["message_micro_f1"] >= 0.56  # 0.586 measured (0.584 before tuning); 0.590 since quote_replies
    oracle = evaluate(HOLD / "conversations_s16", oracle=True).to_dict()
    assert oracle["archetype_macro_f1"] >= 0.95 and oracle["recommendation_accuracy"] >= 0.9  # 1.0 / 1.0


@pytest.mark.parametrize(
    ("pool", "archetype", "recommendation", "message", "oracle"),
    [
        # eighteenth session (a new writer, no tuning twin; scored only): measured 0.673 / 0.833 /
        # 0.642 on first sight; gold message labels 0.879 / 0.917
        ("conversations_s18", 0.62, 0.75, 0.61, (0.85, 0.9)),
        # nineteenth session (another new writer, no tuning twin; scored only): measured 0.727 /
        # 0.750 / 0.732 on first sight; gold message labels 1.0 / 0.833
        ("conversations_s19", 0.68, 0.66, 0.70, (0.95, 0.75)),
    ],
)
def test_fresh_conversation_pools(
    pool: str, archetype: float, recommendation: float, message: float, oracle: tuple[float, float]
) -> None:
    """The held-out chats written without a tuning twin, by writers who never saw the code."""
    from clientguard.analysis.evaluate import evaluate

    held = evaluate(HOLD / pool).to_dict()
    assert held["conversations"] == 12
    assert held["archetype_macro_f1"] >= archetype
    assert held["recommendation_accuracy"] >= recommendation
    assert held["message_micro_f1"] >= message
    gold = evaluate(HOLD / pool, oracle=True).to_dict()  # with the gold message labels
    assert gold["archetype_macro_f1"] >= oracle[0] and gold["recommendation_accuracy"] >= oracle[1]


@pytest.mark.parametrize(("folder", "floor"), [(HOLD / "leads", 0.75), (TUNE / "leads", 0.75)])
def test_lead_decisions(folder: Path, floor: float) -> None:
    from clientguard.presale.evaluate import evaluate_leads

    rep = evaluate_leads(folder)
    assert rep.accuracy >= floor, f"{folder.name}: decision accuracy {rep.accuracy:.3f} < {floor}"


@pytest.mark.parametrize(("folder", "floor"), [(HOLD / "contracts", 0.90), (TUNE / "contracts", 0.95)])
def test_contract_clauses(folder: Path, floor: float) -> None:
    from clientguard.contracts.evaluate import evaluate_dir

    s = evaluate_dir(folder).overall
    assert s.clause_macro_f1 >= floor, f"{folder}: clause macro-F1 {s.clause_macro_f1:.3f} < {floor}"


def test_conversations_s21() -> None:
    """The twenty-first session's pool (a new writer): six tuning chats (in-sample since rule pass
    21) and their four held-out twins (scored only, never read)."""
    from clientguard.analysis.evaluate import evaluate

    tune = evaluate(TUNE / "conversations_s21").to_dict()
    assert tune["conversations"] == 6
    assert tune["message_micro_f1"] >= 0.69  # 0.635 before pass 21, 0.718 after
    assert tune["archetype_macro_f1"] >= 0.70  # 0.636 -> 0.727
    held = evaluate(HOLD / "conversations_s21").to_dict()
    assert held["conversations"] == 4
    assert held["message_micro_f1"] >= 0.66  # 0.694 before and after
    assert held["archetype_macro_f1"] >= 0.75  # 0.818 before and after
    gold = evaluate(HOLD / "conversations_s21", oracle=True).to_dict()
    assert gold["archetype_macro_f1"] >= 0.85  # 0.879 with the gold message labels
