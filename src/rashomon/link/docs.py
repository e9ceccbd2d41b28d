"""Document linking: articles -> clusters of articles that report one main event.

Algorithm ``rashomon.link.docs.v1`` (the first stage of the Story linker; see
docs/linking.md):

1. **Records.** Each article is a :class:`DocRecord`: its headline, lead and text, its
   publication date and outlet when known, and its *main event* as extraction saw it
   (the non-reference event mentions: day date, place, country, killed, injured).
2. **Blocking.** Keys: the anchor date (main-event day, else publication day) in 14-day
   cells on two grids seven days apart (two anchors a week apart or less share a cell);
   the main place; the capitalised names of the headline and lead (the "who and where"
   that two reports of one event share). Blocks up to ``MAX_BLOCK`` records are compared
   exhaustively; larger ones by a sorted neighbourhood in anchor order, so the number of
   pairs grows linearly, never as all pairs.
3. **Scoring.** A gradient-boosted pair model (``data/models/link-docs.npz``, trained
   by ``python -m rashomon.link.train GVA_DIR ECBPLUS_DIR`` on GVA train incidents and
   ECB+ train topics; see :mod:`rashomon.link.train`) gives the probability that two
   articles report the same main event, from :data:`FEATURES`.
4. **Clustering.** A near-duplicate (republication, re-crawl) is put with its original
   and never scored. Average linkage over the scored pairs (an unscored pair counts as 0),
   merging while the average probability is >= the model's cut (chosen by
   cross-validation on train). Clusters passed in ``previous`` start united and are
   never split.

Example:
    >>> a = DocRecord("a", "Two shot dead in Elmford", "Two men were shot dead in Elmford.", "2020-05-02")
    >>> b = DocRecord("b", "Elmford shooting leaves two dead", "Police in Elmford said two men died.", "2020-05-02")
    >>> len(pair_features([a, b], [(0, 1)])[0]) == len(FEATURES)
    True
"""

from __future__ import annotations

import heapq
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.link.features import norm_place

ALGORITHM = "rashomon.link.docs.v1"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "link-docs.npz"
REL_NEIGHBOURS = 5

CELL = 14  # days; two grids offset by CELL // 2
MAX_BLOCK = 80
NEIGHBOURS = 25
LEAD_CHARS = 400
TEXT_CHARS = 6000
GAP_CAP = 30.0
#: Article ids -> their :func:`body_text`, in that order (streamed from the store, so that
#: a large pool's texts are never all held at once).
TextSource = Callable[[Sequence[str]], Iterable[str]]
COS_CHUNK = 4096  # pairs per sparse gather
SCORE_CHUNK = 20_000  # pairs per chunk of feature rows
SCALE_CHUNK = 262_144  # pairs per chunk of the local text-cosine scale
SCORE_FLOOR = 0.01  # pair probabilities below this are not kept (see score_pairs)

