"""Fixtures shared by the whole suite."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The built HTML book (`make test` builds it first, exactly as `make book` does)."""
    index = BUILD_HTML / "index.html"
    if not index.exists():
        pytest.fail("The book is not built: run 'make book' (make test does it for you).")
    return BUILD_HTML
