"""Learn the cue lexicon ``data/cues.txt`` from PolNeAR train cue spans.

For every gold cue span, the head token (the first verb, else the span's syntactic root)
is counted by ``(lemma, POS)``; the rate is that count over every occurrence of the lemma
with that POS in the split. Only lemmas, POS tags and counts are written, never text.

Example::

    .venv/bin/python -m rashomon.eval.build_cues ../shared/datasets/polnear
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rashomon.eval.polnear import articles, read_gold
from rashomon.extract.cues import CUES_FILE


def cue_head(span: Any) -> Any:
    verbs = [t for t in span if t.pos_ == "VERB"]
    return verbs[0] if verbs else span.root


def count(pairs: Sequence[tuple[Path, Path]], nlp: Any) -> tuple[Counter[Any], Counter[Any]]:
    cue: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    texts = (txt.read_text(encoding="utf-8") for txt, _ in pairs)
    for (_txt, ann), doc in zip(pairs, nlp.pipe(texts, batch_size=8), strict=True):
        for t in doc:
            total[(t.lemma_.lower(), t.pos_)] += 1
        for pieces in read_gold(ann)["cue"]:
            a, b = pieces[0]
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or not len(span):
                continue
            h = cue_head(span)
            cue[(h.lemma_.lower(), h.pos_)] += 1
    return cue, total


def write(cue: Counter[Any], total: Counter[Any], out: Path, min_count: int = 3) -> int:
    rows = [
        "# lemma\tpos\tcue_count\tcue_rate  (PolNeAR train cue heads; rashomon.eval.build_cues)"
    ]
    for (lemma, pos), n in cue.most_common():
        if n < min_count or not lemma.isalpha():
            continue
        rate = n / max(total[(lemma, pos)], n)
        rows.append(f"{lemma}\t{pos}\t{n}\t{rate:.3f}")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def main(argv: Sequence[str] | None = None) -> str:
    ap = argparse.ArgumentParser(prog="rashomon.eval.build_cues")
    ap.add_argument("path", type=Path, help="PolNeAR root")
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", type=Path, default=CUES_FILE)
    args = ap.parse_args(argv)
    from rashomon.annotate.nlp import load_nlp

    cue, total = count(articles(args.path, args.split), load_nlp())
    n = write(cue, total, args.out)
    return f"wrote {n} cue lemmas to {args.out}"


if __name__ == "__main__":
    print(main())
