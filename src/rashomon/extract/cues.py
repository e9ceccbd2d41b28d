"""Cue lexicons for claim/attribution extraction.

Hand lists (grouped by the :class:`~rashomon.model.Claim` kind they signal) plus a small
learned list, ``data/cues.txt``: lemmas of PolNeAR train cue heads with their counts and
cue rate (how often the lemma, when it occurs as a verb, heads an annotated cue), built
by :mod:`rashomon.eval.build_cues`. The learned list only adds verbs; it never removes
hand entries.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CUES_FILE = Path(__file__).resolve().parents[1] / "data" / "cues.txt"

#: Verbs of saying: the classic reporting verbs.
SPEECH: frozenset[str] = frozenset(
    """say tell add ask write state claim note explain insist argue warn announce declare
    report reveal confirm acknowledge admit concede suggest predict promise pledge vow
    threaten tweet post quip joke respond reply answer retort recall remark comment
    stress emphasize point mention describe testify allege charge complain lament
    boast brag contend maintain assert repeat reiterate caution urge demand
    propose recommend advise inform assure tout praise hail signal indicate observe
    conclude estimate disclose concede scoff shout yell cry whisper write told""".split()
)

#: Verbs of belief, judgement and perception: kind "assessment".
BELIEF: frozenset[str] = frozenset(
    """believe think assume suspect consider feel fear doubt expect guess know
    understand realize recognize agree disagree regard deem view worry hope
    wonder question imagine call label brand dub characterize assess judge""".split()
)

#: Verbs of intention, desire and support (PolNeAR annotates these as attributions).
INTENTION: frozenset[str] = frozenset(
    """want plan intend seek aim wish desire try hope vow pledge promise threaten refuse
    support oppose endorse back favor favour prefer reject embrace welcome applaud
    decide choose mean need like love hate""".split()
)

#: Denials: kind "denial".
DENIAL: frozenset[str] = frozenset(
    "deny dismiss reject refute repel rebuff disavow disown dispute contradict".split()
)

#: Accusation and blame: kind "accusation".
ACCUSATION: frozenset[str] = frozenset(
    """accuse blame charge condemn criticize criticise denounce slam attack fault
    implicate""".split()
)

#: Objects of "claim/take/admit/bear responsibility": kind "responsibility_claim".
RESPONSIBILITY_NOUNS: frozenset[str] = frozenset({"responsibility", "credit"})
RESPONSIBILITY_VERBS: frozenset[str] = frozenset({"claim", "take", "accept", "admit", "assume"})

#: Nominal cues ("allegations of ...", "the view that ...", "questions about ...").
NOUNS: frozenset[str] = frozenset(
    """allegation claim accusation view belief question report statement charge warning
    argument assertion suggestion denial call demand promise pledge fear hope concern
    criticism opinion notion idea assessment conclusion suspicion rumor rumour
    speculation insistence contention remark comment announcement threat vow plan
    proposal message pitch case""".split()
)

#: Heads of unnamed-source noun phrases: "sources", "officials", "media all over the world".
UNNAMED_HEADS: frozenset[str] = frozenset(
    """source official media report analyst expert observer critic insider diplomat
    people witness resident aide adviser advisor spokesman spokeswoman spokesperson
    person someone anyone many some others outlet newspaper press reporter
    investigator authority government""".split()
)

#: Words that mark a claim as hedged, wherever they occur in the claim.
HEDGE_WORDS: frozenset[str] = frozenset(
    """reportedly allegedly likely possibly probably apparently presumably perhaps maybe
    supposedly purportedly seemingly may might could""".split()
)
HEDGE_CUES: frozenset[str] = frozenset(
    "believe think assume suspect estimate expect guess feel speculate".split()
)

#: Copular article-voice blame: "X is only a cover for Y", "X is a tool of Y".
BLAME_NOUNS: frozenset[str] = frozenset(
    """cover front tool proxy puppet pawn creation instrument agent arm extension
    mercenary product servant stooge""".split()
)

#: Verbs whose subject, in a blame content clause, is the blamed party.
PERPETRATION: frozenset[str] = frozenset(
    """carry orchestrate mastermind perpetrate commit stage plot plan organize organise
    conduct execute launch attack bomb kill target""".split()
)

#: Subjects that turn "find/show/suggest" into attribution cues ("a poll found ...").
EVIDENCE_SUBJECTS: frozenset[str] = frozenset(
    "poll survey study report data analysis research investigation review audit".split()
)
EVIDENCE_VERBS: frozenset[str] = frozenset("find show suggest indicate reveal put give".split())

#: Speaker labels that open non-transcript lines ("Editor's note:", "Photo:").
NOT_SPEAKERS: frozenset[str] = frozenset(
    """note editor update correction photo photos video related read watch source
    sources image images caption advertisement ad listen subscribe click follow
    contact email tags share print""".split()
)


@cache
def learned_cues(min_count: int = 5, min_rate: float = 0.3) -> frozenset[str]:
    """Verb lemmas learned from PolNeAR train cue heads (count and cue-rate floors)."""
    out: set[str] = set()
    if not CUES_FILE.is_file():
        return frozenset()
    text = CUES_FILE.read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        lemma, pos, count, rate = parts[0], parts[1], int(parts[2]), float(parts[3])
        if pos == "VERB" and count >= min_count and rate >= min_rate:
            out.add(lemma)
    return frozenset(out)


@cache
def verb_cues() -> frozenset[str]:
    """Every verb lemma that can cue a claim."""
    return SPEECH | BELIEF | INTENTION | DENIAL | ACCUSATION | learned_cues()
