import time
from datetime import timedelta

from market_buyers import new_buyer
from waiting import wait_for

from studio.inventory.tables import Item, utc_now
from studio.jobs.scheduler import (
    BACKUP_JOB,
    SELLER_TOOLS_JOB,
    SYNC_JOB,
    WATCH_JOB,
    install_jobs,
    make_scheduler,
    start_jobs,
    stop_jobs,
    sync_soon,
)
from studio.storage import backup
from studio.storage.changes import Changes
from studio.storage.database import open_database
from studio.sync.jobs import watch_job


def test_jobs_survive_a_restart_and_a_missed_one_runs_on_start(data_dir):
    first = open_database(data_dir)
    scheduler = make_scheduler(first)
    scheduler.start(paused=True)
    install_jobs(scheduler, data_dir, sync_minutes=10)
    # The backup is due a moment after the app closes: it will be missed.
    scheduler.modify_job(BACKUP_JOB, next_run_time=utc_now() + timedelta(seconds=1))
    scheduler.shutdown(wait=True)
    first.close()
    time.sleep(1.5)

    database = open_database(data_dir)
    restarted = make_scheduler(database)
    restarted.start(paused=True)
    try:
        assert {job.id for job in restarted.get_jobs()} == {
            SYNC_JOB,
            WATCH_JOB,
            BACKUP_JOB,
            SELLER_TOOLS_JOB,
        }
        restarted.resume()
        assert wait_for(lambda: backup.list_backups(data_dir))
        assert "nightly" in backup.list_backups(data_dir)[0].name
        assert restarted.get_job(BACKUP_JOB).next_run_time > utc_now()  # ran once, not twice
    finally:
        restarted.shutdown(wait=True)
        database.close()


def test_sync_now_runs_the_stored_sync_job_on_the_apps_database(studio):
    studio.add_item(title="Scheduled coat")
    heard: list[Changes] = []
    studio.database.on_commit(heard.append)
    scheduler = start_jobs(studio.database, sync_minutes=60)
    try:
        sync_soon(scheduler)
        assert wait_for(lambda: len(studio.remote_listings()) == 1)
        # The job wrote through the running app's database, so its commits were announced.
        assert wait_for(lambda: any(change.touches("listing_link") for change in heard))
    finally:
        stop_jobs(scheduler, studio.database)


def test_the_watch_is_silent_when_quiet_and_brings_the_sync_forward_on_a_sale(studio):
    item = studio.add_item(title="Watched coat")
    studio.engine().cycle()
    studio.engine().cycle()  # reads back the listing's own creation: the feed is caught up
    heard: list[Changes] = []
    studio.database.on_commit(heard.append)
    assert watch_job(str(studio.data_dir)) is False
    assert heard == []  # a quiet watch writes nothing, so an open window redraws nothing

    scheduler = start_jobs(studio.database, sync_minutes=60)  # the full sync is an hour away
    try:
        [listing] = studio.remote_listings()
        new_buyer(studio.market.base_url, "Wren Abernathy").buy(listing["id"])
        assert wait_for(lambda: _status_of(studio, item.id) == "sold", seconds=20)
    finally:
        stop_jobs(scheduler, studio.database)


def _status_of(studio, item_id: int) -> str:
    with studio.database.session() as session:
        return session.get(Item, item_id).status
