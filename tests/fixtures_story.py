"""Build a realistic Kerman store by hand (no NLP), for report, web and browser tests.

Two articles are verbatim excerpts of the seeds (Press TV and New Eastern Outlook);
two short wire reports from a clearly synthetic outlet ("Example Wire") follow the
public record of the toll (103 on 3 January, revised to 84 on 5 January), so the
figures-over-time chart has a revision to show. Offsets are computed from the text,
so every evidence link points at the exact sentence.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert

from rashomon.model import Article
from rashomon.store import schema as s
from rashomon.store.db import Store

PRESS_TV = "\n".join([
    "On the fourth anniversary of the martyrdom of Iran’s top anti-terror commander Gen. Qassem Soleimani, terrorist attacks ripped the bustling streets of Kerman, where tens of thousands of people had converged to pay homage to him, leaving at least 91 people dead.",
    "The suicide bombings came amid the Israeli regime’s three-month-long genocidal war on the Gaza Strip and the desire to expand that beyond the besieged coastal territory, from Damascus to Beirut to Kerman.",
    "It came days after the Zionist entity received humiliating blows in Shujayeh on December 13, knocking out entire battalions of its elite and much-hyped Golani Brigade.",
    "After the humiliating withdrawal of the Golani Brigade from Gaza, which marked a major setback for the regime, it resorted to attacks beyond Gaza – starting from Damascus where senior Iranian military advisor Seyyed Razi Mousavi was assassinated.",
    "The latest incident in Kerman, where a gathering of mourners was targeted by two suicide bombers, reveals how Zionists and Takfiris aren’t strange bedfellows. Daesh is only a cover for the Zionist entity.",
    "As the founder of the Islamic Revolution Imam Khomeini once said – “kill us – our nation will become more awakened.” Israeli regime is doomed and these acts of terror only show its frustration.",
])

NEO = "\n\n".join([
    "In fact, there has been a series of planned and coordinated operations that resulted in military and subversive acts like the assassination of IRGC’s General Razi Mousavi and other IRGC’s officers in Damascus, as well as HAMAS Deputy Chief Saleh al-Arouri and other members of the Palestinian Organization in Beirut.",
    "In the meantime, a cruel terrorist attack was carried out at a cemetery in Kerman, Iran, on January 3, where legendary chief of the IRGC’s Quds Force General Qassem Soleimani is buried. As a result, about 100 people were killed and over 200 injured with varying degrees of severity.",
    "It turns out that the terrorist attack in Kerman on January 3 this year, i.e. on the day of the annual memorial ceremony of the supporters of Qassem Soleimani, was a targeted and pre-planned operation by anti-Iranian forces. According to Iranian sources, there were two powerful explosions 15 minutes apart. The explosives were planted at the points of passage into the cemetery, i.e. in the viewing area, using a remote mechanism.",
    "The Iranian authorities declared the accident in Kerman a terrorist attack, which is true and has been recognized as such by the UN and most members of the international community. Even the US agreed with it, whereas Israel dismissed all allegations of its involvement in the attack.",
    "It might seem strange, but the US believes that the terrorist attack in Kerman was carried out by the Islamic State (ISIS) (the Islamic State is an international terrorist organization banned in Russia). ISIS (a terrorist organization banned in Russia) took the responsibility for the organization and carrying out the act, as General Soleimani had successfully resisted the ISIS militias in Iraq and Syria.",
])

WIRE_1 = "\n\n".join([
    "Two explosions struck a crowd marking the anniversary of the killing of General Qassem Soleimani near his tomb in Kerman on Wednesday, killing at least 103 people, state media said.",
    "More than 170 people were wounded, according to the head of Kerman’s emergency services.",
    "No group immediately claimed responsibility.",
])

WIRE_2 = "\n\n".join([
    "Iran’s health ministry revised the death toll from the twin bombings in Kerman to 84, saying some victims had been counted twice.",
    "The Islamic State group claimed responsibility on Thursday, saying two of its members detonated explosive belts among the crowd.",
    "Israel has denied any involvement.",
])

ISRAEL, ISIS, US, IRAN = "Q801", "Q2429253", "Q30", "Q794"
ACTOR_NAMES = {ISRAEL: "Israel", ISIS: "Islamic State", US: "United States", IRAN: "Iran",
               "Q1518335": "Qassem Soleimani", "prov:takfiris": "Takfiris"}


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


class Builder:
    """Collects rows for one store, then writes them in one go."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.tables: dict[str, list[dict[str, Any]]] = {t.name: [] for t in s.ANALYSIS_TABLES}
        self.tables.update(stories=[], story_members=[], actors=[])
        self._n = 0

    def article(self, text: str, **kw: Any) -> Article:
        a = Article(text=text, **kw)
        self.articles.append(a)
        return a

    def event(self, a: Article, em_id: str, trigger: str, *, event_type: str, sub: str, date: str,
              place: str, country: str, lat: float, lon: float, reference: bool = False) -> str:
        t0, t1 = span(a.text, trigger)
        self.tables["event_mentions"].append({
            "id": em_id, "article_id": a.id, "event_type": event_type, "sub_event_type": sub,
            "trigger_start": t0, "trigger_end": t1, "trigger_text": trigger,
            "evidence": json.dumps([[t0, t1]]), "date": date, "date_precision": "day",
            "place_name": place, "country": country, "lat": lat, "lon": lon, "place_precision": "city",
            "perpetrators": "[]", "targets": json.dumps(["civilians"]), "victims": "[]",
            "killed": None, "killed_qualifier": None, "injured": None, "injured_qualifier": None,
            "method": None, "reference": reference,
        })
        return em_id

    def mention(self, a: Article, needle: str, kind: str = "actor", nth: int = 0, **kw: Any) -> None:
        st, en = span(a.text, needle, nth)
        self.tables["mentions"].append({"article_id": a.id, "start": st, "end": en, "text": needle,
                                        "kind": kind, **kw})

    def fact(self, a: Article, em: str, slot: str, value: str, sentence: str, **kw: Any) -> dict[str, Any]:
        """Store a fact and return its story slot value (the data contract's shape)."""
        st, en = span(a.text, sentence)
        self._n += 1
        fid = f"f-{a.id[:8]}-{self._n}"
        speaker = kw.pop("speaker", "the article")
        speaker_type = kw.pop("speaker_type", "article")
        row = {"id": fid, "article_id": a.id, "event_mention_id": em, "slot": slot, "value": value,
               "value_name": kw.get("value_name"), "value_num": kw.get("value_num"), "low": kw.get("low"),
               "high": kw.get("high"), "qualifier": kw.get("qualifier"), "speaker_type": speaker_type,
               "speaker_id": kw.get("speaker_id"), "speaker_name": speaker, "claim_id": None,
               "as_of": a.published, "outlet": a.outlet, "evidence_start": st, "evidence_end": en,
               "evidence_text": sentence}
        self.tables["facts"].append(row)
        return {"value": value, "value_name": kw.get("value_name"), "value_num": kw.get("value_num"),
                "low": kw.get("low"), "high": kw.get("high"), "qualifier": kw.get("qualifier"),
                "outlet": a.outlet, "article_id": a.id, "speaker": speaker, "speaker_type": speaker_type,
                "as_of": a.published, "evidence_text": sentence, "evidence_start": st,
                "evidence_end": en, "fact_id": fid}

    def claim(self, a: Article, cid: str, kind: str, content: str, *, speaker: str = "the article",
              speaker_type: str = "article", speaker_span: str | None = None, cue: str | None = None,
              target: tuple[str, str] | None = None, hedge: str | None = None, em: str | None = None) -> None:
        c0, c1 = span(a.text, content)
        sp = span(a.text, speaker_span) if speaker_span else (None, None)
        cu = span(a.text, cue) if cue else (None, None)
        self.tables["claims"].append({
            "id": cid, "article_id": a.id, "speaker_type": speaker_type, "speaker_id": None,
            "speaker_name": speaker, "speaker_start": sp[0], "speaker_end": sp[1], "cue": cue,
            "cue_start": cu[0], "cue_end": cu[1], "kind": kind,
            "target_id": target[0] if target else None, "target_name": target[1] if target else None,
            "hedged": bool(hedge), "hedge": hedge, "quoted": False, "content_start": c0,
            "content_end": c1, "content_text": content, "event_mention_id": em})

    def technique(self, a: Article, paragraph: int, technique: str, needle: str, confidence: float) -> None:
        st, en = span(a.text, needle)
        self.tables["techniques"].append({"article_id": a.id, "paragraph": paragraph, "technique": technique,
                                          "confidence": confidence, "start": st, "end": en, "text": needle})

    def resp(self, a: Article, relation: str, target: str, target_id: str | None, sentence: str, *,
             speaker: str = "the article", speaker_type: str = "article", hedged: bool = False) -> dict[str, Any]:
        st, en = span(a.text, sentence)
        return {"outlet": a.outlet, "article_id": a.id, "speaker": speaker, "speaker_type": speaker_type,
                "relation": relation, "target": target, "target_id": target_id, "hedged": hedged,
                "evidence_text": sentence, "evidence_start": st, "evidence_end": en}

    def story(self, sid: str, title: str, *, event_type: str, sub: str, date: str, place: str,
              country: str, articles: list[Article], members: list[str], slots: dict[str, Any],
              responsibility: list[dict[str, Any]]) -> None:
        outlets = list(dict.fromkeys(a.outlet for a in articles if a.outlet))
        data = {"id": sid, "title": title, "event_type": event_type, "sub_event_type": sub, "date": date,
                "date_precision": "day", "place": {"name": place, "country": country},
                "article_ids": [a.id for a in articles], "outlets": outlets, "member_ids": members,
                "algorithm": "rashomon.link.stories.v1", "rules": "rashomon.reconcile.v1",
                "slots": slots, "responsibility": responsibility}
        self.tables["stories"].append({
            "id": sid, "title": title, "event_type": event_type, "sub_event_type": sub, "date": date,
            "date_precision": "day", "place_name": place, "country": country,
            "n_articles": len(articles), "n_outlets": len(outlets),
            "n_conflicts": sum(1 for v in slots.values() if v["status"] in ("conflicting", "revised")),
            "algorithm": "rashomon.link.stories.v1", "data": json.dumps(data, ensure_ascii=False)})
        self.tables["story_members"] += [{"event_mention_id": m, "story_id": sid} for m in members]

    def write(self, store: Store) -> None:
        store.add_articles(self.articles, near_duplicates=False)
        with store.engine.begin() as conn:
            for name, rows in self.tables.items():
                if rows:
                    t = s.metadata.tables[name]
                    cols = [c.name for c in t.columns if (not (c.primary_key and c.autoincrement is True)
                            and c.name != "id") or name not in ("mentions", "techniques")]
                    conn.execute(insert(t), [{c: r.get(c) for c in cols} for r in rows])


