"""Train the accurate-mode CNN (navec + subword) and its stacker on top of the shipped LR.

Rebuild (torch and navec are TRAINING-ONLY tools, not project dependencies)::

    .venv/bin/pip install torch==2.13.0 navec==0.10.0
    .venv/bin/pip download natasha==1.6.0 --no-deps -d /tmp/natasha
    unzip -j -o /tmp/natasha/natasha-1.6.0-py3-none-any.whl \\
        natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar -d /tmp/natasha
    python -m clientguard.nlp.train_toxicity_nn --shared ../shared \\
        --navec /tmp/natasha/navec_news_v1_1B_250K_300d_100q.tar --out clientguard/nlp/models/

Why it is built this way:

* Same data, splits, dedup and licence rules as :mod:`train_toxicity` (``load_shared``), minus
  the English rows (navec is Russian). The CNN is fitted on exactly the 85% fit fold of the LR;
  the LR's 15% calibration fold is held out from both models, and its ru_2ch_pikabu rows
  ("validation rows") choose the seed, fit the 3-parameter stacker and pick the threshold and
  the cascade band. No test row is used for any choice.
* ru_2ch_pikabu rows weigh 10 (the LR uses 3): the CNN is the in-domain specialist, the LR
  keeps the out-of-domain breadth, and the stacker weighs them.
* Two epochs, dropout 0.5: validation AUC peaks after one or two epochs and then falls
  (the subword table overfits), measured while building this.
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


def train_cnn(toks: list[list[int]], y: NDArray[np.float32], w: NDArray[np.float32], fit: NDArray[np.int64],
              emb: NDArray[np.float32], sub_ids: list[NDArray[np.int64]], *, seed: int, epochs: int,
              proj: int, sub_dim: int, filters: int, drop: float, lr: float) -> Any:
    """Fit the torch CNN on rows ``fit``; returns the module in eval mode."""
    torch = _training_only("torch")
    nn = torch.nn
    fn = torch.nn.functional
    torch.manual_seed(seed)
    n_sub = 1 << tn.SUB_BITS
    sub_off = np.concatenate([[0], np.cumsum([len(s) for s in sub_ids])])
    sub_flat = torch.tensor(np.concatenate(sub_ids))

    module: Any = nn.Module

    class Net(module):  # type: ignore[misc]  # torch is Any here (training-only import)
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True)
            self.proj = nn.Linear(emb.shape[1], proj)
            self.sub = nn.EmbeddingBag(n_sub, sub_dim, mode="mean")
            nn.init.normal_(self.sub.weight, 0, 0.1)
            d = proj + sub_dim
            self.convs = nn.ModuleList(nn.Conv1d(d, filters, k, padding=k // 2) for k in tn.KERNELS)
            self.drop = nn.Dropout(drop)
            self.out = nn.Linear(2 * filters * len(tn.KERNELS), 1)

        def forward(self, wpos: Any, mask: Any, uw: Any, sub_in: Any, sub_o: Any) -> Any:
            u = torch.cat([torch.tanh(self.proj(self.emb(uw))), self.sub(sub_in, sub_o)], 1)
            u = torch.cat([u, torch.zeros(1, u.shape[1])], 0)  # padding row
            x = self.drop(u[wpos]).transpose(1, 2)
            m = mask.unsqueeze(1)
            feats = []
            for c in self.convs:
                h = fn.relu(c(x))[:, :, :x.shape[2]]
                feats.append(h.masked_fill(~m, -1e4).max(2).values)
                feats.append((h * m).sum(2) / m.sum(2))
            return self.out(self.drop(torch.cat(feats, 1))).squeeze(1)

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


def export(net: Any, words: Sequence[str], navec_rows: NDArray[np.float32], unk_row: NDArray[np.float32],
           out: Path) -> Path:
    """Write the numpy artifact: int8 word table, int8 subword table (per-row scale), conv weights."""
    torch = _training_only("torch")

    with torch.no_grad():
        pw = net.proj.weight.numpy().astype(np.float64)
        pb = net.proj.bias.numpy().astype(np.float64)
        wv = np.tanh(navec_rows.astype(np.float64) @ pw.T + pb)
        unk = np.tanh(unk_row.astype(np.float64) @ pw.T + pb).astype(np.float32)
        sub = net.sub.weight.numpy().astype(np.float32)
        arrays: dict[str, Any] = {}
        for k, c in zip(tn.KERNELS, net.convs, strict=True):
            wt = c.weight.numpy()  # (filters, d, k)
            # (k*d, filters), rows in the order toxicity_nn.NeuralToxicity.logit stacks the inputs
            arrays[f"conv{k}_w"] = np.concatenate([wt[:, :, j].T for j in range(k)], 0).astype(np.float32)
            arrays[f"conv{k}_b"] = c.bias.numpy().astype(np.float32)
        arrays["out_w"] = net.out.weight.numpy().ravel().astype(np.float32)
        arrays["out_b"] = np.array(float(net.out.bias.numpy()[0]))
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
        **arrays)
    return out


def _f1_threshold(y: NDArray[np.int_], p: NDArray[np.float64]) -> float:
    from sklearn.metrics import f1_score

    grid = [round(g, 2) for g in np.arange(0.1, 0.91, 0.02)]
    return grid[int(np.argmax([f1_score(y, (p >= g).astype(int)) for g in grid]))]


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; see the module docstring."""
    navec_cls = _training_only("navec").Navec
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--navec", type=Path, required=True, help="navec_news_v1_1B_250K_300d_100q.tar")
    ap.add_argument("--out", type=Path, default=tx.DEFAULT_DIR, help="models dir (holds the LR too)")
    ap.add_argument("--seeds", default="5,7,8", help="seeds tried; the best validation AUC ships")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--pikabu-weight", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-only", action="store_true",
                    help="keep the exported CNN; refit stacker/threshold/band and re-evaluate")
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

    lr = tx.ToxicityModel._read(args.out / tx.META_NAME)
    val_texts = [rows[i][0] for i in val]
    y_val = y[val].astype(int)
    p_lr_val = np.array([p["toxic"] for p in lr.predict(val_texts)])
    nn_path = args.out / tn.NN_ARTIFACT
    tried: dict[str, Any] = {}
    best: tuple[float, int] = (-1.0, -1)
    t_train = time.perf_counter()
    old_model: dict[str, Any] = {}
    if args.eval_only:
        old_meta = json.loads((args.out / tn.NN_META).read_text(encoding="utf-8"))
        old_model = old_meta["model"]
        tried, best = old_model["seeds_tried"], (-1.0, int(old_model["seed_shipped"]))
    for seed in [] if args.eval_only else [int(s) for s in args.seeds.split(",")]:
        t0 = time.perf_counter()
        net = train_cnn(toks, y, w, fit, emb, sub_ids, seed=seed, epochs=args.epochs, proj=64, sub_dim=64,
                        filters=192, drop=0.5, lr=2e-3)
        tmp = args.out / f"seed{seed}.{tn.NN_ARTIFACT}"
        export(net, pool_words, np.stack([np.asarray(nv[wd], dtype=np.float32) for wd in pool_words]),
               unk_row, tmp)
        with np.load(tmp, allow_pickle=False) as z:
            auc = float(roc_auc_score(y_val, tn.NeuralToxicity.from_npz(z).logits(val_texts)))
        tried[str(seed)] = {"val_auc": round(auc, 4), "seconds": round(time.perf_counter() - t0, 1)}
        print(f"seed {seed}: validation AUC {auc:.4f}", flush=True)
        if auc > best[0]:
            best = (auc, seed)
            tmp.replace(nn_path)
        else:
            tmp.unlink()
    train_s = float(old_meta["train_seconds"]) if args.eval_only else time.perf_counter() - t_train

    with np.load(nn_path, allow_pickle=False) as z:
        nn = tn.NeuralToxicity.from_npz(z)
    s_val = nn.logits(val_texts)
    stack = LogisticRegression(C=1e4).fit(np.c_[_logit(p_lr_val), s_val], y_val)
    a_lr, b_nn = (float(v) for v in stack.coef_.ravel())
    c0 = float(stack.intercept_[0])
    p_val = 1 / (1 + np.exp(-(a_lr * _logit(p_lr_val) + b_nn * s_val + c0)))
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
    meta = {
        "version": tn.NN_VERSION, "artifact": nn_path.name, "sha256": tx.sha256_file(nn_path),
        "params": tn.nn_params(), "lr_model": {"version": lr.version, "sha256": lr.meta["sha256"]},
        "model": {"kind": "word CNN over [tanh(proj(navec 300d -> 64)) | mean subword 2^14 x 64], "
                  "kernels 1,2,3 x 192 filters, max+mean pool, dropout 0.5",
                  "epochs": args.epochs, "pikabu_weight": args.pikabu_weight, "seeds_tried": tried,
                  "seed_shipped": best[1], "fit_rows": len(fit), "validation_rows": len(val),
                  "vocabulary_words": len(pool_words), "navec": args.navec.name},
        "stack": {"a_lr_logit": a_lr, "b_nn_logit": b_nn, "c": c0,
                  "fitted_on": "ru_2ch_pikabu rows of the LR's held-out calibration fold"},
        "cascade_band": list(band),
        "thresholds": {"default": 0.5, "f1_opt_on_in_domain_validation_rows": thr},
        "train_seconds": round(train_s, 1),
    }
    (args.out / tn.NN_META).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    tn.AccurateToxicityModel.clear_accurate_cache()
    acc = tn.load_accurate(args.out)
    metrics: dict[str, Any] = {}
    for name, ev in d.evals.items():
        texts = [t for t, _ in ev]
        ys = [lab for _, lab in ev]
        probs = acc.predict(texts)
        p_acc = [p["toxic"] for p in probs]
        res = {"accurate@0.5": tt.prf(ys, p_acc), f"accurate@{thr}": tt.prf(ys, p_acc, thr),
               "rescored_fraction": round(acc.last_rescored / len(texts), 4),
               "cnn_alone_auc": round(float(roc_auc_score(ys, nn.logits(texts))), 4)}
        metrics[name] = res
    metrics["run_seconds"] = round(time.perf_counter() - t_all, 1)
    metrics["eval_only_run"] = bool(args.eval_only)
    (args.out / f"{tn.NN_VERSION}.metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"meta": meta, "metrics": metrics}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
