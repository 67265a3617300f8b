"""Public NLP entry points: ``analyze_text``, ``analyze_texts`` and ``iter_analyze``.

Everything heavy (rule sets, pymorphy3, the optional toxicity model) is loaded once,
lazily, on first use. Per message: normalise → tokens/lemmas → negation → rules and
the obscenity lexicon; per batch: the statistical layer in one numpy pass, then the
optional toxicity model only for messages where it can still change a verdict.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from clientguard.domain import Evidence, MessageAnalysis
from clientguard.nlp.calibration import Calibration, load_calibration
from clientguard.nlp.lang import LANGS, detect_lang
from clientguard.nlp.mat_aim import aimed_hit
from clientguard.nlp.negation import negation_flags
from clientguard.nlp.normalize import normalize
from clientguard.nlp.obscenity import obscenity_hits
from clientguard.nlp.rules import Hit, View, load_ruleset, make_hit
from clientguard.nlp.scoring import (
    SupportGuard,
    load_support_guards,
    rule_scores,
    thresholds,
    unsupported,
)
from clientguard.nlp.statmodel import MODEL_VERSION, load_model
from clientguard.nlp.tokens import token_columns
from clientguard.taxonomy import SIGNALS

log = logging.getLogger(__name__)

# How much each toxicity-model output may add to a rule score (noisy-OR weight).
# Measured on dev + our holdout: at weight 0.9 the model alone raised the neutral FP rate
# (en holdout 8.7% → 21.7%: it reads harsh but civil criticism as insult), so it is a
# SUPPORTING scorer: weight·p stays below the 0.5 threshold and only tips a weak rule hit.
TOXICITY_MAP: dict[str, tuple[str, float]] = {
    "insult": ("insult", 0.45),
    "obscenity": ("obscenity", 0.45),
    "manipulation": ("threat", 0.35),
}


# Signals the statistical layer does not vote on: obscenity is a closed lexical class
# (the lexicon is exact, F1 1.0 on dev), and char n-grams of "застрахуйте"/"употреблять"
# are exactly the false positives the lexicon guards against.
STAT_EXCLUDED: frozenset[str] = frozenset({"obscenity"})


@dataclass(frozen=True)
class Explained:
    """An analysis plus every hit that contributed (for ``check --explain``)."""

    analysis: MessageAnalysis
    hits: tuple[Hit, ...]


def _layers() -> frozenset[str]:
    """Scorers to use: ``CLIENTGUARD_NLP_LAYERS`` (comma list of rules,stat,toxicity; default all).

    Rules always run; the switch exists so that the benchmark can report each layer's share.
    """
    raw = os.environ.get("CLIENTGUARD_NLP_LAYERS", "rules,stat,toxicity")
    if os.environ.get("CLIENTGUARD_RULES_ONLY"):
        raw = "rules"
    return frozenset(x.strip() for x in raw.split(","))


@cache
def _toxicity() -> Any | None:
    """The colleague's toxicity model when its module and artifact load, else None."""
    models = Path(__file__).with_name("models")
    if not any(models.glob("toxicity*.npz")):
        return None  # no artifact: do not even pay for importing numpy/scipy
    try:
        from clientguard.nlp import toxicity  # type: ignore[attr-defined,unused-ignore]

        return toxicity.ToxicityModel.load()
    except Exception as exc:  # any failure just disables this optional scorer
        log.debug("toxicity model unavailable: %s", exc)
        return None


def warm_up() -> None:
    """Load rule sets, the morphology analyser and optional models now."""
    for lang in LANGS:
        load_ruleset(lang)
    analyze_texts(["прогрев", "warm up"])


def message_view(text: str, lang: str) -> tuple[list[str], str]:
    """Lemmas and normalised text of one message (what the statistical layer reads)."""
    norm = normalize(text)
    return token_columns(norm, lang)[1], norm.text


_new = object.__new__
_set = object.__setattr__


