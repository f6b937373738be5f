import pytest

from studio.demo.data import add_demo_items
from studio.ui.main_window import MainWindow


@pytest.fixture
def window(database, main_window) -> MainWindow:
    with database.transaction() as session:
        add_demo_items(session, 300, seed=7)
    return main_window()


@pytest.fixture
def section(window):
    return window.inventory
