"""The loop a video encode worker process runs: the photo batches' machinery, for clips.

Encoding runs in a worker process like photo styling: the window stays responsive, a Cancel
stops it at once (the process is ended; the encode writes under a temporary name), and a
clip that crashes a decoder costs that clip only.
"""

import multiprocessing
import os
import signal
import threading
import time

from studio.imaging.batch import WorkerBatch
from studio.imaging.batch_worker import Task, TaskDone, TaskProgress, failure_of
from studio.video.encode import encode
from studio.video.errors import VideoError
from studio.video.limits import VideoLimits
from studio.video.probe import probe
from studio.video.recipe import VideoRecipe


def encode_worker_main(
    tasks: "multiprocessing.Queue[Task | None]",
    results: "multiprocessing.Queue[TaskDone | TaskProgress]",
    recipe_json: str,
    limits: VideoLimits,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what stops
    os.nice(10)  # the seller's window comes first
    recipe = VideoRecipe.from_json(recipe_json)
    while (task := tasks.get()) is not None:
        started = time.monotonic()

        def work(task: Task = task) -> None:
            output = task.output
            assert output is not None
            info = probe(task.source, limits)
            encode(
                task.source,
                info,
                recipe,
                limits,
                output,
                output.with_suffix(".jpg"),
                lambda part: results.put(TaskProgress(task.index, part)),
            )

        error = failure_of(work, (VideoError,))
        results.put(TaskDone(task.index, error, time.monotonic() - started))


class EncodeRunner(WorkerBatch):
    """Encodes clips with one recipe, one worker: x264 already uses every core."""

    def __init__(
        self, recipe: VideoRecipe, limits: VideoLimits, cancel: threading.Event | None = None
    ) -> None:
        super().__init__(encode_worker_main, (recipe.to_json(), limits), 1, cancel, "video-encode")
