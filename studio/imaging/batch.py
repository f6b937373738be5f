"""Apply one recipe to many photos in worker processes, with progress and a quick cancel.

The runner is plain blocking code: the UI runs `BatchRunner.run` on a thread of its own and
turns the progress callback into signals; the command line just calls it. Memory stays
bounded because each worker holds one photo at a time and there are at most `workers`.
A photo that fails (or crashes its worker) is reported and skipped; the batch goes on.
"""

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studio.imaging.batch_worker import Task, TaskDone, TaskProgress, worker_main
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.recipe import Recipe, RemoveBackground

_POLL_S = 0.1  # how often the runner looks at cancel and at its workers
_STOP_GRACE_S = 0.5


@dataclass(frozen=True)
class BatchJob:
    source: Path
    output: Path | None = None  # a copy of the result goes here; None keeps it in the store
    file_hash: str | None = None  # known for photos already in the store


@dataclass(frozen=True)
class JobResult:
    index: int
    source: Path
    output: Path | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    failed: int
    current: str | None  # file name of a photo being worked on
    seconds_left: float | None  # None until the first photo has finished
    part: float = 0.0  # how far the current job is (0 to 1), for work that says (a video)


@dataclass
class BatchResult:
    total: int
    results: list[JobResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]

    @property
    def all_succeeded(self) -> bool:
        return not self.cancelled and len(self.results) == self.total and not self.failed


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    tasks: "multiprocessing.Queue[Task | None]"
    job: int | None = None


def default_workers(uses_model: bool) -> int:
    # The model already keeps every core busy; a second copy would only double the memory.
    return 1 if uses_model else max(1, min(2, os.cpu_count() or 1))


class WorkerBatch:
    """Jobs run by worker processes that each run `target(tasks, results, *arguments)`."""

    def __init__(
        self,
        target: Callable[..., None],
        arguments: tuple[object, ...],
        workers: int,
        cancel: threading.Event | None = None,
        name: str = "batch",
    ) -> None:
        """`cancel`, when given, is the caller's own stop signal (a task's Cancel); `name`
        names the worker processes."""
        self._target = target
        self._name = name
        self._arguments = arguments
        self.workers = workers
        self._cancel = cancel or threading.Event()
        self._context = multiprocessing.get_context("spawn")

    def cancel(self) -> None:
        """Stop soon (within about a tenth of a second); safe to call from any thread."""
        self._cancel.set()

    def run(
        self,
        jobs: Sequence[BatchJob],
        on_progress: Callable[[Progress], None] | None = None,
        on_result: Callable[[JobResult], None] | None = None,
    ) -> BatchResult:
        result = BatchResult(total=len(jobs))
        if not jobs:
            return result
        results: multiprocessing.Queue[TaskDone | TaskProgress] = self._context.Queue()
        pool = [self._start(number, results) for number in range(min(self.workers, len(jobs)))]
        pending = list(range(len(jobs)))
        started = time.monotonic()

        def report(current: str | None, part: float = 0.0) -> None:
            if on_progress is None:
                return
            done = len(result.results)
            left = None
            if done or part:
                left = (time.monotonic() - started) / (done + part) * (len(jobs) - done - part)
            on_progress(Progress(done, len(jobs), len(result.failed), current, left, part))

        def finish(worker: _Worker, error: str | None, seconds: float) -> None:
            assert worker.job is not None
            job = jobs[worker.job]
            output = job.output if error is None else None
            outcome = JobResult(worker.job, job.source, output, error, seconds)
            worker.job = None
            result.results.append(outcome)
            if on_result is not None:
                on_result(outcome)

        try:
            while len(result.results) < len(jobs):
                if self._cancel.is_set():
                    result.cancelled = True
                    break
                for worker in pool:
                    if worker.job is None and pending:
                        worker.job = pending.pop(0)
                        job = jobs[worker.job]
                        worker.tasks.put(Task(worker.job, job.source, job.output, job.file_hash))
                        report(job.source.name)
                try:
                    done = results.get(timeout=_POLL_S)
                except queue.Empty:
                    self._replace_dead(pool, results, finish)
                    continue
                if isinstance(done, TaskProgress):
                    report(jobs[done.index].source.name, done.part)
                    continue
                worker = next(w for w in pool if w.job == done.index)
                finish(worker, done.error, done.seconds)
                busy = [jobs[w.job].source.name for w in pool if w.job is not None]
                report(busy[0] if busy else None)
        finally:
            self._stop(pool)
        report(None)
        return result

    def _start(
        self, number: int, results: "multiprocessing.Queue[TaskDone | TaskProgress]"
    ) -> _Worker:
        tasks: multiprocessing.Queue[Task | None] = self._context.Queue()
        process = self._context.Process(
            target=self._target,
            args=(tasks, results, *self._arguments),
            name=f"{self._name}-{number}",
            daemon=True,
        )
        process.start()
        return _Worker(process, tasks)

    def _replace_dead(
        self,
        pool: list[_Worker],
        results: "multiprocessing.Queue[TaskDone | TaskProgress]",
        finish: Callable[[_Worker, str | None, float], None],
    ) -> None:
        """A worker killed by the system (out of memory, a crash in a decoder) costs one photo."""
        for position, worker in enumerate(pool):
            if worker.process.is_alive():
                continue
            code = worker.process.exitcode
            if worker.job is not None:
                finish(worker, f"the file crashed its worker (exit code {code}); skipped", 0.0)
            pool[position] = self._start(position, results)

    @staticmethod
    def _stop(pool: list[_Worker]) -> None:
        for worker in pool:
            if worker.job is None and worker.process.is_alive():
                worker.tasks.put(None)
            else:
                # Mid-photo: results are written atomically, so stopping loses nothing.
                worker.process.terminate()
        deadline = time.monotonic() + _STOP_GRACE_S
        for worker in pool:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.tasks.close()
            worker.tasks.cancel_join_thread()


class BatchRunner(WorkerBatch):
    """One photo recipe applied to many photos."""

    def __init__(
        self,
        recipe: Recipe,
        store_root: Path | None,
        model: InstalledModel | None,
        workers: int | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.recipe = recipe
        self.store_root = store_root
        self.model = model
        uses_model = model is not None and recipe.find(RemoveBackground) is not None
        arguments = (recipe.to_json(), store_root, model)
        workers = workers or default_workers(uses_model)
        super().__init__(worker_main, arguments, workers, cancel, "photo-batch")
