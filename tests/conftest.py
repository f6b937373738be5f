import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt for every test, whoever runs pytest.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Screen code that opens a database session on the UI thread fails the test (studio/ui/tasks.py).
os.environ.setdefault("STUDIO_STRICT_UI_THREAD", "1")

from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.storage.database import Database, open_database


@pytest.fixture(autouse=True)
def collect_garbage_on_the_main_thread() -> Iterator[None]:
    """A test's windows, runners and hubs are collected here, on the UI thread. Left to the
    garbage collector they could be freed on whichever thread it runs next (a worker's), and
    a Qt object destroyed off its own thread crashes the interpreter."""
    yield
    gc.collect()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    return directory


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    db = open_database(data_dir)
    yield db
    db.close()


@pytest.fixture
def add_item(database: Database):
    """Adds an item from text values, as a person would type them."""

    def add(**raw: str) -> Item:
        raw.setdefault("title", "Plain white tee")
        with database.transaction() as session:
            return inventory.create_item(session, inventory.parse_values(raw))

    return add


@pytest.fixture
def main_window(qtbot, database: Database, data_dir: Path):
    """The window as a seller opens it, once the test has set its data up: returns it when
    its first section shows data. The file credential store keeps this machine's keyring out."""
    from studio.jobs.scheduler import stop_jobs
    from studio.storage.credentials import PrivateFileStore
    from studio.ui.app import build_services
    from studio.ui.main_window import MainWindow

    built = []

    def open_it():
        credentials = PrivateFileStore(data_dir)
        services = build_services(data_dir, database, background=False, credentials=credentials)
        window = MainWindow(services)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.ready, timeout=10_000):
            window.show()
        built.append(window)
        return window

    yield open_it
    for window in built:
        window.services.runner.wait_all()
        stop_jobs(window.services.scheduler, database)
