"""The seller tools' scheduled job. APScheduler stores it by import path, so it lives here;
it opens the data dir's database itself, as it may run after a restart with nothing else
at hand. One hourly job runs both price-drop plans and scheduled offers to likers, so a
window that installs it (the Price Drops section) keeps both going."""

from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler

from studio.seller_tools.price_drops import run_due_steps
from studio.seller_tools.scheduled_offers import run_due_offers
from studio.storage.database import open_database
from studio.sync.schedule import store_job

PRICE_DROP_JOB = "price-drops"
PRICE_DROP_MINUTES = 60  # a step or an offer is due on a day, so an hour late is on time


def price_drop_job(data_dir: str) -> int:
    """Applies the price-drop steps and runs the scheduled offers that are due; returns how
    many automatic actions it logged. The name stays, as stored jobs refer to it."""
    database = open_database(Path(data_dir), upgrade=False)
    try:
        with database.transaction() as session:
            # Drops first, so a drop and an offer due together offer off the new price.
            return len(run_due_steps(session)) + len(run_due_offers(session))
    finally:
        database.close()


def install_price_drop_job(scheduler: BaseScheduler, data_dir: Path) -> None:
    """Adds (or keeps) the hourly seller-tools job in the scheduler's persistent store."""
    store_job(
        scheduler,
        "studio.seller_tools.jobs:price_drop_job",
        PRICE_DROP_JOB,
        data_dir,
        "interval",
        minutes=PRICE_DROP_MINUTES,
    )
