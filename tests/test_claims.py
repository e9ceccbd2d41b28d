"""Claim/attribution extraction: layouts and kinds, the span scorer, the seeds gate, PolNeAR."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rashomon.eval.spans import match, overlap, score
from rashomon.extract.claims import extract_claims, extract_claims_with_targets, find_quotes

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "seeds_claims.yaml"

# ---------------------------------------------------------------- scorer (no model)


def test_overlap_uses_the_longer_span():
    assert overlap(((0, 10),), ((0, 10),)) == 1.0
    assert overlap(((0, 10),), ((5, 10),)) == 0.5
    assert overlap(((0, 4),), ((0, 10),)) == 0.4
    assert overlap(((0, 4),), ((6, 10),)) == 0.0
    assert overlap((), ((0, 3),)) == 0.0


def test_discontinuous_gold_is_the_union_of_its_pieces():
    gold = ((0, 10), (20, 30))  # 20 characters
    assert overlap(gold, ((0, 30),)) == pytest.approx(20 / 30)
    assert overlap(gold, ((0, 10),)) == 0.5


def test_each_gold_matches_at_most_one_prediction_greedily():
    gold = [((0, 10),)]
    preds = [((0, 10),), ((0, 9),)]
    assert match(gold, preds, 0.3) == 1
    s = score(gold, preds, 0.3)
    assert (s["precision"], s["recall"]) == (0.5, 1.0)
    # greedy by overlap: the best pair is taken first, so the second gold still matches
    gold2 = [((0, 10),), ((0, 8),)]
    preds2 = [((0, 8),), ((0, 10),)]
    assert match(gold2, preds2, 0.8) == 2


def test_threshold_is_inclusive_and_strict_threshold_rejects_partial():
    assert match([((0, 10),)], [((0, 3),)], 0.3) == 1
    assert match([((0, 10),)], [((0, 3),)], 0.8) == 0


def test_find_quotes_curly_straight_and_paragraphs():
    text = 'A said "one two three." B: “four\n\n“five six.”'
    quotes = find_quotes(text)
    assert (7, 23) in quotes
    assert quotes[-1] == (text.index("“four"), len(text))


# ---------------------------------------------------------------- layouts (model)

CASES = [
    # (sentence, speaker, cue lemma, kind, content prefix, quoted)
    ("“We will win the vote,” Smith said.", "Smith", "say", "statement", "“We will win", True),
    ("Smith said: “We will win the vote.”", "Smith", "say", "statement", "“We will win", True),
    (
        "“We will win,” said the minister, “and nobody can stop us.”",
        "the minister",
        "say",
        "statement",
        "“We will win,” said the minister, “and nobody",
        True,
    ),
    (
        '"The plan is dead and buried," the senator told reporters.',
        "the senator",
        "tell",
        "statement",
        '"The plan is dead',
        True,
    ),
    (
        "The governor warned that the storm would hit the coast.",
        "The governor",
        "warn",
        "statement",
        "that the storm",
        False,
    ),
    (
        "According to Iranian sources, there were two powerful explosions.",
        "Iranian sources",
        "according to",
        "statement",
        "there were two",
        False,
    ),
    (
        "Israel dismissed all allegations of its involvement in the attack.",
        "Israel",
        "dismiss",
        "denial",
        "all allegations",
        False,
    ),
    (
        "The ministry denied that its troops had crossed the border.",
        "The ministry",
        "deny",
        "denial",
        "that its troops",
        False,
    ),
    (
        "The government accused the rebels of shelling the city.",
        "The government",
        "accuse",
        "accusation",
        "the rebels of shelling",
        False,
    ),
    (
        "The opposition blamed the president for the crisis.",
        "The opposition",
        "blame",
        "accusation",
        "the president for the crisis",
        False,
    ),
    (
        "The group claimed responsibility for the bombing of the embassy.",
        "The group",
        "claim",
        "responsibility_claim",
        "the bombing",
        False,
    ),
    (
        "Washington believes that the attack was carried out by the Islamic State.",
        "Washington",
        "believe",
        "assessment",
        "that the attack",
        False,
    ),
    (
        "The mayor wants to close the bridge next year.",
        "The mayor",
        "want",
        "statement",
        "to close the bridge",
        False,
    ),
    (
        "Senator Jones supports the new gun control bill.",
        "Senator Jones",
        "support",
        "statement",
        "the new gun control bill",
        False,
    ),
    (
        "The plan, the chancellor said, will fail within a year.",
        "the chancellor",
        "say",
        "statement",
        "The plan",
        False,
    ),
]


@pytest.fixture(scope="module")
def case_docs(nlp):
    return list(nlp.pipe([c[0] for c in CASES], batch_size=16))


@pytest.mark.model
@pytest.mark.parametrize("i", range(len(CASES)))
def test_layouts_and_kinds(case_docs, i):
    text, speaker, cue, kind, content, quoted = CASES[i]
    claims = extract_claims(case_docs[i], f"t{i}")
    got = [
        (
            c.speaker_name,
            c.cue,
            c.kind,
            text[c.content.start : c.content.end],
            c.quoted,
        )
        for c in claims
    ]
    hit = [
        g
        for g in got
        if g[0] == speaker
        and g[1] == cue
        and g[2] == kind
        and g[3].startswith(content)
        and g[4] == quoted
    ]
    assert hit, f"{text!r}: got {got}"


@pytest.mark.model
def test_ids_spans_hedge_and_targets(nlp):
    text = (
        "It might seem strange, but the US believes that the attack in Kerman was carried out "
        "by the Islamic State. Daesh is only a cover for the Zionist entity."
    )
    claims, targets = extract_claims_with_targets(nlp(text), "art")
    assert [c.id for c in claims] == [f"art:c{n}" for n in range(1, len(claims) + 1)]
    us = next(c for c in claims if c.speaker_name == "the US")
    assert us.hedged and us.hedge == "believes" and us.kind == "assessment"
    assert us.target_name == "the Islamic State"
    assert targets[us.id].text(text) == "the Islamic State"
    assert us.speaker is not None and us.speaker.text(text) == "the US"
    assert us.cue_span is not None and us.cue_span.text(text) == "believes"
    voice = next(c for c in claims if c.speaker_type == "article")
    assert voice.kind == "accusation" and voice.target_name == "the Zionist entity"
    assert voice.speaker is None and voice.speaker_name == "the article"


@pytest.mark.model
def test_transcript_and_unnamed_sources(nlp):
    text = (
        "WALLACE: Will she be there tomorrow night?\n"
        "PENCE: She will not be attending the debate.\n"
        "Officials said the talks would resume."
    )
    claims = extract_claims(nlp(text), "tr")
    colon = [c for c in claims if c.cue == ":"]
    assert [c.speaker_name for c in colon] == ["WALLACE", "PENCE"]
    assert colon[1].content.text(text) == "She will not be attending the debate."
    off = next(c for c in claims if c.speaker_name == "Officials")
    assert off.speaker_type == "unnamed"


# ---------------------------------------------------------------- seeds gate


def _seed_match(c, g, text: str) -> bool:
    content = text[c.content.start : c.content.end]
    cue_text = text[c.cue_span.start : c.cue_span.end].lower() if c.cue_span else ""
    if c.kind != g["kind"] or not content.startswith(g["content"][:40]):
        return False
    if g["cue"] != c.cue and g["cue"] not in cue_text:
        return False
    if g.get("speaker_type", "actor") == "article":
        return c.speaker_type == "article"
    if g["speaker"] not in c.speaker_name:
        return False
    if "target" in g and c.target_name != g["target"]:
        return False
    return "hedge" not in g or c.hedge == g["hedge"]


@pytest.mark.model
@pytest.mark.shared
def test_seed_claims_gate(nlp, seeds_dir):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["claims"]
    found = preds_in_scope = preds_right = 0
    for name in sorted({g["article"] for g in gold}):
        text = (seeds_dir / name).read_text(encoding="utf-8")
        claims = extract_claims(nlp(text), name)
        golds = [g for g in gold if g["article"] == name]
        for g in golds:
            ok = any(_seed_match(c, g, text) for c in claims)
            found += ok
            if not ok:
                print("MISSED", name, g)
        spans = []
        for g in golds:
            at = text.find(g["content"])
            assert at >= 0, g["content"]
            spans.append((at, at + len(g["content"])))
        for c in claims:
            if any(c.content.start < b and a < c.content.end for a, b in spans):
                preds_in_scope += 1
                preds_right += any(_seed_match(c, g, text) for g in golds)
    recall = found / len(gold)
    precision = preds_right / preds_in_scope if preds_in_scope else 0.0
    print(f"seed claims: recall {recall:.3f} ({found}/{len(gold)}), precision {precision:.3f}")
    assert recall >= 0.9
    assert precision >= 0.75


# ---------------------------------------------------------------- PolNeAR smoke


@pytest.mark.model
@pytest.mark.shared
def test_polnear_smoke(nlp, datasets_dir, tmp_path):
    from rashomon.eval.polnear import evaluate_polnear, format_results

    path = datasets_dir / "polnear"
    if not path.is_dir():
        pytest.skip("PolNeAR not present")
    res = evaluate_polnear(path, "dev", save=tmp_path, limit=3, nlp=nlp)
    assert res["articles"] == 3
    assert len(list(tmp_path.glob("*.ann"))) == 3
    assert res["scores"]["0.3"]["content"]["f1"] > 0.3
    assert "content" in format_results(res)


def test_learned_cue_verb_outside_the_lexicon(nlp) -> None:  # type: ignore[no-untyped-def]
    from rashomon.extract.claims import learned

    if learned._model() is None:
        pytest.skip("claims-cue model not trained")
    claims = extract_claims(nlp("The mayor figures that voters will forgive him."), "a")
    assert [c.rule for c in claims] == ["learned.clause"]
    assert claims[0].speaker_name == "The mayor"
    # acts are not attributions: "hit" stays with the agency rules
    assert extract_claims(nlp("Two missiles hit the railway station on Friday."), "b") == []


def test_quote_does_not_take_a_verb_with_its_own_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The senator called the vote “another super night for our campaign,” saying the party "
            "was one step closer to the nomination.")
    claims = extract_claims(nlp(text), "a")
    said = [c for c in claims if c.cue == "say"]
    assert said and text[said[0].content.start : said[0].content.end] == "the party was one step closer to the nomination"


def _content(text: str, c) -> str:  # type: ignore[no-untyped-def]
    return text[c.content.start : c.content.end]


@pytest.mark.model
def test_object_content_stops_before_the_verbs_own_conjunct(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The governor endorsed the mayor last week and has appeared at his side at rallies since."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "endorse"]
    assert claims and _content(text, claims[0]) == "the mayor"  # "last week" is when, not what


@pytest.mark.model
def test_object_content_drops_a_trailing_relative_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    # the period after the clause used to hide that it ran to the end of the content
    text = "Senator Jones supports the new bill, which passed the house last year."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "support"]
    assert claims and _content(text, claims[0]) == "the new bill"


@pytest.mark.model
def test_light_verb_is_part_of_a_nominal_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The museum issued a statement of concern about the new border rules."
    claims = extract_claims(nlp(text), "a")
    from rashomon.eval.polnear import _univocal

    kept = _univocal(claims)
    assert len(kept) == 1, [(c.rule, c.cue) for c in kept]
    c = kept[0]
    assert c.speaker_name == "The museum"
    assert c.cue_span is not None and text[c.cue_span.start : c.cue_span.end].startswith("issued a statement")
    assert _content(text, c).endswith("the new border rules")


@pytest.mark.model
def test_speaker_span_loses_dateline_and_own_relative_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "RENO, Nev. (AP) — The county clerk said the count would finish on Friday."
    said = [c for c in extract_claims(nlp(text), "a") if c.cue == "say"]
    assert said and said[0].speaker_name == "The county clerk"
    text = "The count was slow, according to Jane Roe, who runs the county election office."
    acc = [c for c in extract_claims(nlp(text), "b") if c.cue == "according to"]
    assert acc and acc[0].speaker_name == "Jane Roe, who runs the county election office"
    from rashomon.extract.claims.syntax import speaker_range

    doc = nlp("Mary Smith, who said the count would finish on Friday, left early.")
    said_tok = next(t for t in doc if t.lower_ == "said")
    rng = speaker_range(doc, doc[1], said_tok.i)
    assert rng is not None and doc.text[rng[0] : rng[1]] == "Mary Smith"


@pytest.mark.model
def test_verb_closing_a_colon_introduces_the_quotation(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The hall went quiet.\n\nA young volunteer, Sam Ortiz, echoed:\n\n“He speaks his mind, and we love that.”"
    claims = [c for c in extract_claims(nlp(text), "a") if c.quoted]
    assert claims and claims[0].rule.startswith("quote.before")
    assert claims[0].speaker_name.endswith("Sam Ortiz")
    assert claims[0].cue == "echo"


@pytest.mark.model
def test_prepositional_content_of_lexicon_cues(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The governor referred to the new tax as a burden on families."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "refer"]
    assert claims and claims[0].cue_span is not None
    assert text[claims[0].cue_span.start : claims[0].cue_span.end] == "referred to"
    assert _content(text, claims[0]).startswith("the new tax")
    # a date after "said on" is no content
    text = "The mayor said on Saturday."
    assert [c for c in extract_claims(nlp(text), "b") if c.cue == "say"] == []


@pytest.mark.model
def test_speaker_through_a_prepositional_gerund_and_a_participle(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The senator ended the speech by thanking the volunteers for their work."
    thanks = [c for c in extract_claims(nlp(text), "a") if c.cue == "thank"]
    assert thanks and thanks[0].speaker_name == "The senator"
    text = "A super PAC backing the governor spent heavily in Iowa."
    backs = [c for c in extract_claims(nlp(text), "b") if c.cue == "back"]
    assert backs and backs[0].speaker_name == "A super PAC" and _content(text, backs[0]) == "the governor"


@pytest.mark.model
def test_title_case_headline_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Carly Fiorina Endorses Ted Cruz: I Am Horrified.\n\nThe race goes on."
    heads = [c for c in extract_claims(nlp(text), "a") if c.rule == "headline.title_case"]
    assert heads and heads[0].speaker_name == "Carly Fiorina" and heads[0].cue == "endorse"
    assert _content(text, heads[0]) == "Ted Cruz"
    # a label before a colon is no speaker of a headline verb
    text = "Daily News Roundup: Mayor Backs New Budget.\n\nThe race goes on."
    assert not [c for c in extract_claims(nlp(text), "b") if c.rule == "headline.title_case"]


@pytest.mark.model
def test_passive_cue_subject_is_content_not_source(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The central bank is expected to raise its rates in June."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "expect"]
    assert claims and claims[0].speaker is None
    assert _content(text, claims[0]).startswith("The central bank")


@pytest.mark.model
def test_split_quote_over_a_long_speaker_phrase_but_not_past_another_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("“We will win this,” said Jane Roe, a senior adviser to the governor of the state. "
            "“Nobody can stop us now.”")
    claims = [c for c in extract_claims(nlp(text), "a") if c.quoted]
    assert claims and _content(text, claims[0]).endswith("“Nobody can stop us now.”")
    text = ("“We will win this,” said one volunteer, who said she had knocked on doors all day. "
            "“Nobody can stop us now.”")
    claims = [c for c in extract_claims(nlp(text), "b") if c.quoted and c.content.start == 0]
    assert claims and _content(text, claims[0]) == "“We will win this,”"


@pytest.mark.model
def test_next_sentence_verb_with_its_own_clause_is_no_quote_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The plan is dead and buried.” The senator says he is not familiar with the details."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "say"]
    assert claims and not claims[0].quoted
    assert _content(text, claims[0]) == "he is not familiar with the details"


@pytest.mark.model
def test_headline_label_speaks(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Dr. Jane Roe: The New Tax Will Hurt Families.\n\nThe race goes on."
    heads = [c for c in extract_claims(nlp(text), "a") if c.rule == "transcript.headline_label"]
    assert heads and heads[0].speaker_name == "Dr. Jane Roe"
    assert _content(text, heads[0]) == "The New Tax Will Hurt Families"
    text = "Former Mayor Smith at the Convention: We Need Change.\n\nThe race goes on."
    heads = [c for c in extract_claims(nlp(text), "b") if c.rule == "transcript.headline_label"]
    assert heads and heads[0].speaker_name == "Former Mayor Smith"
    for n, text in enumerate(["The Latest: Mayor wins the vote.\n\nMore.", "Daily News Roundup: Mayor Backs New Budget.\n\nMore."]):
        assert not [c for c in extract_claims(nlp(text), f"c{n}") if c.rule.startswith("transcript")]


@pytest.mark.model
def test_attitude_participle_and_evidential_voice(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "But they are convinced that the mayor could have done much more."
    claims = [c for c in extract_claims(nlp(text), "a") if c.rule == "adjective.experiencer"]
    assert claims and claims[0].speaker_name == "they" and claims[0].cue == "convinced"
    text = "It is clear that the plan failed."
    claims = [c for c in extract_claims(nlp(text), "b") if c.rule == "adjective.evidential"]
    assert claims and claims[0].speaker_type == "article"


@pytest.mark.model
def test_quotation_finishing_an_unquoted_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The new budget is “a disaster for working families,” said the mayor."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "say"]
    assert claims and not claims[0].quoted
    assert _content(text, claims[0]).startswith("The new budget is")


@pytest.mark.model
def test_time_and_medium_of_the_cue_are_no_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The senator thanked the volunteers in a speech on Tuesday."
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "thank"]
    assert claims and _content(text, claims[0]) == "the volunteers"


def test_find_quotes_mixed_marks() -> None:
    assert find_quotes('“We will win," he said.') == [(0, 14)]
    assert find_quotes('"Nobody can stop us,” she added.') == [(0, 21)]


@pytest.mark.model
def test_words_before_a_parenthetical_attribution_open_the_quotation(nlp) -> None:  # type: ignore[no-untyped-def]
    from rashomon.eval.polnear import content_pieces

    text = "The hall was half empty, she added, “but the members will vote on Friday.”"
    claims = [c for c in extract_claims(nlp(text), "a") if c.cue == "add"]
    assert claims and not claims[0].quoted
    pieces = [text[a:b].strip(" ,") for a, b in content_pieces(claims[0], text)]
    assert pieces == ["The hall was half empty", "“but the members will vote on Friday.”"]


@pytest.mark.model
def test_addressee_object_is_no_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The mayor told reporters on the steps of city hall."
    assert [c for c in extract_claims(nlp(text), "a") if c.cue == "tell"] == []
    text = "The mayor told reporters that the budget would pass."
    told = [c for c in extract_claims(nlp(text), "b") if c.cue == "tell"]
    assert told and _content(text, told[0]) == "that the budget would pass"
