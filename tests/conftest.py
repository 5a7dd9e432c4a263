"""Shared pytest fixtures: paths of the hand-written test corpora, the seed article, the browser.

Hypothesis runs derandomized, so a property test draws the same examples on every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("newslens", derandomize=True)
settings.load_profile("newslens")

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


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by playwright, one for the whole session (test_browser's settings)."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: make test installs it or says what to install"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
