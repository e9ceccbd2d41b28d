"""The relational schema (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Table and column names are meant to be read by people: the SQLite file opens in
Datasette as is. Lists and nested values are JSON text columns.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("url", Text),
    Column("outlet", Text),
    Column("domain", Text),
    Column("title", Text),
    Column("authors", Text),  # JSON list
    Column("published", String(10)),
    Column("published_precision", String(8)),
    Column("language", String(8)),
    Column("genre", String(16)),
    Column("text", Text, nullable=False),
    Column("body_end", Integer),
    Column("source", Text),
    Column("duplicate_of", String(16)),  # near-duplicate of this earlier article
    Column("similarity", Float),  # estimated Jaccard similarity to duplicate_of
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_articles_outlet", articles.c.outlet)
Index("ix_articles_published", articles.c.published)

minhashes = Table(
    "minhashes",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

rejected = Table(
    "rejected",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("rejected_at", String(32), nullable=False),
)

analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("pipeline_version", Text, nullable=False),
    Column("analyzed_at", String(32), nullable=False),
    Column("status", String(32), nullable=False),  # analyzed / unsupported_language (20 chars)
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32)),
    Column("country", String(8)),
    Column("provisional", Boolean, nullable=False, default=False),
    Column("aliases", Text),  # JSON list of {text, register}
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("label", Text),  # e.g. "registry|title=US Defense Secretary", "DATE|relation=since"
    Column("actor_id", String(64)),
    Column("register", String(16)),
    Column("unnamed", Boolean),
    Column("place_name", Text),
    Column("country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", String(16)),
    Column("date", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(8)),
    Column("anchored", Boolean),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(64)),
)
Index("ix_mentions_article", mentions.c.article_id)
Index("ix_mentions_actor", mentions.c.actor_id)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("trigger_text", Text),
    Column("evidence", Text),  # JSON list of [start, end]
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("place_name", Text),
    Column("country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("place_precision", String(16)),
    Column("perpetrators", Text),  # JSON list of actor ids
    Column("targets", Text),
    Column("victims", Text),
    Column("killed", Float),
    Column("killed_qualifier", String(32)),
    Column("injured", Float),
    Column("injured_qualifier", String(32)),
    Column("method", Text),
    Column("reference", Boolean),
)
Index("ix_event_mentions_article", event_mentions.c.article_id)
Index("ix_event_mentions_block", event_mentions.c.date, event_mentions.c.country)

claims = Table(
    "claims",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("speaker_type", String(16), nullable=False),
    Column("speaker_id", String(64)),
    Column("speaker_name", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("kind", String(32), nullable=False),
    Column("target_id", String(64)),
    Column("target_name", Text),
    Column("hedged", Boolean),
    Column("hedge", Text),
    Column("quoted", Boolean),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content_text", Text),
    Column("event_mention_id", String(40)),
    Column("target_ids", Text),  # JSON list of actor ids (coordinated targets)
    Column("rule", Text),  # the extraction rule that produced the claim
)
Index("ix_claims_article", claims.c.article_id)

facts = Table(
    "facts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("event_mention_id", String(40), nullable=False),
    Column("slot", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("value_name", Text),
    Column("value_num", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(64)),
    Column("speaker_type", String(16)),
    Column("speaker_id", String(64)),
    Column("speaker_name", Text),
    Column("claim_id", String(40)),
    Column("as_of", String(10)),
    Column("outlet", Text),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence_text", Text),
    Column("rule", Text),  # the rule (or model) that produced the value
)
Index("ix_facts_event", facts.c.event_mention_id)
Index("ix_facts_article", facts.c.article_id)

techniques = Table(
    "techniques",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("paragraph", Integer, nullable=False),
    Column("technique", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text),
)
Index("ix_techniques_article", techniques.c.article_id)

framing = Table(
    "framing",
    metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("genre", String(16)),
    Column("genre_confidence", Float),
    Column("profile", Text),  # JSON: loaded labels, attribution shares, hedging
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", Text),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("place_name", Text),
    Column("country", String(8)),
    Column("n_articles", Integer),
    Column("n_outlets", Integer),
    Column("n_conflicts", Integer),
    Column("algorithm", Text),
    Column("data", Text),  # JSON: article_ids, outlets, slots, responsibility
)

story_members = Table(
    "story_members",
    metadata,
    Column("event_mention_id", String(40), primary_key=True),
    Column("story_id", String(40), nullable=False),
)
Index("ix_story_members_story", story_members.c.story_id)

# One row: a counter that every write transaction bumps, so readers (the web app's
# response cache) can tell cheaply whether anything changed since they last looked.
store_state = Table(
    "store_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

# `rashomon watch`: the state of each followed feed, the items already taken from it, and
# the alerts fired (each once: ``key`` is a hash of what the alert is about).
watch_feeds = Table(
    "watch_feeds",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("outlet", Text),
    Column("interval_s", Integer, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", String(32)),
    Column("last_ok", String(32)),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("next_due", String(32)),
    Column("items_seen", Integer, nullable=False, default=0),
)

watch_items = Table(
    "watch_items",
    metadata,
    Column("feed_url", String(2000), primary_key=True),
    Column("item_key", String(2000), primary_key=True),
    Column("seen_at", String(32), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("story_id", String(40), nullable=False),
    Column("kind", String(32), nullable=False),  # new_story / conflict / revision / responsibility
    Column("slot", String(40)),
    Column("title", Text, nullable=False),
    Column("data", Text, nullable=False),  # JSON: values with outlets and evidence
    Column("created", String(32), nullable=False),
    Column("baseline", Integer, nullable=False, default=0),  # 1: present when watching began, not sent
    Column("delivered", Integer, nullable=False, default=0),  # 1: every configured sink took it
)
Index("ix_alerts_created", alerts.c.created)

# Web upload jobs, so a job's outcome outlives the server process that ran it.
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("state", String(16), nullable=False),  # queued / running / done / failed
    Column("stage", Text),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("messages", Text),  # JSON list of strings
    Column("article_ids", Text),  # JSON list
    Column("summary", Text),  # JSON object
    Column("error", Text),
    Column("n_sources", Integer),
    Column("workdir", Text),  # uploaded files waiting for the job (removed when it ends)
    Column("created", String(32), nullable=False),
    Column("finished", String(32)),
)
Index("ix_jobs_state", jobs.c.state)

#: Per-article analysis tables, cleared and rewritten together when an article is re-analyzed.
ANALYSIS_TABLES = (mentions, event_mentions, claims, facts, techniques, framing)
