"""ECB+ evaluation: document clustering and cross-document event coreference.

ECB+ (Cybulska and Vossen 2014) groups news articles in topics; each topic has two
seminal events, one in the original ECB half and one in the ECB+ half, so a topic
has two gold *sub-topics*. Evaluation follows the common setting (Cybulska split,
Barhom et al. 2019; Cattan et al. 2021): event mentions are the ACTION_* and NEG_*
markables of the validated sentences (``ECBplus_coreference_sentences.csv``), all
documents of a split are pooled, mentions are matched by token span, scores are
MUC, B-cubed, CEAF-e and their CoNLL mean, with and without singletons.

Three figures:
(a) document clustering by the product's own linker: the split's documents are written
    as JSONL (first sentence as headline) and run through ``rashomon.pipeline.analyze``
    (what ``rashomon analyze`` runs) into a fresh database; the document clusters are
    those of the linker's first stage (``rashomon.link.docs.link_documents`` over the
    articles' ``DocRecord``s, as ``reconcile.update_stories`` computes them), against
    the gold sub-topics, B-cubed;
(b) event coreference over gold mentions, within those product document clusters;
(c) the same end-to-end, with mentions detected by spaCy (verbs and event nouns).

(b) and (c) use a BASELINE mention-pair scorer that lives here, in ``eval/``, and that
the product does not run (the product links conflict-event mentions, not ECB+'s general
actions): gradient-boosted trees over a handful of features (same lemma, lemma string
similarity, context TF-IDF cosine, argument overlap, same document), fitted on the train
topics; the linkage threshold is tuned on the train topics too. ``--baseline-docs``
replaces (a) by the older TF-IDF document clustering (``link.cluster``), also a
baseline. Nothing is fitted on dev.

Example:
    .venv/bin/python -m rashomon.eval.ecbplus ../shared/datasets/ecbplus --split dev
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.eval.coref_metrics import b_cubed, conll, drop_singletons
from rashomon.link.cluster import cluster_documents

EVENT_PREFIXES = ("ACTION_", "NEG_")
MENTION_MODEL = "BASELINE mention-pair model (eval-only: eval/ecbplus.py, fitted on train topics; not run by rashomon analyze)"
ALL_DEV = [2, 5, 12, 18, 21, 23, 34, 35]


@dataclass(slots=True)
class EcbMention:
    """One event mention: document, token ids (first, last), gold chain."""

    doc: str
    sent: int
    tids: tuple[int, ...]
    chain: str
    tag: str = ""

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc, self.tids[0], self.tids[-1])


@dataclass(slots=True)
class EcbDoc:
    """One ECB+ article: tokens (t_id -> sentence, text), validated sentences, mentions."""

    name: str
    topic: int
    subtopic: str
    tokens: dict[int, tuple[int, str]]
    validated: set[int]
    mentions: list[EcbMention] = field(default_factory=list)
    # filled by annotate_docs: t_id -> (lemma, pos, tag, ent_type, dep, head t_id)
    ann: dict[int, tuple[str, str, str, str, str, int]] = field(default_factory=dict)

    def text(self) -> str:
        return " ".join(t for _, t in self.tokens.values())

    def sentence_tids(self, sent: int) -> list[int]:
        return [tid for tid, (s, _) in self.tokens.items() if s == sent]


def split_topics(path: Path, split: str) -> list[int]:
    """Topic numbers of a split (``train``, ``dev``, ``test``) present under ``path``."""
    present = {int(p.name) for p in (path / "ECB+").iterdir() if p.name.isdigit()}
    spec_file = path / "split.json"
    spec: dict[str, Any] = json.loads(spec_file.read_text()) if spec_file.exists() else {}
    dev = [int(t) for t in spec.get("dev_topics", ALL_DEV)]
    if split == "dev":
        wanted = dev
    elif split == "train":
        wanted = [int(t) for t in spec.get("train_topics", [t for t in range(1, 36) if t not in dev])]
    elif split == "test":
        wanted = list(range(36, 46))
    else:
        raise ValueError(f"unknown ECB+ split {split!r}: use train, dev or test")
    return sorted(t for t in wanted if t in present)


def _validated(path: Path) -> dict[tuple[int, str], set[int]]:
    out: dict[tuple[int, str], set[int]] = defaultdict(set)
    with (path / "ECBplus_coreference_sentences.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            out[(int(row["Topic"]), row["File"])].add(int(row["Sentence Number"]))
    return out


def load_doc(file: Path, validated: set[int]) -> EcbDoc:
    """Parse one ECB+ XML file; event mentions restricted to validated sentences."""
    root = ET.parse(file).getroot()
    name = root.get("doc_name") or file.name
    topic = int(name.split("_", 1)[0])
    half = "ecbplus" if name.endswith("ecbplus.xml") else "ecb"
    tokens: dict[int, tuple[int, str]] = {}
    for tok in root.iter("token"):
        tokens[int(tok.get("t_id", "0"))] = (int(tok.get("sentence", "0")), (tok.text or "").strip())
    markables: dict[str, tuple[str, tuple[int, ...]]] = {}
    markables_el = root.find("Markables")
    for m in markables_el if markables_el is not None else []:
        anchors = tuple(sorted(int(a.get("t_id", "0")) for a in m.findall("token_anchor")))
        if anchors:
            markables[m.get("m_id", "")] = (m.tag, anchors)
    chain_of: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else []:
        if rel.tag == "CROSS_DOC_COREF":
            chain = rel.get("note", "")
        elif rel.tag == "INTRA_DOC_COREF":
            target = rel.find("target")
            chain = f"intra:{name}:{target.get('m_id') if target is not None else rel.get('r_id')}"
        else:
            continue
        for src in rel.findall("source"):
            chain_of[src.get("m_id", "")] = chain
    doc = EcbDoc(name, topic, f"{topic}_{half}", tokens, validated)
    seen: set[tuple[int, ...]] = set()
    for mid, (tag, tids) in sorted(markables.items(), key=lambda kv: kv[1][1]):
        if not tag.startswith(EVENT_PREFIXES) or tids[0] not in tokens:
            continue
        sent = tokens[tids[0]][0]
        if sent not in validated or tids in seen:
            continue
        seen.add(tids)
        doc.mentions.append(EcbMention(name, sent, tids, chain_of.get(mid, f"single:{name}:{mid}"), tag))
    return doc


def load_ecbplus(path: Path, topics: Sequence[int]) -> list[EcbDoc]:
    """Load every document of the given topics, in file-name order."""
    validated = _validated(path)
    docs: list[EcbDoc] = []
    for topic in topics:
        for file in sorted((path / "ECB+" / str(topic)).glob("*.xml")):
            stem = file.name.split("_", 1)[1].removesuffix(".xml")
            docs.append(load_doc(file, validated.get((topic, stem), set())))
    return docs


# --------------------------------------------------------------------------- mentions

CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
ARG_POS = {"PROPN", "NUM"}
PAIR_FEATURES = (
    "same_lemma", "lemma_sim", "prefix", "context", "args", "same_doc", "same_sent",
    "both_verb", "both_noun", "lemma_pair_rate", "doc_sim", "dep_args", "times", "places", "people",
)


def annotate_docs(docs: Sequence[EcbDoc]) -> None:
    """Run spaCy over each document's own tokens (alignment kept by construction)."""
    from spacy.tokens import Doc

    from rashomon.annotate.nlp import load_nlp

    nlp = load_nlp()
    todo = [d for d in docs if not d.ann]
    built = []
    for d in todo:
        tids = sorted(d.tokens)
        words = [d.tokens[t][1] or "_" for t in tids]
        starts: list[bool | int | None] = [i == 0 or d.tokens[t][0] != d.tokens[tids[i - 1]][0] for i, t in enumerate(tids)]
        built.append((d, tids, Doc(nlp.vocab, words=words, sent_starts=starts)))
    for (d, tids, _), sdoc in zip(built, nlp.pipe([b[2] for b in built], batch_size=32), strict=True):
        for tok, tid in zip(sdoc, tids, strict=True):
            d.ann[tid] = (tok.lemma_.lower(), tok.pos_, tok.tag_, tok.ent_type_, tok.dep_, tids[tok.head.i])