FEATURES = (
    "cos_title", "cos_lead", "cos_text", "names_weighted", "names_rare",
    "cos_text_relative", "pub_gap", "pub_missing", "event_gap", "event_missing",
    "place", "country", "killed", "injured", "same_outlet", "years",
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d+")
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_CAP = re.compile(r"\b[A-Z][a-zA-Z'\-]{2,}")
# capitalised words that name no one: days, months, titles, sentence furniture
_COMMON = frozenset(
    ["the", "a", "an", "and", "but", "in", "on", "at", "of", "for", "to", "from", "with", "by", "as", "after", "before", "during", "police", "officers", "officials", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "he", "she", "they", "it", "his", "her", "their", "this", "that", "these", "those", "there", "mr", "mrs", "ms", "dr", "according", "said", "says", "news", "update", "updated", "breaking", "video", "photos", "read", "more", "share", "click", "sheriff", "department", "county", "city", "state", "man", "woman", "men", "women", "people", "authorities", "reuters", "ap", "afp"]
)


@dataclass(frozen=True, slots=True)
class DocRecord:
    """One article as the document linker sees it (plain values)."""

    id: str
    title: str
    text: str
    published: str | None = None
    outlet: str | None = None
    event_date: str | None = None  # main event, day precision
    place: str | None = None
    country: str | None = None
    killed: float | None = None
    injured: float | None = None

    @property
    def lead(self) -> str:
        return f"{self.title}. {self.text[:LEAD_CHARS]}"


def _day(value: str | None) -> int | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def anchor(r: DocRecord) -> int | None:
    """The record's day in time: its main event's day, else its publication day."""
    return _day(r.event_date) or _day(r.published)


def cap_names(text: str) -> frozenset[str]:
    """Capitalised words (names of people, places, groups), minus common words."""
    out = set()
    for m in _CAP.finditer(text):
        w = m.group(0).casefold().rstrip("'s").strip("'-")
        if len(w) > 2 and w not in _COMMON:
            out.add(w)
    return frozenset(out)


def blocking_keys(r: DocRecord) -> list[str]:
    """Block keys of one record (see the module docstring)."""
    keys: set[str] = set()
    day = anchor(r)
    if day is not None:
        for off, grid in ((0, "a"), (CELL // 2, "b")):
            keys.add(f"t|{grid}{(day + off) // CELL}")
    place = norm_place(r.place)
    if place:
        keys.add(f"l|{place}")
    keys.update(f"n|{n}" for n in cap_names(r.lead))
    return sorted(keys)


def candidate_pairs(records: Sequence[DocRecord]) -> list[tuple[int, int]]:
    """Index pairs (i < j) sharing a block; big blocks by sorted neighbourhood."""
    return [(int(a), int(b)) for a, b in candidate_index(records).tolist()]


def candidate_index(records: Sequence[DocRecord]) -> np.ndarray:
    """:func:`candidate_pairs` as a sorted ``(n, 2)`` int array (compact: a large pool's
    pairs are held as 8 bytes each, not as Python tuples in a set)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in blocking_keys(r):
            blocks[k].append(i)
    order = {i: (anchor(r) or 10**7, r.id) for i, r in enumerate(records)}
    n = len(records)
    folded = np.zeros(0, dtype=np.int64)
    parts: list[np.ndarray] = []
    pending = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        ms = np.asarray(sorted(members, key=order.__getitem__), dtype=np.int64)
        width = len(ms) if len(ms) <= MAX_BLOCK else NEIGHBOURS
        for off in range(1, min(width, len(ms) - 1) + 1):
            a, b = ms[:-off], ms[off:]
            parts.append(np.minimum(a, b) * n + np.maximum(a, b))
            pending += len(a)
        # fold the duplicates (a pair shares several blocks) away as we go, once a
        # quarter of what is kept (at least a million codes) is pending: the transient
        # stays near the unique pairs, and the folds cost n log n in all
        if pending > max(1 << 20, len(folded) // 4):
            parts.insert(0, folded)
            del folded
            folded = _unique(parts)  # empties parts
            pending = 0
    parts.insert(0, folded)
    del folded
    codes = _unique(parts)
    out = np.empty((len(codes), 2), dtype=np.int32 if n < 2**31 else np.int64)
    out[:, 0] = codes // n
    codes %= n
    out[:, 1] = codes
    return out


def _unique(parts: list[np.ndarray]) -> np.ndarray:
    """The sorted distinct values of ``parts`` (which it empties, so that they are freed
    before the sort), sorting one concatenated copy in place."""
    arr = np.concatenate(parts)
    parts.clear()
    arr.sort()
    if len(arr) < 2:
        return arr
    keep = np.empty(len(arr), dtype=bool)
    keep[0] = True
    np.not_equal(arr[1:], arr[:-1], out=keep[1:])
    return arr[keep]


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def idf_of(df_pool: Mapping[str, int], n_pool: int) -> dict[str, float]:
    """Smoothed IDF of each word over the pool being linked (as scikit-learn's)."""
    return {w: math.log((n_pool + 1) / (c + 1)) + 1.0 for w, c in df_pool.items()}


def _tfidf(texts: Iterable[str]) -> Any:
    """TF-IDF rows (sublinear tf, smoothed idf, unit length) of ``texts``, read once (a
    generator will do: a large pool's texts are not copied into a list)."""
    from rashomon import lite

    try:
        cv, x = lite.Tfidf.fit((" ".join(words(t)) for t in texts), idf=False, stop_words="english",
                               token_pattern=r"\S+", lowercase=False)
    except ValueError:  # no words at all
        return None
    vocab = sorted(cv.vocabulary, key=cv.vocabulary.__getitem__)
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    idf = idf_of(dict(zip(vocab, df.tolist(), strict=True)), x.shape[0])
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(np.asarray([idf[w] for w in vocab])).tocsr()
    return lite.l2_rows(x)


def _local_scale(cos: np.ndarray, idx: np.ndarray, n: int, k: int = REL_NEIGHBOURS) -> np.ndarray:
    """Each item's mean of its top-k candidate cosines (1 where it has none or all are 0):
    ``cos_text_relative`` divides a cosine by the geometric mean of both items' scales, a
    local scaling so that one cut works on dense and sparse pools.

    Computed a chunk of pairs at a time (each item's best k so far kept in an ``(n, k)``
    table per side), so a large pool never sorts all its pairs at once."""
    top = np.full((n, 2 * k), -np.inf)
    for side in (0, 1):
        items = idx[:, side]
        order = None if side == 0 else np.argsort(items, kind="stable")  # side 0: already grouped
        cols = slice(side * k, (side + 1) * k)
        for lo in range(0, len(items), SCALE_CHUNK):
            sel = slice(lo, lo + SCALE_CHUNK) if order is None else order[lo : lo + SCALE_CHUNK]
            it, v = items[sel], cos[sel]
            o = np.lexsort((-v, it))  # by item, largest cosine first
            it, v = it[o], v[o]
            first = np.flatnonzero(np.r_[True, it[1:] != it[:-1]])
            rank = np.arange(len(it)) - np.repeat(first, np.diff(np.r_[first, len(it)]))
            keep = rank < k
            local = np.full((len(first), k), -np.inf)
            group = np.repeat(np.arange(len(first)), np.diff(np.r_[first, len(it)]))
            local[group[keep], rank[keep]] = v[keep]
            u = it[first]
            merged = np.concatenate([top[u, cols], local], axis=1)  # an item split across chunks
            top[u, cols] = -np.sort(-merged, axis=1)[:, :k]
    best = -np.sort(-top, axis=1)[:, :k]
    finite = np.isfinite(best)
    counts = finite.sum(axis=1)
    sums = np.where(finite, best, 0.0).sum(axis=1)
    mu = np.ones(n)
    has = counts > 0
    mu[has] = sums[has] / counts[has]
    return np.where(mu > 0, mu, 1.0)


def _pair_cos(x: Any, idx: np.ndarray) -> np.ndarray:
    if x is None or len(idx) == 0:
        return np.zeros(len(idx))
    out = []
    for lo in range(0, len(idx), COS_CHUNK):  # small chunks: each gathers two rows per pair
        chunk = idx[lo : lo + COS_CHUNK]
        out.append(np.asarray(x[chunk[:, 0]].multiply(x[chunk[:, 1]]).sum(axis=1)).ravel())
    return np.concatenate(out)


def _agree(a: float | str | None, b: float | str | None) -> float:
    if a is None or b is None or a == "" or b == "":
        return 0.0
    return 1.0 if a == b else -1.0


class PairFeatures:
    """The pool-level parts of :data:`FEATURES`, fitted once on ``records`` (TF-IDF of
    titles, leads and texts, name rarity, years named); :meth:`rows` gives the feature
    rows of any chunk of pairs, so a large pool is scored chunk by chunk."""

    def __init__(self, records: Sequence[DocRecord], texts: TextSource | None = None) -> None:
        self.records = records

        def stream() -> Iterator[str]:  # made one at a time, each time they are read
            if texts is not None:  # from the store, in the records' order
                return (f"{r.title}. {t}" for r, t in zip(records, texts([r.id for r in records]), strict=True))
            return (f"{r.title}. {r.text[:TEXT_CHARS]}" for r in records)

        self.x_title = _tfidf(r.title for r in records)
        self.x_lead = _tfidf(r.lead for r in records)
        self.x_text = _tfidf(stream())
        # names shared across articles are one string each (sys.intern), not one per article
        self.names, self.years = [], []
        for t in stream():
            self.names.append(frozenset(map(sys.intern, cap_names(t))))
            self.years.append(frozenset(_YEAR.findall(t)))
        self.idf = idf_of(Counter(n for ns in self.names for n in ns), len(records))
        self.log_n = math.log(len(records) + 1) + 1.0
        self.mu = np.ones(len(records))

    def fit_relative(self, idx: np.ndarray) -> np.ndarray:
        """Text cosines of all candidate pairs ``idx``; sets each item's local scale
        (the mean of its top-k candidate cosines) for ``cos_text_relative``."""
        cos = _pair_cos(self.x_text, idx)
        self.mu = _local_scale(cos, idx, len(self.records))
        return cos

    def rows(self, idx: np.ndarray, cos_text: np.ndarray | None = None) -> np.ndarray:
        """One row of :data:`FEATURES` per pair of ``idx`` (after :meth:`fit_relative`)."""
        records, names, idf, years = self.records, self.names, self.idf, self.years
        cos_title = _pair_cos(self.x_title, idx)
        cos_lead = _pair_cos(self.x_lead, idx)
        if cos_text is None:
            cos_text = _pair_cos(self.x_text, idx)
        rel_text = (np.minimum(cos_text / np.sqrt(self.mu[idx[:, 0]] * self.mu[idx[:, 1]]), 1.0)
                    if len(idx) else np.zeros(0))
        rows = np.zeros((len(idx), len(FEATURES)))
        for k, (i, j) in enumerate(idx.tolist()):
            a, b = records[i], records[j]
            na, nb = names[i], names[j]
            shared = na & nb
            wa, wb = sum(idf[n] for n in na), sum(idf[n] for n in nb)
            ws = sum(idf[n] for n in shared)
            rare = max((idf[n] for n in shared), default=0.0) / self.log_n
            pa, pb = _day(a.published), _day(b.published)
            ea, eb = _day(a.event_date), _day(b.event_date)
            pla, plb = norm_place(a.place), norm_place(b.place)
            place = 0.0 if not pla or not plb else (1.0 if pla == plb or pla in plb or plb in pla else -1.0)
            rows[k] = (
                cos_title[k], cos_lead[k], cos_text[k],
                ws / min(wa, wb) if min(wa, wb) > 0 else 0.0, rare, rel_text[k],
                min(abs(pa - pb), GAP_CAP) if pa is not None and pb is not None else GAP_CAP,
                float(pa is None or pb is None),
                min(abs(ea - eb), GAP_CAP) if ea is not None and eb is not None else GAP_CAP,
                float(ea is None or eb is None),
                place, _agree(a.country, b.country), _agree(a.killed, b.killed), _agree(a.injured, b.injured),
                _agree((a.outlet or "").casefold() or None, (b.outlet or "").casefold() or None),
                # years named in both texts: shared (1), disjoint (-1), or not both (0)
                0.0 if not years[i] or not years[j] else (1.0 if years[i] & years[j] else -1.0),
            )
        return rows


def pair_features(records: Sequence[DocRecord], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """One row of :data:`FEATURES` per pair (TF-IDF and name rarity fitted on ``records``)."""
    idx = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    feats = PairFeatures(records)
    return feats.rows(idx, feats.fit_relative(idx))


@dataclass(slots=True)
class DocModel:
    """The pair classifier and the average-linkage cut chosen by cross-validation."""

    clf: Any
    cut: float
    features: tuple[str, ...] = FEATURES
    info: dict[str, Any] | None = None

    def proba(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        return np.asarray(self.clf.predict_proba(rows)[:, 1])


@cache
def load_model(path: Path = MODEL_PATH) -> DocModel:
    """The shipped pair model (cached per process)."""
    from rashomon import lite

    parts, _, data = lite.load_parts(path)
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError(f"{path}: trained on features {data['features']}, the code has {FEATURES}; retrain it")
    return DocModel(parts["clf"], float(data["cut"]), FEATURES, data.get("info"))


def agglomerate(n: int, scores: Mapping[tuple[int, int], float], cut: float,
                groups: Sequence[Sequence[int]] = ()) -> list[int]:
    """Average-linkage clustering of ``n`` items over sparse pair scores; items in one of
    ``groups`` start together. Returns a root label per item (the smallest index)."""
    label = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for g in groups:
        g = sorted(g)
        for i in g[1:]:
            if label[i] != label[g[0]]:
                root, other = label[g[0]], label[i]
                for m in members.pop(other):
                    label[m] = root
                    members[root].append(m)
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), p in scores.items():
        a, b = label[i], label[j]
        if a != b:
            sums[a][b] = sums[a].get(b, 0.0) + p
            sums[b][a] = sums[b].get(a, 0.0) + p
    heap: list[tuple[float, int, int]] = []
    for a, nb in sums.items():
        for b, s in nb.items():
            if a < b:
                heapq.heappush(heap, (-s / (len(members[a]) * len(members[b])), a, b))
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in sums[a]:
            continue
        avg = sums[a][b] / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:  # stale entry
            continue
        if avg < cut:
            break
        keep, drop = min(a, b), max(a, b)
        for m in members.pop(drop):
            label[m] = keep
            members[keep].append(m)
        nb_drop = sums.pop(drop)
        nb_drop.pop(keep, None)
        sums[keep].pop(drop, None)
        for c, s in nb_drop.items():
            sums[c].pop(drop, None)
            sums[keep][c] = sums[keep].get(c, 0.0) + s
            sums[c][keep] = sums[keep][c]
        for c, s in sums[keep].items():
            x, y = (keep, c) if keep < c else (c, keep)
            heapq.heappush(heap, (-s / (len(members[keep]) * len(members[c])), x, y))
    return label


def link_documents(records: Sequence[DocRecord], previous: Mapping[str, str] | None = None,
                   model: DocModel | None = None, texts: TextSource | None = None,
                   same: Mapping[str, str] | None = None) -> dict[str, int]:
    """Article id -> cluster number (0-based, in order of first member id).

    ``previous`` (article id -> an earlier cluster key) keeps earlier clusters united.
    ``same`` (article id -> the article it near-duplicates, as the store records it) puts
    a republication or re-crawl in its original's cluster without scoring it: a copy
    reports what its original reports, and a pool of wire copy is linked as the distinct
    texts it holds (a copy whose original is not in ``records`` is linked as any other
    article)."""
    model = model or load_model()
    recs = sorted({r.id: r for r in records}.values(), key=lambda r: r.id)
    if not recs:
        return {}
    follow = originals([r.id for r in recs], same or {})
    core = [r for r in recs if r.id not in follow]
    at = {r.id: k for k, r in enumerate(core)}
    scored = score_pairs(core, model, texts)
    by_prev: dict[str, list[int]] = defaultdict(list)
    for r in recs:
        if previous and r.id in previous:
            by_prev[previous[r.id]].append(at[follow.get(r.id, r.id)])
    groups = [sorted(set(g)) for g in by_prev.values()]
    label = agglomerate_components(len(core), scored, model.cut, groups)
    seen: dict[int, int] = {}
    return {r.id: seen.setdefault(label[at[follow.get(r.id, r.id)]], len(seen)) for r in recs}


def originals(ids: Sequence[str], same: Mapping[str, str]) -> dict[str, str]:
    """Each of ``ids`` that near-duplicates another of ``ids`` -> the end of its chain of
    originals among ``ids`` (for a chain that loops, which the store never writes, the
    smallest id of the loop)."""
    present = set(ids)
    out: dict[str, str] = {}
    for a in ids:
        path = [a]
        where = {a: 0}
        while same.get(path[-1]) in present:
            nxt = same[path[-1]]
            if nxt in where:  # a loop: its smallest id is the original
                path.append(min(path[where[nxt]:]))
                break
            where[nxt] = len(path)
            path.append(nxt)
        if path[-1] != a:
            out[a] = path[-1]
    return out


@dataclass(slots=True)
class ScoredPairs:
    """Pairs ``(i[k], j[k])`` with probability ``p[k]`` (compact arrays)."""

    i: np.ndarray
    j: np.ndarray
    p: np.ndarray

    def as_dict(self) -> dict[tuple[int, int], float]:
        return {(int(a), int(b)): float(x) for a, b, x in zip(self.i, self.j, self.p, strict=True)}


def score_pairs(recs: Sequence[DocRecord], model: DocModel, texts: TextSource | None = None) -> ScoredPairs:
    """The model's probability for each candidate pair of ``recs`` that reaches
    :data:`SCORE_FLOOR`, scored in chunks of :data:`SCORE_CHUNK` pairs.

    Pairs below the floor are dropped: average linkage counts an unscored pair as 0, so
    this moves no cluster average by more than the floor (far below the cut), and the
    memory held is that of the plausible pairs (a few per article), not of every
    candidate (about fifty per article, 96% of them below 0.01 on GVA)."""
    idx = candidate_index(recs)
    feats = PairFeatures(recs, texts)
    cos = feats.fit_relative(idx)
    keep_i, keep_j, keep_p = [], [], []
    for lo in range(0, len(idx), SCORE_CHUNK):
        chunk = idx[lo : lo + SCORE_CHUNK]
        probs = model.proba(feats.rows(chunk, cos[lo : lo + SCORE_CHUNK]))
        ok = probs >= SCORE_FLOOR
        keep_i.append(chunk[ok, 0])
        keep_j.append(chunk[ok, 1])
        keep_p.append(probs[ok])
    if not keep_p:
        return ScoredPairs(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    return ScoredPairs(np.concatenate(keep_i), np.concatenate(keep_j), np.concatenate(keep_p))


def agglomerate_components(n: int, scored: ScoredPairs, cut: float, groups: Sequence[Sequence[int]] = ()) -> list[int]:
    """:func:`agglomerate` run on each connected component of the pairs scoring >= ``cut``
    (and of ``groups``) on its own: the same labels, with one component's pair sums in
    memory at a time. Exact, because two clusters merge only when their average pair
    score reaches the cut, so some pair between them does: no merge ever crosses two
    components, and pairs between components never count."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    strong = scored.p >= cut
    ea, eb = [scored.i[strong].astype(np.int64)], [scored.j[strong].astype(np.int64)]
    for g in groups:  # earlier stories start united
        if len(g) > 1:
            ea.append(np.full(len(g) - 1, g[0], dtype=np.int64))
            eb.append(np.asarray(g[1:], dtype=np.int64))
    a, b = np.concatenate(ea), np.concatenate(eb)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, cc = connected_components(graph, directed=False)
    root = np.full(cc.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(root, cc, np.arange(n))
    comp = root[cc]  # each item's component, named by its smallest member
    label = list(range(n))
    sizes = np.bincount(comp, minlength=n)
    if not (sizes > 1).any():
        return label
    same = comp[scored.i] == comp[scored.j]
    pi, pj, pp = scored.i[same], scored.j[same], scored.p[same]
    order = np.argsort(comp[pi], kind="stable")
    pi, pj, pp = pi[order], pj[order], pp[order]
    pc = comp[pi]
    members_of: dict[int, list[int]] = defaultdict(list)
    for x in np.flatnonzero(sizes[comp] > 1).tolist():
        members_of[int(comp[x])].append(x)
    starts = np.searchsorted(pc, list(members_of), side="left")
    ends = np.searchsorted(pc, list(members_of), side="right")
    in_group: dict[int, list[list[int]]] = defaultdict(list)
    for g in groups:
        if g:
            in_group[int(comp[g[0]])].append(list(g))
    for (c, members), lo, hi in zip(members_of.items(), starts.tolist(), ends.tolist(), strict=True):
        local = {x: k for k, x in enumerate(members)}  # members ascending: order kept
        scores = {(local[a], local[b]): p for a, b, p in zip(pi[lo:hi].tolist(), pj[lo:hi].tolist(),
                                                              pp[lo:hi].tolist(), strict=True)}
        sub = agglomerate(len(members), scores, cut, [[local[x] for x in g] for g in in_group.get(c, [])])
        for k, x in enumerate(members):
            label[x] = members[sub[k]]
    return label


def body_text(article: Mapping[str, Any]) -> str:
    """The text the linker reads of an article: its body (up to ``body_end``), at most
    :data:`TEXT_CHARS` characters."""
    text = article.get("text") or ""
    end = article.get("body_end")
    return text[: end or None][:TEXT_CHARS]


def doc_record(article: Mapping[str, Any], mentions: Sequence[Mapping[str, Any]], *,
               keep: int = TEXT_CHARS) -> DocRecord:
    """A :class:`DocRecord` from an article row and its event mention rows (``keep``: the
    characters of the body text it holds; ``LEAD_CHARS`` when the linker is given the
    texts by a :data:`TextSource`).

    The main event is read from the non-reference mentions (all of them when every
    mention is a reference): the day date, place and country most often given (ties to
    the one earliest in the text), and the largest killed and injured counts."""
    own = [m for m in mentions if not m.get("reference")] or list(mentions)
    own = sorted(own, key=lambda m: (m.get("trigger_start") or 0, m.get("id") or ""))
    # the headline and lead report the main event: their mentions speak first
    text_start = article.get("text") or ""
    lead_end = len(article.get("title") or "") + LEAD_CHARS if not text_start.startswith(
        article.get("title") or "\0") else LEAD_CHARS
    lead = [m for m in own if (m.get("trigger_start") or 0) < lead_end]
    desc = lead if any(m.get("place_name") or m.get("date") for m in lead) else own

    def mode(values: list[Any]) -> Any:
        vals = [v for v in values if v not in (None, "")]
        if not vals:
            return None
        c = Counter(vals)
        return max(vals, key=lambda v: (c[v], -vals.index(v)))

    day = mode([m.get("date") for m in desc if m.get("date_precision") == "day"])
    # where: the first place the headline and lead give (a lead reports the main event
    # first; later lead sentences set it in context: "In the war in Gaza, ...")
    first = next((m for m in desc if m.get("place_name")), None)
    place = first.get("place_name") if first else None
    country = first.get("country") if first and first.get("country") else mode([m.get("country") for m in desc])
    killed = max((m["killed"] for m in own if m.get("killed") is not None), default=None)
    injured = max((m["injured"] for m in own if m.get("injured") is not None), default=None)
    return DocRecord(
        id=str(article["id"]), title=article.get("title") or "", text=body_text(article)[:keep],
        published=article.get("published"), outlet=article.get("outlet") or article.get("domain"),
        event_date=day, place=place, country=country,
        killed=float(killed) if killed is not None else None,
        injured=float(injured) if injured is not None else None,
    )
