"""How well the readers find each file's outlet and publication date, against gold.

    python -m rashomon.eval.headers ../shared/corpus/real-dev [--show]

reads ``CORPUS_DIR/articles`` through :func:`rashomon.read.read_sources` (the code path
``rashomon analyze`` runs) and compares each article's ``outlet`` and ``published`` with
``CORPUS_DIR/gold.json`` (``articles``: per file ``outlet`` and ``published``), read at
run time. Gold is never copied into the repository.

Figures: *found* (the reader set a value), *right* (it matches gold), *false* (set but
wrong, including a value where gold has none). An outlet is right when it names the
gold outlet: the comparison ignores case, a leading "The", punctuation and a bracketed
qualifier in gold ("Mint (Livemint)" is named by "Mint"; "Yahoo News UK (AFP)" by
"Yahoo News UK"). A date is right only when it is the gold day (or gold month for a
month-precision gold).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.model import Article


def _norm(name: str) -> str:
    s = name.lower().strip()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"[^a-z0-9]+", "", s)


def outlet_matches(found: str, gold: str) -> bool:
    """True when ``found`` names the ``gold`` outlet.

    >>> outlet_matches("Mint", "Mint (Livemint)"), outlet_matches("ABC News", "ABC News (Australia)")
    (True, True)
    >>> outlet_matches("Reuters", "Global News (Canada)")
    False
    """
    bare = re.sub(r"\s*\([^)]*\)", "", gold)
    return _norm(found) in {_norm(gold), _norm(bare)}


@dataclass
class Tally:
    files: int = 0
    outlet_gold: int = 0
    outlet_found: int = 0
    outlet_right: int = 0
    outlet_false: int = 0
    date_gold: int = 0
    date_found: int = 0
    date_right: int = 0
    date_false: int = 0
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("problems")
        return d


def score(articles: dict[str, Article], gold: dict[str, dict[str, Any]]) -> Tally:
    t = Tally()
    for name, g in sorted(gold.items()):
        art = articles.get(name)
        t.files += 1
        outlet = art.outlet if art else None
        published = art.published if art else None
        if g.get("outlet"):
            t.outlet_gold += 1
        if outlet:
            t.outlet_found += 1
            if g.get("outlet") and outlet_matches(outlet, g["outlet"]):
                t.outlet_right += 1
            else:
                t.outlet_false += 1
                t.problems.append(f"{name}: outlet {outlet!r}, gold {g.get('outlet')!r}")
        gd = g.get("published")
        if gd:
            t.date_gold += 1
        if published:
            t.date_found += 1
            if gd and published == gd:
                t.date_right += 1
            else:
                t.date_false += 1
                t.problems.append(f"{name}: published {published!r}, gold {gd!r}")
        elif gd:
            t.problems.append(f"{name}: published missed, gold {gd!r}")
    return t


def read_corpus(articles_dir: Path, outlet_from_dir: str | None = None) -> dict[str, Article]:
    from rashomon.read import read_sources

    out: dict[str, Article] = {}
    for item in read_sources([str(articles_dir)], outlet_from_dir=outlet_from_dir):
        if isinstance(item, Article) and item.source:
            out[Path(item.source).name] = item
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rashomon.eval.headers", description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="corpus folder with articles/ and gold.json")
    ap.add_argument("--show", action="store_true", help="list every miss and false value")
    args = ap.parse_args(argv)
    gold_path = args.corpus / "gold.json"
    if not gold_path.exists():
        print(f"{gold_path}: not found", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["articles"]
    t = score(read_corpus(args.corpus / "articles"), gold)
    print(
        f"files {t.files}\n"
        f"outlet: found {t.outlet_found}/{t.outlet_gold}, right {t.outlet_right}, false {t.outlet_false}\n"
        f"published: found {t.date_found} (gold states {t.date_gold}), right {t.date_right}, "
        f"false {t.date_false}"
    )
    if args.show:
        for p in t.problems:
            print("  " + p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
