"""Synthetic corpora for benchmarks, generated from the bundled sample corpus.

Each synthetic article is a sample article with varied names, numbers, dates, outlet and
sentence order (seeded, reproducible), so that every article has a distinct content hash
and the extractors see realistic text. Usage:

    python bench/synth.py 10000 bench/corpora/10k.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"

CITIES = ["Kerman", "Mosul", "Aleppo", "Kandahar", "Maiduguri", "Mogadishu", "Sanaa", "Idlib",
          "Kharkiv", "Gaza City", "Jenin", "Tripoli", "Benghazi", "Quetta", "Peshawar", "Kirkuk"]
PEOPLE = ["Ali Rezaei", "Omar Haddad", "Sara Levin", "Yusuf Demir", "Hanna Kowalski",
          "Ahmed Saleh", "Miriam Cohen", "Dmitri Volkov", "Fatima Noor", "Kofi Mensah"]
OUTLETS = ["Meridian Wire", "Harbor Daily", "Northern Courier", "Capital Tribune", "Delta Post",
           "Atlas Review", "Frontline Monitor", "Civic Ledger"]


def load_sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def vary(article: dict, rng: random.Random, n: int) -> dict:
    text = article["text"]
    # numbers: scale every multi-digit figure, keep years (19xx/20xx) as they are
    def num(m: re.Match[str]) -> str:
        raw = m.group(0)
        if re.fullmatch(r"(19|20)\d\d", raw):
            return raw
        v = int(raw.replace(",", ""))
        return f"{max(1, int(v * rng.uniform(0.6, 1.6))):,}"
    text = re.sub(r"\b\d{1,3}(?:,\d{3})+\b|\b\d{2,}\b", num, text)
    # places and people: swap some for others
    for city in CITIES:
        if city in text and rng.random() < 0.5:
            text = text.replace(city, rng.choice(CITIES))
    # sentence order: shuffle sentences inside one paragraph (not the first)
    paras = text.split("\n")
    if len(paras) > 2:
        i = rng.randrange(1, len(paras))
        sents = re.split(r"(?<=[.!?])\s+", paras[i])
        if len(sents) > 2:
            head, rest = sents[0], sents[1:]
            rng.shuffle(rest)
            paras[i] = " ".join([head, *rest])
    text = "\n".join(paras) + f"\n{rng.choice(PEOPLE)} contributed reporting. (ref {n})"
    pub = article.get("published") or "2024-01-05"
    d = date.fromisoformat(pub) + timedelta(days=rng.randint(-400, 400))
    return {
        "text": text,
        "title": article.get("title"),
        "outlet": rng.choice(OUTLETS),
        "url": f"https://synthetic.example/{n}",
        "published": d.isoformat(),
        "language": "en",
    }


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    sample = load_sample()
    for i in range(n):
        yield vary(sample[i % len(sample)], rng, i)


def write(n: int, out: Path, seed: int = 7) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and sum(1 for _ in out.open(encoding="utf-8")) == n:
        return out
    with out.open("w", encoding="utf-8") as fh:
        for art in generate(n, seed):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
