"""The test infrastructure itself: the PostgreSQL cluster, fresh databases, skip/fail rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pgcluster
import psycopg
import pytest
from pgcluster import PgCluster
from sqlalchemy import create_engine, inspect, text

# --------------------------------------------------------------------------- the cluster


def test_cluster_answers_select_1(pg_cluster: PgCluster) -> None:
    with pg_cluster.connect() as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        settings = dict(
            conn.execute(
                "select name, setting from pg_settings where name in "
                "('fsync', 'full_page_writes', 'synchronous_commit', 'max_connections', "
                "'listen_addresses', 'port', 'server_encoding')"
            ).fetchall()
        )
    assert settings == {
        "fsync": "off",
        "full_page_writes": "off",
        "synchronous_commit": "off",
        "max_connections": "200",
        "listen_addresses": "127.0.0.1",
        "port": str(pg_cluster.port),
        "server_encoding": "UTF8",
    }
    assert pg_cluster.psql("select 1") == "1"
    assert pg_cluster.host == "127.0.0.1"
    assert (pg_cluster.bin_dir / "pg_dump").exists()
    # the Unix socket lives inside the cluster's own temporary directory
    assert pg_cluster.base_dir is not None
    assert (pg_cluster.base_dir / f".s.PGSQL.{pg_cluster.port}").exists()


def test_cluster_uses_the_highest_installed_version(pg_cluster: PgCluster) -> None:
    assert pg_cluster.bin_dir == pgcluster.find_pg_bin_dir()
    major = int(pg_cluster.psql("show server_version_num")) // 10000
    assert str(major) == pg_cluster.bin_dir.parent.name.split(".")[0]


# Two tests (round 1 and round 2) on each engine: each must see a database of its own
# that is empty, whatever the previous test left in its database. On PostgreSQL round 1
# also leaves a connection open: the fixture must still drop its database.
_seen: dict[str, list[str]] = {}
_leaked: list[psycopg.Connection[Any]] = []


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_gets_a_fresh_empty_database(
    db_url: str, round_: int, request: pytest.FixtureRequest
) -> None:
    engine_name = db_url.split(":", 1)[0].split("+", 1)[0]
    previous = _seen.setdefault(engine_name, [])
    assert db_url not in previous
    if engine_name == "postgresql":
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        for url in previous:  # the earlier test's database is gone
            assert not cluster.database_exists(url.rsplit("/", 1)[1])
        while _leaked:
            _leaked.pop().close()
        if round_ == 1:
            _leaked.append(psycopg.connect(cluster.conninfo(db_url.rsplit("/", 1)[1])))
    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []
        with engine.begin() as conn:
            conn.execute(text("create table left_behind (id integer primary key)"))
            conn.execute(text("insert into left_behind (id) values (1)"))
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from left_behind")).scalar_one() == 1
    finally:
        engine.dispose()
    previous.append(db_url)


def test_pg_url_is_dropped_even_with_a_lingering_connection(pg_cluster: PgCluster) -> None:
    name = pg_cluster.create_database("lingering")
    lingering = psycopg.connect(pg_cluster.conninfo(name))
    lingering.execute("create table t (x int)")  # an open transaction holds a lock too
    try:
        assert pg_cluster.database_exists(name)
        pg_cluster.drop_database(name)
        assert not pg_cluster.database_exists(name)
        with pytest.raises(psycopg.OperationalError):
            lingering.execute("select 1")
    finally:
        lingering.close()


def test_pg_url_fixture_shape(pg_url: str, pg_cluster: PgCluster) -> None:
    prefix = f"postgresql+psycopg://postgres@127.0.0.1:{pg_cluster.port}/"
    assert pg_url.startswith(prefix)
    assert pg_cluster.database_exists(pg_url.removeprefix(prefix))


def test_sqlite_url_fixture_shape(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"sqlite:///{tmp_path}/readiness.db"
    assert not (tmp_path / "readiness.db").exists()


def test_pg_dump_and_restore_through_run_bin(pg_cluster: PgCluster, tmp_path: Path) -> None:
    source = pg_cluster.create_database("dump_src")
    target = pg_cluster.create_database("dump_dst")
    try:
        pg_cluster.psql("create table t (x int); insert into t values (1), (2), (3)", source)
        dump = tmp_path / "db.dump"
        pg_cluster.run_bin("pg_dump", "-Fc", "-f", dump, "-d", source)
        pg_cluster.run_bin("pg_restore", "--no-owner", "-d", target, dump)
        assert pg_cluster.psql("select sum(x) from t", target) == "6"
        with pytest.raises(pgcluster.ClientError, match="does not exist"):
            pg_cluster.psql("select * from no_such_table", target)
    finally:
        pg_cluster.drop_database(source)
        pg_cluster.drop_database(target)


# --------------------------------------------------------------------------- decisions


def _fake_pg(
    root: Path, version: str, names: tuple[str, ...] = ("initdb", "pg_ctl", "postgres")
) -> Path:
    bin_dir = root / version / "bin"
    bin_dir.mkdir(parents=True)
    for name in names:
        exe = bin_dir / name
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    return bin_dir


def test_find_pg_bin_dir_picks_the_highest_complete_version(tmp_path: Path) -> None:
    assert pgcluster.find_pg_bin_dir(tmp_path) is None
    _fake_pg(tmp_path, "9.6")
    _fake_pg(tmp_path, "13")
    expected = _fake_pg(tmp_path, "15")
    _fake_pg(tmp_path, "17", names=("pg_ctl", "postgres"))  # no initdb: not usable
    assert pgcluster.find_pg_bin_dir(tmp_path) == expected


@pytest.mark.parametrize(
    ("ci", "action"),
    [("true", "fail"), ("TRUE", "fail"), ("1", "fail"), (None, "skip"), ("false", "skip")],
)
def test_missing_postgres_fails_under_ci_and_skips_otherwise(
    monkeypatch: pytest.MonkeyPatch, ci: str | None, action: str
) -> None:
    monkeypatch.setattr(pgcluster, "find_pg_bin_dir", lambda root=None: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    decision = pgcluster.postgres_decision()
    assert decision.action == action
    assert decision.path is None
    if action == "skip":
        assert decision.reason == (
            "PostgreSQL server binaries not found under /usr/lib/postgresql; "
            "install postgresql to run these"
        )
    else:
        assert decision.reason.startswith(pgcluster.PG_MISSING_REASON)
        assert "CI=true" in decision.reason
    assert "\n" not in decision.reason


def test_present_postgres_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = _fake_pg(tmp_path, "15")
    monkeypatch.setattr(pgcluster, "PG_ROOT", tmp_path)
    monkeypatch.setenv("CI", "true")
    assert pgcluster.postgres_decision() == pgcluster.Decision("run", path=fake)


@pytest.mark.parametrize(("ci", "action"), [("true", "fail"), (None, "skip")])
def test_missing_chromium_fails_under_ci_and_skips_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None, action: str
) -> None:
    monkeypatch.setattr(pgcluster, "CHROMIUM_PATH", tmp_path / "no-chromium")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    decision = pgcluster.chromium_decision()
    assert decision.action == action
    assert decision.reason.startswith(pgcluster.CHROMIUM_MISSING_REASON)


def test_decision_enforce_uses_pytest_outcomes() -> None:
    with pytest.raises(pytest.fail.Exception):
        pgcluster.Decision("fail", "missing").enforce()
    with pytest.raises(pytest.skip.Exception):
        pgcluster.Decision("skip", "missing").enforce()
    assert pgcluster.Decision("run", path=Path("/x")).enforce() == Path("/x")


def test_chromium_args_are_the_documented_ones() -> None:
    assert "--headless" in pgcluster.CHROMIUM_ARGS
    assert "--no-sandbox" in pgcluster.CHROMIUM_ARGS
    assert os.fspath(pgcluster.CHROMIUM_PATH) == "/usr/bin/chromium"
