"""Claims: who says what, from a parsed spaCy ``Doc``.

Rule set ``rashomon.claims.v2``. One module per pass, run in this order; a pass never
reuses a cue token an earlier pass took (the driver hands each pass the tokens taken so
far, read-only, and collects the ``cue_tokens`` of what it found):

1. :mod:`.transcripts` - colon transcripts (``PENCE: ...``, headline ``Pence: ...``);
2. :mod:`.headlines` - a title-case headline verb ("Carly Fiorina Endorses Ted Cruz");
2. :mod:`.quotes` - direct quotations, curly or straight, split around the attribution
   or running over paragraphs; the speaker is the subject of the nearest reporting verb
   outside the quotes;
3. :mod:`.according` - ``according to X``, ``in a poll``;
4. :mod:`.verbs` - reporting, belief, intention, denial, accusation and responsibility
   verbs with a clause or object (``X said that``, ``X dismissed all allegations``,
   ``X accused Y of``, ``X took the responsibility for``);
5. :mod:`.responsibility` - responsibility phrases the verb pass does not see: "said it
   carried out", "had no role in", "was not involved", "No group has claimed
   responsibility" (an explicit absence);
6. :mod:`.adjectives` - "X is confident that", "it is clear that";
7. :mod:`.raising` - "X appeared poised to win";
8. :mod:`.nouns` - ``allegations of``, ``the view that``, ``questions about``;
9. :mod:`.article_voice` - article-voice blame (``Daesh is only a cover for the Zionist
   entity``);
10. :mod:`.learned` - verbs outside the cue lexicon that a model trained on PolNeAR train
   takes for cues (``data/models/claims-cue.npz``).

After the passes, :mod:`.speakers` resolves pronoun and title speakers ("he said", "the
minister added", "the group said") to the nearest compatible named speaker before them.

Every claim records the pass and rule that produced it in ``Claim.rule``
("verb.clause", "quote.after", "responsibility.absence", ...), with "+speaker.<rule>"
appended when its speaker was resolved by :mod:`.speakers`.

The dependency-rule approach follows the PARC/PolNeAR baselines (Pareti 2016; Newell,
Margolin and Ruths 2018): cue = reporting predicate, source = its subject, content = its
clausal complement or the quotation it introduces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rashomon.extract.claims import (
    according,
    adjectives,
    article_voice,
    headlines,
    learned,
    nouns,
    quotes,
    raising,
    responsibility,
    speakers,
    transcripts,
    verbs,
)
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.quotes import find_quotes
from rashomon.model import Claim, Span

RULESET = "rashomon.claims.v2"

Pass = Callable[[Any, list[Range], frozenset[int]], list[Found]]

#: The passes, in the order they run (each: doc, quotation ranges, tokens taken -> found).
PASSES: tuple[tuple[str, Pass], ...] = (
    ("transcript", transcripts.find),
    ("headline", headlines.find),
    ("quote", quotes.find),
    ("according", according.find),
    ("verb", verbs.find),
    ("responsibility", responsibility.find),
    ("adjective", adjectives.find),
    ("raising", raising.find),
    ("noun", nouns.find),
    ("article_voice", article_voice.find),
    ("learned", learned.find),
)

__all__ = ["PASSES", "RULESET", "extract_claims", "extract_claims_with_targets", "find_quotes"]


def find_all(doc: Any) -> list[Found]:
    """Every claim the passes find in one parsed article, in text order."""
    quoted = find_quotes(doc.text)
    taken: set[int] = set()
    found: list[Found] = []
    for _name, run in PASSES:
        new = run(doc, quoted, frozenset(taken))
        for f in new:
            taken |= f.cue_tokens
        found += new
    found.sort(key=lambda f: (f.content[0], f.cue[0] if f.cue else 0))
    responsibility.refine(doc, found)
    speakers.resolve(doc, found)
    return found


def extract_claims_with_targets(doc: Any, article_id: str) -> tuple[list[Claim], dict[str, Span]]:
    """Claims of one parsed article, and the target span of each claim that has one."""
    text = doc.text
    claims: list[Claim] = []
    targets: dict[str, Span] = {}
    for n, f in enumerate(find_all(doc), start=1):
        cid = f"{article_id}:c{n}"
        speaker = Span(article_id, *f.source) if f.source else None
        if f.speaker_type == "article":
            name = "the article"
        elif f.antecedent is not None and f.source is not None:
            # the words used, then whom they refer to: "he [Interior Minister X]"
            name = f"{text[f.source[0] : f.source[1]]} [{text[f.antecedent[0] : f.antecedent[1]]}]"
        else:
            name = text[f.source[0] : f.source[1]] if f.source else ""
        target_name = text[f.target[0] : f.target[1]] if f.target else None
        claims.append(
            Claim(
                id=cid,
                article_id=article_id,
                speaker_type=f.speaker_type,
                kind=f.kind,
                content=Span(article_id, *f.content),
                speaker=speaker,
                speaker_name=name,
                cue=f.cue_text,
                cue_span=Span(article_id, *f.cue) if f.cue else None,
                target_name=target_name,
                hedged=f.hedge is not None,
                hedge=f.hedge,
                quoted=f.quoted,
                rule=f.rule,
            )
        )
        if f.target:
            targets[cid] = Span(article_id, *f.target)
    return claims, targets


def extract_claims(doc: Any, article_id: str) -> list[Claim]:
    """Claims (who says what) in one parsed article; ids ``{article_id}:c{n}``.

    >>> from rashomon.annotate.nlp import load_nlp  # doctest: +SKIP
    >>> [c.speaker_name for c in extract_claims(load_nlp()("Israel denied it."), "a")]  # doctest: +SKIP
    ['Israel']
    """
    return extract_claims_with_targets(doc, article_id)[0]
