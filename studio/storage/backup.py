"""Backups through SQLite's online backup API: consistent even while the app is writing."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from studio.storage.paths import backups_dir, database_file, private_dir, private_file

KEEP_BACKUPS = 10


def create_backup(engine: Engine, directory: Path, reason: str = "manual") -> Path:
    folder = private_dir(backups_dir(directory))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"studio-{stamp}-{reason}.sqlite3"
    partial = private_file(target.with_suffix(".partial"))
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(partial) as destination:
            raw.driver_connection.backup(destination)  # type: ignore[union-attr]
        destination.close()
    finally:
        raw.close()
    # Renamed only when complete, so a crash mid-backup never leaves a half file that looks
    # like a backup.
    partial.replace(target)
    _rotate(folder)
    return target


def _rotate(folder: Path) -> None:
    for old in list_backups_in(folder)[KEEP_BACKUPS:]:
        old.unlink()


def list_backups_in(folder: Path) -> list[Path]:
    """Newest first."""
    return sorted(folder.glob("studio-*.sqlite3"), reverse=True)


def list_backups(directory: Path) -> list[Path]:
    return list_backups_in(backups_dir(directory))


def latest_backup(directory: Path) -> Path | None:
    backups = list_backups(directory)
    return backups[0] if backups else None


def backup_is_sound(path: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            row = connection.execute("PRAGMA quick_check(1)").fetchone()
        connection.close()
    except sqlite3.DatabaseError:
        return False
    return bool(row and row[0] == "ok")


def restore_backup(source: Path, directory: Path) -> Path | None:
    """Replaces the data dir's database with `source`; the current file is kept aside first.

    Returns where the replaced database was kept (None when it was unreadable or absent).
    The caller makes sure no app has the database open.
    """
    if not backup_is_sound(source):
        raise ValueError(f"{source} is not a sound Seller Studio backup; pick another one.")
    path = database_file(directory)
    kept: Path | None = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        kept = backups_dir(directory) / f"replaced-{stamp}.sqlite3"
        private_dir(kept.parent)
        path.replace(kept)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
    staging = private_file(path.with_suffix(".restoring"))
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as origin:
        with sqlite3.connect(staging) as destination:
            origin.backup(destination)
        destination.close()
    origin.close()
    staging.replace(path)
    return kept