def slot(status: str, values: list[dict[str, Any]], explanation: str, *, low: float | None = None,
         best: float | None = None, high: float | None = None, rule: str | None = None) -> dict[str, Any]:
    return {"status": status, "low": low, "best": best, "high": high, "rule": rule,
            "explanation": explanation, "values": values}


def build_kerman(store: Store, *, wire: bool = True) -> dict[str, Any]:
    """Insert the Kerman story (and a smaller Damascus one); return ids for assertions."""
    b = Builder()
    ptv = b.article(PRESS_TV, title="Kerman terror attack shows Zionists and Takfiris are not strange bedfellows",
                    outlet="Press TV", domain="presstv.ir", published="2024-01-04", published_precision="day",
                    authors=["Julia Kassem"], language="en", genre="opinion", url="https://www.presstv.ir/Detail/2024/01/04/example")
    neo = b.article(NEO, title="The Terrorist Attack in Kerman Jeopardizes the Situation in the Middle East",
                    outlet="New Eastern Outlook", domain="journal-neo.su", published="2024-01-21",
                    published_precision="day", authors=["Alexandr Svaranc"], language="en", genre="opinion")
    arts = [ptv, neo]
    w1 = w2 = None
    if wire:
        w1 = b.article(WIRE_1, title="Twin blasts kill at least 103 at Soleimani memorial in Kerman",
                       outlet="Example Wire", published="2024-01-03", published_precision="day",
                       language="en", genre="reporting")
        w2 = b.article(WIRE_2, title="Kerman death toll revised to 84; Islamic State claims attack",
                       outlet="Example Wire", published="2024-01-05", published_precision="day",
                       language="en", genre="reporting")
        arts = [w1, ptv, w2, neo]

    kp = "Kerman"
    ev = {"event_type": "Explosions/Remote violence", "sub": "Suicide bomb", "date": "2024-01-03",
          "place": kp, "country": "IR", "lat": 30.2839, "lon": 57.0834}
    em_p = b.event(ptv, "em-ptv-1", "terrorist attacks", **ev)
    em_n = b.event(neo, "em-neo-1", "cruel terrorist attack", **{**ev, "sub": "Remote explosive/landmine/IED"})
    members = [em_p, em_n]

    # Press TV
    s_p91 = PRESS_TV.split("\n")[0]
    s_bomb = "The latest incident in Kerman, where a gathering of mourners was targeted by two suicide bombers, reveals how Zionists and Takfiris aren’t strange bedfellows."
    s_cover = "Daesh is only a cover for the Zionist entity."
    # NEO
    s_n100 = "As a result, about 100 people were killed and over 200 injured with varying degrees of severity."
    s_date = "In the meantime, a cruel terrorist attack was carried out at a cemetery in Kerman, Iran, on January 3, where legendary chief of the IRGC’s Quds Force General Qassem Soleimani is buried."
    s_src = "According to Iranian sources, there were two powerful explosions 15 minutes apart."
    s_planted = "The explosives were planted at the points of passage into the cemetery, i.e. in the viewing area, using a remote mechanism."
    s_deny = "Even the US agreed with it, whereas Israel dismissed all allegations of its involvement in the attack."
    s_us = "It might seem strange, but the US believes that the terrorist attack in Kerman was carried out by the Islamic State (ISIS) (the Islamic State is an international terrorist organization banned in Russia)."
    s_isis = "ISIS (a terrorist organization banned in Russia) took the responsibility for the organization and carrying out the act, as General Soleimani had successfully resisted the ISIS militias in Iraq and Syria."

    killed = [
        b.fact(ptv, em_p, "killed", "91", s_p91, value_num=91.0, low=91.0, qualifier="at least"),
        b.fact(neo, em_n, "killed", "100", s_n100, value_num=100.0, qualifier="about"),
    ]
    injured = [b.fact(neo, em_n, "injured", "200", s_n100, value_num=200.0, low=200.0, qualifier="over")]
    method = [
        b.fact(ptv, em_p, "method", "suicide bombing", s_bomb, value_name="two suicide bombers"),
        b.fact(neo, em_n, "method", "remotely detonated explosives", s_planted,
               value_name="planted explosives, remote mechanism"),
        b.fact(neo, em_n, "method", "two explosions", s_src, value_name="two powerful explosions 15 minutes apart",
               speaker="Iranian sources", speaker_type="unnamed"),
    ]
    perpetrator = [
        b.fact(ptv, em_p, "perpetrator", ISRAEL, s_cover, value_name="Israel"),
        b.fact(neo, em_n, "perpetrator", ISIS, s_us, value_name="Islamic State", speaker="the US",
               speaker_type="actor", speaker_id=US),
    ]
    claimed = [b.fact(neo, em_n, "responsibility_claimed_by", ISIS, s_isis, value_name="Islamic State")]
    blamed = [b.fact(ptv, em_p, "blamed", ISRAEL, s_cover, value_name="Israel")]
    denied = [b.fact(neo, em_n, "denied_by", ISRAEL, s_deny, value_name="Israel", speaker="Israel",
                     speaker_type="actor", speaker_id=ISRAEL)]
    dates = [b.fact(neo, em_n, "date", "2024-01-03", s_date, value_name="3 January 2024")]
    places = [b.fact(ptv, em_p, "place", "Kerman", s_p91, value_name="Kerman, Iran"),
              b.fact(neo, em_n, "place", "Kerman", s_date, value_name="Kerman, Iran")]
    resp = [
        b.resp(ptv, "blamed", "Israel", ISRAEL, s_cover),
        b.resp(neo, "claimed", "Islamic State", ISIS, s_isis),
        b.resp(neo, "attributed", "Islamic State", ISIS, s_us, speaker="the US", speaker_type="actor", hedged=True),
        b.resp(neo, "denied", "Israel", ISRAEL, s_deny, speaker="Israel", speaker_type="actor"),
    ]
    killed_expl = "Press TV: at least 91; New Eastern Outlook: about 100: sources disagree"
    killed_rule = "ucdp.v1: low = highest lower bound; high = highest figure; best = latest figure within [low, high]"
    killed_low, killed_best, killed_high = 91.0, 91.0, 100.0
    injured_status, injured_expl = "single_source", "New Eastern Outlook: over 200"
    claimed_status, claimed_expl = "single_source", "New Eastern Outlook: Islamic State"
    denied_status, denied_expl = "single_source", "New Eastern Outlook: Israel (per Israel)"
    if wire and w1 and w2:
        em_w1 = b.event(w1, "em-wire-1", "Two explosions", **ev)
        em_w2 = b.event(w2, "em-wire-2", "twin bombings", **ev)
        members += [em_w1, em_w2]
        s_w103 = WIRE_1.split("\n\n")[0]
        s_w170 = WIRE_1.split("\n\n")[1]
        s_w84 = WIRE_2.split("\n\n")[0]
        s_wis = WIRE_2.split("\n\n")[1]
        s_wden = WIRE_2.split("\n\n")[2]
        killed = [
            b.fact(w1, em_w1, "killed", "103", s_w103, value_num=103.0, low=103.0, qualifier="at least",
                   speaker="state media", speaker_type="unnamed"),
            *killed,
            b.fact(w2, em_w2, "killed", "84", s_w84, value_num=84.0, speaker="Iran’s health ministry",
                   speaker_type="actor"),
        ]
        injured.insert(0, b.fact(w1, em_w1, "injured", "170", s_w170, value_num=170.0, low=170.0,
                                 qualifier="more than", speaker="the head of Kerman’s emergency services",
                                 speaker_type="actor"))
        method.append(b.fact(w2, em_w2, "method", "suicide bombing", s_wis, value_name="explosive belts",
                             speaker="Islamic State", speaker_type="actor"))
        claimed.append(b.fact(w2, em_w2, "responsibility_claimed_by", ISIS, s_wis, value_name="Islamic State"))
        denied.append(b.fact(w2, em_w2, "denied_by", ISRAEL, s_wden, value_name="Israel"))
        places.append(b.fact(w1, em_w1, "place", "Kerman", s_w103, value_name="Kerman, Iran"))
        resp += [b.resp(w2, "claimed", "Islamic State", ISIS, s_wis),
                 b.resp(w2, "denied", "Israel", ISRAEL, s_wden, speaker="Israel", speaker_type="actor")]
        killed_expl = ("Example Wire: at least 103 (3 Jan), revised to 84 (5 Jan); Press TV: at least 91; "
                       "New Eastern Outlook: about 100: sources disagree")
        killed_low, killed_best, killed_high = 84.0, 91.0, 103.0
        injured_status = "conflicting"
        injured_expl = "Example Wire: more than 170; New Eastern Outlook: over 200: sources disagree"
        claimed_status, claimed_expl = "corroborated", "Example Wire and New Eastern Outlook: Islamic State"
        denied_status, denied_expl = "corroborated", "Example Wire and New Eastern Outlook: Israel"

    slots = {
        "killed": slot("conflicting", killed, killed_expl, low=killed_low, best=killed_best,
                       high=killed_high, rule=killed_rule),
        "injured": slot(injured_status, injured, injured_expl, low=200.0 if not wire else 170.0,
                        best=200.0, high=200.0 if not wire else None, rule=killed_rule),
        "method": slot("conflicting", method,
                       "Press TV: two suicide bombers; New Eastern Outlook: planted explosives, remote mechanism "
                       "(two explosions per Iranian sources): sources disagree"),
        "perpetrator": slot("conflicting", perpetrator,
                            "Press TV blames Israel; New Eastern Outlook reports the US belief that the Islamic State "
                            "did it: sources disagree"),
        "responsibility_claimed_by": slot(claimed_status, claimed, claimed_expl),
        "blamed": slot("single_source", blamed, "Press TV: Israel"),
        "denied_by": slot(denied_status, denied, denied_expl),
        "date": slot("single_source", dates, "New Eastern Outlook: 3 January 2024"),
        "place": slot("corroborated", places, "All sources: Kerman, Iran"),
    }
    b.story("kerman-2024-01-03", "Twin bombings at Soleimani memorial in Kerman",
            event_type="Explosions/Remote violence", sub="Suicide bomb", date="2024-01-03", place="Kerman",
            country="IR", articles=arts, members=members, slots=slots, responsibility=resp)

    # A smaller story both opinion pieces mention in passing.
    em_pd = b.event(ptv, "em-ptv-2", "assassinated", event_type="Explosions/Remote violence",
                    sub="Air/drone strike", date="2023-12-25", place="Damascus", country="SY",
                    lat=33.5138, lon=36.2765, reference=True)
    em_nd = b.event(neo, "em-neo-2", "the assassination of IRGC’s General Razi Mousavi",
                    event_type="Explosions/Remote violence", sub="Air/drone strike", date="2023-12-25",
                    place="Damascus", country="SY", lat=33.5138, lon=36.2765, reference=True)
    s_pd = PRESS_TV.split("\n")[3]
    s_nd = NEO.split("\n\n")[0]
    b.story("damascus-2023-12-25", "Killing of IRGC adviser Razi Mousavi in Damascus",
            event_type="Explosions/Remote violence", sub="Air/drone strike", date="2023-12-25",
            place="Damascus", country="SY", articles=[ptv, neo], members=[em_pd, em_nd],
            slots={"place": slot("corroborated", [
                b.fact(ptv, em_pd, "place", "Damascus", s_pd, value_name="Damascus, Syria"),
                b.fact(neo, em_nd, "place", "Damascus", s_nd, value_name="Damascus, Syria")],
                "All sources: Damascus, Syria"),
                "perpetrator": slot("single_source", [
                    b.fact(ptv, em_pd, "perpetrator", ISRAEL, s_pd, value_name="Israel")], "Press TV: Israel")},
            responsibility=[b.resp(ptv, "blamed", "Israel", ISRAEL, s_pd)])

    # Mentions, claims, techniques, framing
    for needle, nth, reg, actor in [("Zionist entity", 0, "loaded", ISRAEL), ("Zionist entity", 1, "loaded", ISRAEL),
                                    ("Israeli regime", 0, "loaded", ISRAEL), ("Israeli regime", 1, "loaded", ISRAEL),
                                    ("Zionists", 0, "loaded", ISRAEL), ("Takfiris", 0, "loaded", "prov:takfiris"),
                                    ("Daesh", 0, "loaded", ISIS), ("Qassem Soleimani", 0, "neutral", "Q1518335"),
                                    ("Iran", 0, "neutral", IRAN)]:
        b.mention(ptv, needle, "actor", nth, actor_id=actor, register=reg, unnamed=False)
    b.mention(ptv, "Kerman", "place", 0, place_name="Kerman", country="IR", lat=30.28, lon=57.08, place_precision="city")
    b.mention(ptv, "Damascus", "place", 0, place_name="Damascus", country="SY", place_precision="city")
    b.mention(ptv, "at least 91", "quantity", 0, value=91.0, low=91.0, qualifier="at least")
    for needle, actor in [("ISIS", ISIS), ("Israel", ISRAEL), ("the US", US), ("IRGC", "Q167475"), ("Islamic State", ISIS)]:
        b.mention(neo, needle, "actor", 0, actor_id=actor, register="neutral", unnamed=False)
    b.mention(neo, "Iranian sources", "actor", 0, unnamed=True, register="neutral")
    b.mention(neo, "January 3", "date", 0, date="2024-01-03", date_precision="day")
    b.mention(neo, "Kerman", "place", 1, place_name="Kerman", country="IR", place_precision="city")
    b.mention(neo, "about 100", "quantity", 0, value=100.0, qualifier="about")
    b.mention(neo, "over 200", "quantity", 0, value=200.0, low=200.0, qualifier="over")

    b.claim(ptv, "c-ptv-1", "accusation", s_cover, target=(ISRAEL, "Israel"), em=em_p)
    b.claim(neo, "c-neo-1", "statement", "there were two powerful explosions 15 minutes apart",
            speaker="Iranian sources", speaker_type="unnamed", speaker_span="Iranian sources",
            cue="According to", em=em_n)
    b.claim(neo, "c-neo-2", "denial", "all allegations of its involvement in the attack", speaker="Israel",
            speaker_type="actor", speaker_span="Israel dismissed", cue="dismissed", target=(ISRAEL, "Israel"), em=em_n)
    b.claim(neo, "c-neo-3", "assessment",
            "the terrorist attack in Kerman was carried out by the Islamic State (ISIS)", speaker="the US",
            speaker_type="actor", speaker_span="the US believes", cue="believes", target=(ISIS, "Islamic State"),
            hedge="believes", em=em_n)
    b.claim(neo, "c-neo-4", "responsibility_claim", s_isis, target=(ISIS, "Islamic State"), em=em_n)

    b.technique(ptv, 1, "Loaded_Language", "genocidal war", 0.91)
    b.technique(ptv, 2, "Name_Calling-Labeling", "Zionist entity received humiliating blows", 0.84)
    b.technique(ptv, 4, "Causal_Oversimplification", s_cover, 0.62)
    b.technique(ptv, 5, "Appeal_to_Fear-Prejudice", "Israeli regime is doomed and these acts of terror only show its frustration", 0.57)
    b.technique(neo, 1, "Loaded_Language", "cruel terrorist attack", 0.77)
    b.technique(neo, 4, "Doubt", "It might seem strange, but the US believes", 0.55)

    b.tables["framing"] += [
        {"article_id": ptv.id, "genre": "opinion", "genre_confidence": 0.93, "profile": json.dumps({
            "loaded_labels": [
                {"actor_id": ISRAEL, "actor_name": "Israel", "label": "Zionist entity", "register": "loaded", "count": 2,
                 "spans": [list(span(PRESS_TV, "Zionist entity", 0)), list(span(PRESS_TV, "Zionist entity", 1))]},
                {"actor_id": ISRAEL, "actor_name": "Israel", "label": "Israeli regime", "register": "loaded", "count": 2,
                 "spans": [list(span(PRESS_TV, "Israeli regime", 0)), list(span(PRESS_TV, "Israeli regime", 1))]},
                {"actor_id": ISIS, "actor_name": "Islamic State", "label": "Daesh", "register": "loaded", "count": 1,
                 "spans": [list(span(PRESS_TV, "Daesh"))]},
                {"actor_id": "prov:takfiris", "actor_name": "jihadist groups", "label": "Takfiris", "register": "loaded",
                 "count": 1, "spans": [list(span(PRESS_TV, "Takfiris"))]}],
            "attribution": {"named": 1, "unnamed": 0, "article": 7,
                            "shares": {"named": 0.125, "unnamed": 0.0, "article": 0.875}},
            "hedged": 0, "categorical": 6})},
        {"article_id": neo.id, "genre": "opinion", "genre_confidence": 0.81, "profile": json.dumps({
            "loaded_labels": [],
            "attribution": {"named": 3, "unnamed": 1, "article": 6,
                            "shares": {"named": 0.3, "unnamed": 0.1, "article": 0.6}},
            "hedged": 1, "categorical": 3})},
    ]
    if wire and w1 and w2:
        b.tables["framing"] += [
            {"article_id": w.id, "genre": "reporting", "genre_confidence": 0.88, "profile": json.dumps({
                "loaded_labels": [], "attribution": {"named": 2, "unnamed": 1, "article": 1}, "hedged": 0,
                "categorical": 0})} for w in (w1, w2)]
        b.claim(w2, "c-w2-1", "responsibility_claim", s_wis, speaker="Islamic State", speaker_type="actor",
                target=(ISIS, "Islamic State"))
        b.claim(w2, "c-w2-2", "denial", s_wden, speaker="Israel", speaker_type="actor", target=(ISRAEL, "Israel"))

    b.tables["actors"] += [{"id": k, "name": v, "kind": "state" if k in (ISRAEL, US, IRAN) else "armed_group",
                            "country": None, "provisional": k.startswith("prov:"), "aliases": "[]"}
                           for k, v in ACTOR_NAMES.items()]
    b.write(store)
    return {"press_tv": ptv.id, "neo": neo.id, "wire1": w1.id if w1 else None, "wire2": w2.id if w2 else None,
            "story": "kerman-2024-01-03", "damascus": "damascus-2023-12-25",
            "killed_values": killed, "press_tv_text": PRESS_TV, "neo_text": NEO}


