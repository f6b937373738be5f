"""The open database each scheduled job runs on.

APScheduler stores a job by its function's import path and plain arguments, so a job can
only name its data dir. The process that runs the scheduler registers its open Database here;
its jobs then write through it, and what they commit is announced to the window like any
other write (a price drop made at 3 a.m. shows in an open window). A job run where no
database is registered (another process, a test) opens one for the run.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.storage.database import Database, open_database

_hosted: dict[Path, Database] = {}


def host(database: Database) -> None:
    _hosted[database.directory.resolve()] = database


def release(database: Database) -> None:
    if _hosted.get(database.directory.resolve()) is database:
        del _hosted[database.directory.resolve()]


@contextmanager
def database_for(data_dir: str) -> Iterator[Database]:
    hosted = _hosted.get(Path(data_dir).resolve())
    if hosted is not None:
        yield hosted
        return
    database = open_database(Path(data_dir), upgrade=False)
    try:
        yield database
    finally:
        database.close()
