"""Bootstrap: builds the services once and hands them to the window."""

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.demo.mode import DEMO_SYNC_MINUTES, DemoError, start_demo
from studio.imaging.store import PhotoStore
from studio.logs import setup_logging
from studio.storage import backup
from studio.storage.database import Database, DatabaseCorrupt, DatabaseProblem, open_database
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import photos_dir
from studio.ui.hub import ChangeHub
from studio.ui.main_window import MainWindow
from studio.ui.services import Services
from studio.ui.tasks import TaskRunner
from studio.ui.thumbnails import ThumbnailCache
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


def build_services(data_dir: Path, database: Database) -> Services:
    runner = TaskRunner()
    # View settings live beside the data, so each inventory keeps its own layout.
    settings = QSettings(str(data_dir / "window.ini"), QSettings.Format.IniFormat)
    return Services(
        data_dir=data_dir,
        database=database,
        runner=runner,
        hub=ChangeHub(),
        undo_stack=QUndoStack(),
        settings=settings,
        thumbnails=ThumbnailCache(runner, PhotoStore(photos_dir(data_dir)).thumbnail, None),
    )


def _open_or_offer_restore(data_dir: Path) -> Database | None:
    try:
        return open_database(data_dir)
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
        return open_database(data_dir)
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
    market = None
    if demo:
        try:
            market = start_demo(database, data_dir)
        except DemoError as error:
            QMessageBox.critical(None, APP_NAME, f"Demo mode could not start: {error}")
            return 1
    services = build_services(data_dir, database)
    if market is not None:
        # Buyers act every few seconds in the demo: sync often enough to watch it happen.
        services.settings.setValue("sync/minutes", DEMO_SYNC_MINUTES)
    window = MainWindow(services)
    if market is not None:
        window.show_demo_note(market.base_url)
    if os.environ.get("STUDIO_EXIT_WHEN_READY"):
        # For the start-up benchmark: report once the inventory shows data, then quit.
        def report() -> None:
            print(f"ready {time.monotonic() - started:.3f}", flush=True)
            window.close()

        window.ready.connect(report)
    window.show()
    if market is None:
        window.help.offer_welcome()  # the demo explains itself
    try:
        return app.exec()
    finally:
        if market is not None:
            market.stop()
        database.close()
        lock.release()
