"""Train the accurate-mode members (navec+subword BiGRU, NB-SVM) and their stacker on top of the shipped LR.

Rebuild (torch and navec are TRAINING-ONLY tools, not project dependencies)::

    .venv/bin/pip install torch==2.13.0 navec==0.10.0
    .venv/bin/pip download natasha==1.6.0 --no-deps -d /tmp/natasha
    unzip -j -o /tmp/natasha/natasha-1.6.0-py3-none-any.whl \\
        natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar -d /tmp/natasha
    python -m clientguard.nlp.train_toxicity_nn --shared ../shared \\
        --navec /tmp/natasha/navec_news_v1_1B_250K_300d_100q.tar --out clientguard/nlp/models/

Why it is built this way:

* Same data, splits, dedup and licence rules as :mod:`train_toxicity` (``load_shared``), minus
  the English rows (navec is Russian). Both members are fitted on exactly the 85% fit fold of
  the LR; the LR's 15% calibration fold is held out from all three models. Its ru_2ch_pikabu
  rows ("validation rows") choose the seed, fit the stacker and pick the threshold and the
  cascade band; its other Russian rows (paradetox, rudetoxifier, hard negatives: the
  "out-of-domain proxy rows") also enter the stacker fit, at 0.3 of the pikabu rows' total
  weight, so the stacker cannot buy pikabu F1 by overruling the broad LR (with weight 0 the
  LR's stack weight went to ~0 and the proxy AUC fell; measured while building this). No test
  row is used for any choice.
* BiGRU, not the v1 CNN: on the validation rows a GRU over the same inputs had AUC 0.969-0.971
  against 0.962-0.964 for the CNN (seeds 5/7 vs 5/7/8/11), and the CNN added nothing once the
  GRU was in the stack. Two epochs (a third did not help), 64 units, dropout 0.5.
* ru_2ch_pikabu rows weigh 10 (the LR uses 3): the GRU and the NB-SVM are the in-domain
  specialists, the LR keeps the out-of-domain breadth, and the stacker weighs them. Weight 20
  raised the GRU's pikabu AUC by nothing and cost proxy AUC (0.955 vs 0.969).
* NB-SVM = naive-Bayes log-count ratios from the pikabu fit rows times a logistic regression
  (C=16) over all Russian fit rows on the LR's own features: free at run time (the LR already
  featurised the text), in-domain AUC 0.966 vs 0.961 for the LR, proxy AUC ≈ the LR's. A
  pikabu-only LR/NB-SVM scored about the same in domain (0.966-0.969) but fell to proxy AUC
  0.76-0.84.
* The export stores ``tanh(proj(navec))`` only for words of the training pool (int8), so the
  26 MB navec file is not needed at run time; unknown words get navec's ``<unk>`` row.
* Metrics are computed with the numpy inference code (:mod:`toxicity_nn`) on the exported
  artifact, not with torch, so they describe what ships.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from clientguard.nlp import toxicity as tx
from clientguard.nlp import toxicity_nn as tn
from clientguard.nlp import train_toxicity as tt

PIKABU = "ru_2ch_pikabu_train"


def _training_only(name: str) -> Any:
    """Import torch / navec: training tools, not project dependencies (so typed as Any)."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise SystemExit(f"{name} is needed to TRAIN the CNN only; see the module docstring "
                         f"for the pinned install command ({exc})") from exc


def calibration_mask(n: int) -> NDArray[np.bool_]:
    """The LR's held-out 15% fold over the concatenated pool (same shuffle as ``tt.train``)."""
    order = list(range(n))
    random.Random(tt.SEED).shuffle(order)
    mask = np.zeros(n, dtype=bool)
    mask[np.array(order[:max(2, int(0.15 * n))])] = True
    return mask


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(p, 1e-7, 1 - 1e-7)
    out: NDArray[np.float64] = np.log(q / (1 - q))
    return out


