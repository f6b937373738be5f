"""The Seller API server for tests on SQLite or on PostgreSQL, in a fresh database each time.

PostgreSQL is found through STUDIO_TEST_POSTGRES (libpq connection settings, such as
"host=/var/run/postgresql user=me"), else on this machine's socket as the current user,
which `make postgres-setup` creates with the right to create databases. Without it the test
is skipped, saying why; under `make test` it is always there.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from marketplace.embedded import EmbeddedMarketplace, run_embedded

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
except ImportError:  # the dev extra has it; without it the tests below are skipped
    psycopg = None

LOCAL_SOCKET = "/var/run/postgresql"
HOW = "run `make postgres-setup`, or set STUDIO_TEST_POSTGRES to libpq connection settings"


def _conninfo() -> str:
    return os.environ.get("STUDIO_TEST_POSTGRES") or f"host={LOCAL_SOCKET}"


def _admin() -> "psycopg.Connection":
    """A connection to the maintenance database, or a skip naming what is missing."""
    if psycopg is None:
        pytest.skip(f"psycopg is not installed (the dev extra has it); {HOW}")
    try:
        return psycopg.connect(f"{_conninfo()} dbname=postgres", autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        pytest.skip(f"PostgreSQL is not reachable ({first_line}); {HOW}")


def _sqlalchemy_url(name: str) -> str:
    """The SQLAlchemy URL of database `name` with the same connection settings."""
    settings = {k: str(v) for k, v in conninfo_to_dict(_conninfo()).items() if v is not None}
    settings["dbname"] = name
    return f"postgresql+psycopg:///?{urlencode(settings)}"


@contextmanager
def fresh_database() -> Iterator[str]:
    """Creates an empty database, yields its SQLAlchemy URL, and drops it afterwards."""
    admin = _admin()
    name = f"seller_api_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _sqlalchemy_url(name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def run_server_on(database: str, data_dir: Path, **settings: Any) -> Iterator[EmbeddedMarketplace]:
    """The embedded Seller API server with its data on `database`: "sqlite" (a file in
    data_dir) or "postgresql" (a fresh database, skipped with the reason when there is none)."""
    if database == "sqlite":
        with run_embedded(data_dir, **settings) as server:
            yield server
        return
    with fresh_database() as url, run_embedded(data_dir, database_url=url, **settings) as server:
        yield server
