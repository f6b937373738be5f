"""Bootstrap: builds the services once and hands them to the window."""

import gc
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.heap import give_back_freed_memory
from studio.imaging.store import PhotoStore
from studio.jobs.scheduler import start_jobs, stop_jobs
from studio.logs import setup_logging
from studio.storage import backup
from studio.storage.credentials import CredentialStore, credential_store
from studio.storage.database import (
    Database,
    DatabaseCorrupt,
    DatabaseProblem,
    check_whole_file,
    open_database,
)
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import photos_dir
from studio.ui.hub import ChangeHub
from studio.ui.main_window import MainWindow
from studio.ui.services import Services
from studio.ui.tasks import STRICT_ENV, TaskRunner, refuse_ui_thread_sessions
from studio.ui.thumbnails import ThumbnailCache
from studio.ui.view_settings import SYNC_MINUTES
from studio.ui.welcome.app_icon import app_icon

APP_NAME = "Seller Studio"


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Seller Studio")
    app.setWindowIcon(app_icon())
    return app


def build_services(
    data_dir: Path,
    database: Database,
    inline: bool = False,
    background: bool = True,
    sync_minutes: float | None = None,
    credentials: CredentialStore | None = None,
) -> Services:
    """Builds what every screen is handed, and starts the scheduler on the same database.
    Without `background` the jobs are stored but never run here (a screenshot, a test).
    `credentials` is the data dir's own store unless one is handed in (the demo's, a test's)."""
    database.guard = refuse_ui_thread_sessions(strict=bool(os.environ.get(STRICT_ENV)))
    runner = TaskRunner(database, inline=inline)
    # View settings live beside the data, so each inventory keeps its own layout.
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    if sync_minutes is None:
        sync_minutes = SYNC_MINUTES.read(settings)
    return Services(
        data_dir=data_dir,
        database=database,
        runner=runner,
        hub=ChangeHub(database),
        credentials=credentials if credentials is not None else credential_store(data_dir),
        scheduler=start_jobs(database, sync_minutes, paused=not background),
        undo_stack=QUndoStack(),
        settings=settings,
        thumbnails=ThumbnailCache(runner, PhotoStore(photos_dir(data_dir)).thumbnail, None),
    )


def settle_heap() -> None:
    """Once the window shows data: what start-up made lives as long as the app, so it leaves the
    garbage collector's care. A full collection walks every object, and with the app's
    libraries loaded that held the UI thread for about 100 ms in the middle of photo
    batches and syncs."""
    gc.collect()
    gc.freeze()
    give_back_freed_memory()  # what start-up read and let go of (migrations, first queries)


def check_file_when_shown(window: MainWindow, services: Services) -> None:
    """Once the window shows data, every page of the inventory is checked off the UI thread
    (opening checked only the header and schema); damage found is said at once."""
    database, directory = services.database, services.data_dir
    if services.runner.closed:  # closed before it ever showed data
        return

    def damaged(problem: DatabaseCorrupt | None) -> None:
        if problem is not None:
            QMessageBox.critical(
                window,
                "The inventory is damaged",
                f"{problem}\n\nClose Seller Studio first: the restore replaces the open file.",
            )

    services.runner.run(
        "Checking the inventory file",
        lambda _context: check_whole_file(database.engine, directory),
        on_done=damaged,
    )


def _open_or_offer_restore(data_dir: Path) -> Database | None:
    try:
        return open_database(data_dir, whole_file=False)
    except DatabaseCorrupt as problem:
        if problem.latest_backup is None:
            QMessageBox.critical(None, "The inventory is damaged", str(problem))
            return None
        answer = QMessageBox.question(
            None,
            "The inventory is damaged",
            f"{problem}\n\nRestore {problem.latest_backup.name} now? The damaged file is kept "
            "in the backups folder.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        backup.restore_backup(problem.latest_backup, data_dir)
        return open_database(data_dir, whole_file=False)
    except DatabaseProblem as problem:
        QMessageBox.critical(None, APP_NAME, str(problem))
        return None


def run_app(data_dir: Path, demo: bool = False) -> int:
    started = time.monotonic()
    setup_logging(data_dir)
    app = application()
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()
    except LockedByAnotherCopy as error:
        QMessageBox.warning(None, APP_NAME, str(error))
        return 1
    database = _open_or_offer_restore(data_dir)
    if database is None:
        return 1
    credentials = credential_store(data_dir)
    market, sync_minutes = None, None
    if demo:
        # The demo's marketplace server (and its HTTP client) load only for the demo.
        from studio.demo.mode import DEMO_SYNC_MINUTES, DemoError, start_demo

        try:
            market = start_demo(database, data_dir, credentials)
        except DemoError as error:
            QMessageBox.critical(None, APP_NAME, f"Demo mode could not start: {error}")
            return 1
        # Buyers act every few seconds in the demo: sync often enough to watch it happen.
        sync_minutes = DEMO_SYNC_MINUTES
    services = build_services(
        data_dir, database, sync_minutes=sync_minutes, credentials=credentials
    )
    window = MainWindow(services)
    if market is not None:
        window.show_demo_note(market.addresses)
    if os.environ.get("STUDIO_EXIT_WHEN_READY"):
        # For the start-up benchmark: report once the inventory shows data, then quit.
        def report() -> None:
            print(f"ready {time.monotonic() - started:.3f}", flush=True)
            window.close()

        window.ready.connect(report)
    window.ready.connect(settle_heap)  # after the start-up figure above is taken
    window.ready.connect(lambda: check_file_when_shown(window, services))
    window.show()
    if market is None:
        window.help.offer_welcome()  # the demo explains itself
    try:
        return app.exec()
    finally:
        stop_jobs(services.scheduler, database)
        if market is not None:
            market.stop()
        database.close()
        lock.release()