def _hits(text: str, lang: str) -> tuple[list[Hit], list[str], str]:
    """Rule and lexicon hits of one message, plus its lemmas and normalised text.

    Hot path: tokens are handled as columns (texts, lemmas, original spans, negation
    flags; see :func:`tokens.token_columns`) and the frozen ``View`` is built by setting
    its instance dict in one call (an equal object, fields in declaration order).
    """
    norm = normalize(text)
    words, lemmas, ostarts, oends = token_columns(norm, lang)
    # " l1 l2 ... ln " and the start of each lemma in it (1, then +len+1 per lemma).
    pos = tuple(accumulate([len(w) + 1 for w in lemmas[:-1]], initial=1)) if lemmas else ()
    view = _new(View)
    _set(view, "__dict__", {
        "lemma_str": " " + " ".join(lemmas) + " " if lemmas else " ",
        "tok_pos": pos,
        "ospans": tuple(zip(ostarts, oends, strict=True)),
        "negated": tuple(negation_flags(words, lang)),
        "norm_text": norm.text,
        "norm_starts": norm.starts,
        "norm_ends": norm.ends,
        "raw_text": text,
        "lemmas": frozenset(lemmas),
    })
    hits = load_ruleset(lang).match(view) if words else []
    mat = obscenity_hits(words, ostarts, oends, text, lang)
    if mat:
        hits.extend(mat)
        hits.extend(_mat_at_work(mat, words, lemmas, ostarts, oends, text, view.lemma_str, lang))
    return hits, lemmas, norm.text


def _mat_at_work(
    mat: list[Hit], words: list[str], lemmas: list[str], ostarts: list[int], oends: list[int], text: str,
    lemma_str: str, lang: str,
) -> list[Hit]:
    """An ``insult`` hit when an obscene word is aimed at the specialist, team or work.

    Spec: obscenity is labelled whoever it targets, insult only when the specialist, team or
    their work is demeaned ("это х*йня, а не дизайн", "вы что, е**нулись?"), not for mat about
    a competitor, the bank or the algorithm, an exclamation or self-blame. The aim words,
    window, exclamations, third parties and vetoes are data: ``rules/<lang>/insult_mat_aim.yaml``
    (read by :mod:`clientguard.nlp.mat_aim`, only for messages that contain mat).
    """
    return aimed_hit(mat, words, lemmas, ostarts, oends, text, lemma_str, lang)


def _analysis(
    text: str, lang: str, hits: list[Hit], tox: dict[str, float] | None, cal: Calibration | None,
    guard: SupportGuard | None = None,
) -> MessageAnalysis:
    if tox:
        for sig, (key, w) in TOXICITY_MAP.items():
            p = float(tox.get(key, 0.0)) * w
            if p > 0.05:
                hits.append(Hit(f"model.toxicity.{key}", sig, 0, len(text), p))
    scores = rule_scores(hits)
    th = thresholds()
    labels = tuple([s for s in SIGNALS if scores[s] >= th[s]])
    if guard is not None and labels:  # a lone moderate rule the models do not back labels nothing
        held = unsupported(hits, labels, guard, STAT_EXCLUDED)
        if held:
            for s in held:
                scores[s] = guard.cap if guard.cap < scores[s] else scores[s]
            labels = tuple([s for s in labels if s not in held])
    ev: dict[str, tuple[Evidence, ...]] = {}
    for s in labels:
        spans = {(h.start, h.end, h.rule) for h in hits if h.signal == s and h.weight > 0}
        ev[s] = tuple(Evidence(a, b, r) for a, b, r in sorted(spans))
    # Most scores are exactly 0.0 (or -0.0), which ``round`` returns unchanged: skip the call.
    # The reported score is calibrated (a monotone map fixing 0.5, so labels above stand).
    rounded: dict[str, float] = {}
    for s in SIGNALS:
        v = scores[s]
        rounded[s] = (round(cal(v) if cal is not None else v, 4)) if v else v
    return MessageAnalysis(labels, rounded, ev, lang)


# Messages per internal pass. Results do not depend on it (a batch equals one call per
# message, tested); it bounds the per-pass work arrays, e.g. the statistical layer's
# sparse matrix of ~200 entries per message, which for a million messages at once would
# have taken gigabytes.
CHUNK = 2048


