"""Styling many photos: queue the batch in the database, run it, follow it, resume it.

The batch runs as one TaskRunner task that drives the imaging core's worker processes, so
the window only ever handles progress signals. A quit stops the workers but leaves the batch
"running" in the database, to be offered again on the next start; only the seller's Cancel
closes it for good.
"""

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.imaging.batch import BatchResult, BatchRunner, Progress
from studio.imaging.batch_queue import cancel_batch, run_batch
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.recipe import Recipe
from studio.imaging.store import PhotoStore
from studio.photos import library as photo_library
from studio.photos.library import Styling, Unfinished
from studio.ui.services import Services
from studio.ui.tasks import Task, TaskContext


class PhotoBatches(QObject):
    message = Signal(str)
    problem = Signal(str)
    unfinished = Signal(object)  # Unfinished
    finished = Signal(int)  # batch id, once it ended for any reason

    def __init__(
        self,
        services: Services,
        store: PhotoStore,
        model: Callable[[], InstalledModel | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.store = store
        self._model = model
        self._quitting = threading.Event()
        self.task: Task | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def style(
        self,
        photo_ids: Sequence[int],
        recipe: Recipe,
        label: str,
        on_queued: Callable[[Styling], None],
    ) -> None:
        """Give the photos `recipe` and render them all, recorded first so it can resume."""
        store, photo_ids = self.store, list(photo_ids)

        def queued(styling: Styling) -> None:
            on_queued(styling)
            self.run(styling.batch_id, label)

        self.services.runner.write(
            "Queueing photos",
            lambda session: photo_library.style_photos(session, store, photo_ids, recipe, label),
            queued,
            self._failed("Queueing the photos"),
        )

    def run(self, batch_id: int, label: str) -> None:
        """Reads the names of the batch's photos (for the progress text), then runs it."""
        self.services.runner.query(
            "Reading the batch",
            lambda session: photo_library.batch_photo_names(session, batch_id),
            lambda names: self._run(batch_id, label, names),
            self._failed("Reading the batch"),
        )

    def _run(self, batch_id: int, label: str, names: dict[str, str]) -> None:
        db, store_root, model = self.services.database, self.store.root, self._model()
        quitting = self._quitting
        seen = {"done": 0, "total": 0}

        def work(context: TaskContext) -> BatchResult:
            def make_runner(recipe: Recipe) -> BatchRunner:
                # The task's own Cancel stops the workers; a quit cancels the task too.
                return BatchRunner(recipe, store_root, model, cancel=context.cancel_event)

            def progress(report: Progress) -> None:
                current = names.get(report.current or "", report.current or "")
                context.progress(report.done, report.total, current)

            # Entries are recorded from this thread, not the single writer: a batch lasts
            # minutes and other saves must not queue behind it; each record is one row.
            result = run_batch(db, batch_id, make_runner, progress)
            if result.cancelled and not quitting.is_set():
                cancel_batch(db, batch_id)
            return result

        def remember(done: int, total: int, _text: str) -> None:
            seen.update(done=done, total=total)

        title = f"Styling with “{label}”" if label else "Styling photos"
        task = self.services.runner.run(
            title,
            work,
            on_done=lambda result: self._done(label, result),
            on_error=self._failed(title),
            show_progress=True,
            on_progress=remember,
            on_cancel=lambda: self.message.emit(_stopped_text(**seen)),
            on_end=lambda: self._ended(batch_id),
        )
        if task.running:  # an inline runner has finished it already
            self.task = task

    def look_for_unfinished(self) -> None:
        db = self.services.database

        def work(_context: TaskContext) -> list[Unfinished]:
            return photo_library.unfinished_styling(db)

        def found(batches: list[Unfinished]) -> None:
            for batch in batches:
                self.unfinished.emit(batch)

        self.services.runner.run("Looking for unfinished batches", work, found)

    def discard(self, batch_id: int) -> None:
        db = self.services.database
        self.services.runner.run(
            "Discarding a batch",
            lambda _context: cancel_batch(db, batch_id),
            on_done=lambda _none: self.message.emit("Discarded the unfinished batch."),
            writes=True,
        )

    def stop_for_quit(self) -> None:
        """Stop the workers without closing the batch, so the next start offers to resume."""
        self._quitting.set()
        if self.task is not None:
            self.task.cancel()

    def _done(self, label: str, result: BatchResult) -> None:
        if result.cancelled:
            return  # stopped by a quit: the next start offers to resume it
        succeeded = len(result.results) - len(result.failed)
        text = f"Styled {succeeded} photo(s)" + (f" with “{label}”." if label else ".")
        if result.failed:
            first = result.failed[0]
            self.problem.emit(
                f"{text} {len(result.failed)} could not be styled and were skipped; "
                f"the first: {Path(first.source).name}: {first.error}"
            )
        else:
            self.message.emit(text)

    def _ended(self, batch_id: int) -> None:
        self.task = None
        self.finished.emit(batch_id)

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        return lambda error: self.problem.emit(f"{what} failed: {error}")


def _stopped_text(done: int, total: int) -> str:
    if not total:
        return "Stopped the batch before any photo was finished."
    return (
        f"Stopped after {done} of {total} photo(s). The finished ones are kept; the others keep "
        "their new styling and are rendered when you open them."
    )
