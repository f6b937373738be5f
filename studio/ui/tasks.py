"""The one bridge between the window and background work.

Work runs on a thread pool and reports back on the UI thread through Qt signals: progress,
the result, or the error. Writes to SQLite go through a pool of one thread, so they never
wait on each other for the database lock; reads share a small pool.
"""

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

PROGRESS_INTERVAL_S = 0.1


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

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        self.running = False
        if self.cancel_requested.is_set():
            self.cancelled.emit()
        else:
            self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object, str)
    def _deliver_error(self, error: BaseException, details: str) -> None:
        self.running = False
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
        try:
            result = self.work(TaskContext(self.task))
        except BaseException as error:
            self.task._error_raised.emit(error, traceback.format_exc())
        else:
            self.task._result_ready.emit(result)


class TaskRunner(QObject):
    """Starts background work; screens get it passed in rather than making their own pools."""

    task_started = Signal(object)

    def __init__(self, parent: QObject | None = None, read_threads: int = 2) -> None:
        super().__init__(parent)
        self.reads = QThreadPool(self)
        self.reads.setMaxThreadCount(read_threads)
        self.writes = QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self.active: set[Task] = set()
        self.error_handler: Callable[[str, BaseException], None] | None = None

    def run(
        self,
        label: str,
        work: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        writes: bool = False,
        show_progress: bool = False,
    ) -> Task:
        task = Task(label, self)
        if on_done:
            task.succeeded.connect(on_done)
        task.failed.connect(on_error or (lambda error: self._report(label, error)))
        self.active.add(task)
        task.ended.connect(lambda: self._forget(task))
        if show_progress:
            self.task_started.emit(task)
        (self.writes if writes else self.reads).start(_Runnable(task, work))
        return task

    def _forget(self, task: Task) -> None:
        self.active.discard(task)
        task.deleteLater()

    def _report(self, label: str, error: BaseException) -> None:
        if self.error_handler:
            self.error_handler(label, error)

    def wait_all(self, timeout_ms: int = 30_000) -> bool:
        """Blocks until queued work is done (on quit, and in tests)."""
        return self.reads.waitForDone(timeout_ms) and self.writes.waitForDone(timeout_ms)
