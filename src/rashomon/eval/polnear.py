"""PolNeAR attribution evaluation: source, cue and content span P/R/F1.

PolNeAR (Newell, Margolin and Ruths, LREC 2018): 1,008 US political news articles with
attribution relations in brat standoff (``data/<split>/attributions/*.ann``, text in
``data/<split>/text/*.txt``). One annotation per article: the first annotator file by
sorted name. Spans are scored at overlap thresholds 0.3 and 0.8 (see
:mod:`rashomon.eval.spans`).

Example::

    .venv/bin/python -m rashomon.eval.polnear ../shared/datasets/polnear --split dev
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rashomon.eval.spans import SpanPieces, match, prf
from rashomon.extract.claims import RULESET, extract_claims, find_quotes
from rashomon.model import Claim

ROLES = ("source", "cue", "content")
THRESHOLDS = (0.3, 0.8)
_GOLD_TYPES = {"Source": "source", "Cue": "cue", "Content": "content"}

Spans = dict[str, list[SpanPieces]]


def data_dir(path: Path) -> Path:
    """Accept the PolNeAR root or its ``data`` folder."""
    path = Path(path)
    return path / "data" if (path / "data").is_dir() else path


def articles(path: Path, split: str = "dev") -> list[tuple[Path, Path]]:
    """(text file, annotation file) pairs of a split; first annotator by sorted name."""
    root = data_dir(path) / split
    texts = root / "text"
    anns = root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise FileNotFoundError(f"{root}: expected text/ and attributions/ (PolNeAR layout)")
    first: dict[str, Path] = {}
    for ann in sorted(anns.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        first.setdefault(stem, ann)
    out = []
    for stem, ann in sorted(first.items()):
        txt = texts / f"{stem}.txt"
        if txt.is_file():
            out.append((txt, ann))
    return out


def read_gold(ann: Path) -> Spans:
    """Source, cue and content spans of one ``.ann`` file (discontinuous = piece tuples)."""
    gold: Spans = {r: [] for r in ROLES}
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].startswith("T"):
            continue
        label, _, offsets = parts[1].partition(" ")
        role = _GOLD_TYPES.get(label)
        if role is None:
            continue
        pieces = []
        for piece in offsets.split(";"):
            a, b = piece.split()
            pieces.append((int(a), int(b)))
        gold[role].append(tuple(pieces))
    return gold


def _univocal(claims: Sequence[Claim]) -> list[Claim]:
    """PolNeAR labels each token once: drop article-voice claims and claims nested in another.

    Outer claims win: on PolNeAR train that beats cutting the outer content before the
    inner claim (content F1 at 0.3: 0.707 against 0.672).
    """
    keep = [c for c in claims if c.speaker_type != "article" and c.cue_span is not None]
    out = []
    for c in keep:
        cue = c.cue_span
        assert cue is not None
        nested = any(
            o is not c
            and o.content.start <= cue.start
            and cue.end <= o.content.end
            and len(o.content) > len(c.content)
            for o in keep
        )
        if not nested:
            out.append(c)
    return out


def _minus(pieces: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    for a, b in pieces:
        if cut[1] <= a or cut[0] >= b:
            out.append((a, b))
            continue
        if a < cut[0]:
            out.append((a, cut[0]))
        if cut[1] < b:
            out.append((cut[1], b))
    return out


def content_pieces(c: Claim, text: str | None = None) -> SpanPieces:
    """A claim's content as PolNeAR labels it: univocal, so without the claim's own source
    and cue ("The plan, he said, will fail" -> "The plan" + "will fail"), and for a direct
    quotation only the quoted words (a split quote is its two quotations, not the
    attribution between them). Pieces of whitespace and punctuation only are dropped."""
    lo, hi = c.content.start, c.content.end
    pieces = [(lo, hi)]
    if text is not None and c.quoted:
        quotes = [(lo + a, lo + b) for a, b in find_quotes(text[lo:hi])]
        if quotes:
            return tuple(quotes)
    for span in (c.speaker, c.cue_span):
        if span is not None:
            pieces = _minus(pieces, (span.start, span.end)) or pieces
    if text is not None:
        pieces = [(a, b) for a, b in pieces if any(ch.isalnum() for ch in text[a:b])] or pieces
    return tuple(pieces)


def claims_to_spans(claims: Iterable[Claim], text: str | None = None) -> Spans:
    """Predicted source/cue/content spans of an article's claims (content: :func:`content_pieces`)."""
    pred: Spans = {r: [] for r in ROLES}
    for c in claims:
        if c.speaker is not None:
            pred["source"].append(((c.speaker.start, c.speaker.end),))
        if c.cue_span is not None:
            pred["cue"].append(((c.cue_span.start, c.cue_span.end),))
        pred["content"].append(content_pieces(c, text))
    return pred


