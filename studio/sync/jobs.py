"""The sync cycle as a scheduled job. APScheduler stores it by import path, so it lives here;
studio/jobs/scheduler.py installs it. It runs on a scheduler thread, after a restart perhaps,
on the database the running app registered (studio/jobs/hosting.py)."""

from pathlib import Path

from studio.jobs.hosting import database_for
from studio.storage.credentials import credential_store
from studio.sync.connection import build_clients
from studio.sync.engine import CycleReport, SyncEngine


def sync_job(data_dir: str) -> CycleReport | None:
    """One sync cycle over every connected marketplace; None when none is."""
    directory = Path(data_dir)
    with database_for(data_dir) as database:
        # A stored job gets only the data dir: it picks the dir's credential store itself.
        clients, _missing = build_clients(database, credential_store(directory))
        if not clients:
            return None
        try:
            return SyncEngine(database, directory, clients).cycle()
        finally:
            for client in clients:
                client.close()
