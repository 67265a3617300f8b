"""Accurate toxicity mode (cascaded LR + navec BiGRU seed ensemble + NB-SVM): loading, guard rails,
cascade, numpy GRU.

The GRU test compares the numpy inference with ``torch.nn.GRU`` when torch is installed
(it is a training-only tool), and with a plain per-step loop always: the exported weight
layout is the one place where a silent mismatch would still produce plausible numbers. The
ensemble tests check that K members batched into one recurrence equal K separate nets, and
that vocabulary vectors built on first use from navec codes equal precomputed ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from clientguard.errors import ModelError
from clientguard.nlp import toxicity as tx
from clientguard.nlp import toxicity_nn as tn
from clientguard.nlp.toxicity import ToxicityModel

TOXIC = [
    "ты тупой идиот, переделывай",
    "Вы там совсем охуели? Третий день жду макет.",
    "х*йню вы сделали",
    "ну ты и мyдак",
    "да пошли вы со своим сервисом, уроды",
]
NEUTRAL = [
    "Добрый день! Пришлите, пожалуйста, контент-план на следующую неделю.",
    "Спасибо, всё отлично, оплату переведу завтра.",
    "Когда будет готов макет баннера?",
    "Застрахуйте груз, пожалуйста.",
    "Скипидар для обработки поверхности.",
]


# every shipped version (the default one must be among them): the behaviour tests run on each
SHIPPED = [v for v in tn.NN_VERSIONS if (tx.DEFAULT_DIR / f"{v}.json").is_file()]
V3 = "toxicity_nn.v3"


def test_the_default_version_ships() -> None:
    assert tn.NN_VERSION in SHIPPED
    assert V3 in SHIPPED


@pytest.fixture(scope="module", params=SHIPPED)
def acc(request: pytest.FixtureRequest) -> tn.AccurateToxicityModel:
    return tn.load_accurate(version=request.param)


def test_load_is_cached_versioned_and_checksummed(acc: tn.AccurateToxicityModel) -> None:
    version = acc.nn_meta["version"]
    assert tn.load_accurate(version=version) is acc
    assert (tn.load_accurate() is acc) == (version == tn.NN_VERSION)
    assert acc.nn_meta["sha256"] == tx.sha256_file(tx.DEFAULT_DIR / f"{version}.npz")
    # the stacker was fitted on top of exactly this LR artifact
    assert acc.nn_meta["lr_model"]["sha256"] == acc.meta["sha256"]
    lo, hi = acc.band
    assert lo <= acc.threshold < hi and lo <= 0.5 < hi
    assert (tx.DEFAULT_DIR / f"{version}.npz").stat().st_size <= 15_000_000


def test_v3_records_its_ensemble_and_rebuild_command() -> None:
    acc = tn.load_accurate(version=V3)
    ens = acc.nn_meta["ensemble"]
    assert acc.nn.members == ens["members"] == len(ens["seeds"])
    assert acc.nn_meta["rebuild"].startswith("python -m clientguard.nlp.train_toxicity_nn")
    metrics = json.loads((tx.DEFAULT_DIR / f"{V3}.metrics.json").read_text(encoding="utf-8"))
    assert metrics["eval_only_run"] is False  # the test figures come from the one rebuild command


def test_v3_configuration_follows_the_validation_rule() -> None:
    """The ensemble size and stacker input are the best cross-validated pikabu F1 among the
    configurations whose proxy AUC is at least the LR's (validation rows only, recorded in the JSON)."""
    meta = tn.load_accurate(version=V3).nn_meta
    tried = meta["model"]["ensembles_tried"]
    lr_proxy = meta["validation"]["proxy_auc"]["lr"]
    ok = {k: v for k, v in tried.items() if v["proxy_auc_cascade"] >= lr_proxy} or tried
    best = max(v["cv_5x5_stacker_and_threshold_refit"]["f1"] for v in ok.values())
    chosen = f"{meta['ensemble']['members']}:{meta['ensemble']['stack_input']}"
    assert tried[chosen]["cv_5x5_stacker_and_threshold_refit"]["f1"] == best
    assert chosen in ok


def test_env_switch_selects_the_accurate_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_TOXICITY_MODE", "accurate")
    assert isinstance(ToxicityModel.load(), tn.AccurateToxicityModel)
    monkeypatch.delenv("CLIENTGUARD_TOXICITY_MODE")
    assert not isinstance(ToxicityModel.load(), tn.AccurateToxicityModel)


