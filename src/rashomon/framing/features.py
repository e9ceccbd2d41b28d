"""Features for persuasion-technique and genre models, and the dataset readers.

The technique model scores one paragraph at a time but sees its article: features such
as "how much of this paragraph is repeated elsewhere in the article" (the Repetition
technique) only exist at article level. Everything here is plain Python + numpy so
it pickles small and runs in well under a millisecond per paragraph.

Lexicons are short hand-written cue lists per technique family, in the spirit of the
annotation guidelines of Da San Martino et al. (2019, "Fine-grained analysis of
propaganda in news articles") and Piskorski et al. (2023, SemEval-2023 Task 3).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and white space.
SENT_END_RE = re.compile(r"(?<=[.!?…])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")

LEXICONS: dict[str, tuple[str, ...]] = {
    "loaded": (
        "outrageous",
        "disgusting",
        "shocking",
        "horrific",
        "evil",
        "vile",
        "corrupt",
        "radical",
        "extremist",
        "lunatic",
        "insane",
        "crazy",
        "disaster",
        "disastrous",
        "catastrophe",
        "catastrophic",
        "destroy",
        "destroyed",
        "slaughter",
        "massacre",
        "brutal",
        "savage",
        "terror",
        "terrorist",
        "thugs",
        "regime",
        "propaganda",
        "hysteria",
        "hysterical",
        "witch",
        "hunt",
        "treason",
        "traitor",
        "traitors",
        "tyranny",
        "tyrant",
        "despicable",
        "shameful",
        "pathetic",
        "ridiculous",
        "absurd",
        "stupid",
        "idiot",
        "idiots",
        "liar",
        "lies",
        "lying",
        "fake",
        "hoax",
        "scam",
        "fraud",
        "rigged",
        "elite",
        "elites",
        "globalist",
        "globalists",
        "deep",
        "mob",
        "fascist",
        "fascists",
        "nazi",
        "nazis",
        "communist",
        "marxist",
        "socialist",
        "leftist",
        "leftists",
        "libtard",
        "snowflake",
        "sheep",
        "puppet",
        "illegal",
        "illegals",
        "invasion",
        "invaders",
        "swamp",
        "bombshell",
        "blasted",
        "slammed",
        "ripped",
        "bizarre",
        "unhinged",
        "meltdown",
        "zionist",
        "occupation",
        "martyr",
        "martyrdom",
        "heroic",
        "hero",
        "heroes",
        "glorious",
        "sacred",
    ),
    "doubt": (
        "allegedly",
        "alleged",
        "supposedly",
        "so-called",
        "claims",
        "claimed",
        "claim",
        "questionable",
        "dubious",
        "suspicious",
        "really",
        "whether",
        "doubt",
        "doubts",
        "unclear",
        "credibility",
        "credible",
        "trust",
        "why",
        "how",
        "who",
        "what",
        "questions",
        "question",
        "apparently",
        "purported",
    ),
    "fear": (
        "threat",
        "threaten",
        "threatens",
        "danger",
        "dangerous",
        "fear",
        "afraid",
        "risk",
        "deadly",
        "death",
        "die",
        "kill",
        "killed",
        "killing",
        "attack",
        "attacks",
        "war",
        "crisis",
        "collapse",
        "chaos",
        "warn",
        "warned",
        "warning",
        "destroy",
        "wipe",
        "epidemic",
        "plague",
        "invasion",
        "nightmare",
        "doom",
    ),
    "flag": (
        "america",
        "american",
        "americans",
        "nation",
        "national",
        "patriot",
        "patriots",
        "patriotic",
        "country",
        "our",
        "we",
        "us",
        "freedom",
        "liberty",
        "constitution",
        "people",
        "homeland",
        "flag",
        "values",
        "christian",
        "western",
        "civilization",
        "sovereignty",
    ),
    "authority": (
        "said",
        "says",
        "according",
        "expert",
        "experts",
        "study",
        "studies",
        "report",
        "reported",
        "scientists",
        "professor",
        "official",
        "officials",
        "director",
        "spokesman",
        "spokeswoman",
        "told",
        "stated",
        "confirmed",
    ),
    "causal": (
        "because",
        "therefore",
        "thus",
        "caused",
        "causes",
        "cause",
        "led",
        "lead",
        "result",
        "resulted",
        "consequence",
        "since",
        "so",
        "blame",
        "blamed",
        "responsible",
        "due",
    ),
    "dilemma": (
        "either",
        "or",
        "only",
        "choice",
        "option",
        "alternative",
        "must",
        "unless",
        "nothing",
        "nobody",
        "everyone",
        "neither",
    ),
    "killer": (
        "period",
        "end",
        "enough",
        "simply",
        "obviously",
        "clearly",
        "fact",
        "truth",
        "nonsense",
        "move",
        "on",
        "forget",
        "stop",
    ),
    "exaggerate": (
        "never",
        "always",
        "all",
        "every",
        "everything",
        "nothing",
        "completely",
        "totally",
        "absolutely",
        "entire",
        "whole",
        "biggest",
        "worst",
        "best",
        "greatest",
        "massive",
        "huge",
        "enormous",
        "unprecedented",
        "most",
        "ever",
        "thousands",
        "millions",
        "only",
        "mere",
        "merely",
        "just",
        "tiny",
    ),
    "hypocrisy": (
        "hypocrite",
        "hypocrites",
        "hypocrisy",
        "hypocritical",
        "double",
        "standard",
        "standards",
        "yet",
        "same",
        "while",
        "whereas",
    ),
    "whatabout": ("what", "about", "meanwhile", "instead", "but", "where", "when"),
    "association": (
        "hitler",
        "nazi",
        "nazis",
        "stalin",
        "communist",
        "communists",
        "soviet",
        "isis",
        "daesh",
        "al-qaeda",
        "qaeda",
        "terrorists",
        "kkk",
        "mafia",
        "linked",
        "ties",
        "associated",
        "connection",
        "connections",
    ),
    "popularity": ("everyone", "everybody", "majority", "millions", "popular", "most", "poll"),
    "vague": ("some", "certain", "somehow", "something", "things", "stuff", "perhaps", "maybe"),
}
_LEX_SETS = {k: frozenset(v) for k, v in LEXICONS.items()}
STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "not",
        "no",
        "but",
        "if",
        "then",
        "than",
        "so",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "just",
        "also",
    ]
)


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets inside one paragraph (regex splitter).

    >>> split_sentences("One. Two? Three!")
    [(0, 4), (5, 9), (10, 16)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in SENT_END_RE.finditer(paragraph):
        if m.end(1) > start:
            out.append((start, m.end(1)))
        start = m.end()
    end = len(paragraph.rstrip())
    if end > start:
        out.append((start, end))
    if not out and paragraph.strip():
        out.append((0, len(paragraph)))
    return out


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text)]


def _ngrams(toks: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]


def article_features(paragraphs: Sequence[str]) -> np.ndarray:
    """Dense hand-made features for every paragraph of one article.

    Columns: shape/punctuation, lexicon rates, position and repetition within the article.
    """
    toks = [words(p) for p in paragraphs]
    content = [[w for w in t if w not in STOP and len(w) > 2] for t in toks]
    # Article-level counts for repetition: in how many paragraphs each content word /
    # bigram / trigram occurs.
    df1: Counter[str] = Counter()
    df2: Counter[tuple[str, ...]] = Counter()
    df3: Counter[tuple[str, ...]] = Counter()
    for c, t in zip(content, toks, strict=True):
        df1.update(set(c))
        df2.update(set(_ngrams(t, 2)))
        df3.update(set(_ngrams(t, 3)))
    n = max(len(paragraphs), 1)
    rows = []
    for i, (p, t, c) in enumerate(zip(paragraphs, toks, content, strict=True)):
        nt = max(len(t), 1)
        letters = [ch for ch in p if ch.isalpha()]
        caps_words = sum(1 for w in WORD_RE.findall(p) if len(w) > 1 and w.isupper())
        sents = split_sentences(p)
        big = _ngrams(t, 2)
        tri = _ngrams(t, 3)
        rep1 = sum(1 for w in set(c) if df1[w] > 1) / max(len(set(c)), 1)
        rep2 = sum(1 for g in set(big) if df2[g] > 1 and not (set(g) <= STOP))
        rep3 = sum(1 for g in set(tri) if df3[g] > 1 and not (set(g) <= STOP))
        maxdf = max((df1[w] for w in c), default=0)
        within = Counter(c)
        within_rep = sum(v - 1 for v in within.values() if v > 1)
        row = [
            np.log1p(len(p)),
            np.log1p(len(t)),
            len(sents),
            p.count("?"),
            float(p.rstrip().endswith("?")),
            p.count("!"),
            p.count('"') + p.count("“") + p.count("”"),
            p.count("'") + p.count("‘") + p.count("’") - p.count("'s"),
            p.count("..."),
            p.count(":"),
            p.count("("),
            caps_words / nt,
            sum(ch.isupper() for ch in letters) / max(len(letters), 1),
            sum(ch.isdigit() for ch in p) / max(len(p), 1),
            float(i == 0),
            i / n,
            float(i == n - 1),
            rep1,
            np.log1p(rep2),
            np.log1p(rep3),
            np.log1p(maxdf),
            np.log1p(within_rep),
            float(len(t) <= 8),
        ]
        for name in LEXICONS:
            hits = sum(1 for w in t if w in _LEX_SETS[name])
            row.append(hits / nt)
            row.append(np.log1p(hits))
        rows.append(row)
    if not rows:
        return np.zeros((0, n_dense_features()), dtype=np.float64)
    return np.asarray(rows, dtype=np.float64)


def n_dense_features() -> int:
    return 23 + 2 * len(LEXICONS)


# ---------------------------------------------------------------------------- datasets


@dataclass(slots=True)
class LabelledArticle:
    """One SemEval-2023 article: its text, its non-empty lines and their gold labels."""

    article_id: str
    text: str
    lines: list[int] = field(default_factory=list)  # 1-based line numbers (the scored ones)
    paragraphs: list[str] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)


def paragraphs_of(text: str) -> list[tuple[int, int, int]]:
    """``(line_index, start, end)`` for each non-blank line of ``text`` (0-based index)."""
    out = []
    pos = 0
    for idx, line in enumerate(text.split("\n")):
        if line.strip():
            out.append((idx, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def read_text(path: Path) -> str:
    # newline="" keeps "\r" so offsets match the dataset's character offsets
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def read_semeval_paragraphs(root: Path) -> list[LabelledArticle]:
    """The SemEval-2023 subtask-3 train articles with paragraph labels (file order)."""
    labels: dict[str, dict[int, list[str]]] = {}
    with (root / "train-labels-subtask-3.txt").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                continue
            techs = [t for t in (cols[2].split(",") if len(cols) > 2 else []) if t]
            labels.setdefault(cols[0], {})[int(cols[1])] = techs
    arts = []
    for aid in sorted(labels):
        text = read_text(root / "train-articles-subtask-3" / f"article{aid}.txt")
        lines = text.split("\n")
        art = LabelledArticle(aid, text)
        for ln in sorted(labels[aid]):
            art.lines.append(ln)
            art.paragraphs.append(lines[ln - 1] if ln - 1 < len(lines) else "")
            art.labels.append(labels[aid][ln])
        arts.append(art)
    return arts


def read_genre_labels(root: Path) -> list[tuple[str, str, str]]:
    """``(article_id, text, genre)`` for SemEval-2023 subtask 1."""
    out = []
    with (root / "train-labels-subtask-1.txt").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 2 and cols[1]:
                text = read_text(root / "train-articles-subtask-1-2" / f"article{cols[0]}.txt")
                out.append((cols[0], text, cols[1]))
    return out


def read_ptc(root: Path, split: str) -> tuple[dict[str, str], list[tuple[str, str, int, int]]]:
    """PTC articles and technique spans ``(article_id, technique, start, end)``."""
    arts = {
        p.stem.removeprefix("article"): read_text(p)
        for p in sorted((root / f"{split}-articles").glob("article*.txt"))
    }
    spans = []
    with (root / f"{split}-task-flc-tc.labels").open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4:
                spans.append((cols[0], cols[1], int(cols[2]), int(cols[3])))
    return arts, spans


def iter_article_ids(folder: Path) -> Iterable[str]:
    for p in sorted(folder.glob("article*.txt")):
        yield p.stem.removeprefix("article")
