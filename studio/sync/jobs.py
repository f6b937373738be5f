"""The sync cycle and the sale watch as scheduled jobs. APScheduler stores them by import
path, so they live here; studio/jobs/scheduler.py installs them. They run on a scheduler
thread, after a restart perhaps, on the database the running app registered
(studio/jobs/hosting.py)."""

from pathlib import Path

from sqlmodel import select

from studio.inventory.tables import utc_now
from studio.jobs.hosting import database_for, scheduler_for
from studio.jobs.scheduler import sync_soon
from studio.storage.credentials import credential_store
from studio.storage.database import Database
from studio.sync.engine import CycleReport, SyncEngine
from studio.sync.port import MarketplaceError
from studio.sync.pull import read_cursor
from studio.sync.tables import MarketplaceAccount, SigninState


def sync_job(data_dir: str) -> CycleReport | None:
    """One sync cycle over every connected marketplace; None when none is."""
    directory = Path(data_dir)
    from studio.sync.connection import build_clients  # the adapters load on use

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


def watch_job(data_dir: str) -> bool:
    """Asks each marketplace for one event past the cursor; if any has news (a sale, above
    all), the sync runs now rather than at its next turn. Writes nothing when all is quiet,
    so the window has nothing to redraw every few seconds. True when news was found."""
    with database_for(data_dir) as database:
        if not _has_news(database, Path(data_dir)):
            return False
    scheduler = scheduler_for(data_dir)
    if scheduler is not None:
        sync_soon(scheduler)  # the sync job runs it, so the window sees a sync as always
    else:
        sync_job(data_dir)
    return True


def _has_news(database: Database, directory: Path) -> bool:
    from studio.sync.connection import build_clients

    clients, _missing = build_clients(database, credential_store(directory))
    try:
        with database.session() as session:
            asleep = {
                account.name
                for account in session.exec(select(MarketplaceAccount))
                if account.signin_state == SigninState.EXPIRED
                or (account.blocked_until is not None and account.blocked_until > utc_now())
            }
            cursors = {client.name: read_cursor(session, client.name) for client in clients}
        for client in clients:
            if client.name in asleep:
                continue
            try:
                if client.events(cursors[client.name], 1).events:
                    return True
            except MarketplaceError:
                continue  # the full sync notes failures and backs off; the watch stays quiet
        return False
    finally:
        for client in clients:
            client.close()
