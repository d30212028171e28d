"""Shared fixtures: database URLs on both engines, the PostgreSQL cluster, Chromium.

Fixtures
- ``db_url``      parametrised "sqlite" / "postgresql" (the latter marked ``postgres``):
                  a SQLAlchemy URL of a FRESH EMPTY database for this test.
- ``sqlite_url``  sqlite:///<tmp_path>/readiness.db (file not created yet).
- ``pg_url``      postgresql+psycopg://postgres@127.0.0.1:PORT/NAME, a new database
                  dropped after the test (lingering connections are terminated).
- ``pg_cluster``  session-scoped ``pgcluster.PgCluster``: host, port, bin_dir, url(),
                  connect(), psql(), run_bin("pg_dump", ...), create/drop_database().
- ``chromium_path`` "/usr/bin/chromium"; launch it with ``CHROMIUM_ARGS``.

A missing PostgreSQL or Chromium skips the tests that need it, with a one-line
reason, except under CI=true where it fails them.

No application imports here (schema fixtures are built on top of ``db_url``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import CHROMIUM_ARGS, CHROMIUM_PATH, PgCluster, chromium_decision, start_cluster

__all__ = ["CHROMIUM_ARGS", "CHROMIUM_PATH"]

# Schema-level fixtures (db, sqlite_db, pg_db) live beside this file.
pytest_plugins = ["dbfixtures", "compliance_support"]

_CLUSTERS: list[PgCluster] = []


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The session's throwaway PostgreSQL cluster (started on first use)."""
    cluster = start_cluster()
    _CLUSTERS.append(cluster)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new empty database on the cluster; dropped (WITH FORCE) after the test."""
    name = pg_cluster.create_database(request.node.name)
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """sqlite:///<tmp_path>/readiness.db (the file does not exist yet)."""
    return f"sqlite:///{tmp_path}/readiness.db"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of a fresh empty database, once per engine."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium (fails under CI=true when missing, skips otherwise)."""
    return str(chromium_decision().enforce())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that use the cluster or the browser directly get the matching marker,
    # so `-m "not postgres"` / `-m "not browser"` select what they say.
    for item in items:
        names = getattr(item, "fixturenames", ())
        if ("pg_url" in names or "pg_cluster" in names) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
        if "chromium_path" in names and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for cluster in _CLUSTERS:
        terminalreporter.write_line(cluster.stats.summary())
