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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Lemmas the rules over-fire on: cue precision < 0.35 on PolNeAR train with this rule set
#: (e.g. "try" 0.12, "need" 0.03, "mean" 0.10, "idea" 0.07). Adding a cue class helps F1
#: only when its precision exceeds about F1/2.
BLOCKED: frozenset[str] = _words(
    """try need mean choose feel idea maintain issue advise appear case threat notion sound
    unveil proposal assess"""
)


#: Verbs of saying: the classic reporting verbs.
SPEECH: frozenset[str] = _words(
    """say tell add ask write state claim note explain insist argue warn announce declare
    report reveal confirm acknowledge admit concede suggest predict promise pledge vow
    threaten tweet post quip joke respond reply answer retort recall remark comment
    stress emphasize point mention describe testify allege charge complain lament
    boast brag contend maintain assert repeat reiterate caution urge demand
    propose recommend advise inform assure tout praise hail signal indicate observe
    conclude estimate disclose concede scoff shout yell cry whisper write told"""
)

#: Cue verbs whose bare object is no content: the addressee ("told reporters") or what
#: was made or sent ("added a line", "sent a letter"). Cue precision of these objects on
#: PolNeAR train was under 0.35 (tell 0.36, add 0.09, send 0.12, decide 0.11, quote 0.2).
NO_OBJECT_CONTENT: frozenset[str] = _words("tell add send decide quote email")

#: Verbs that cue only when next to a quotation ("Cruz continued: “...”", "he was quoted").
QUOTE_ONLY: frozenset[str] = _words("continue quote begin conclude go")

#: Verbs of belief, judgement and perception: kind "assessment".
BELIEF: frozenset[str] = _words(
    """believe think assume suspect consider feel fear doubt expect guess know
    understand realize recognize agree disagree regard deem view worry hope
    wonder question imagine call label brand dub characterize assess judge"""
)

#: Verbs of intention, desire and support (PolNeAR annotates these as attributions).
INTENTION: frozenset[str] = _words(
    """want plan intend seek aim wish desire try hope vow pledge promise threaten refuse
    support oppose endorse back favor favour prefer reject embrace welcome applaud
    decide choose mean need like love hate"""
)

#: Adjectives of attitude: "X is confident that", "X is not interested in" (source = subject).
EXPERIENCER_ADJ: frozenset[str] = _words(
    """aware confident sure certain convinced optimistic pessimistic skeptical sceptical
    concerned worried happy glad proud eager willing opposed supportive interested
    enthusiastic hopeful adamant afraid angry upset furious critical keen determined
    unwilling reluctant satisfied pleased disappointed frustrated"""
)

#: Evidential adjectives: "it is clear that", "the sense of urgency was evident" (no source).
EVIDENTIAL_ADJ: frozenset[str] = _words("clear unclear evident obvious apparent likely unlikely")

#: Trailing comma-led dependents cut off content ("..., which ...", "..., an aside").
ASIDE_DEPS: frozenset[str] = _words("relcl appos")

#: Raising verbs: source-less appearance ("X appeared poised to win").
RAISING: frozenset[str] = _words("seem appear")

#: Denials: kind "denial".
DENIAL: frozenset[str] = _words(
    "deny dismiss reject refute repel rebuff disavow disown dispute contradict disclaim"
)

#: Accusation and blame: kind "accusation".
ACCUSATION: frozenset[str] = _words(
    """accuse blame charge condemn criticize criticise denounce slam attack fault
    implicate"""
)

#: Objects of "claim/take/admit/bear responsibility": kind "responsibility_claim".
RESPONSIBILITY_NOUNS: frozenset[str] = frozenset({"responsibility", "credit"})
RESPONSIBILITY_VERBS: frozenset[str] = frozenset({"claim", "take", "accept", "admit", "assume"})

#: Nouns of involvement: "had no role in", "denied SDF involvement".
INVOLVEMENT_NOUNS: frozenset[str] = _words(
    "role hand part involvement link links connection connections relation responsibility"
)

#: What a denial can deny about an attack: an allegation, an involvement, the act itself.
DENIED_OBJECTS: frozenset[str] = _words(
    """allegation accusation claim charge report involvement role link connection relation
    responsibility attack bombing blast strike explosion shelling responsible behind
    involved carried it this that any"""
)

#: Nominal cues ("allegations of ...", "the view that ...", "questions about ...").
NOUNS: frozenset[str] = (
    _words(
        """allegation claim accusation view belief question report statement charge warning
    argument assertion suggestion denial call demand promise pledge fear hope concern
    criticism opinion notion idea assessment conclusion suspicion rumor rumour
    speculation insistence contention remark comment announcement threat vow plan
    proposal message pitch case"""
    )
    - BLOCKED
)

#: Verbs whose subject owns a nominal cue in their object ("X shares the view that").
LIGHT_VERBS: frozenset[str] = _words(
    "share hold express voice make level raise repeat issue have offer echo"
)

#: Heads of unnamed-source noun phrases: "sources", "officials", "media all over the world".
UNNAMED_HEADS: frozenset[str] = _words(
    """source official media medium report analyst expert observer critic insider diplomat
    people witness resident aide adviser advisor spokesman spokeswoman spokesperson
    person someone anyone many some others outlet newspaper press reporter
    investigator authority government"""
)

#: Words that mark a claim as hedged, wherever they occur in the claim.
HEDGE_WORDS: frozenset[str] = _words(
    """reportedly allegedly likely possibly probably apparently presumably perhaps maybe
    supposedly purportedly seemingly may might could"""
)
HEDGE_CUES: frozenset[str] = _words(
    "believe think assume suspect estimate expect guess feel speculate"
)

#: Copular article-voice blame: "X is only a cover for Y", "X is a tool of Y".
BLAME_NOUNS: frozenset[str] = _words(
    """cover front tool proxy puppet pawn creation instrument agent arm extension
    mercenary product servant stooge"""
)

#: Verbs whose subject, in a blame content clause, is the blamed party.
PERPETRATION: frozenset[str] = _words(
    """carry orchestrate mastermind perpetrate commit stage plot plan organize organise
    conduct execute launch attack bomb kill target fire detonate plant shoot"""
)

#: Nouns of the occasion or medium of a statement ("in a tweet", "during a rally"): a
#: modifier of the cue verb, not part of what was said.
MEDIUM_NOUNS: frozenset[str] = _words(
    """interview tweet statement speech rally appearance debate conference op-ed letter email
    post show program broadcast event hearing meeting video ad radio television tv briefing
    press call town hall forum podcast column editorial memo"""
)

#: Subjects that turn "find/show/suggest" into attribution cues ("a poll found ...").
EVIDENCE_SUBJECTS: frozenset[str] = _words(
    "poll survey study report data analysis research investigation review audit"
)
EVIDENCE_VERBS: frozenset[str] = _words("find show suggest indicate reveal put give")

#: Speaker labels that open non-transcript lines ("Editor's note:", "Photo:").
NOT_SPEAKERS: frozenset[str] = _words(
    """note editor update correction photo photos video related read watch source
    sources image images caption advertisement ad listen subscribe click follow
    contact email tags share print roundup recap briefing explainer factbox timeline quiz
    live latest"""
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
    return (SPEECH | BELIEF | INTENTION | DENIAL | ACCUSATION | learned_cues()) - BLOCKED
