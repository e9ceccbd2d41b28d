"""Word lists for event extraction: triggers, sub-type cues, methods, casualty words.

Event types follow ACLED's ``event_type`` / ``sub_event_type`` (ACLED Codebook, 2023),
plus a small set of our own for non-violent events that news compares across sources:

    Diplomacy / Visit/talks, Diplomacy / Agreement,
    Policy / Declaration, Strategic developments / Troop withdrawal

Each trigger lemma maps to ``(event_type, sub_event_type, kind)``; ``kind`` is a coarse
label ("bombing", "assassination", ...) that titles and linking use.
"""

from __future__ import annotations

EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
BATTLES = "Battles"
PROTESTS = "Protests"
STRATEGIC = "Strategic developments"
DIPLOMACY = "Diplomacy"
POLICY = "Policy"

# lemma -> (event_type, sub_event_type, kind); POS restrictions in TRIGGER_POS
TRIGGERS: dict[str, tuple[str, str, str]] = {
    "bombing": (EXPLOSIONS, "Remote explosive/landmine/IED", "bombing"),
    "bomb": (EXPLOSIONS, "Remote explosive/landmine/IED", "bombing"),
    "bomber": (EXPLOSIONS, "Remote explosive/landmine/IED", "bombing"),
    "device": (EXPLOSIONS, "Remote explosive/landmine/IED", "bombing"),
    "explosion": (EXPLOSIONS, "Remote explosive/landmine/IED", "explosion"),
    "blast": (EXPLOSIONS, "Remote explosive/landmine/IED", "explosion"),
    "explode": (EXPLOSIONS, "Remote explosive/landmine/IED", "explosion"),
    "detonate": (EXPLOSIONS, "Remote explosive/landmine/IED", "explosion"),
    "airstrike": (EXPLOSIONS, "Air/drone strike", "strike"),
    "strike": (EXPLOSIONS, "Air/drone strike", "strike"),
    "shelling": (EXPLOSIONS, "Shelling/artillery/missile attack", "shelling"),
    "shell": (EXPLOSIONS, "Shelling/artillery/missile attack", "shelling"),
    "attack": (VAC, "Attack", "attack"),
    "massacre": (VAC, "Attack", "attack"),
    "incident": (VAC, "Attack", "attack"),
    "assassination": (VAC, "Attack", "assassination"),
    "assassinate": (VAC, "Attack", "assassination"),
    "killing": (VAC, "Attack", "killing"),
    "kill": (VAC, "Attack", "killing"),
    "martyr": (VAC, "Attack", "killing"),
    "martyrdom": (VAC, "Attack", "killing"),
    "murder": (VAC, "Attack", "killing"),
    "shooting": (VAC, "Attack", "shooting"),
    "kidnapping": (VAC, "Abduction/forced disappearance", "abduction"),
    "kidnap": (VAC, "Abduction/forced disappearance", "abduction"),
    "abduct": (VAC, "Abduction/forced disappearance", "abduction"),
    "battle": (BATTLES, "Armed clash", "battle"),
    "clash": (BATTLES, "Armed clash", "battle"),
    "fighting": (BATTLES, "Armed clash", "battle"),
    "blow": (BATTLES, "Armed clash", "battle"),
    "arrest": (STRATEGIC, "Arrests", "arrest"),
    "detain": (STRATEGIC, "Arrests", "arrest"),
    "withdrawal": (STRATEGIC, "Troop withdrawal", "withdrawal"),
    "withdraw": (STRATEGIC, "Troop withdrawal", "withdrawal"),
    "protest": (PROTESTS, "Peaceful protest", "protest"),
    "demonstration": (PROTESTS, "Peaceful protest", "protest"),
    "rally": (PROTESTS, "Peaceful protest", "protest"),
    "march": (PROTESTS, "Peaceful protest", "protest"),
    "demonstrator": (PROTESTS, "Peaceful protest", "protest"),
    "protester": (PROTESTS, "Peaceful protest", "protest"),
    "visit": (DIPLOMACY, "Visit/talks", "visit"),
    "talk": (DIPLOMACY, "Visit/talks", "talks"),
    "negotiation": (DIPLOMACY, "Visit/talks", "talks"),
    "summit": (DIPLOMACY, "Visit/talks", "talks"),
    "agreement": (DIPLOMACY, "Agreement", "agreement"),
    "ceasefire": (DIPLOMACY, "Agreement", "agreement"),
    "truce": (DIPLOMACY, "Agreement", "agreement"),
    "declare": (POLICY, "Declaration", "declaration"),
}

# Lemmas that are triggers only in one part of speech ("strike" the verb is rarely an event).
TRIGGER_POS: dict[str, frozenset[str]] = {
    "strike": frozenset({"NOUN", "VERB"}),
    "attack": frozenset({"NOUN", "VERB"}),
    "march": frozenset({"NOUN"}),
    "rally": frozenset({"NOUN"}),
    "talk": frozenset({"NOUN"}),
    "visit": frozenset({"NOUN", "VERB"}),
    "blow": frozenset({"NOUN"}),
    "shell": frozenset({"VERB"}),
    "bomb": frozenset({"NOUN", "VERB"}),
    "fighting": frozenset({"NOUN"}),
    "declare": frozenset({"VERB"}),
    "withdraw": frozenset({"VERB"}),
    "detain": frozenset({"VERB"}),
    "arrest": frozenset({"NOUN", "VERB"}),
    "kill": frozenset({"VERB"}),
    "martyr": frozenset({"VERB"}),
}

