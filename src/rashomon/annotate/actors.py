"""Actor mentions: who an article names, under which label, resolved to the registry.

    resolver = ActorResolver(nlp, load_registry())   # once per process
    mentions = resolver(doc, article_id)             # list[Mention], kind == "actor"

Rules, in priority order (an earlier rule's span wins; spans never overlap):

1. Registry aliases, by two PhraseMatchers built once: exact case (ORTH, with
   Capitalized, Title Case and UPPER variants) for short aliases and acronyms; LOWER for
   long names (3+ tokens, 15+ characters). The longest match wins. A following source noun ("Hamas
   officials", "Israeli military sources") makes the mention an unnamed source of that actor.
2. Within-article short forms of people already named ("Raisi", "Arouri").
3. Unnamed sources: demonym + source noun ("Iranian sources" -> Iran), qualifier +
   noun ("official sources", "security sources") and bare "officials" (no actor).
4. NER PERSON/ORG/NORP/GPE spans: alias look-up, short forms, fuzzy look-up
   (PERSON/ORG only), demonyms (NORP); other PERSON/ORG/NORP become provisional
   actors ``prov:<slug>``; unresolved GPEs are places, not actors.

Titles before a person ("US Defense Secretary Lloyd Austin") stay out of the span and
go into the label: ``"registry|title=US Defense Secretary"`` (see :func:`split_label`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from spacy.attrs import ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.util import filter_spans

from rashomon.annotate.registry import Registry, fold, load_registry, norm_key
from rashomon.model import Actor, Mention, Register, Span

__all__ = ["ALGORITHM", "ActorResolver", "Registry", "load_registry", "split_label"]

ALGORITHM = "rashomon.actors.v1"
NER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
SOURCE_NOUNS = ("sources", "source", "officials", "official", "diplomats", "diplomat", "insiders")
QUALIFIERS = (
    "security", "intelligence", "military", "government", "official", "diplomatic", "senior",
    "informed", "local", "medical", "police", "defence", "defense", "ministry", "western",
    "health", "judicial", "administration", "knowledgeable", "unnamed", "anonymous",
)  # fmt: skip
BARE_SOURCES = ("officials", "sources")
TITLE_WORDS = frozenset(
    """President president Prime prime Minister minister Secretary secretary Defense Defence
    defense defence Foreign foreign State state Finance finance Interior National Security
    Head head Chief chief Deputy deputy Vice vice General general Gen. Gen Lt. Lt Col. Col
    Maj. Brig. Brigadier Colonel Major Lieutenant Commander commander Leader leader Supreme
    supreme spiritual Spiritual Spokesman spokesman Spokesperson spokesperson Speaker King
    Queen Prince Crown Emir Sheikh Ayatollah Imam Sayyed Seyyed Hojatoleslam Mr. Mrs. Ms.
    Dr. Senator Sen. Rep. Ambassador ambassador Envoy envoy Chairman chairman Director
    director Admiral Adm. Marshal Premier premier senior Senior military Military advisor
    adviser Advisor Adviser Army army Staff Counsel Governor governor Mayor founder Founder
    Secretary-General Minister-President Field Chancellor chancellor Sultan former Former
    top Top and of the""".split()  # noqa: SIM905
)
_STOP_EDGE = frozenset({"the", "The", "'s", "’s", "'", "’", "of", "Head"})
_FUZZY_KINDS = frozenset(
    {"person", "armed_group", "media", "party", "igo", "intelligence", "armed_force"}
)


FUZZY_CACHE_MAX = 100_000


def split_label(label: str | None) -> tuple[str | None, str | None]:
    """``"registry|title=US Defense Secretary"`` -> ``("registry", "US Defense Secretary")``."""
    if not label or "|title=" not in label:
        return label, None
    base, title = label.split("|title=", 1)
    return base, title


def slug(text: str) -> str:
    """A stable slug for provisional ids.

    >>> slug("The Palestinian Organization")
    'palestinian-organization'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def _variants(text: str) -> set[str]:
    out = {text, text[:1].upper() + text[1:]}
    if any(c.islower() for c in text) and len(text) >= 4:
        out.add(text.upper())
    words = text.split()
    if len(words) > 1:
        out.add(" ".join(w[:1].upper() + w[1:] for w in words))
    return out