def _batches(toks: list[list[int]], sub_ids: list[NDArray[np.int64]], torch: Any) -> Any:
    """A function turning token-id rows into the network's inputs (unique words + positions)."""
    sub_off = np.concatenate([[0], np.cumsum([len(s) for s in sub_ids])])
    sub_flat = torch.tensor(np.concatenate(sub_ids))

    def batch(rows: Sequence[list[int]]) -> tuple[Any, ...]:
        uw = sorted({i for t in rows for i in t})
        pos = {v: j for j, v in enumerate(uw)}
        wpos = torch.full((len(rows), max(len(t) for t in rows)), len(uw), dtype=torch.long)
        for r, t in enumerate(rows):
            wpos[r, :len(t)] = torch.tensor([pos[i] for i in t])
        ua = np.array(uw)
        lens = sub_off[ua + 1] - sub_off[ua]
        sub_in = torch.cat([sub_flat[sub_off[i]:sub_off[i + 1]] for i in uw])
        sub_o = torch.tensor(np.concatenate([[0], np.cumsum(lens)[:-1]]))
        return wpos, wpos < len(uw), torch.tensor(ua), sub_in, sub_o

    return batch


def train_gru(toks: list[list[int]], y: NDArray[np.float32], w: NDArray[np.float32], fit: NDArray[np.int64],
              emb: NDArray[np.float32], sub_ids: list[NDArray[np.int64]], *, seed: int, epochs: int,
              proj: int, sub_dim: int, hidden: int, drop: float, lr: float) -> Any:
    """Fit the torch BiGRU on rows ``fit``; returns the module in eval mode."""
    torch = _training_only("torch")
    nn = torch.nn
    fn = torch.nn.functional
    torch.manual_seed(seed)
    batch = _batches(toks, sub_ids, torch)

    module: Any = nn.Module

    class Net(module):  # type: ignore[misc]  # torch is Any here (training-only import)
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True)
            self.proj = nn.Linear(emb.shape[1], proj)
            self.sub = nn.EmbeddingBag(1 << tn.SUB_BITS, sub_dim, mode="mean")
            nn.init.normal_(self.sub.weight, 0, 0.1)
            self.gru = nn.GRU(proj + sub_dim, hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(drop)
            self.out = nn.Linear(4 * hidden, 1)

        def forward(self, wpos: Any, mask: Any, uw: Any, sub_in: Any, sub_o: Any) -> Any:
            u = torch.cat([torch.tanh(self.proj(self.emb(uw))), self.sub(sub_in, sub_o)], 1)
            u = torch.cat([u, torch.zeros(1, u.shape[1])], 0)  # padding row
            x = self.drop(u[wpos])
            packed = nn.utils.rnn.pack_padded_sequence(x, mask.sum(1), batch_first=True, enforce_sorted=False)
            h, _ = self.gru(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            m = mask.unsqueeze(2)
            f = torch.cat([h.masked_fill(~m, -1e4).max(1).values, (h * m).sum(1) / m.sum(1)], 1)
            return self.out(self.drop(f)).squeeze(1)

    net = Net()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=lr)
    bs = 64
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=epochs * (len(fit) // bs + 1))
    for ep in range(epochs):
        net.train()
        rng = np.random.default_rng(seed * 100 + ep)
        perm = rng.permutation(fit)
        for start in range(0, len(perm), bs * 50):  # length-bucketed chunks: less padding
            ch = perm[start:start + bs * 50]
            ch = ch[np.argsort([len(toks[i]) for i in ch], kind="stable")]
            blocks = [ch[i:i + bs] for i in range(0, len(ch), bs)]
            for bi in rng.permutation(len(blocks)):
                b = blocks[bi]
                logits = net(*batch([toks[i] for i in b]))
                loss = (fn.binary_cross_entropy_with_logits(logits, torch.tensor(y[b]), reduction="none")
                        * torch.tensor(w[b])).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
    net.eval()
    return net


def fit_nbsvm(x: Any, y: NDArray[np.int_], w: NDArray[np.float64], nb_rows: NDArray[np.bool_], *,
              c: float) -> tuple[NDArray[np.int32], NDArray[np.float32], float]:
    """NB-SVM on the LR's features: ratios from ``nb_rows``, logistic regression on all rows.

    Returns (feature ids, weights with the ratio folded in, intercept); weights whose float16
    value would be below 1e-4 in magnitude are dropped (they move no score measurably).
    """
    from sklearn.linear_model import LogisticRegression

    used = np.unique(x.indices)
    xu = x[:, used]
    xb = xu[np.where(nb_rows)[0]] > 0
    yb = y[nb_rows]
    p = np.asarray(xb[yb == 1].sum(0)).ravel() + 1.0
    q = np.asarray(xb[yb == 0].sum(0)).ravel() + 1.0
    r = np.log((p / p.sum()) / (q / q.sum()))
    clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    clf.fit(xu.multiply(r).tocsr(), y, sample_weight=w)
    coef = clf.coef_.ravel() * r
    keep = np.abs(coef) >= 1e-4
    return used[keep].astype(np.int32), coef[keep].astype(np.float32), float(clf.intercept_[0])


def export(net: Any, words: Sequence[str], navec_rows: NDArray[np.float32], unk_row: NDArray[np.float32],
           lin: tuple[NDArray[np.int32], NDArray[np.float32], float], out: Path) -> Path:
    """Write the numpy artifact: int8 word/subword tables, GRU weights, the sparse NB-SVM."""
    torch = _training_only("torch")

    with torch.no_grad():
        pw = net.proj.weight.numpy().astype(np.float64)
        pb = net.proj.bias.numpy().astype(np.float64)
        wv = np.tanh(navec_rows.astype(np.float64) @ pw.T + pb)
        unk = np.tanh(unk_row.astype(np.float64) @ pw.T + pb).astype(np.float32)
        sub = net.sub.weight.numpy().astype(np.float32)
        g = {k: v.numpy() for k, v in net.gru.state_dict().items()}
        # torch keeps (3H, in) per direction, gates r, z, n; inference wants (2, in, 3H)
        arrays: dict[str, Any] = {
            "gru_wih": np.stack([g["weight_ih_l0"].T, g["weight_ih_l0_reverse"].T]).astype(np.float32),
            "gru_whh": np.stack([g["weight_hh_l0"].T, g["weight_hh_l0_reverse"].T]).astype(np.float32),
            "gru_bih": np.stack([g["bias_ih_l0"], g["bias_ih_l0_reverse"]]).astype(np.float32),
            "gru_bhh": np.stack([g["bias_hh_l0"], g["bias_hh_l0_reverse"]]).astype(np.float32),
            "out_w": net.out.weight.numpy().ravel().astype(np.float32),
            "out_b": np.array(float(net.out.bias.numpy()[0])),
        }
    sub_scale = np.maximum(np.abs(sub).max(axis=1), 1e-8) / 127.0
    # the subword half of every vocabulary word, precomputed (see NeuralToxicity's docstring)
    wsub = np.stack([sub[tn.subword_ids(wd)].mean(axis=0) for wd in words])
    wsub_scale = np.maximum(np.abs(wsub).max(axis=1), 1e-8) / 127.0
    np.savez_compressed(
        out, vocab_utf8=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        word_nav_q=np.round(wv * 127).astype(np.int8), word_nav_scale=np.array(1 / 127.0), unk=unk,
        word_sub_q=np.round(wsub / wsub_scale[:, None]).astype(np.int8),
        word_sub_scale=wsub_scale.astype(np.float16),
        sub_q=np.round(sub / sub_scale[:, None]).astype(np.int8), sub_scale=sub_scale.astype(np.float32),
        lin_idx=lin[0], lin_w=lin[1].astype(np.float16), lin_b=np.array(lin[2]), **arrays)
    return out


def _f1_threshold(y: NDArray[np.int_], p: NDArray[np.float64]) -> float:
    from sklearn.metrics import f1_score

    grid = [round(g, 2) for g in np.arange(0.1, 0.91, 0.02)]
    return grid[int(np.argmax([f1_score(y, (p >= g).astype(int)) for g in grid]))]


def fit_stacker(f_val: NDArray[np.float64], y_val: NDArray[np.int_], f_ood: NDArray[np.float64],
                y_ood: NDArray[np.int_], ood_weight: float) -> Any:
    """Logistic stacker on validation rows + proxy rows weighing ``ood_weight`` of the validation total."""
    from sklearn.linear_model import LogisticRegression

    w = np.r_[np.ones(len(y_val)), np.full(len(y_ood), ood_weight * len(y_val) / max(1, len(y_ood)))]
    return LogisticRegression(C=1e4).fit(np.r_[f_val, f_ood], np.r_[y_val, y_ood], sample_weight=w)


def cv_estimate(f_val: NDArray[np.float64], y_val: NDArray[np.int_], f_ood: NDArray[np.float64],
                y_ood: NDArray[np.int_], ood_weight: float, reps: int = 5) -> dict[str, float]:
    """Honest-ish validation figures: stacker AND threshold refitted on 4/5 of the validation
    rows, F1/AUC measured on the held-out 1/5 (5 folds x ``reps`` shuffles, mean)."""
    from sklearn.metrics import f1_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    f1s, aucs = [], []
    for rep in range(reps):
        oof = np.zeros(len(y_val))
        dec = np.zeros(len(y_val), dtype=int)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=rep).split(f_val, y_val):
            m = fit_stacker(f_val[tr], y_val[tr], f_ood, y_ood, ood_weight)
            t = _f1_threshold(y_val[tr], m.predict_proba(f_val[tr])[:, 1])
            oof[te] = m.predict_proba(f_val[te])[:, 1]
            dec[te] = oof[te] >= t
        f1s.append(f1_score(y_val, dec))
        aucs.append(roc_auc_score(y_val, oof))
    return {"f1": round(float(np.mean(f1s)), 4), "roc_auc": round(float(np.mean(aucs)), 4)}


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    navec_cls = _training_only("navec").Navec
    from sklearn.metrics import f1_score, roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--navec", type=Path, required=True, help="navec_news_v1_1B_250K_300d_100q.tar")
    ap.add_argument("--out", type=Path, default=tx.DEFAULT_DIR, help="models dir (holds the LR too)")
    ap.add_argument("--seeds", default="5,7,8", help="GRU seeds tried; the best validation AUC ships")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--pikabu-weight", type=float, default=10.0)
    ap.add_argument("--nbsvm-c", type=float, default=16.0)
    ap.add_argument("--ood-weight", type=float, default=0.3,
                    help="weight of the out-of-domain proxy rows in the stacker fit (x validation total)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-test", action="store_true",
                    help="stop after the validation figures (development runs: no test set is scored)")
    ap.add_argument("--eval-only", action="store_true",
                    help="keep the exported members; refit stacker/threshold/band and re-evaluate")
    ap.add_argument("--refit-all", action="store_true",
                    help="after the stacker, threshold and band are fixed on the validation rows, "
                         "retrain both members on every Russian training row (validation included) "
                         "with the chosen seed and settings, and ship those")
    args = ap.parse_args(argv)
    _training_only("torch").set_num_threads(args.threads)
    t_all = time.perf_counter()
    d = tt.load_shared(args.shared)
    rows = [r for src in d.train.values() for r in src]
    srcs = np.array([src for src, part in d.train.items() for _ in part])
    cal = calibration_mask(len(rows))
    keep = srcs != "en_davidson_train"
    fit = np.where(keep & ~cal)[0]
    val = np.where(cal & (srcs == PIKABU))[0]
    ood = np.where(cal & keep & (srcs != PIKABU))[0]
    y = np.array([lab for _, lab in rows], dtype=np.float32)
    w = np.where(srcs == PIKABU, args.pikabu_weight, 1.0).astype(np.float32)

    vocab: dict[str, int] = {}

    def ids(text: str) -> list[int]:
        return [vocab.setdefault(t, len(vocab)) for t in tn.tokens(text)]

    toks = [ids(t) for t, _ in rows]
    words = list(vocab)
    nv = navec_cls.load(str(args.navec))
    nav_ids = nv.vocab.word_ids
    unk_row = np.asarray(nv["<unk>"], dtype=np.float32)
    emb = np.stack([np.asarray(nv[wd], dtype=np.float32) if wd in nav_ids else unk_row for wd in words])
    sub_ids = [tn.subword_ids(wd) for wd in words]
    pool_words = sorted({words[i] for r in np.where(keep)[0] for i in toks[r]} & set(nav_ids))
    pool_rows = np.stack([np.asarray(nv[wd], dtype=np.float32) for wd in pool_words])

    lr = tx.ToxicityModel._read(args.out / tx.META_NAME)
    val_texts = [rows[i][0] for i in val]
    ood_texts = [rows[i][0] for i in ood]
    y_val = y[val].astype(int)
    y_ood = y[ood].astype(int)
    p_lr_val = np.array([p["toxic"] for p in lr.predict(val_texts)])
    p_lr_ood = np.array([p["toxic"] for p in lr.predict(ood_texts)])
    nn_path = args.out / tn.NN_ARTIFACT
    tried: dict[str, Any] = {}
    best: tuple[float, int] = (-1.0, -1)
    old_meta: dict[str, Any] = {}
    nbsvm_s = 0.0
    t_train = time.perf_counter()
    if args.eval_only:
        old_meta = json.loads((args.out / tn.NN_META).read_text(encoding="utf-8"))
        tried, best = old_meta["model"]["seeds_tried"], (-1.0, int(old_meta["model"]["seed_shipped"]))
    else:
        t0 = time.perf_counter()
        x_fit = tt.features([rows[i][0] for i in fit], lr.idf)
        lin = fit_nbsvm(x_fit, y[fit].astype(int), w[fit].astype(np.float64), srcs[fit] == PIKABU,
                        c=args.nbsvm_c)
        nbsvm_s = time.perf_counter() - t0
        print(f"NB-SVM: {len(lin[0])} weights, {nbsvm_s:.0f} s", flush=True)
    for seed in [] if args.eval_only else [int(s) for s in args.seeds.split(",")]:
        t0 = time.perf_counter()
        net = train_gru(toks, y, w, fit, emb, sub_ids, seed=seed, epochs=args.epochs, proj=64, sub_dim=64,
                        hidden=tn.HIDDEN, drop=0.5, lr=2e-3)
        tmp = args.out / f"seed{seed}.{tn.NN_ARTIFACT}"
        export(net, pool_words, pool_rows, unk_row, lin, tmp)
        with np.load(tmp, allow_pickle=False) as z:
            auc = float(roc_auc_score(y_val, tn.NeuralToxicity.from_npz(z).logits(val_texts)))
        tried[str(seed)] = {"val_auc": round(auc, 4), "seconds": round(time.perf_counter() - t0, 1)}
        print(f"seed {seed}: validation AUC {auc:.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
        if auc > best[0]:
            best = (auc, seed)
            tmp.replace(nn_path)
        else:
            tmp.unlink()
    train_s = float(old_meta["train_seconds"]) if args.eval_only else time.perf_counter() - t_train

    with np.load(nn_path, allow_pickle=False) as z:
        nn = tn.NeuralToxicity.from_npz(z)
        lin_m = tn.LinearMember.from_npz(z)

    def lin_scores(texts: list[str]) -> NDArray[np.float64]:
        return lin_m.scores(*tx.featurize(texts, lr.idf))

    def members(texts: list[str], p_lr: NDArray[np.float64]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = np.c_[_logit(p_lr), nn.logits(texts), lin_scores(texts)]
        return out

    f_val = members(val_texts, p_lr_val)
    f_ood = members(ood_texts, p_lr_ood)
    stack = fit_stacker(f_val, y_val, f_ood, y_ood, args.ood_weight)
    a_lr, b_nn, d_lin = (float(v) for v in stack.coef_.ravel())
    c0 = float(stack.intercept_[0])
    p_val = stack.predict_proba(f_val)[:, 1]
    thr = _f1_threshold(y_val, p_val)
    # cascade band: the narrowest candidate (it must contain thr and 0.5) whose validation
    # decisions at thr equal the full stack's
    full_dec = p_val >= thr
    band = (0.0, 1.01)
    for lo, hi in ((0.05, 0.6), (0.03, 0.7), (0.03, 0.8), (0.02, 0.9), (0.01, 0.95), (0.0, 1.01)):
        inside = (p_lr_val >= lo) & (p_lr_val < hi)
        dec = np.where(inside, full_dec, p_lr_val >= thr)
        if lo <= thr < hi and lo <= 0.5 < hi and (dec == full_dec).all():
            band = (lo, hi)
            break
    p_ood = stack.predict_proba(f_ood)[:, 1]
    p_ood = np.where((p_lr_ood >= band[0]) & (p_lr_ood < band[1]), p_ood, p_lr_ood)
    validation = {
        "rows": len(val), "proxy_rows": len(ood),
        "in_sample": {"f1": round(float(f1_score(y_val, full_dec)), 4),
                      "roc_auc": round(float(roc_auc_score(y_val, p_val)), 4)},
        "cv_5x5_stacker_and_threshold_refit": cv_estimate(f_val, y_val, f_ood, y_ood, args.ood_weight),
        "lr_alone": {"roc_auc": round(float(roc_auc_score(y_val, p_lr_val)), 4),
                     "f1@lr_thr": round(float(f1_score(y_val, p_lr_val >= float(
                         lr.meta["thresholds"]["f1_opt_on_in_domain_calibration_rows"]))), 4)},
        "gru_alone_auc": round(float(roc_auc_score(y_val, f_val[:, 1])), 4),
        "nbsvm_alone_auc": round(float(roc_auc_score(y_val, f_val[:, 2])), 4),
        "proxy_auc": {"lr": round(float(roc_auc_score(y_ood, p_lr_ood)), 4),
                      "accurate_cascade": round(float(roc_auc_score(y_ood, p_ood)), 4)},
    }
    print(json.dumps({"validation": validation}, indent=1), flush=True)
    refit: dict[str, Any] | None = None
    if args.refit_all:
        # Every choice above stays; only the members learn from the validation rows too
        # (18% more pikabu rows). The validation figures describe the members before it.
        t0 = time.perf_counter()
        every = np.where(keep)[0]
        x_all = tt.features([rows[i][0] for i in every], lr.idf)
        lin_all = fit_nbsvm(x_all, y[every].astype(int), w[every].astype(np.float64),
                            srcs[every] == PIKABU, c=args.nbsvm_c)
        net = train_gru(toks, y, w, every, emb, sub_ids, seed=best[1], epochs=args.epochs, proj=64,
                        sub_dim=64, hidden=tn.HIDDEN, drop=0.5, lr=2e-3)
        export(net, pool_words, pool_rows, unk_row, lin_all, nn_path)
        with np.load(nn_path, allow_pickle=False) as z:
            nn = tn.NeuralToxicity.from_npz(z)
            lin_m = tn.LinearMember.from_npz(z)
        refit = {"rows": len(every), "pikabu_rows": int((srcs[every] == PIKABU).sum()),
                 "seed": best[1], "seconds": round(time.perf_counter() - t0, 1),
                 "note": "members retrained on fit + validation rows after the stacker, threshold "
                         "and band were fixed on the validation rows; the validation figures "
                         "describe the members before this refit"}
        print(json.dumps({"refit_on_all_rows": refit}, indent=1), flush=True)
    meta = {
        "version": tn.NN_VERSION, "artifact": nn_path.name, "sha256": tx.sha256_file(nn_path),
        "params": tn.nn_params(), "lr_model": {"version": lr.version, "sha256": lr.meta["sha256"]},
        "model": {"kind": "BiGRU(64 per direction) over [tanh(proj(navec 300d -> 64)) | mean subword "
                          "2^14 x 64], max+mean pool, dropout 0.5; NB-SVM (pikabu NB ratios, "
                          f"LR C={args.nbsvm_c}) on the LR's features",
                  "epochs": args.epochs, "pikabu_weight": args.pikabu_weight, "seeds_tried": tried,
                  "seed_shipped": best[1], "fit_rows": len(fit), "validation_rows": len(val),
                  "vocabulary_words": len(pool_words), "nbsvm_weights": int(lin_m.w.astype(bool).sum()),
                  "navec": args.navec.name},
        "stack": {"a_lr_logit": a_lr, "b_nn_logit": b_nn, "d_lin": d_lin, "c": c0,
                  "fitted_on": "ru_2ch_pikabu rows of the LR's held-out calibration fold + the fold's "
                               f"other Russian rows at {args.ood_weight} of their total weight"},
        "cascade_band": list(band),
        "thresholds": {"default": 0.5, "f1_opt_on_in_domain_validation_rows": thr},
        "validation": validation,
        "train_seconds": round(train_s, 1),
        **({"refit_on_all_rows": refit} if refit else {}),
    }
    (args.out / tn.NN_META).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    tn.AccurateToxicityModel.clear_accurate_cache()
    if args.skip_test:
        return 0
    acc = tn.load_accurate(args.out)
    metrics: dict[str, Any] = {}
    for name, ev in d.evals.items():
        texts = [t for t, _ in ev]
        ys = [lab for _, lab in ev]
        probs = acc.predict(texts)
        p_acc = [p["toxic"] for p in probs]
        res = {"accurate@0.5": tt.prf(ys, p_acc), f"accurate@{thr}": tt.prf(ys, p_acc, thr),
               "rescored_fraction": round(acc.last_rescored / len(texts), 4),
               "gru_alone_auc": round(float(roc_auc_score(ys, nn.logits(texts))), 4),
               "nbsvm_alone_auc": round(float(roc_auc_score(ys, lin_scores(texts))), 4)}
        metrics[name] = res
    metrics["run_seconds"] = round(time.perf_counter() - t_all, 1)
    metrics["eval_only_run"] = bool(args.eval_only)
    (args.out / f"{tn.NN_VERSION}.metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"meta": meta, "metrics": metrics}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