def predict(doc: Any, article_id: str) -> tuple[list[Claim], Spans]:
    claims = _univocal(extract_claims(doc, article_id))
    return claims, claims_to_spans(claims, doc.text)


def write_ann(path: Path, claims: Sequence[Claim], text: str) -> None:
    """Predicted attributions as brat standoff (T lines per span, one E line per claim)."""
    lines: list[str] = []
    t = 0
    for e, c in enumerate(claims, start=1):
        args = []
        for label, span in (("Source", c.speaker), ("Cue", c.cue_span), ("Content", c.content)):
            if span is None:
                continue
            t += 1
            frag = text[span.start : span.end].replace("\n", " ")
            lines.append(f"T{t}\t{label} {span.start} {span.end}\t{frag}")
            args.append(f"{label}:T{t}")
        lines.append(f"E{e}\tAttribution {' '.join(args)}")
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


class Tally:
    """Accumulates matches per role and threshold over articles."""

    def __init__(self) -> None:
        self.tp = {(r, th): 0 for r in ROLES for th in THRESHOLDS}
        self.n_pred = dict.fromkeys(ROLES, 0)
        self.n_gold = dict.fromkeys(ROLES, 0)
        self.articles = 0

    def add(self, gold: Spans, pred: Spans) -> None:
        self.articles += 1
        for r in ROLES:
            self.n_pred[r] += len(pred[r])
            self.n_gold[r] += len(gold[r])
            for th in THRESHOLDS:
                self.tp[(r, th)] += match(gold[r], pred[r], th)

    def results(self) -> dict[str, Any]:
        scores: dict[str, Any] = {}
        for th in THRESHOLDS:
            scores[str(th)] = {
                r: prf(self.tp[(r, th)], self.n_pred[r], self.n_gold[r]) for r in ROLES
            }
        return {"articles": self.articles, "scores": scores}


def _docs(nlp: Any, texts: Iterable[str]) -> Iterator[Any]:
    yield from nlp.pipe(texts, batch_size=8)


def evaluate_polnear(
    path: Path,
    split: str = "dev",
    save: Path | None = None,
    limit: int | None = None,
    nlp: Any = None,
) -> dict[str, Any]:
    """Run the claim extractor over a PolNeAR split and score it against the gold spans.

    Returns ``{"split", "articles", "ruleset", "seconds", "scores": {"0.3": {"source":
    {"precision", "recall", "f1", "tp", "pred", "gold"}, "cue": ..., "content": ...},
    "0.8": ...}}``. ``save`` writes one predicted ``.ann`` per article (gold file name).
    """
    if nlp is None:
        from rashomon.annotate.nlp import load_nlp

        nlp = load_nlp()
    pairs = articles(path, split)
    if limit is not None:
        pairs = pairs[:limit]
    if save is not None:
        save = Path(save)
        save.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    started = time.perf_counter()
    texts = [txt.read_text(encoding="utf-8") for txt, _ in pairs]
    for (_txt, ann), text, doc in zip(pairs, texts, _docs(nlp, texts), strict=True):
        claims, pred = predict(doc, ann.stem)
        tally.add(read_gold(ann), pred)
        if save is not None:
            write_ann(save / ann.name, claims, text)
    out = tally.results()
    out.update(split=split, ruleset=RULESET, seconds=round(time.perf_counter() - started, 1))
    return out


def format_results(res: dict[str, Any]) -> str:
    """A small fixed-width table of the scores."""
    rows = [
        f"PolNeAR {res.get('split', '?')}: {res['articles']} articles, "
        f"{res.get('ruleset', '')}, {res.get('seconds', '?')} s",
        f"{'overlap':>7} {'role':<8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}",
    ]
    for th, by_role in res["scores"].items():
        for role, s in by_role.items():
            rows.append(
                f"{th:>7} {role:<8} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
                f" {s['pred']:6d} {s['gold']:6d}"
            )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> str:
    """Parse arguments, run :func:`evaluate_polnear`, return the printable table."""
    ap = argparse.ArgumentParser(prog="rashomon.eval.polnear", description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path, help="PolNeAR root (or its data/ folder)")
    ap.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    ap.add_argument("--save", type=Path, default=None, help="write predicted .ann files here")
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = ap.parse_args(argv)
    res = evaluate_polnear(args.path, args.split, save=args.save, limit=args.limit)
    return format_results(res)


if __name__ == "__main__":
    print(main())
