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

from apscheduler.schedulers.base import BaseScheduler

from studio.storage.database import Database, open_database

_hosted: dict[Path, Database] = {}
_schedulers: dict[Path, BaseScheduler] = {}


def host(database: Database, scheduler: BaseScheduler | None = None) -> None:
    _hosted[database.directory.resolve()] = database
    if scheduler is not None:
        _schedulers[database.directory.resolve()] = scheduler


def release(database: Database) -> None:
    if _hosted.get(database.directory.resolve()) is database:
        del _hosted[database.directory.resolve()]
        _schedulers.pop(database.directory.resolve(), None)


def scheduler_for(data_dir: str) -> BaseScheduler | None:
    """The scheduler running the data dir's jobs in this process, if any."""
    return _schedulers.get(Path(data_dir).resolve())


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
