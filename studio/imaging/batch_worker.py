"""The loop each batch worker process runs: render, write, report, next."""

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.imaging.errors import PhotoError
from studio.imaging.model_catalog import InstalledModel
from studio.imaging.recipe import Recipe, RecipeError
from studio.imaging.remover import MaskProvider
from studio.imaging.store import PhotoStore, file_sha256, write_atomically

if TYPE_CHECKING:
    from studio.imaging.render import Renderer


@dataclass(frozen=True)
class Task:
    index: int
    source: Path
    output: Path | None
    file_hash: str | None


@dataclass(frozen=True)
class TaskDone:
    index: int
    error: str | None
    seconds: float


@dataclass(frozen=True)
class TaskProgress:
    """Sent during a long job (a video encode): how far it is, 0 to 1."""

    index: int
    part: float


def failure_of(work: Callable[[], None], expected: tuple[type[Exception], ...]) -> str | None:
    """Run one job of a batch; what went wrong, in words, or None."""
    try:
        work()
    except expected as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot read or write the file: {exc.strerror or exc}"
    except Exception as exc:  # a bug on one file must not end the other files' batch
        return f"unexpected {type(exc).__name__}: {exc}"
    return None


def worker_main(
    tasks: "multiprocessing.Queue[Task | None]",
    results: "multiprocessing.Queue[TaskDone | TaskProgress]",
    recipe_json: str,
    store_root: Path | None,
    model: InstalledModel | None,
) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what stops, not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Batch work yields the CPU to the window the seller is using.
    os.nice(10)
    # The pipeline (NumPy and its kin) loads in the worker, not in every process that
    # imports the batch runner (the window, at start).
    from studio.imaging.render import Renderer

    recipe = Recipe.from_json(recipe_json)
    store = PhotoStore(store_root) if store_root else None
    # One renderer, so the model session is loaded once per worker, not once per photo.
    renderer = Renderer(store, MaskProvider(store, model))
    while (task := tasks.get()) is not None:
        started = time.monotonic()
        error = _process(renderer, recipe, task)
        results.put(TaskDone(task.index, error, time.monotonic() - started))


def _process(renderer: "Renderer", recipe: Recipe, task: Task) -> str | None:
    def work() -> None:
        file_hash = task.file_hash
        if file_hash is None and renderer.store is not None:
            file_hash = file_sha256(task.source)  # lets the mask cache work for loose files
        data = renderer.export_file(task.source, recipe, file_hash)
        if task.output is not None:
            write_atomically(task.output, data)

    return failure_of(work, (PhotoError, RecipeError))