def _head(doc: EcbDoc, tids: tuple[int, ...]) -> int:
    """The syntactic head of a span: the token whose head lies outside the span."""
    inside = set(tids)
    for t in tids:
        outside = doc.ann[t][5] not in inside or doc.ann[t][5] == t
        if outside and (doc.ann[t][1] in ("VERB", "NOUN", "ADJ", "PROPN") or len(tids) == 1):
            return t
    return tids[0]


@dataclass(slots=True)
class _MFeat:
    key: tuple[str, int, int]
    doc: str
    sent: int
    lemma: str
    pos: str
    context: dict[str, float]
    args: frozenset[str]
    deps: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    docvec: dict[str, float] = field(default_factory=dict)


_TIME_ENTS = {"DATE", "TIME"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_WHO_ENTS = {"PERSON", "ORG", "NORP"}
_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "pobj", "compound", "poss", "nmod", "agent", "attr"}


def _doc_vectors(docs: Sequence[EcbDoc]) -> dict[str, dict[str, float]]:
    import math

    tf: dict[str, dict[str, float]] = {}
    df: dict[str, int] = defaultdict(int)
    for d in docs:
        c: dict[str, float] = defaultdict(float)
        for t in d.tokens:
            lem, p = d.ann[t][0], d.ann[t][1]
            if p in CONTENT_POS and len(lem) > 1:
                c[lem] += 1.0
        tf[d.name] = c
        for k in c:
            df[k] += 1
    n = len(docs) + 1
    out = {}
    for name, c in tf.items():
        v = {k: (1 + math.log(x)) * (math.log(n / (1 + df[k])) + 1) for k, x in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out[name] = {k: x / norm for k, x in v.items()}
    return out


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _mention_features(docs: Sequence[EcbDoc], mentions: Sequence[EcbMention]) -> list[_MFeat]:
    by_name = {d.name: d for d in docs}
    vecs = _doc_vectors([by_name[n] for n in sorted({m.doc for m in mentions})])
    out = []
    for m in mentions:
        d = by_name[m.doc]
        h = _head(d, m.tids)
        lemma, pos = d.ann[h][0], d.ann[h][1]
        sent = d.sentence_tids(m.sent)
        ctx: dict[str, float] = {}
        args = set()
        times, places, people = set(), set(), set()
        for t in sent:
            lem, p, _, ent, _, _ = d.ann[t]
            if t in m.tids or p not in CONTENT_POS or len(lem) < 2:
                continue
            ctx[lem] = ctx.get(lem, 0.0) + 1.0
            if p in ARG_POS or ent:
                args.add(lem)
            if ent in _TIME_ENTS:
                times.add(lem)
            elif ent in _PLACE_ENTS:
                places.add(lem)
            elif ent in _WHO_ENTS or p == "PROPN":
                people.add(lem)
        # syntactic arguments of the head: its subject, object and prepositional nouns
        preps = {t for t in sent if d.ann[t][5] == h and d.ann[t][4] == "prep"}
        deps = {d.ann[t][0] for t in sent if t != h and d.ann[t][1] in ("NOUN", "PROPN", "NUM")
                and ((d.ann[t][5] == h and d.ann[t][4] in _ARG_DEPS) or (d.ann[t][5] in preps and d.ann[t][4] == "pobj"))}
        out.append(_MFeat(m.key, m.doc, m.sent, lemma, pos, ctx, frozenset(args), frozenset(deps),
                          frozenset(times), frozenset(places), frozenset(people), vecs[m.doc]))
    return out


def _prefix(a: str, b: str) -> float:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n / max(len(a), len(b), 1)


def _cos(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    num = sum(v * b[k] * idf.get(k, 1.0) ** 2 for k, v in a.items() if k in b)
    if num == 0:
        return 0.0
    na = sum((v * idf.get(k, 1.0)) ** 2 for k, v in a.items()) ** 0.5
    nb = sum((v * idf.get(k, 1.0)) ** 2 for k, v in b.items()) ** 0.5
    return num / (na * nb)


@dataclass(slots=True)
class PairModel:
    """Mention-pair scorer (gradient-boosted trees) and its linkage thresholds."""

    clf: Any
    pair_rate: dict[tuple[str, str], float]
    threshold: float = 0.5
    threshold_e2e: float = 0.5

    def describe(self) -> dict[str, Any]:
        coef = getattr(self.clf, "coef_", None)
        weights = dict(zip(PAIR_FEATURES, (round(float(c), 3) for c in coef[0]), strict=True)) if coef is not None else {}
        return {"kind": type(self.clf).__name__, "threshold": self.threshold,
                "threshold_e2e": self.threshold_e2e, "weights": weights}


def _pair_vector(a: _MFeat, b: _MFeat, idf: dict[str, float], rate: dict[tuple[str, str], float],
                 doc_sim: float) -> list[float]:
    from rapidfuzz.fuzz import ratio

    same = a.lemma == b.lemma
    pair = (a.lemma, b.lemma) if a.lemma <= b.lemma else (b.lemma, a.lemma)
    union = a.args | b.args
    return [
        float(same),
        ratio(a.lemma, b.lemma) / 100.0,
        _prefix(a.lemma, b.lemma),
        _cos(a.context, b.context, idf),
        len(a.args & b.args) / len(union) if union else 0.0,
        float(a.doc == b.doc),
        float(a.doc == b.doc and a.sent == b.sent),
        float(a.pos == "VERB" and b.pos == "VERB"),
        float(a.pos == "NOUN" and b.pos == "NOUN"),
        rate.get(pair, -1.0),
        doc_sim,
        _jac(a.deps, b.deps),
        _compat(a.times, b.times),
        _compat(a.places, b.places),
        _compat(a.people, b.people),
    ]


def _jac(a: frozenset[str], b: frozenset[str]) -> float:
    u = a | b
    return len(a & b) / len(u) if u else -1.0


def _compat(a: frozenset[str], b: frozenset[str]) -> float:
    """1 shared, 0 both given and disjoint, -1 one of them unknown."""
    if not a or not b:
        return -1.0
    return 1.0 if a & b else 0.0


def _idf(feats: Sequence[_MFeat]) -> dict[str, float]:
    import math

    df: dict[str, int] = defaultdict(int)
    for f in feats:
        for k in f.context:
            df[k] += 1
    n = len(feats) + 1
    return {k: math.log(n / (1 + v)) + 1 for k, v in df.items()}


def _groups(feats: Sequence[_MFeat], doc_cluster: dict[str, int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        groups[doc_cluster.get(f.doc, -1)].append(i)
    return groups


def _pair_matrix(feats: Sequence[_MFeat], idx: Sequence[int], idf: dict[str, float],
                 rate: dict[tuple[str, str], float]) -> tuple[list[tuple[int, int]], list[list[float]]]:
    pairs, rows = [], []
    for x in range(len(idx)):
        for y in range(x + 1, len(idx)):
            a, b = feats[idx[x]], feats[idx[y]]
            pairs.append((x, y))
            rows.append(_pair_vector(a, b, idf, rate, 1.0 if a.doc == b.doc else _dot(a.docvec, b.docvec)))
    return pairs, rows


def _lemma_pair_rates(feats: Sequence[_MFeat], chains: Sequence[str]) -> dict[tuple[str, str], float]:
    """How often two mention lemmas corefer in train (smoothed); generic pairs such as
    (kill, death) or (arrest, apprehend) transfer across topics."""
    pos: dict[tuple[str, str], int] = defaultdict(int)
    tot: dict[tuple[str, str], int] = defaultdict(int)
    by_chain: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(chains):
        by_chain[c].append(i)
    lemmas_by_doc_topic: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        lemmas_by_doc_topic[f.doc.split("_", 1)[0]].append(i)
    for idx in lemmas_by_doc_topic.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                a, b = feats[idx[x]].lemma, feats[idx[y]].lemma
                pair = (a, b) if a <= b else (b, a)
                tot[pair] += 1
                pos[pair] += int(chains[idx[x]] == chains[idx[y]])
    return {p: (pos[p] + 0.1) / (tot[p] + 1.0) for p in tot if pos[p] > 0 or p[0] == p[1]}


def _train_rows(docs: Sequence[EcbDoc], doc_cluster: dict[str, int], rate: dict[tuple[str, str], float],
                ) -> tuple[list[list[float]], list[int]]:
    mentions = [m for d in docs for m in d.mentions]
    feats = _mention_features(docs, mentions)
    idf = _idf(feats)
    X: list[list[float]] = []
    y: list[int] = []
    for idx in _groups(feats, doc_cluster).values():
        pairs, rows = _pair_matrix(feats, idx, idf, rate)
        X.extend(rows)
        y.extend(int(mentions[idx[a]].chain == mentions[idx[b]].chain) for a, b in pairs)
    return X, y


def _rows_out_of_fold(docs: Sequence[EcbDoc], doc_cluster: dict[str, int]) -> tuple[list[list[float]], list[int]]:
    """Training rows whose lemma-pair rates come from the *other* half of the topics, so
    the classifier learns how much an out-of-sample rate is worth (no label leak)."""
    topics = sorted({d.topic for d in docs})
    X: list[list[float]] = []
    y: list[int] = []
    for half in (topics[0::2], topics[1::2]):
        rows_docs = [d for d in docs if d.topic in half]
        rate_docs = [d for d in docs if d.topic not in half]
        ms = [m for d in rate_docs for m in d.mentions]
        rate = _lemma_pair_rates(_mention_features(rate_docs, ms), [m.chain for m in ms])
        hx, hy = _train_rows(rows_docs, doc_cluster, rate)
        X += hx
        y += hy
    return X, y


def fit_pair_model(docs: Sequence[EcbDoc], doc_cluster: dict[str, int]) -> PairModel:
    """Fit the pair scorer on train documents; tune the linkage threshold by 2-fold
    cross-validation over train topics (CoNLL F1, gold mentions)."""
    topics = sorted({d.topic for d in docs})
    folds = [topics[0::2], topics[1::2]]
    cuts = [round(0.2 + 0.05 * i, 2) for i in range(13)]
    totals = dict.fromkeys(cuts, 0.0)
    for k in range(2):
        fit_docs = [d for d in docs if d.topic in folds[1 - k]]
        held = [d for d in docs if d.topic in folds[k]]
        fm = [m for d in fit_docs for m in d.mentions]
        rate = _lemma_pair_rates(_mention_features(fit_docs, fm), [m.chain for m in fm])
        X, y = _rows_out_of_fold(fit_docs, doc_cluster)
        model = PairModel(_classifier().fit(X, y), rate)
        held_mentions = [m for d in held for m in d.mentions]
        scored = score_mentions(held, held_mentions, doc_cluster, model)
        for cut in cuts:
            pred = _cut(scored, cut)
            totals[cut] += _coref_scores(held_mentions, pred)["with_singletons"]["conll"]["f1"]
    best = max(cuts, key=lambda c: (totals[c], -c))
    print("train 2-fold CoNLL by cut:", {c: round(v / 2, 4) for c, v in totals.items()}, file=sys.stderr)
    mentions = [m for d in docs for m in d.mentions]
    rate = _lemma_pair_rates(_mention_features(docs, mentions), [m.chain for m in mentions])
    X, y = _rows_out_of_fold(docs, doc_cluster)
    return PairModel(_classifier().fit(X, y), rate, threshold=best, threshold_e2e=best)


def _classifier() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    # small trees: interactions such as "same lemma AND shared arguments" matter
    return HistGradientBoostingClassifier(max_iter=150, max_depth=4, learning_rate=0.1,
                                          early_stopping=False, random_state=0)


def score_mentions(docs: Sequence[EcbDoc], mentions: Sequence[EcbMention], doc_cluster: dict[str, int],
                   model: PairModel) -> list[tuple[int, list[tuple[str, int, int]], Any]]:
    """Per predicted document cluster: the mention keys and their pair-probability matrix."""
    import numpy as np

    feats = _mention_features(docs, mentions)
    idf = _idf(feats)
    out = []
    for g, idx in sorted(_groups(feats, doc_cluster).items()):
        n = len(idx)
        sim = np.eye(n)
        if n > 1:
            pairs, rows = _pair_matrix(feats, idx, idf, model.pair_rate)
            prob = model.clf.predict_proba(np.asarray(rows))[:, 1]
            for (a, b), p in zip(pairs, prob, strict=True):
                sim[a, b] = sim[b, a] = p
        out.append((g, [feats[i].key for i in idx], sim))
    return out


def _cut(scored: list[tuple[int, list[tuple[str, int, int]], Any]], cut: float) -> dict[tuple[str, int, int], str]:
    from rashomon.link.cluster import average_linkage

    out: dict[tuple[str, int, int], str] = {}
    for g, keys, sim in scored:
        for k, lab in zip(keys, average_linkage(sim, cut), strict=True):
            out[k] = f"{g}-{lab}"
    return out


def cluster_mentions(docs: Sequence[EcbDoc], mentions: Sequence[EcbMention], doc_cluster: dict[str, int],
                     model: PairModel, cut: float) -> dict[tuple[str, int, int], str]:
    """Average-linkage clusters of mentions within each predicted document cluster."""
    return _cut(score_mentions(docs, mentions, doc_cluster, model), cut)


def mention_lexicon(docs: Sequence[EcbDoc]) -> dict[tuple[str, str], float]:
    """(lemma, coarse POS) -> share of its tokens in validated train sentences that are
    gold event mentions (the event-noun and event-verb lexicon for detection)."""
    hits: dict[tuple[str, str], int] = defaultdict(int)
    tot: dict[tuple[str, str], int] = defaultdict(int)
    for d in docs:
        heads = {_head(d, m.tids) for m in d.mentions}
        for tid, (sent, _) in d.tokens.items():
            if sent not in d.validated:
                continue
            lemma, pos = d.ann[tid][0], d.ann[tid][1]
            tot[(lemma, pos)] += 1
            hits[(lemma, pos)] += int(tid in heads)
    return {k: (hits[k] + 0.5) / (tot[k] + 1.0) for k in tot}


DETECT_MIN_RATE = 0.3
UNSEEN_RATE = {"VERB": 0.6, "NOUN": 0.1}


def detect_mentions(docs: Sequence[EcbDoc], lexicon: dict[tuple[str, str], float],
                    min_rate: float = DETECT_MIN_RATE) -> list[EcbMention]:
    """Predicted event mentions: single tokens of validated sentences whose
    (lemma, POS) is an event trigger often enough in train; unseen verbs count."""
    out = []
    for d in docs:
        for tid, (sent, _) in sorted(d.tokens.items()):
            if sent not in d.validated:
                continue
            lemma, pos = d.ann[tid][0], d.ann[tid][1]
            if pos not in ("VERB", "NOUN", "ADJ"):
                continue
            rate = lexicon.get((lemma, pos), UNSEEN_RATE.get(pos, 0.0))
            if rate >= min_rate:
                out.append(EcbMention(d.name, sent, (tid,), ""))
    return out


def product_document_clusters(path: Path, split: str, docs: Sequence[EcbDoc]) -> list[int]:
    """Document clusters of the product's linker (see (a) in the module docstring)."""
    import tempfile

    from rashomon.link.docs import link_documents
    from rashomon.link.train import ecb_jsonl, load_docs
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    with tempfile.TemporaryDirectory(prefix="rashomon-ecb-") as tmp:
        jsonl, db = Path(tmp) / "docs.jsonl", Path(tmp) / "ecb.db"
        ecb_jsonl(path, split, jsonl)
        analyze(Store(str(db)), [str(jsonl)], framing=False)
        loaded = load_docs(db)
    by_url = {url.rsplit("/", 1)[-1]: rec.id for rec, url in loaded}
    clusters = link_documents([rec for rec, _ in loaded])
    out, extra = [], max(clusters.values(), default=-1) + 1
    for d in docs:  # a document the reader refused (none expected) is its own cluster
        if d.name in by_url:
            out.append(clusters[by_url[d.name]])
        else:
            out.append(extra)
            extra += 1
    return out


def _bcubed_docs(docs: Sequence[EcbDoc], pred: Sequence[int]) -> dict[str, float]:
    gold: dict[str, set[str]] = defaultdict(set)
    sys_: dict[int, set[str]] = defaultdict(set)
    for d, c in zip(docs, pred, strict=True):
        gold[d.subtopic].add(d.name)
        sys_[c].add(d.name)
    p, r, f = b_cubed(list(gold.values()), list(sys_.values()))
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "clusters": len(sys_), "gold": len(gold)}


def _coref_scores(gold_mentions: Sequence[EcbMention], pred: dict[tuple[str, int, int], str]) -> dict[str, Any]:
    chains: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
    for m in gold_mentions:
        chains[m.chain].add(m.key)
    resp: dict[str, set[tuple[str, int, int]]] = defaultdict(set)
    for k, c in pred.items():
        resp[c].add(k)
    key_c, resp_c = list(chains.values()), list(resp.values())
    return {
        "with_singletons": conll(key_c, resp_c),
        "without_singletons": conll(drop_singletons(key_c), drop_singletons(resp_c)),
        "gold_mentions": len(gold_mentions),
        "predicted_mentions": len(pred),
    }


def evaluate_ecbplus(
    path: Path, split: str = "dev", save: Path | None = None, *, verbose: bool = True,
    baseline_docs: bool = False,
) -> dict[str, Any]:
    """Run the three ECB+ evaluations on ``split``; print and return the figures."""
    path = Path(path)
    topics = split_topics(path, split)
    train_topics = split_topics(path, "train")
    if not topics:
        raise ValueError(f"no ECB+ topics of split {split!r} under {path}")
    docs = load_ecbplus(path, topics)
    train_docs = load_ecbplus(path, [t for t in train_topics if t not in topics])
    annotate_docs(docs + train_docs)

    # (a) document clustering, all documents of the split pooled
    doc_pred = cluster_documents([d.text() for d in docs]) if baseline_docs else product_document_clusters(path, split, docs)
    doc_scores = _bcubed_docs(docs, doc_pred)
    doc_cluster = {d.name: c for d, c in zip(docs, doc_pred, strict=True)}

    # fit the pair model on train, with train's *predicted* document clusters
    train_pred = cluster_documents([d.text() for d in train_docs])
    train_cluster = {d.name: c for d, c in zip(train_docs, train_pred, strict=True)}
    model: PairModel = fit_pair_model(train_docs, train_cluster)
    lexicon = mention_lexicon(train_docs)

    # (b) gold mentions
    gold_mentions = [m for d in docs for m in d.mentions]
    gold_pred = cluster_mentions(docs, gold_mentions, doc_cluster, model, model.threshold)
    gold_scores = _coref_scores(gold_mentions, gold_pred)

    # (c) end to end
    detected = detect_mentions(docs, lexicon)
    e2e_pred = cluster_mentions(docs, detected, doc_cluster, model, model.threshold_e2e)
    e2e_scores = _coref_scores(gold_mentions, e2e_pred)
    gold_keys = {m.key for m in gold_mentions}
    hit = len(gold_keys & set(e2e_pred))
    det_p = hit / len(e2e_pred) if e2e_pred else 0.0
    det_r = hit / len(gold_keys) if gold_keys else 0.0
    e2e_scores["mention_detection"] = {
        "p": round(det_p, 4),
        "r": round(det_r, 4),
        "f1": round(2 * det_p * det_r / (det_p + det_r), 4) if det_p + det_r else 0.0,
    }

    result: dict[str, Any] = {
        "split": split,
        "topics": topics,
        "documents": len(docs),
        "document_clustering_b3": doc_scores,
        "gold_mentions": gold_scores,
        "end_to_end": e2e_scores,
        "pair_model": model.describe(),
        "document_linker": "BASELINE TF-IDF clustering (link.cluster)" if baseline_docs
        else "product linker (link.docs, as rashomon analyze runs it)",
        "mention_model": MENTION_MODEL,
    }
    if verbose:
        _print(result)
    if save is not None:
        payload = {
            "documents": doc_cluster,
            "mentions": [[k[0], k[1], k[2], c] for k, c in sorted(e2e_pred.items())],
            "gold_mention_clusters": [[k[0], k[1], k[2], c] for k, c in sorted(gold_pred.items())],
            "scores": result,
        }
        Path(save).write_text(json.dumps(payload, indent=1))
    return result


def _print(r: dict[str, Any]) -> None:
    d = r["document_clustering_b3"]
    print(f"ECB+ {r['split']}: topics {r['topics']}, {r['documents']} documents")
    print(f"(a) document clustering B3  P {d['p']:.3f} R {d['r']:.3f} F1 {d['f1']:.3f}"
          f"  ({d['clusters']} clusters, {d['gold']} gold sub-topics; {r['document_linker']})")
    print(f"(b), (c): {r['mention_model']}, within the document clusters of (a)")
    for label, key in (("(b) gold mentions", "gold_mentions"), ("(c) end-to-end", "end_to_end")):
        for setting in ("with_singletons", "without_singletons"):
            s = r[key][setting]
            print(f"{label:20s} {setting:19s} MUC {s['muc']['f1']:.3f}  B3 {s['b3']['f1']:.3f}"
                  f"  CEAF-e {s['ceaf_e']['f1']:.3f}  CoNLL {s['conll']['f1']:.3f}")
    md = r["end_to_end"]["mention_detection"]
    print(f"    mention detection P {md['p']:.3f} R {md['r']:.3f} F1 {md['f1']:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="ECB+ document clustering and event coreference.")
    ap.add_argument("path", type=Path, help="the ECB+ folder (with ECB+/, split.json, the CSV)")
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    ap.add_argument("--save", type=Path, default=None, help="write predictions as JSON")
    ap.add_argument("--baseline-docs", action="store_true", help="TF-IDF document clustering (baseline)")
    args = ap.parse_args(argv)
    evaluate_ecbplus(args.path, args.split, args.save, baseline_docs=args.baseline_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
