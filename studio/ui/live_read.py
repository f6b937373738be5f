"""What a screen shows, read through the task bridge and read again whenever a committed write
touches it, whoever wrote it (the screen itself, sync, a scheduled job at 3 a.m.)."""

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from sqlmodel import Session

from studio.storage.changes import Changes
from studio.ui.services import Services

T = TypeVar("T")


class LiveRead(QObject, Generic[T]):
    """One screen's read of what it shows, kept current.

    `reader()` runs on the UI thread and captures the screen's choices of the moment (a
    status, a date range) in the function it returns, which reads in a session off the UI
    thread; `show` gets the result back on the UI thread. `affects` looks at each committed
    write's Changes and says whether what is shown is touched.

    A refresh asked while a read is under way runs when that read is back, and the result
    that was already out of date is dropped: a burst of sync commits costs two reads, not a
    queue of them, and an older read never paints over a newer one. A screen that is not on
    show reads when it is next shown: at start the sections behind the first do not compete
    with it for the processor, and a hidden screen does not follow every sync commit.
    """

    def __init__(
        self,
        services: Services,
        label: str,
        reader: Callable[[], Callable[[Session], T]],
        show: Callable[[T], None],
        affects: Callable[[Changes], bool],
        on_error: Callable[[BaseException], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._runner = services.runner
        self._label = label
        self._reader = reader
        self._show = show
        self._affects = affects
        self._on_error = on_error
        self._reading = False
        self._again = False
        self._stale = False
        self._widget = parent if isinstance(parent, QWidget) else None
        if self._widget is not None:
            self._widget.installEventFilter(self)
        services.hub.changed.connect(self._changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self._stale:
            self.refresh()
        return False

    def refresh(self) -> None:
        if self._widget is not None and not self._widget.isVisible():
            self._stale = True
            return
        self._stale = False
        if self._reading:
            self._again = True
            return
        self._reading, self._again = True, False
        self._runner.query(self._label, self._reader(), on_done=self._done, on_error=self._failed)

    def _changed(self, changes: Changes) -> None:
        if self._affects(changes):
            self.refresh()

    def _done(self, result: T) -> None:
        self._reading = False
        if self._again:
            self.refresh()
        else:
            self._show(result)

    def _failed(self, error: BaseException) -> None:
        self._reading = False
        if self._again:
            self.refresh()
        else:
            self._on_error(error)
