"""A search typed on top of one still running cancels it: its SQLite statement is
interrupted, so the newer search does not wait behind it."""

import threading
import time

from sqlmodel import Session

from studio.ui.tasks import TaskRunner

# Counts to 300 million: minutes of work unless interrupted.
SLOW = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 300000000) "
    "SELECT count(*) FROM n"
)


def test_a_newer_read_interrupts_the_older_one_under_the_same_key(qtbot, database) -> None:
    runner = TaskRunner(database)
    inside = threading.Event()
    outcomes: list[tuple[str, object]] = []

    def slow(session: Session) -> int:
        inside.set()
        return int(session.connection().exec_driver_sql(SLOW).scalar_one())

    first = runner.query_latest(
        "search",
        "Searching",
        slow,
        on_done=lambda found: outcomes.append(("first", found)),
        on_error=lambda error: outcomes.append(("first failed", error)),
    )
    first.cancelled.connect(lambda: outcomes.append(("first", "cancelled")))
    assert inside.wait(5)
    time.sleep(0.2)  # well inside its statement
    asked = time.monotonic()
    runner.query_latest(
        "search", "Searching", lambda _session: 42, lambda found: outcomes.append(("second", found))
    )
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=10_000)
    assert sorted(outcomes, key=str) == [("first", "cancelled"), ("second", 42)]
    assert time.monotonic() - asked < 5  # not the minutes the first statement would take
    runner.wait_all()
    qtbot.wait(50)  # the tasks' deferred deletes run while their runner lives