@pytest.mark.parametrize("text", TOXIC)
def test_toxic_is_flagged(acc: tn.AccurateToxicityModel, text: str) -> None:
    assert acc.predict([text])[0]["toxic"] >= acc.threshold, text


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_and_traps_are_not(acc: tn.AccurateToxicityModel, text: str) -> None:
    assert acc.predict([text])[0]["toxic"] < acc.threshold, text


def test_cascade_touches_only_the_uncertain_band(acc: tn.AccurateToxicityModel) -> None:
    texts = [*TOXIC, *NEUTRAL, "", "🙂", "ну такое себе, переделайте", "вы вообще читаете, что я пишу?",
             "Could you tone down the hashtags a bit?", "this is bullshit, you morons", "you are so slow"]
    lr = ToxicityModel.load().predict(texts)
    out = acc.predict(texts)
    lo, hi = acc.band
    changed = 0
    expected = 0
    for text, a, b in zip(texts, lr, out, strict=True):
        assert a["obscenity"] == b["obscenity"] and a["threat"] == b["threat"]
        cyrillic = any("а" <= ch <= "я" or ch == "ё" for ch in text.lower())
        if lo <= a["toxic"] < hi and cyrillic:
            expected += 1
            changed += a["toxic"] != b["toxic"]
            assert b["insult"] == b["toxic"]
        else:  # confident LR, or no Cyrillic (the CNN is Russian-only): the LR score stands
            assert a == b, text
    assert changed >= 1
    assert acc.last_rescored == expected
    assert acc.predict([]) == []


def test_stacked_is_monotone_in_every_member(acc: tn.AccurateToxicityModel) -> None:
    p = np.array([0.1, 0.3, 0.6])
    z = np.zeros(3)
    up = np.array([-2.0, 0.0, 2.0])
    assert np.all(np.diff(acc.stacked(p, z, z)) > 0)
    assert np.all(np.diff(acc.stacked(np.full(3, 0.3), up, z)) > 0)
    assert np.all(np.diff(acc.stacked(np.full(3, 0.3), z, up)) > 0)
    k = acc.nn.members
    for j in range(k):  # each GRU member on its own
        cols = np.zeros((3, k))
        cols[:, j] = up
        assert np.all(np.diff(acc.stacked(np.full(3, 0.3), cols, z)) > 0)
    # a (n,) logit stands for every member: same as K equal columns
    same = acc.stacked(np.full(3, 0.3), np.repeat(up[:, None], k, axis=1), z)
    assert acc.stacked(np.full(3, 0.3), up, z) == pytest.approx(same)


def test_linear_member_is_a_sparse_dot_product(acc: tn.AccurateToxicityModel) -> None:
    texts = ["ты тупой идиот", "Добрый день!", ""]
    indptr, indices, vals = tx.featurize(texts, acc.idf)
    got = acc.lin.scores(indptr, indices, vals)
    for r in range(len(texts)):
        sl = slice(indptr[r], indptr[r + 1])
        want = float(np.dot(acc.lin.w[indices[sl]].astype(np.float64), vals[sl])) + acc.lin.b
        assert got[r] == pytest.approx(want, rel=1e-5, abs=1e-5)


VOCAB = ["привет", "мир", "тест"]


