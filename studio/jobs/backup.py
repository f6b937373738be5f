"""The nightly backup, as a scheduled job."""

from studio.jobs.hosting import database_for
from studio.storage import backup


def backup_job(data_dir: str) -> str:
    with database_for(data_dir) as database:
        return backup.create_backup(database.engine, database.directory, reason="nightly").name
