"""The scheduler: jobs kept in the inventory's own SQLite file, so they outlive the app.

A job missed while the app was closed runs once on the next start (coalesced), and one job
never runs twice at once.
"""

from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler

from studio.inventory.tables import utc_now
from studio.storage.database import Database

JOBS_TABLE = "apscheduler_jobs"
SYNC_JOB = "sync"
BACKUP_JOB = "nightly-backup"
DEFAULT_SYNC_MINUTES = 5
LATE_RUN_GRACE_S = 24 * 3600


class Scheduler(BackgroundScheduler):
    """APScheduler 3 can still process due jobs after shutdown has begun: submitting them
    fails and their next run time moves on, so a run owed since the app was closed would be
    lost. A stopping scheduler processes nothing."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


def make_scheduler(database: Database) -> BackgroundScheduler:
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=database.engine, tablename=JOBS_TABLE)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": LATE_RUN_GRACE_S,
        },
        timezone="UTC",
    )


def store_job(
    scheduler: BaseScheduler,
    function: str,
    job_id: str,
    data_dir: Path,
    trigger: str,
    **when: float,
) -> None:
    """Adds or updates a job of the data dir. `function` is an import path ("module:name"):
    APScheduler silently drops a stored job whose function it cannot import."""
    scheduler.add_job(
        function, trigger, id=job_id, args=[str(data_dir)], replace_existing=True, **when
    )


def install_standard_jobs(
    scheduler: BackgroundScheduler, data_dir: Path, sync_minutes: float = DEFAULT_SYNC_MINUTES
) -> None:
    """Adds (or updates) the periodic sync and the nightly backup."""
    store_job(
        scheduler, "studio.sync.jobs:sync_job", SYNC_JOB, data_dir, "interval", minutes=sync_minutes
    )
    store_job(scheduler, "studio.sync.jobs:backup_job", BACKUP_JOB, data_dir, "cron", hour=3)


def sync_soon(
    scheduler: BackgroundScheduler, delay_s: float = 0.0, now: datetime | None = None
) -> None:
    """Brings the next sync forward (a local edit, "Sync now", the network coming back)."""
    job = scheduler.get_job(SYNC_JOB)
    if job is not None:
        job.modify(next_run_time=(now or utc_now()) + timedelta(seconds=delay_s))
