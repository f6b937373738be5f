"""The sync cycle as a scheduled job. APScheduler stores it by import path, so it lives here;
studio/jobs/scheduler.py installs it. It runs on a scheduler thread, after a restart perhaps,
on the database the running app registered (studio/jobs/hosting.py)."""

from pathlib import Path

from studio.jobs.hosting import database_for
from studio.storage.credentials import credential_store
from studio.sync.connection import build_client
from studio.sync.engine import CycleReport, SyncEngine
from studio.sync.port import NotConnected


def sync_job(data_dir: str) -> CycleReport | None:
    """One sync cycle; None when no marketplace is connected."""
    directory = Path(data_dir)
    with database_for(data_dir) as database:
        try:
            # A stored job gets only the data dir: it picks the dir's credential store itself.
            client = build_client(database, credential_store(directory))
        except NotConnected:
            return None
        try:
            return SyncEngine(database, directory, client).cycle()
        finally:
            client.close()
