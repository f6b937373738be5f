"""The SQLite database: engine, sessions, schema upgrades (after a backup) and health checks."""

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from studio.storage import backup, schema
from studio.storage.changes import Changes
from studio.storage.paths import database_file, private_dir, private_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Each migration's revision is its file's name (checked by tests/core/test_database.py).
REVISION_FILE = re.compile(r"^(\d{4}_\w+)\.py$")
METADATA = schema.metadata  # importing the schema also installs the outbox hook
BUSY_TIMEOUT_MS = 5000


class DatabaseProblem(Exception):
    """A database the studio cannot use as it is; the message says what to do."""


class DatabaseLocked(DatabaseProblem):
    pass


class DatabaseCorrupt(DatabaseProblem):
    def __init__(self, message: str, latest_backup: Path | None) -> None:
        super().__init__(message)
        self.latest_backup = latest_backup


class DatabaseTooNew(DatabaseProblem):
    pass


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL makes NORMAL durable against application crashes; only power loss can drop the
    # last transactions, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database was last upgraded to, read as Alembic stores it."""
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if stored is None:
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def head_revision() -> str:
    """The newest migration, by its file's number: start-up compares it with the stored
    revision without loading Alembic (about a third of a second), which only an upgrade
    needs."""
    names = (REVISION_FILE.match(path.name) for path in (MIGRATIONS_DIR / "versions").iterdir())
    revisions = sorted(match.group(1) for match in names if match)
    assert revisions, "the migrations folder has no revisions"
    return revisions[-1]


@dataclass
class Database:
    """One data dir's database. Services get sessions from `session()`.

    What each committed transaction changed goes to the functions given to `on_commit`, on
    the thread that committed. `guard`, when set, is called before any session opens: the
    window sets one that refuses sessions on the UI thread.
    """

    directory: Path
    engine: Engine
    guard: Callable[[], None] | None = None
    _listeners: list[Callable[[Changes], None]] = field(default_factory=list)

    def session(self) -> Session:
        if self.guard is not None:
            self.guard()
        return Session(self.engine, expire_on_commit=False, info={"publish": self._publish})

    def on_commit(self, listener: Callable[[Changes], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[Changes], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _publish(self, changes: Changes) -> None:
        for listener in self._listeners:
            listener(changes)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together, or not at all."""
        with self.session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def open_database(directory: Path, *, upgrade: bool = True, whole_file: bool = True) -> Database:
    """Opens (creating if new) the data dir's database and brings its schema up to date.

    A backup is taken before any migration of an existing database; a database written by a
    newer studio is refused rather than damaged. Every page of the file is checked first
    (SQLite's quick_check); without `whole_file` only its header and schema are, unless it
    is to be upgraded: the window checks the rest once it shows data (`check_whole_file`),
    as reading every page of a big inventory took a quarter of its start.
    """
    private_dir(directory)
    path = database_file(directory)
    existed = path.exists() and path.stat().st_size > 0
    # Created private before SQLite opens it: SQLite gives its -wal and -shm files the
    # database's own mode, so they are private too.
    private_file(path)
    engine = make_engine(path)
    try:
        _check_readable(engine, directory, whole_file)
        if upgrade and current_revision(engine) != head_revision():
            if not whole_file:
                _check_readable(engine, directory, True)  # nothing damaged is backed up
            _upgrade(engine, directory, existed)
    except BaseException:
        engine.dispose()
        raise
    return Database(directory, engine)


def check_whole_file(engine: Engine, directory: Path) -> DatabaseCorrupt | None:
    """What SQLite's quick_check of every page finds, as the problem to show; None if sound."""
    try:
        _check_readable(engine, directory, True)
    except DatabaseCorrupt as problem:
        return problem
    return None


def _check_readable(engine: Engine, directory: Path, whole_file: bool) -> None:
    # Reading the schema fails on a damaged header or schema page; quick_check reads all.
    check = "PRAGMA quick_check(1)" if whole_file else "SELECT 'ok' FROM sqlite_master LIMIT 1"
    try:
        with engine.connect() as connection:
            result = connection.exec_driver_sql(check).scalar() or "ok"
    except OperationalError as error:
        if "locked" in str(error):
            raise DatabaseLocked(
                "The inventory database is busy in another program. Close the other copy of "
                "Seller Studio (or the program holding the file) and try again."
            ) from error
        raise _corrupt(directory, str(error)) from error
    except DatabaseError as error:
        raise _corrupt(directory, str(error)) from error
    if result != "ok":
        raise _corrupt(directory, str(result))


def _corrupt(directory: Path, detail: str) -> DatabaseCorrupt:
    latest = backup.latest_backup(directory)
    path = database_file(directory)
    if latest:
        advice = f"Restore the latest backup ({latest.name}) with `studio db restore`."
    else:
        # Checking again cannot help: say what can.
        advice = (
            "There is no backup in the data folder. If you have a copy of the inventory "
            "elsewhere, restore it with `studio db restore FILE`. Otherwise rename the "
            f"damaged file ({path.name}) to keep it aside and start again: the studio makes "
            "a fresh, empty inventory; a SQLite tool can still save what is readable from "
            f"the damaged file (`sqlite3 {path.name} .recover`)."
        )
    return DatabaseCorrupt(
        f"The inventory database in {directory} is damaged ({detail}). {advice}", latest
    )


def _upgrade(engine: Engine, directory: Path, existed: bool) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    current = current_revision(engine)
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseTooNew(
            f"This inventory was saved by a newer Seller Studio (schema {current}). "
            "Install the latest version to open it; nothing was changed."
        )
    if existed:
        backup.create_backup(engine, directory, reason=f"before-upgrade-{current or 'empty'}")
    command.upgrade(alembic_config(engine), "head")


def upgrade_to(engine: Engine, revision: str) -> None:
    """Moves the schema to one revision; the migration tests build old databases with it."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def integrity_problems(engine: Engine) -> list[str]:
    """Everything SQLite's full integrity check and the foreign-key check find."""
    with engine.connect() as connection:
        problems = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
    return problems