# Verbs whose subject is the perpetrator of their object event ("X carried out an attack");
# for other verbs ("Iran declared it a terrorist attack") the subject is not.
AGENTIVE_HEADS = frozenset({
    "carry", "conduct", "launch", "stage", "perpetrate", "commit", "execute", "mount",
    "organize", "organise", "orchestrate", "plan", "order", "unleash", "resort",
})

# "talks" and "blows" only count in these shapes; "blow" needs a violent context word nearby.
NEEDS_CONTEXT: dict[str, frozenset[str]] = {
    "device": frozenset({"explosive", "explosives", "incendiary"}),
    "incident": frozenset({"killed", "bomber", "bombers", "suicide", "explosion", "explosions", "terror", "terrorist", "shooting", "dead", "wounded", "injured", "blast"}),
    "blow": frozenset({"battalion", "army", "troops", "brigade", "soldier", "humiliating"}),
    "declare": frozenset({"mourning", "war", "emergency", "ceasefire", "independence"}),
    "strike": frozenset({"air", "drone", "missile", "rocket", "israeli", "us", "precision", "killed", "targets"}),
}

# Sentence cues that refine the sub-event type (checked on lowercased token texts).
SUBTYPE_CUES: tuple[tuple[frozenset[str], str, str], ...] = (
    (frozenset({"suicide"}), EXPLOSIONS, "Suicide bomb"),
    (frozenset({"drone", "unmanned", "airstrike", "airstrikes", "warplane", "warplanes", "jets"}), EXPLOSIONS, "Air/drone strike"),
    (frozenset({"missile", "missiles", "rocket", "rockets", "shelling", "artillery", "mortar"}), EXPLOSIONS, "Shelling/artillery/missile attack"),
    (frozenset({"planted", "ied", "roadside", "remotely", "remote"}), EXPLOSIONS, "Remote explosive/landmine/IED"),
    (frozenset({"grenade", "grenades"}), EXPLOSIONS, "Grenade"),
)

# Method cues -> normalized method (value) ; matched on lowercased sentence text.
METHODS: tuple[tuple[str, str], ...] = (
    (r"\bsuicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers)?|vests?)\b|\bexplosive (?:belts?|vests?)\b|\bblew (?:him|them|her)sel(?:f|ves) up\b", "suicide bombing"),
    (r"\b(?:planted|remote(?:ly)?[- ](?:detonat\w*|controlled|mechanism|control)|remote mechanism|roadside bomb|improvised explosive|ieds?\b)", "planted explosives, remote detonation"),
    (r"\b(?:drone|unmanned aircraft|unmanned aerial|air ?strikes?|warplanes?)\b", "air/drone strike"),
    (r"\b(?:missiles?|rockets?|shelling|artillery|mortars?)\b", "missile/shelling"),
    (r"\b(?:gunmen|gunfire|shot dead|shooting|opened fire)\b", "gunfire"),
    (r"\b(?:stabb(?:ed|ing)|knife)\b", "stabbing"),
    (r"\bcar bomb\b", "vehicle bomb"),
)

KILLED_WORDS = frozenset({
    "killed", "kill", "killing", "dead", "died", "die", "death", "deaths", "fatalities", "lives",
    "martyred", "toll", "slain", "perished", "bodies", "martyrs", "fatality",
})
# Verbs right before a count that make it a casualty figure ("killing 73 people").
KILL_VERBS = frozenset({"killing", "killed", "kill", "kills", "leaving", "left", "claimed", "claiming"})
INJURE_VERBS = frozenset({"wounding", "wounded", "injuring", "injured", "wound", "injure"})
INJURED_WORDS = frozenset({"injured", "wounded", "hurt", "injuries", "injuring", "wounding", "injure", "wound"})
PERSON_NOUNS = frozenset({
    "people", "persons", "civilians", "person", "mourners", "soldiers", "others", "victims",
    "children", "women", "men", "troops", "fighters", "pilgrims", "residents", "police",
    "officers", "members", "worshippers", "protesters", "demonstrators", "palestinians",
    "israelis", "iranians", "militants", "of", "them", "were", "was", "have", "had", "lost", "their",
    "been", "are", "reportedly", "more", "a", "total",
})

# Words that point back to an event already mentioned ("the act", "the crime").
ANAPHORS = frozenset({"attack", "act", "crime", "bombing", "bombings", "explosion", "explosions", "incident", "assault", "operation", "blast", "blasts", "killing", "assassination"})

# Families used to merge mentions within one article and to gate linking.
FAMILY: dict[str, str] = {
    EXPLOSIONS: "violence",
    VAC: "violence",
    BATTLES: "violence",
    PROTESTS: "protest",
    STRATEGIC: "strategic",
    DIPLOMACY: "diplomacy",
    POLICY: "policy",
}

# Specificity of sub-event types: when merging, the more specific one wins.
GENERIC_SUBTYPES = frozenset({"Attack", "Remote explosive/landmine/IED"})
