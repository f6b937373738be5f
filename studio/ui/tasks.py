"""The one bridge between the window and the database or any other slow work.

Screens never open a database session: they `query` (a read in a session) or `write` (a
transaction), and get the result, or the error, back on the UI thread through Qt signals.
What a write changed is announced by the database itself when it commits (see
studio/storage/changes.py), so every screen hears of it, whoever wrote. Writes go through a
pool of one thread, in the order they were asked for, so they never wait on each other for
the database lock (undo after an edit runs after the edit); reads share a small pool. `run`
takes other work (files, HTTP, long imports with progress).

The inline mode runs everything at once on the calling thread, for tests of screen logic.
"""

import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal, Slot
from sqlmodel import Session

from studio.storage.database import Database

PROGRESS_INTERVAL_S = 0.1
T = TypeVar("T")
log = logging.getLogger(__name__)
_work = threading.local()  # `inside` is set while the runner carries out work
UI_FOLDER = os.path.join("studio", "ui", "")
BRIDGE_FILE = os.path.join("studio", "ui", "tasks.py")
# Tests set it: a session opened by screen code on the UI thread then fails the test.
STRICT_ENV = "STUDIO_STRICT_UI_THREAD"


class DatabaseOnUiThread(RuntimeError):
    """Screen code opened a database session on the UI thread, outside the task bridge."""


def _screen_frame() -> FrameType | None:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if UI_FOLDER in name and not name.endswith(BRIDGE_FILE):
            return frame
        frame = frame.f_back
    return None


def refuse_ui_thread_sessions(strict: bool) -> Callable[[], None]:
    """A Database guard: a session opened by screen code on the UI thread could freeze the
    window for the busy timeout while sync writes. Strict (tests) raises; otherwise the
    place is logged. Start-up code and the tests' own set-up are not screen code."""

    def guard() -> None:
        app = QCoreApplication.instance()
        if getattr(_work, "inside", False) or app is None:
            return
        if QThread.currentThread() != app.thread():
            return
        frame = _screen_frame()
        if frame is None:
            return
        place = f"{frame.f_code.co_filename}:{frame.f_lineno}"
        if strict:
            raise DatabaseOnUiThread(f"a database session was opened on the UI thread at {place}")
        log.warning("database session on the UI thread at %s", place)

    return guard


class TaskCancelled(Exception):
    """Raised inside work that noticed it was cancelled."""


class TaskContext:
    """Handed to the work function: report progress, notice cancellation."""

    def __init__(self, task: "Task") -> None:
        self._task = task
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        return self._task.cancel_requested.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """For work that blocks on something else (a browser, a socket) and must wake on Cancel."""
        return self._task.cancel_requested

    def check(self) -> None:
        if self.cancelled:
            raise TaskCancelled()

    def progress(self, done: int, total: int, text: str = "") -> bool:
        """Reports progress (at most ten times a second); False once cancel was asked."""
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL_S or done >= total:
            self._last_report = now
            self._task.progressed.emit(done, total, text)
        return not self.cancelled


class Task(QObject):
    """One piece of background work, living on the UI thread so its slots run there."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()
    _result_ready = Signal(object)
    _error_raised = Signal(object, str)

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.started_at = time.monotonic()
        self.cancel_requested = threading.Event()
        self.running = True
        self._result_ready.connect(self._deliver_result)
        self._error_raised.connect(self._deliver_error)

    def cancel(self) -> None:
        self.cancel_requested.set()

    def _closed(self) -> bool:
        """The window that asked is gone: its callbacks would reach deleted widgets."""
        return bool(getattr(self.parent(), "closed", False))

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        self.running = False
        if not self._closed():
            if self.cancel_requested.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object, str)
    def _deliver_error(self, error: BaseException, details: str) -> None:
        self.running = False
        if not self._closed():
            if isinstance(error, TaskCancelled):
                self.cancelled.emit()
            else:
                error.details = details  # type: ignore[attr-defined]
                self.failed.emit(error)
        self.ended.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.task = task
        self.work = work

    def run(self) -> None:
        outer, _work.inside = getattr(_work, "inside", False), True
        try:
            result = self.work(TaskContext(self.task))
        except BaseException as error:
            self.task._error_raised.emit(error, traceback.format_exc())
        else:
            self.task._result_ready.emit(result)
        finally:
            _work.inside = outer


class _Latest:
    """The newest read under one key of `TaskRunner.query_latest`, and its SQLite connection
    while its statement runs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.task: Task | None = None
        self.connection: Any = None

    def supersede(self) -> None:
        with self.lock:
            if self.task is not None:
                self.task.cancel()
            if self.connection is not None:
                self.connection.interrupt()  # thread-safe in sqlite3
                self.connection = None

    @contextmanager
    def running(self, context: "TaskContext", session: Session) -> Iterator[None]:
        connection = session.connection().connection.dbapi_connection
        with self.lock:
            context.check()  # superseded before it started: no statement runs
            self.connection = connection
        try:
            yield
        except Exception as error:
            if context.cancelled:  # the interrupt a newer read asked for
                raise TaskCancelled() from error
            raise
        finally:
            with self.lock:
                if self.connection is connection:
                    self.connection = None


