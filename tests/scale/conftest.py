"""Servers the class-scale tests start for themselves, and always stop."""
from __future__ import annotations

import pytest

from tests.scale import postgres


@pytest.fixture(scope="module")
def postgres_server():
    """A scratch PostgreSQL server on 127.0.0.1 for this module's tests."""
    try:
        server = postgres.start()
    except postgres.PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