def explain_texts(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[Explained]:
    """Analyse ``texts`` and keep every hit (rules, lexicons, models) that fired."""
    if langs is not None and len(langs) != len(texts):
        raise ValueError(f"expected {len(texts)} langs, got {len(langs)}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"expected str texts, got {type(text).__name__} at index {i}")
    if len(texts) <= CHUNK:
        return _explain_chunk(texts, langs)
    out: list[Explained] = []
    for k in range(0, len(texts), CHUNK):
        out += _explain_chunk(texts[k : k + CHUNK], None if langs is None else langs[k : k + CHUNK])
    return out


def _explain_chunk(texts: Sequence[str], langs: Sequence[str | None] | None) -> list[Explained]:
    layers = _layers()
    use_toxicity = "toxicity" in layers
    stat = load_model() if "stat" in layers else None
    hits_all: list[list[Hit]] = []
    views: list[tuple[list[str], str]] = []
    lang_all: list[str] = []
    for i, text in enumerate(texts):
        lang = (langs[i] if langs is not None else None) or detect_lang(text)
        if lang not in LANGS:
            raise ValueError(f"expected lang in {LANGS}, got {lang!r}")
        lang_all.append(lang)
        if text.strip():
            hits, lemmas, norm_text = _hits(text, lang)
        else:
            hits, lemmas, norm_text = [], [], ""
        hits_all.append(hits)
        views.append((lemmas, norm_text))
    if stat is not None and texts:
        _add_stat_hits(stat, views, texts, hits_all)
    # The model-support guard reads the statistical layer's hits: without that layer
    # (rules only) it would silence every lone rule, so it is off then.
    # The toxicity pre-check reads the unguarded scores: letting a guarded lone rule ask the
    # toxicity model for support was measured worse (it tips more neutral look-alikes).
    guards = load_support_guards() if stat is not None else {}
    guard_all = [guards.get(lang) for lang in lang_all]
    for i, g in enumerate(guard_all):
        if g is not None and len(views[i][0]) < g.min_tokens:
            guard_all[i] = None
    tox: list[dict[str, float] | None] = [None] * len(texts)
    if use_toxicity and texts:
        tox = _toxicity_where_it_matters(_toxicity, texts, hits_all)
    cal = load_calibration()  # once per batch, not per message
    return [
        Explained(_analysis(text, lang_all[i], hits_all[i], tox[i], cal, guard_all[i]), tuple(hits_all[i]))
        for i, text in enumerate(texts)
    ]


_STAT_RULE = f"model.{MODEL_VERSION}"


def _add_stat_hits(
    stat: Any, views: list[tuple[list[str], str]], texts: Sequence[str], hits_all: list[list[Hit]]
) -> None:
    """Append the statistical layer's hits (blend·p ≥ 0.05, signals in model order).

    The weights are computed as one numpy product over the batch (``blend * p`` is the same
    IEEE multiplication as per float); only the few cells over 0.05 become Python objects.
    """
    w = stat.blend * stat.predict_matrix(views)
    mask = w >= 0.05
    for j, sig in enumerate(stat.signals):
        if sig in STAT_EXCLUDED:
            mask[:, j] = False
    empty = [i for i, (lemmas, _) in enumerate(views) if not lemmas]
    if empty:
        mask[empty] = False
    rows, cols = mask.nonzero()  # row-major: per message, signals stay in model order
    sigs = stat.signals
    for i, j, v in zip(rows.tolist(), cols.tolist(), w[rows, cols].tolist(), strict=True):
        hits_all[i].append(make_hit(_STAT_RULE, sigs[j], 0, len(texts[i]), round(v, 4)))


# The supporting scorer can only change a verdict when a signal it feeds is already
# borderline (some evidence, not yet labelled); scoring only those messages keeps most
# of the batch free of its cost. Scores of other messages simply lack its share.
BORDERLINE = (0.15, 0.5)


def _toxicity_where_it_matters(
    load: Callable[[], Any | None], texts: Sequence[str], hits_all: list[list[Hit]]
) -> list[dict[str, float] | None]:
    """Toxicity scores for the borderline messages only; the model is loaded on first need,
    so a batch with no borderline message (most short screenings) never pays its load time."""
    out: list[dict[str, float] | None] = [None] * len(texts)
    lo, hi = BORDERLINE
    idx = []
    for i, hits in enumerate(hits_all):
        sel = [h for h in hits if h.signal in TOXICITY_MAP]
        if not sel:
            continue  # all its pre-scores are 0.0 < lo: never borderline
        pre = rule_scores(sel)
        if any(lo <= pre[s] < hi for s in TOXICITY_MAP):
            idx.append(i)
    if not idx:
        return out
    model = load()
    if model is None:
        return out
    try:
        preds = list(model.predict([texts[i] for i in idx]))
    except Exception as exc:  # a failing optional scorer must not fail the analysis
        log.warning("toxicity model failed, continuing without it: %s", exc)
        return out
    for i, p in zip(idx, preds, strict=True):
        out[i] = p
    return out


def analyze_texts(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[MessageAnalysis]:
    """Analyse many messages at once (rules and models load once, lazily)."""
    return [e.analysis for e in explain_texts(texts, langs)]


def iter_analyze(
    texts: Iterable[str], langs: Iterable[str | None] | None = None, batch: int = 512
) -> Iterator[MessageAnalysis]:
    """Analyses of ``texts`` in order, lazily: the batch form for millions of messages.

    Reads ``batch`` texts at a time from any iterable (a file, a database cursor) and
    yields each result before reading further, so memory stays flat however many
    messages pass; results equal :func:`analyze_texts` on the same texts.
    """
    if batch < 1:
        raise ValueError(f"expected batch >= 1, got {batch}")
    text_it = iter(texts)
    lang_it = iter(langs) if langs is not None else None
    while True:
        chunk = list(islice(text_it, batch))
        if not chunk:
            if lang_it is not None and next(lang_it, _END) is not _END:
                raise ValueError("expected as many langs as texts, got more langs")
            return
        chunk_langs = None if lang_it is None else list(islice(lang_it, len(chunk)))
        if chunk_langs is not None and len(chunk_langs) != len(chunk):
            raise ValueError("expected as many langs as texts, got fewer langs")
        yield from analyze_texts(chunk, chunk_langs)


_END = object()


def analyze_text(text: str, lang: str | None = None) -> MessageAnalysis:
    """Analyse one client message; ``lang`` is detected from the script when None."""
    return analyze_texts([text], [lang])[0]


def release() -> None:
    """Drop every model, rule set and memo :mod:`clientguard.nlp` has loaded; they load again on next use.

    Why: once loaded they stay for the life of the process (~125 MB at 50,000 messages:
    the statistical model and its char n-gram trie, the morphology dictionaries, the
    compiled rules, the toxicity model, the word/lemma memos), which a server wants and a
    one-shot command does not. ``clientguard evidence export`` flags the messages first
    and never analyses again, so it releases them before reading the log
    (:func:`clientguard.evidence.dispute.prepare`); its peak was those caches plus the
    chronology. Not for the web server: it would reload them (~1-2 s) on the next page.
    Every ``functools`` cache defined in a loaded ``clientguard.nlp`` module is cleared,
    and the module-level and class-level caches that are plain dicts.
    """
    import gc
    import sys

    for name, module in list(sys.modules.items()):
        if module is None or not (name == "clientguard.nlp" or name.startswith("clientguard.nlp.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
    statmodel = sys.modules.get("clientguard.nlp.statmodel")
    if statmodel is not None:
        statmodel._TYPED.clear()
        statmodel._CHARTAB.clear()
    toxicity = sys.modules.get("clientguard.nlp.toxicity")
    if toxicity is not None:
        toxicity.clear_feature_cache()
        toxicity.ToxicityModel.clear_cache()
        toxicity._HEAD_BINS.clear()
    toxicity_nn = sys.modules.get("clientguard.nlp.toxicity_nn")
    if toxicity_nn is not None:
        toxicity_nn.AccurateToxicityModel.clear_accurate_cache()
    gc.collect()
