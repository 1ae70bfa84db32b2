"""Servers the class-scale tests start for themselves, and always stop."""
from __future__ import annotations

import pytest

from tests.scale import dask_cluster as dask_cluster_module
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


@pytest.fixture
def dask_cluster():
    """A fresh Dask scheduler and two workers on 127.0.0.1 (separate processes); a
    test may kill workers, so each test gets its own."""
    cluster = dask_cluster_module.start(workers=2)
    try:
        yield cluster
    finally:
        cluster.stop()