class TaskRunner(QObject):
    """Starts background work; screens get it passed in rather than making their own pools."""

    task_started = Signal(object)

    def __init__(
        self,
        database: Database,
        parent: QObject | None = None,
        read_threads: int = 2,
        inline: bool = False,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.inline = inline
        self.reads = QThreadPool(self)
        self.reads.setMaxThreadCount(read_threads)
        self.writes = QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self.active: set[Task] = set()
        self._latest: dict[str, _Latest] = {}
        self.closed = False
        self.error_handler: Callable[[str, BaseException], None] | None = None

    def query(
        self,
        label: str,
        read: Callable[[Session], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Runs `read` in a session off the UI thread; `on_done` gets what it returned."""
        database = self.database

        def work(_context: TaskContext) -> T:
            with database.session() as session:
                return read(session)

        return self.run(label, work, on_done, on_error)

    def query_latest(
        self,
        key: str,
        label: str,
        read: Callable[[Session], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """A read where only the newest answer matters (a search as the seller types): asking
        again under the same key cancels the read before, interrupting its SQLite statement
        when it is already running, so it never holds a reader the newer one needs."""
        latest = self._latest.setdefault(key, _Latest())
        latest.supersede()
        database = self.database

        def work(context: TaskContext) -> T:
            with database.session() as session:
                with latest.running(context, session):
                    return read(session)

        task = self.run(label, work, on_done, on_error)
        latest.task = task
        return task

    def write(
        self,
        label: str,
        change: Callable[[Session], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Runs `change` in one transaction on the writer thread: all of it commits, or none."""
        database = self.database

        def work(_context: TaskContext) -> T:
            with database.transaction() as session:
                return change(session)

        return self.run(label, work, on_done, on_error, writes=True)

    def long_query(
        self,
        label: str,
        read: Callable[[Session, TaskContext], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """A read that takes a while: `read` also gets the context, to report progress and
        notice Cancel, and the window shows it with a progress bar."""
        database = self.database

        def work(context: TaskContext) -> T:
            with database.session() as session:
                return read(session, context)

        return self.run(label, work, on_done, on_error, show_progress=True)

    def long_write(
        self,
        label: str,
        change: Callable[[Session, TaskContext], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """A write that takes a while (an import): one transaction, with progress and Cancel;
        cancelled, nothing of it is kept."""
        database = self.database

        def work(context: TaskContext) -> T:
            with database.transaction() as session:
                return change(session, context)

        return self.run(label, work, on_done, on_error, writes=True, show_progress=True)

    def run(
        self,
        label: str,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        writes: bool = False,
        show_progress: bool = False,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> Task:
        """Every callback is connected before the work starts: a signal the work sends before
        its connection exists reaches nobody, so a fast task would lose its progress, its
        cancellation or its end."""
        task = Task(label, self)
        if on_done:
            task.succeeded.connect(on_done)
        task.failed.connect(on_error or (lambda error: self._report(label, error)))
        if on_progress:
            task.progressed.connect(on_progress)
        if on_cancel:
            task.cancelled.connect(on_cancel)
        if on_end:
            task.ended.connect(on_end)
        self.active.add(task)
        task.ended.connect(lambda: self._forget(task))
        if show_progress:
            self.task_started.emit(task)
        runnable = _Runnable(task, work)
        if self.inline:
            runnable.run()
        else:
            (self.writes if writes else self.reads).start(runnable)
        return task

    def _forget(self, task: Task) -> None:
        self.active.discard(task)
        # An inline task ends inside the call that made it; a deferred delete posted then
        # could outlive a runner made for one call (tests do that) and crash the event loop.
        if not self.inline:
            task.deleteLater()

    def _report(self, label: str, error: BaseException) -> None:
        if self.error_handler:
            self.error_handler(label, error)

    def wait_all(self, timeout_ms: int = 30_000) -> bool:
        """Blocks until queued work is done (on quit, and in tests)."""
        return self.reads.waitForDone(timeout_ms) and self.writes.waitForDone(timeout_ms)

    def close(self) -> None:
        """On quit: lets running work finish, and drops the answers still on their way to
        screens that are closing."""
        self.closed = True
        self.wait_all()
