"""Shared pytest fixtures: paths of the hand-written test corpora and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture
def ingest_fixtures() -> Path:
    """Folder of small hand-made ingestion inputs (tests/fixtures/ingest)."""
    return FIXTURES / "ingest"


@pytest.fixture
def seed_article() -> Path:
    """The seed article of the bundled corpus (Times Tengri, 17 Sep 2024)."""
    path = REPO / "corpus" / "000_813a72da52f0618f.txt"
    if not path.is_file():
        pytest.skip(f"seed article not found: {path}")
    return path
