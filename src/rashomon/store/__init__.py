"""Storage: SQLite (default) or PostgreSQL, same schema."""

from rashomon.store.db import AddOutcome, Store, default_db

__all__ = ["AddOutcome", "Store", "default_db"]
