"""The scheduler: jobs kept in the inventory's own SQLite file, so they outlive the app.

A job missed while the app was closed runs once on the next start (coalesced), and one job
never runs twice at once. `start_jobs` is the one place jobs are installed; the bootstrap
calls it with the database the window uses, so the jobs write through that database.
"""

from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler

from studio.inventory.tables import utc_now
from studio.jobs import hosting
from studio.storage.database import Database

JOBS_TABLE = "apscheduler_jobs"
SYNC_JOB = "sync"
WATCH_JOB = "sale-watch"
# How often each marketplace is asked whether anything happened: one small request, so a
# sale is known (and delisted everywhere else) within seconds, not at the next full sync.
WATCH_SECONDS = 5
BACKUP_JOB = "nightly-backup"
SELLER_TOOLS_JOB = "price-drops"  # the id stays, as stored jobs are found by it
SELLER_TOOLS_MINUTES = 60  # a price drop or an offer is due on a day: an hour late is on time
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


def _store_job(
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


def install_jobs(
    scheduler: BaseScheduler, data_dir: Path, sync_minutes: float = DEFAULT_SYNC_MINUTES
) -> None:
    """Adds (or updates) every job: the periodic sync and the watch that brings it forward
    when a marketplace has news, the nightly backup, and the hourly seller-tools job (price
    drops, then scheduled offers to likers)."""
    _store_job(
        scheduler, "studio.sync.jobs:sync_job", SYNC_JOB, data_dir, "interval", minutes=sync_minutes
    )
    _store_job(
        scheduler,
        "studio.sync.jobs:watch_job",
        WATCH_JOB,
        data_dir,
        "interval",
        seconds=WATCH_SECONDS,
    )
    _store_job(scheduler, "studio.jobs.backup:backup_job", BACKUP_JOB, data_dir, "cron", hour=3)
    _store_job(
        scheduler,
        "studio.seller_tools.jobs:seller_tools_job",
        SELLER_TOOLS_JOB,
        data_dir,
        "interval",
        minutes=SELLER_TOOLS_MINUTES,
    )


def start_jobs(
    database: Database, sync_minutes: float = DEFAULT_SYNC_MINUTES, paused: bool = False
) -> BackgroundScheduler:
    """Starts the scheduler of a running app on its database; `paused` stores the jobs
    without running them here (a screenshot, a test of screens)."""
    scheduler = make_scheduler(database)
    install_jobs(scheduler, database.directory, sync_minutes)
    hosting.host(database, scheduler)
    scheduler.start(paused=paused)
    return scheduler


def stop_jobs(scheduler: BaseScheduler, database: Database) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)
    hosting.release(database)


def sync_soon(scheduler: BaseScheduler, delay_s: float = 0.0, now: datetime | None = None) -> None:
    """Brings the next sync forward (a local edit, "Sync now", the network coming back)."""
    job = scheduler.get_job(SYNC_JOB)
    if job is not None:
        job.modify(next_run_time=(now or utc_now()) + timedelta(seconds=delay_s))