XSS_TITLE = "<script>alert(1)</script>"
XSS_OUTLET = "<img src=x onerror=alert(1)>"
XSS_TEXT = ("Officials said <script>alert('body')</script> that 12 people died in the blast. "
            "Witnesses saw <img src=x onerror=alert(2)> smoke & fire \"near\" the 'market'.\n\n"
            "A second report put the toll at <b onmouseover=alert(3)>15</b> dead.")


def build_xss(store: Store) -> dict[str, Any]:
    """An article and story whose every untrusted field is an HTML/JS payload."""
    b = Builder()
    a = b.article(XSS_TEXT, title=XSS_TITLE, outlet=XSS_OUTLET, published="2024-02-01",
                  published_precision="day", url="javascript:alert(4)", authors=["<svg onload=alert(5)>"],
                  genre="<i>opinion</i>", language="en")
    em = b.event(a, "em-xss-1", "blast", event_type="Explosions/Remote violence", sub="Remote explosive/landmine/IED",
                 date="2024-02-01", place="<svg onload=alert(6)>", country="XX", lat=0.0, lon=0.0)
    s1 = "Officials said <script>alert('body')</script> that 12 people died in the blast."
    s2 = "A second report put the toll at <b onmouseover=alert(3)>15</b> dead."
    v1 = b.fact(a, em, "killed", "12", s1, value_num=12.0, speaker="<script>alert(7)</script>", speaker_type="unnamed")
    v2 = b.fact(a, em, "killed", "<b>15</b>", s2, value_num=15.0, qualifier="<i>about</i>")
    b.mention(a, "<img src=x onerror=alert(2)>", "actor", actor_id="prov:<x>", register="loaded")
    b.claim(a, "c-xss-1", "accusation", s1, speaker="<script>alert(8)</script>", speaker_type="actor",
            target=("prov:x", "<img src=x onerror=alert(9)>"))
    b.technique(a, 0, "<script>alert(10)</script>", "smoke & fire", 0.5)
    b.tables["framing"].append({"article_id": a.id, "genre": "<script>g</script>", "genre_confidence": 0.5,
                                "profile": json.dumps({"loaded_labels": [{"actor_id": "x", "actor_name": "<script>alert(11)</script>",
                                                                          "label": "<img src=y onerror=alert(12)>", "register": "loaded", "count": 1}],
                                                       "attribution": {"named": 1, "unnamed": 1, "article": 0}})})
    b.story("xss-<story>", "<svg onload=alert(13)>", event_type="<script>alert(14)</script>", sub="x",
            date="2024-02-01", place="<svg onload=alert(6)>", country="XX", articles=[a], members=[em],
            slots={"killed": slot("conflicting", [v1, v2], "<script>alert(15)</script> disagree", low=12.0,
                                  best=12.0, high=15.0, rule="<img src=z onerror=alert(16)>")},
            responsibility=[b.resp(a, "blamed", "<script>alert(17)</script>", None, s1)])
    b.write(store)
    return {"article": a.id, "story": "xss-<story>"}