def _random_arrays(k: int, d_nav: int = 3, d_sub: int = 2, hidden: int = 4,
                   seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d = d_nav + d_sub
    f32 = np.float32
    return {"word_vecs": rng.normal(size=(3, k, d)).astype(f32),
            "unk": rng.normal(size=(k, d_nav)).astype(f32),
            "sub": rng.normal(size=(k, 1 << tn.SUB_BITS, d_sub)).astype(f32),
            "wih": rng.normal(size=(k, 2, d, 3 * hidden)).astype(f32),
            "whh": rng.normal(size=(k, 2, hidden, 3 * hidden)).astype(f32),
            "bih": rng.normal(size=(k, 2, 3 * hidden)).astype(f32),
            "bhh": rng.normal(size=(k, 2, 3 * hidden)).astype(f32),
            "out_w": rng.normal(size=(k, 4 * hidden)).astype(f32), "out_b": rng.normal(size=k).astype(f32)}


def _random_net(d_nav: int = 3, d_sub: int = 2, hidden: int = 4, seed: int = 0,
                k: int = 1) -> tn.NeuralToxicity:
    return tn.NeuralToxicity(vocab=VOCAB, **_random_arrays(k, d_nav, d_sub, hidden, seed))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _loop_logit(net: tn.NeuralToxicity, text: str, member: int = 0) -> float:
    """torch.nn.GRU's equations (gates r, z, n) written out step by step, both directions."""
    x = np.stack([net.word_vector(w)[member] for w in tn.tokens(text)]).astype(np.float64)
    hid = net.hidden
    states = []
    for direction, seq in ((2 * member, x), (2 * member + 1, x[::-1])):
        wih, whh = net._wih[direction].astype(np.float64), net._whh[direction].astype(np.float64)
        bih, bhh = net._bih[direction, 0].astype(np.float64), net._bhh[direction, 0].astype(np.float64)
        h = np.zeros(hid)
        hs = []
        for xt in seq:
            gi, gh = xt @ wih + bih, h @ whh + bhh
            r = _sigmoid(gi[:hid] + gh[:hid])
            z = _sigmoid(gi[hid:2 * hid] + gh[hid:2 * hid])
            n = np.tanh(gi[2 * hid:] + r * gh[2 * hid:])
            h = (1 - z) * n + z * h
            hs.append(h)
        states.append(np.array(hs))
    fwd, bwd = states
    pooled = np.concatenate([fwd.max(0), bwd.max(0), fwd.mean(0), bwd.mean(0)])
    return float(pooled @ net._out_w[member].ravel() + net._out_b[member])


@pytest.mark.parametrize("text", ["привет мир тест", "мир", "", "неизвестное слово привет и ещё три"])
def test_numpy_gru_matches_a_step_loop(text: str) -> None:
    net = _random_net()
    assert net.logit(text) == pytest.approx(_loop_logit(net, text), rel=1e-4, abs=1e-4)
    ens = _random_net(seed=3, k=3)
    want = [_loop_logit(ens, text, m) for m in range(3)]
    assert ens.member_logits([text])[0].tolist() == pytest.approx(want, rel=1e-4, abs=1e-4)
    assert ens.logit(text) == pytest.approx(np.mean(want), rel=1e-4, abs=1e-4)


def test_ensemble_equals_separate_members() -> None:
    """K members in one batched recurrence = K one-member nets run one by one."""
    arrs = _random_arrays(3, seed=4)
    ens = tn.NeuralToxicity(vocab=VOCAB, **arrs)
    texts = ["привет мир", "", "тест тест незнакомое", *[" ".join(["мир"] * k) for k in range(1, 12)]]
    got = ens.member_logits(texts)
    for m in range(3):
        one = tn.NeuralToxicity(vocab=VOCAB, **{k: v[:, m:m + 1] if k == "word_vecs" else v[m:m + 1]
                                                for k, v in arrs.items()})
        assert got[:, m].tolist() == pytest.approx(one.logits(texts).tolist(), rel=1e-5, abs=1e-5)


def test_vocabulary_vectors_built_from_navec_codes_equal_precomputed() -> None:
    """v3 builds a word's vectors on first use: tanh(proj_k(decoded navec)) | mean subword rows."""
    rng = np.random.default_rng(5)
    k, q, nav_dim, proj = 2, 3, 6, 3
    arrs = _random_arrays(k, d_nav=proj, seed=6)
    codes = rng.integers(0, 256, size=(len(VOCAB), q)).astype(np.uint8)
    book = rng.normal(size=(q, 256, nav_dim // q)).astype(np.float32)
    pw = rng.normal(size=(k, proj, nav_dim)).astype(np.float32)
    pb = rng.normal(size=(k, proj)).astype(np.float32)
    lazy = tn.NeuralToxicity(vocab=VOCAB, **{**arrs, "word_vecs": None}, navec=(codes, book, pw, pb))
    table = np.zeros((len(VOCAB), k, arrs["word_vecs"].shape[2]), np.float32)
    for i, w in enumerate(VOCAB):
        nav = np.concatenate([book[j, codes[i, j]] for j in range(q)])
        for m in range(k):
            table[i, m, :proj] = np.tanh(pw[m] @ nav + pb[m])
            table[i, m, proj:] = arrs["sub"][m, tn.subword_ids(w)].mean(axis=0)
    eager = tn.NeuralToxicity(vocab=VOCAB, **{**arrs, "word_vecs": table})
    texts = ["привет мир тест", "мир незнакомое", "тест"]
    np.testing.assert_allclose(lazy.member_logits(texts), eager.member_logits(texts), atol=1e-5)
    assert lazy._filled.all()
    with pytest.raises(ModelError, match="navec"):
        tn.NeuralToxicity(vocab=VOCAB, **{**arrs, "word_vecs": None})


def test_numpy_gru_matches_torch_gru() -> None:
    torch = pytest.importorskip("torch")
    net = _random_net(seed=1)
    text = "привет мир тест мир привет"
    x = np.stack([net.word_vector(w)[0] for w in tn.tokens(text)])
    hid = net.hidden
    gru = torch.nn.GRU(x.shape[1], hid, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for sfx, k in (("", 0), ("_reverse", 1)):
            getattr(gru, "weight_ih_l0" + sfx).copy_(torch.tensor(net._wih[k].T))
            getattr(gru, "weight_hh_l0" + sfx).copy_(torch.tensor(net._whh[k].T))
            getattr(gru, "bias_ih_l0" + sfx).copy_(torch.tensor(net._bih[k, 0]))
            getattr(gru, "bias_hh_l0" + sfx).copy_(torch.tensor(net._bhh[k, 0]))
        h = gru(torch.tensor(x).unsqueeze(0))[0][0].numpy()  # (n, 2H): [fwd | bwd] per position
    want = float(np.concatenate([h.max(0), h.mean(0)]) @ net._out_w[0].ravel() + net._out_b[0])
    assert net.logit(text) == pytest.approx(want, rel=1e-4, abs=1e-4)


def _copy_models(dst: Path, version: str) -> Path:
    for name in (tx.META_NAME, tx.ARTIFACT_NAME, f"{version}.json", f"{version}.npz"):
        shutil.copy(tx.DEFAULT_DIR / name, dst / name)
    return dst


@pytest.mark.parametrize("version", SHIPPED)
@pytest.mark.parametrize(("key", "value", "match"), [
    ("sha256", "0" * 64, "checksum"), ("version", "toxicity_nn.v0", "version"),
    ("params", {"max_words": 10}, "parameters"),
])
def test_bad_metadata_raises(tmp_path: Path, key: str, value: object, match: str, version: str) -> None:
    d = _copy_models(tmp_path, version)
    meta = json.loads((d / f"{version}.json").read_text(encoding="utf-8"))
    meta[key] = value
    (d / f"{version}.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=match):
        tn.load_accurate(d, version=version)


def test_v3_stacker_weights_must_match_the_members(tmp_path: Path) -> None:
    d = _copy_models(tmp_path, V3)
    meta = json.loads((d / f"{V3}.json").read_text(encoding="utf-8"))
    k = meta["ensemble"]["members"]
    meta["stack"].pop("b_nn_logit", None)
    meta["stack"]["b_nn_member_logits"] = [0.1] * (k + 1)
    (d / f"{V3}.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="stacker"):
        tn.load_accurate(d, version=V3)


@pytest.mark.parametrize("version", SHIPPED)
def test_missing_nn_artifact_raises(tmp_path: Path, version: str) -> None:
    d = _copy_models(tmp_path, version)
    (d / f"{version}.npz").unlink()
    with pytest.raises(ModelError, match="not found"):
        tn.load_accurate(d, version=version)


def test_unknown_version_raises() -> None:
    with pytest.raises(ModelError, match="version"):
        tn.load_accurate(version="toxicity_nn.v1")


def test_batch_equals_one_by_one() -> None:
    """The batched layout (zero rows between texts) must not let texts see each other."""
    net = _random_net(seed=2)
    texts = ["привет мир", "", "тест", "мир мир мир привет незнакомое", "🙂",
             *[" ".join(["мир", "тест"] * k) for k in range(1, 40)]]  # > one chunk, mixed lengths
    one = [net.logit(t) for t in texts]
    assert net.logits(texts).tolist() == pytest.approx(one, rel=1e-5, abs=1e-5)
    assert net.logits([]).shape == (0,)
