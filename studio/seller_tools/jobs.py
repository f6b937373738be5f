"""The seller tools' scheduled job. APScheduler stores it by import path, so it lives here;
studio/jobs/scheduler.py installs it. One hourly job runs both price-drop plans and scheduled
offers to likers."""

from studio.jobs.hosting import database_for
from studio.seller_tools.price_drops import run_due_steps
from studio.seller_tools.scheduled_offers import run_due_offers


def seller_tools_job(data_dir: str) -> int:
    """Applies the price-drop steps and runs the scheduled offers that are due; returns how
    many automatic actions it logged."""
    with database_for(data_dir) as database, database.transaction() as session:
        # Drops first, so a drop and an offer due together offer off the new price.
        return len(run_due_steps(session)) + len(run_due_offers(session))
