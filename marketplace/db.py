"""Engines and transactions.

Every write runs in `Database.write()`, and writers are serialised on both databases, so
every route may read, check and then write (a listing's version, a listing still for sale,
an Idempotency-Key not yet used, a like not yet given) without another writer slipping in
between. On SQLite twice over: a process lock keeps threads from spinning on SQLITE_BUSY,
and BEGIN IMMEDIATE takes the database's write lock at the start, so two processes on one
file are serialised too. On PostgreSQL, whose row locks would come too late for those
checks (READ COMMITTED lets two transactions read the same version 3 and both write 4), each
write transaction starts by taking one transaction-scoped advisory lock, held until it
commits or rolls back, across every process serving the database; each statement after it
sees every write committed before. Readers never block on either.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from marketplace.models import MarketTable
from marketplace.problems import ProblemError

# Any fixed number: the key of the advisory lock every PostgreSQL write transaction holds.
WRITE_LOCK_KEY = 0x5E11E5


def _serialised_postgres_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook, not the driver, decide how a transaction starts.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _refuse_nul_text(engine: Engine) -> None:
    """Text holding U+0000 is refused before any statement runs, on both databases alike:
    PostgreSQL cannot store it (its driver fails, a 500) and SQLite would keep it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, _sql: str, parameters: Any, *_rest: Any) -> None:
        if any(isinstance(value, str) and "\x00" in value for value in _values(parameters)):
            raise ProblemError(
                422, "nul_character", "Text cannot contain the NUL character (U+0000)."
            )


def _values(parameters: Any) -> Iterator[Any]:
    """Every value a statement is given: one row (a dict or a tuple), several rows, or the
    flat tuple of a batched many-row INSERT."""
    for item in parameters.values() if isinstance(parameters, dict) else parameters or ():
        if isinstance(item, dict):
            yield from item.values()
        elif isinstance(item, list | tuple):
            yield from item
        else:
            yield item


# Ids, sequence numbers and counts are 64-bit, as clients may send them (marketplace/ids.py).
# SQLite's INTEGER already is (and only "INTEGER PRIMARY KEY" is its rowid, so it stays);
# PostgreSQL's is 32-bit, where a larger id in a query would be an error, not "not found".
BIG_INTEGER = BigInteger().with_variant(Integer(), "sqlite")


def _use_64_bit_integers() -> None:
    """Every integer column of every table, whichever module declared it, as BIG_INTEGER."""
    for table in MarketTable.metadata.tables.values():
        for column in table.columns:
            if type(column.type) is Integer:
                column.type = BIG_INTEGER


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.read_engine = _sqlite_engine(url, "BEGIN")
            self.write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
        else:
            self.read_engine = create_engine(url, pool_pre_ping=True)
            self.write_engine = _serialised_postgres_engine(url)
        for engine in (self.read_engine, self.write_engine):
            _refuse_nul_text(engine)
        self._write_lock = threading.Lock() if self.is_sqlite else None

    def create_tables(self) -> None:
        _use_64_bit_integers()
        with self._locked():
            MarketTable.metadata.create_all(self.write_engine)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        if self._write_lock is None:
            yield
            return
        with self._write_lock:
            yield

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._locked(), Session(self.write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.read_engine.dispose()
        self.write_engine.dispose()
