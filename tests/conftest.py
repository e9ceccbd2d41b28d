"""Shared fixtures: temporary stores, the spaCy pipeline, and ../shared (skips when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("RASHOMON_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "corpus" / "seeds"
DATASETS = SHARED / "datasets"
SAMPLE = ROOT / "src" / "rashomon" / "data" / "sample"


@pytest.fixture(scope="session")
def nlp():
    from rashomon.annotate.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def store(tmp_path):
    from rashomon.store import Store

    st = Store(str(tmp_path / "test.db"))
    yield st
    st.close()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present (the seeds live in ../shared beside the project)")
    return SEEDS


@pytest.fixture
def datasets_dir() -> Path:
    if not DATASETS.is_dir():
        pytest.skip(f"{DATASETS} not present")
    return DATASETS
