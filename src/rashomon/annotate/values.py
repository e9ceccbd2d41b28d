"""A parsed Doc -> place, date and quantity :class:`~rashomon.model.Mention` s.

    mentions = value_mentions(doc, article, actor_countries=["IR", "IL"])

* GPE / LOC / FAC entities -> ``kind="place"``, resolved by :func:`resolve_place` in the
  article's place context (:func:`article_place_context`: its dateline, its outlet's home
  from the outlet registry, the US states it names; then ``actor_countries``, then the
  countries the article names itself, by frequency). Unresolved ones are kept with the place fields None.
  A GPE that is the surname of a PERSON in the same article ("Soleimani") is kept but
  not resolved. Single proper-noun tokens the NER missed or mislabelled (PERSON, NORP)
  that are countries, our own regions or cities of 100,000+ people ("Azerbaijan",
  "Bagdad", "Kerman") are added (label ``GAZ``).
* DATE entities (and CARDINALs shaped like dates, "21.01.2024") -> ``kind="date"``,
  resolved by :func:`resolve_date` against ``article.published``. A preceding "since",
  "until", "before", "after" joins the span and is recorded in the label
  (``DATE|relation=since``); a year-less date in an undated article records its month
  and day (``DATE|partial=--12-18``). Durations ("three months") stay, unresolved.
* CARDINAL / QUANTITY entities -> ``kind="quantity"``, parsed by :func:`parse_quantity`.
  A qualifier just before the entity ("at least", "more than", "up to") joins the span.
  Vague amounts the NER leaves out ("dozens of", "hundreds of") are added (label
  ``VAGUE``).

Every mention's span indexes ``doc.text`` exactly. Cost: one dictionary look-up per
entity or proper noun, all resolvers cached; the place index loads once per process.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rashomon.annotate.dates import resolve_date
from rashomon.annotate.places import Place, article_place_context, key, place_index, resolve_place
from rashomon.annotate.quantities import QUALIFIERS, VAGUE, parse_quantity
from rashomon.model import Article, Mention, Span

__all__ = ["ALGORITHM", "value_mentions"]

ALGORITHM = "rashomon.values.v1"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
QUANTITY_LABELS = frozenset({"CARDINAL", "QUANTITY"})
DATE_RELATIONS = frozenset({"since", "until", "till", "before", "after"})
_QUAL_WORDS = {tuple(q.split()) for q in QUALIFIERS if not q.endswith(".") and q != "or so"}
_VAGUE_HEADS = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "tens"})
_GAZ_MIN_POP = 100_000

#: "the Indonesian resort island of Bali", "the Syrian city of Aleppo": a demonym and a
#: kind of place right before the name say which country it is in.
_DEMONYM_OF = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:[a-z-]+\s+){0,2}(?:island|city|town|village|province|region|port|"
    r"capital|district|county|resort|enclave|outpost)\s+of\s+$"
)


def _demonym_country(text: str, start: int) -> str | None:
    """The country named by a demonym in "the <Demonym> (...) city of" just before ``start``."""
    m = _DEMONYM_OF.search(text, max(0, start - 60), start)
    if m is None:
        return None
    from rashomon.annotate.actors import load_registry

    reg = load_registry()
    aid = reg.demonym(m.group(1))
    actor = reg.actors.get(aid) if aid else None
    return actor.country if actor is not None and actor.country else None


def _resolve_in_context(surface: str, text: str, start: int, ctx: Any) -> Place | None:
    place = resolve_place(surface, context=ctx)
    cc = _demonym_country(text, start)
    if cc is None or (place is not None and place.country == cc):
        return place
    inside = resolve_place(surface, [cc], context=ctx)
    if inside is not None and inside.country == cc:
        return inside
    from rashomon.annotate.places import country_name

    name = country_name(cc)  # no such place in the gazetteer: the country, not a namesake abroad
    return resolve_place(name) if name else None
_NUMERIC_DATE = re.compile(r"^(?:\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{2}-\d{2})$")


def _published(article: Article) -> tuple[str | None, str]:
    pub = article.published
    prec: str = article.published_precision
    if pub and prec not in ("day", "month", "year"):
        prec = {10: "day", 7: "month", 4: "year"}.get(len(pub), "day")
    return pub, prec


def _qualifier_start(doc: Any, start: int, taken: set[int]) -> int:
    """Token index where a qualifier right before token ``start`` begins (else ``start``)."""
    for n in (3, 2, 1):
        i = start - n
        if i < 0 or any(j in taken for j in range(i, start)):
            continue
        words = tuple(t.lower_ for t in doc[i:start])
        if words in _QUAL_WORDS:
            return i
    return start


def _place_fields(m: Mention, p: Place | None) -> Mention:
    if p is not None:
        m.place_name, m.country, m.lat, m.lon = p.name, p.country, p.lat, p.lon
        m.place_precision = p.precision
    return m


def _gazetteer_hit(text: str) -> bool:
    """A proper noun worth adding although the NER missed it: country, region, big city."""
    ix = place_index()
    cands = ix["exact"].get(key(text))
    if not cands:
        return False
    for c in cands:
        i, alt = c // 2, c % 2
        if ix["tiers"][i] < 5 or (alt == 0 and ix["pops"][i] >= _GAZ_MIN_POP):
            return True
    return False


def _context(ents: Iterable[Any], actor_countries: Sequence[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for e in ents:
        p = resolve_place(e.text)
        if p is not None and p.country and p.precision == "country":
            counts[p.country] += 1
    for rank, cc in enumerate(actor_countries):
        if cc:
            counts[cc.upper()] += max(3 - rank, 1)  # the caller's order counts too
    return [cc for cc, _ in counts.most_common()]


def value_mentions(
    doc: Any, article: Article, actor_countries: Sequence[str] = ()
) -> list[Mention]:
    """Place, date and quantity mentions of one parsed article, sorted by position."""
    aid = article.id
    text = doc.text
    out: list[Mention] = []
    taken: set[int] = set()  # token indexes inside any entity
    for e in doc.ents:
        taken.update(range(e.start, e.end))
    places = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    ctx = _context((e for e in places if e.label_ == "GPE"), actor_countries)
    pctx = article_place_context(text, article.domain, ctx)  # dateline, outlet, states named
    pub, prec = _published(article)

    def place(start: int, end: int, label: str, resolve: bool = True) -> None:
        surface = text[start:end]
        m = Mention(Span(aid, start, end), surface, "place", label=label)
        out.append(_place_fields(m, _resolve_in_context(surface, text, start, pctx.for_mention(text, end)) if resolve else None))

    def date(start: int, end: int, label: str) -> None:
        surface = text[start:end]
        dv = resolve_date(surface, pub, prec)
        m = Mention(Span(aid, start, end), surface, "date", label=label)
        if dv is not None:
            m.date, m.date_end, m.date_precision, m.anchored = (
                dv.start,
                dv.end,
                dv.precision,
                dv.anchored,
            )
            if dv.relation:
                m.label = f"{m.label}|relation={dv.relation}"
            if dv.partial:
                m.label = f"{m.label}|partial={dv.partial}"
        out.append(m)

    def quantity(start: int, end: int, label: str) -> None:
        surface = text[start:end]
        q = parse_quantity(surface)
        m = Mention(Span(aid, start, end), surface, "quantity", label=label)
        if q is not None:
            m.value, m.low, m.high, m.qualifier = q.value, q.low, q.high, q.qualifier
        out.append(m)

    for e in doc.ents:
        label = e.label_
        if label in PLACE_LABELS:
            place(e.start_char, e.end_char, label, resolve=e.text not in surnames)
        elif (
            label in ("PERSON", "NORP")
            and len(e) == 1
            and e.text not in surnames
            and _gazetteer_hit(e.text)
        ):
            place(e.start_char, e.end_char, "GAZ")  # "Azerbaijan" tagged PERSON, "Kerman" NORP
        elif label == "DATE" or (label == "CARDINAL" and _NUMERIC_DATE.match(e.text)):
            s = e.start
            if s > 0 and doc[s - 1].lower_ in DATE_RELATIONS and s - 1 not in taken:
                s -= 1
            date(doc[s].idx, e.end_char, "DATE")
        elif label in QUANTITY_LABELS:
            s = _qualifier_start(doc, e.start, taken)
            quantity(doc[s].idx, e.end_char, label)
    # what the NER missed: proper-noun places and vague amounts
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if i in taken:
            i += 1
            continue
        low = t.lower_
        if low in _VAGUE_HEADS:
            j = min(i + 4, n)
            q = parse_quantity(doc[i:j].text)
            nxt = doc[i + 1].lower_ if i + 1 < n else ""
            if q is not None and q.qualifier in VAGUE and (nxt == "of" or low != "scores"):
                # snap the span to the phrase the parser consumed ("tens of thousands")
                words = len(q.qualifier.split())
                s = _qualifier_start(doc, i, taken)
                quantity(doc[s].idx, doc[i + words - 1].idx + len(doc[i + words - 1].text), "VAGUE")
                i += words
                continue
        elif t.pos_ == "PROPN" and t.is_title and len(t.text) > 3 and _gazetteer_hit(t.text):
            place(t.idx, t.idx + len(t.text), "GAZ")
        i += 1
    out.sort(key=lambda m: (m.span.start, m.span.end))
    return out
