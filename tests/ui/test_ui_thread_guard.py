"""Screen code never opens a database session on the UI thread: the task bridge does.

tests/conftest.py turns the guard strict, so any screen that still did would fail its tests;
these show what the guard refuses and what it lets through.
"""

import logging
import os
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import func, select

from studio.inventory.tables import Item
from studio.jobs.scheduler import stop_jobs
from studio.storage.database import Database
from studio.ui.app import build_services
from studio.ui.services import Services
from studio.ui.tasks import STRICT_ENV, DatabaseOnUiThread, TaskRunner, refuse_ui_thread_sessions

PROBE = """
def count_items(database):
    with database.session() as session:
        return session.exec(select(func.count()).select_from(Item)).one()
"""


def screen_function() -> Callable[[Database], int]:
    """A function that reads as if it were written in studio/ui/, by its file name."""
    filename = os.path.join(os.getcwd(), "studio", "ui", "probe.py")
    namespace = {"select": select, "func": func, "Item": Item}
    exec(compile(PROBE, filename, "exec"), namespace)
    return namespace["count_items"]


@pytest.fixture
def services(qtbot, database, data_dir) -> Iterator[Services]:
    built = build_services(data_dir, database, background=False)
    yield built
    built.runner.wait_all()
    stop_jobs(built.scheduler, database)


def test_the_tests_run_with_the_strict_guard() -> None:
    assert os.environ.get(STRICT_ENV)


def test_a_session_opened_by_screen_code_on_the_ui_thread_is_refused(services, add_item) -> None:
    add_item(title="Coach tote")
    count_items = screen_function()
    with pytest.raises(DatabaseOnUiThread, match=r"probe\.py:3"):
        count_items(services.database)


def test_the_same_read_through_runner_query_works(services, qtbot, add_item) -> None:
    add_item(title="Coach tote")
    count_items = screen_function()
    answers: list[int] = []
    threads: list[threading.Thread] = []

    def read(session) -> int:
        threads.append(threading.current_thread())
        return count_items(services.database)

    task = services.runner.query("Counting", read, on_done=answers.append)
    with qtbot.waitSignal(task.ended, timeout=5000):
        pass
    assert answers == [1]
    assert threads[0] is not threading.main_thread()


def test_an_inline_runner_reads_on_the_ui_thread_through_the_bridge(
    qtbot, database, add_item
) -> None:
    add_item(title="Coach tote")
    database.guard = refuse_ui_thread_sessions(strict=True)
    count_items = screen_function()
    answers: list[int] = []
    TaskRunner(database, inline=True).query(
        "Counting", lambda _session: count_items(database), on_done=answers.append
    )
    assert answers == [1]  # at once, on this thread, and not refused


def test_test_code_is_not_screen_code(services, add_item) -> None:
    add_item(title="Coach tote")
    with services.database.session() as session:  # this file is in tests/, not studio/ui/
        assert session.exec(select(func.count()).select_from(Item)).one() == 1


def test_without_strict_the_place_is_logged_and_the_read_goes_ahead(
    qtbot, database, add_item, caplog
) -> None:
    add_item(title="Coach tote")
    database.guard = refuse_ui_thread_sessions(strict=False)
    with caplog.at_level(logging.WARNING, logger="studio.ui.tasks"):
        assert screen_function()(database) == 1
    assert "probe.py:3" in caplog.text