def _exact_case(text: str, ntok: int) -> bool:
    """Aliases matched on exact case (with Capitalized, Title and UPPER variants): all but
    long names of three or more tokens without an acronym, which match ignoring case.
    "Islamic State" must not match "the Islamic state" (Iran); "Islamic Revolutionary
    Guard Corps" may match in any case."""
    if ntok < 3 or len(text) < 15 or text.lower().startswith("the "):
        return True
    return any(w.isupper() and len(w) <= 5 for w in re.split(r"[\s\-]+", text) if w)


class ActorResolver:
    """Finds and resolves actor mentions in a parsed spaCy ``Doc``. Build once per process."""

    def __init__(
        self, nlp: Any, registry: Registry | None = None, *, fuzzy_cutoff: float = 88.0
    ) -> None:
        self.registry = registry or load_registry()
        self.algorithm = f"{ALGORITHM}+registry-{self.registry.version}"
        self.fuzzy_cutoff = fuzzy_cutoff
        vocab = nlp.vocab
        self._strings = vocab.strings
        self._orth = PhraseMatcher(vocab, attr="ORTH")
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        orth_pats: dict[str, list[str]] = {}
        lower_pats: dict[str, list[str]] = {}
        texts: list[tuple[str, str]] = []
        for actor in self.registry:
            for al in actor.aliases:
                key = f"{actor.id}\t{al.register}"
                for t in {al.text, al.text.replace("'", "’")}:
                    texts.append((key, t))
        docs = list(nlp.tokenizer.pipe(t for _, t in texts))
        for (key, t), d in zip(texts, docs, strict=True):
            if norm_key(t) in self.registry.ambiguous:
                continue
            if _exact_case(t, len(d)):
                orth_pats.setdefault(key, []).extend(_variants(t))
            else:
                lower_pats.setdefault(key, []).append(t)
        for key, pats in orth_pats.items():
            self._orth.add(key, list(nlp.tokenizer.pipe(sorted(set(pats)))))
        for key, pats in lower_pats.items():
            self._lower.add(key, list(nlp.tokenizer.pipe(sorted(set(pats)))))
        # Unnamed sources: demonym (+ qualifier) + source noun; qualifier + noun; bare noun.
        dem_single = sorted({d for d in self.registry.demonyms if " " not in d})
        acronyms = sorted(
            al.text
            for a in self.registry
            if a.kind == "state"
            for al in a.aliases
            if al.text.replace(".", "").isupper() and len(al.text) <= 5
        )
        self._acronym_state = {
            al.text: a.id
            for a in self.registry
            if a.kind == "state"
            for al in a.aliases
            if al.text in acronyms
        }
        self._sources = Matcher(vocab)
        qual = {"LOWER": {"IN": list(QUALIFIERS)}, "OP": "?"}
        noun = {"LOWER": {"IN": list(SOURCE_NOUNS)}}
        self._sources.add("DEMONYM", [[{"ORTH": {"IN": dem_single + acronyms}}, qual, noun]])
        multi = [d.split() for d in self.registry.demonyms if " " in d]
        if multi:
            self._sources.add("DEMONYM", [[*({"ORTH": w} for w in ws), qual, noun] for ws in multi])
        self._sources.add("GENERIC", [[{"LOWER": {"IN": list(QUALIFIERS)}}, noun]])
        self._sources.add("BARE", [[{"LOWER": {"IN": list(BARE_SOURCES)}}]])
        # Fuzzy look-up tables (folded alias -> (actor id, register)), per token count.
        self._fuzzy_tables: dict[int, dict[str, tuple[str, Register]]] = {}
        for a in self.registry:
            if a.kind not in _FUZZY_KINDS:
                continue
            for al in a.aliases:
                k = fold(al.text)
                if len(k) >= 5:
                    self._fuzzy_tables.setdefault(len(k.split()), {}).setdefault(
                        k, (a.id, al.register)
                    )
        self._fuzzy_cache: dict[str, tuple[str, Register] | None] = {}
        self._provisional: dict[str, Actor] = {}

    # ------------------------------------------------------------------ public
    def provisional_actors(self) -> list[Actor]:
        """Actors minted for the unregistered PERSON/ORG/NORP names of the last article
        resolved (ids ``prov:...``, named as that article first spells them).

        Per article, not per process: what an article yields does not depend on which
        articles the same process resolved before (a forked worker, a resumed run), and
        the resolver holds nothing that grows with the corpus."""
        return list(self._provisional.values())

    def fuzzy(self, text: str) -> tuple[str, Register] | None:
        """Registry alias within a high similarity of ``text`` (same token count, same initial)."""
        k = fold(text)
        if k in self._fuzzy_cache:
            return self._fuzzy_cache[k]
        hit: tuple[str, Register] | None = None
        table = self._fuzzy_tables.get(len(k.split()))
        if table and len(k) >= 5:
            best = process.extractOne(
                k, table.keys(), scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff
            )
            if best is not None and best[0][:1] == k[:1]:
                hit = table[best[0]]
        self._fuzzy_cache[k] = hit
        return hit

    def __call__(self, doc: Any, article_id: str) -> list[Mention]:
        self._provisional = {}
        if len(self._fuzzy_cache) > FUZZY_CACHE_MAX:  # a cache, not a corpus-sized store
            self._fuzzy_cache.clear()
        n = len(doc)
        covered = bytearray(n)
        out: list[Mention] = []
        strings = self._strings

        def free(s: int, e: int) -> bool:
            return covered.find(1, s, e) == -1

        def emit(s: int, e: int, actor_id: str | None, register: Register | None, label: str,
                 unnamed: bool = False) -> None:  # fmt: skip
            covered[s:e] = b"\x01" * (e - s)
            span = doc[s:e]
            out.append(
                Mention(
                    span=Span(article_id, span.start_char, span.end_char),
                    text=span.text,
                    kind="actor",
                    label=label,
                    actor_id=actor_id,
                    register=register,
                    unnamed=unnamed,
                )
            )

        # 1. registry aliases
        matches = [*self._orth(doc, as_spans=True), *self._lower(doc, as_spans=True)]
        people: dict[str, str] = {}  # person actor id -> a surface seen
        for sp in filter_spans(matches):
            s, e = sp.start, sp.end
            if sp.text.lower().startswith("the ") and e < n and doc[e].lower_ == "of":
                continue  # "the occupation of the West Bank" is not an actor
            actor_id, reg = strings[sp.label].split("\t")
            register: Register = "loaded" if reg == "loaded" else "neutral"
            e2 = self._source_tail(doc, e)
            if e2 > e:
                emit(s, e2, actor_id, register, "registry|source", unnamed=True)
                continue
            emit(s, e, actor_id, register, "registry", unnamed=False)
            if self.registry.actors[actor_id].kind == "person":
                people.setdefault(actor_id, sp.text)
        # 2. NER spans: exact alias look-up first, so full names found by NER seed short forms
        pending: list[tuple[int, int, str]] = []
        gpe_texts = {ent.text for ent in doc.ents if ent.label_ == "GPE"}
        for ent in doc.ents:
            if ent.label_ not in NER_LABELS:
                continue
            s, e = self._trim(doc, ent.start, ent.end)
            if s >= e or not free(s, e):
                continue
            text = doc[s:e].text
            hit = self.registry.lookup(text)
            if hit is not None:
                emit(s, e, hit[0], hit[1], ent.label_)
                if self.registry.actors[hit[0]].kind == "person":
                    people.setdefault(hit[0], text)
            else:
                pending.append((s, e, ent.label_))
        # 3. within-article short forms of the people named so far
        shorts = self._short_forms(people)
        if shorts:
            orth = doc.to_array(ORTH)
            keys = np.array(list(shorts), dtype=np.uint64)
            for i in np.flatnonzero(np.isin(orth, keys)).tolist():
                if covered[i] or not doc[i].is_title:
                    continue
                emit(i, i + 1, shorts[int(orth[i])], "neutral", "shortform")
        # 4. unnamed sources
        for sp in filter_spans(self._sources(doc, as_spans=True)):
            if not free(sp.start, sp.end):
                continue
            kind = strings[sp.label]
            actor_id = None
            if kind == "DEMONYM":
                first = doc[sp.start].text
                actor_id = self.registry.demonym(first) or self._acronym_state.get(first)
                if actor_id is None:  # multi-word demonym
                    for k in range(sp.end - 1, sp.start, -1):
                        actor_id = self.registry.demonym(doc[sp.start : k].text)
                        if actor_id:
                            break
            emit(sp.start, sp.end, actor_id, "neutral", "unnamed_source", unnamed=True)
        # 5. remaining NER spans: short forms, fuzzy, demonyms, provisional actors
        for s, e, label in pending:
            if not free(s, e):
                continue
            text = doc[s:e].text
            if label == "GPE":
                continue  # places are resolved by the place layer
            hit = None
            if label in ("PERSON", "ORG"):
                hit = self.fuzzy(text)
            if hit is not None:
                emit(s, e, hit[0], hit[1], f"{label}|fuzzy")
                continue
            if label == "NORP":
                dem = self.registry.demonym(text)
                if dem is not None:
                    emit(s, e, dem, "neutral", label)
                    continue
                if text[:4].lower() in ("pro-", "anti") or (e - s == 1 and doc[s].pos_ == "ADJ"):
                    continue
            if text in gpe_texts or not self._plausible(doc, s, e):
                continue
            emit(s, e, self._mint(text, label), None, label)
        out.sort(key=lambda m: m.span.start)
        self._add_titles(doc, out)
        return out

    # ----------------------------------------------------------------- helpers
    def _source_tail(self, doc: Any, e: int) -> int:
        """End of '<actor> [qualifier] sources/officials' after an actor ending at ``e``."""
        n = len(doc)
        k = e
        if k < n and doc[k].lower_ in QUALIFIERS:
            k += 1
        if k < n and doc[k].lower_ in SOURCE_NOUNS and doc[k].pos_ in ("NOUN", "PROPN"):
            return k + 1
        return e

    @staticmethod
    def _trim(doc: Any, s: int, e: int) -> tuple[int, int]:
        while s < e and (doc[s].text in _STOP_EDGE or (doc[s].text in TITLE_WORDS and e - s > 1)):
            s += 1
        while e > s and (doc[e - 1].text in _STOP_EDGE or doc[e - 1].is_punct):
            e -= 1
        return s, e

    def _short_forms(self, people: dict[str, str]) -> dict[int, str]:
        cand: dict[str, set[str]] = {}
        for actor_id, surface in people.items():
            for src in (surface, self.registry.actors[actor_id].name):
                words = src.split()
                if len(words) < 2:
                    continue
                last = re.sub(r"^(?:al|el|ad|as|ash)-", "", words[-1])
                if len(last) >= 3 and last[:1].isupper() and "-" not in last:
                    cand.setdefault(last, set()).add(actor_id)
        return {self._strings.add(k): next(iter(v)) for k, v in cand.items() if len(v) == 1}

    @staticmethod
    def _plausible(doc: Any, s: int, e: int) -> bool:
        toks = doc[s:e]
        text = toks.text
        if len(text) < 3 or not any(c.isupper() for c in text):
            return False
        if toks[-1].pos_ == "ADP" or all(t.is_stop or t.text in TITLE_WORDS for t in toks):
            return False
        return not (len(toks) > 4 and any(t.pos_ == "VERB" for t in toks))

    def _mint(self, text: str, label: str) -> str:
        aid = f"prov:{slug(text)}"
        if aid not in self._provisional:
            kind = {"PERSON": "person", "NORP": "ethnic_group"}.get(label, "other")
            self._provisional[aid] = Actor(id=aid, name=text, kind=kind, provisional=True)
        return aid

    def _add_titles(self, doc: Any, mentions: list[Mention]) -> None:
        """Put the title words before a person mention into its label."""
        actors = self.registry.actors
        for m in mentions:
            a = actors.get(m.actor_id or "")
            if a is None or a.kind != "person" or m.unnamed:
                continue
            tok = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
            if tok is None:
                continue
            i = tok.start
            while i > 0:
                t = doc[i - 1]
                if t.text in TITLE_WORDS or self.registry.demonym(t.text) or t.text in self._acronym_state \
                        or (t.text.isupper() and len(t.text) > 1 and self.registry.lookup(t.text)):  # fmt: skip
                    i -= 1
                else:
                    break
            while i < tok.start and doc[i].text in ("and", "of", "the", "top", "former"):
                i += 1
            if i < tok.start and any(doc[j].text[:1].isupper() or doc[j].text in TITLE_WORDS
                                     for j in range(i, tok.start)):  # fmt: skip
                title = doc[i : tok.start].text
                if any(w in TITLE_WORDS and w not in ("and", "of", "the") for w in title.split()):
                    m.label = f"{m.label}|title={title}"
