"""Scheduled jobs. APScheduler stores them by import path, so they live in this module.

Each opens the data dir's database itself: it runs on a scheduler thread, after a restart
perhaps, with nothing from the window at hand.
"""

from pathlib import Path

from studio.storage import backup
from studio.storage.database import open_database
from studio.sync.connection import NotConnected, build_client
from studio.sync.engine import CycleReport, SyncEngine


def sync_job(data_dir: str) -> CycleReport | None:
    """One sync cycle; None when no marketplace is connected."""
    directory = Path(data_dir)
    database = open_database(directory, upgrade=False)
    try:
        try:
            client = build_client(database, directory)
        except NotConnected:
            return None
        try:
            return SyncEngine(database, directory, client).cycle()
        finally:
            client.close()
    finally:
        database.close()


def backup_job(data_dir: str) -> str:
    directory = Path(data_dir)
    database = open_database(directory, upgrade=False)
    try:
        return backup.create_backup(database.engine, directory, reason="nightly").name
    finally:
        database.close()
