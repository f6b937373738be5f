"""Low-resolution previews rendered off the UI thread, newest request wins.

One render runs at a time (the renderer keeps per-photo caches and is not thread-safe). While
it runs, newer requests replace each other; when it ends, only the newest is started, and a
result that is no longer the newest request is dropped instead of shown.
"""

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from studio.imaging.recipe import Recipe
from studio.imaging.render import Renderer
from studio.ui.tasks import TaskContext, TaskRunner

PREVIEW_LONG_SIDE = 640


@dataclass(frozen=True)
class PreviewRequest:
    photo_id: int
    file_hash: str
    before: Recipe
    after: Recipe


@dataclass(frozen=True)
class PreviewImages:
    request: PreviewRequest
    before: QImage
    after: QImage


class LivePreview(QObject):
    rendered = Signal(object)  # PreviewImages
    failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        renderer: Renderer,
        long_side: int = PREVIEW_LONG_SIDE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._renderer = renderer
        self.long_side = long_side
        self._wanted: PreviewRequest | None = None
        self._running: PreviewRequest | None = None
        self.dropped = 0  # results thrown away because a newer request came first

    @property
    def busy(self) -> bool:
        return self._running is not None

    def request(self, request: PreviewRequest) -> None:
        self._wanted = request
        if self._running is None:
            self._start()

    def _start(self) -> None:
        request, self._wanted = self._wanted, None
        if request is None:
            return
        self._running = request
        renderer, side = self._renderer, self.long_side

        def work(_context: TaskContext) -> PreviewImages:
            before = renderer.preview(request.file_hash, request.before, side)
            after = renderer.preview(request.file_hash, request.after, side)
            return PreviewImages(request, QImage(str(before)), QImage(str(after)))

        self._runner.run("Rendering a preview", work, self._finished, self._failed)

    def _finished(self, images: PreviewImages) -> None:
        self._running = None
        if self._wanted is None:
            self.rendered.emit(images)
        else:
            self.dropped += 1
            self._start()

    def _failed(self, error: BaseException) -> None:
        self._running = None
        if self._wanted is None:
            self.failed.emit(str(error))
        else:
            self._start()
