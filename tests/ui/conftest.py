from collections.abc import Iterator

import pytest

from studio.demo.data import add_demo_items
from studio.jobs.scheduler import stop_jobs
from studio.storage.credentials import PrivateFileStore
from studio.ui.app import build_services
from studio.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, database, data_dir) -> Iterator[MainWindow]:
    with database.transaction() as session:
        add_demo_items(session, 300, seed=7)
    # The file store, so no test ever writes to this machine's keyring.
    credentials = PrivateFileStore(data_dir)
    services = build_services(data_dir, database, background=False, credentials=credentials)
    main = MainWindow(services)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.ready, timeout=10_000):
        main.show()
    yield main
    services.runner.wait_all()
    stop_jobs(services.scheduler, database)


@pytest.fixture
def section(window):
    return window.inventory
