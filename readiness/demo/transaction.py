"""The one write transaction a demo build runs in, with SQLite set up for bulk writing.

The build fills a database that holds no practice yet, in one transaction: it lands
completely or not at all. On SQLite that transaction runs on a connection set up
before it begins (the safety level cannot change inside a transaction):

- `synchronous = OFF`: no fsync of the gigabytes written. A build that fails or is
  killed still leaves the database as it was (the WAL is written, only not forced to
  disk, and a transaction without its commit is ignored); what is given up is
  surviving an operating-system crash or power cut during the build or just after it,
  before the system has written the file out: throw the file away and build again.
- a 512 MB page cache: the default makes every insert into the large unique indexes
  (slot and idempotency keys) a cache miss at practice scale.

The journal stays WAL, so readers are never locked out: leaving WAL needs every other
connection closed (a dashboard's, the pool's idle ones), and with the safety level off
a rollback journal saved only a little more (measured with bench/demo.py's floor).
Both settings go back to the connection's usual ones when the transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy.orm import Session

from readiness.db import WRITE_OPTION, Database

# SQLite's page cache while the demo writes (KiB).
SQLITE_CACHE_KIB: Final = 512 * 1024
# Per-connection settings of the build's transaction on SQLite, and their values.
BULK_PRAGMAS: Final = {"synchronous": "OFF", "cache_size": f"-{SQLITE_CACHE_KIB}"}


@contextmanager
def build_transaction(db: Database) -> Iterator[Session]:
    """A write session whose transaction commits when the block ends, or rolls back."""
    if db.dialect != "sqlite":
        with db.write() as session:
            yield session
        return
    with db.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        saved = {name: driver.execute(f"PRAGMA {name}").fetchone()[0] for name in BULK_PRAGMAS}
        for name, value in BULK_PRAGMAS.items():
            driver.execute(f"PRAGMA {name} = {value}")
        try:
            # The writers' lock up front (BEGIN IMMEDIATE), as every write session takes it.
            connection.execution_options(**{WRITE_OPTION: True})
            with Session(bind=connection, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            for name, value in saved.items():
                driver.execute(f"PRAGMA {name} = {value}")
