"""Tells the window how sync stands, and brings the next cycle forward when it should.

Cycles run as the stored job of the scheduler the bootstrap owns (so the timer survives
restarts), brought forward by "Sync now", by work queued for a marketplace, and by the
network coming back. Scheduler events arrive on its own thread and are passed to the UI
thread through a queued signal; what a cycle wrote reaches the screens by itself, as every
committed write does.

It also reads how every connected marketplace stands (studio/ui/marketplace/standing.py),
for the status bar and the Marketplace section: again whenever a write touches it, and
every few minutes, since a sign-in comes closer to lapsing with nothing written at all.
"""

from collections.abc import Callable
from datetime import datetime

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
)
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation
from sqlmodel import Session

from studio.inventory.tables import utc_now
from studio.jobs.scheduler import SYNC_JOB, sync_soon
from studio.storage.changes import Changes
from studio.ui.live_read import LiveRead
from studio.ui.marketplace.standing import Standing, read_standing
from studio.ui.services import Services

EDIT_SETTLE_S = 3.0  # a burst of edits goes out as one sync
# What the standing reads: the outbox, listings, conflicts, the accounts' states and
# errors, and the double sales with their orders.
STATUS_TABLES = (
    "outbox",
    "listing_link",
    "conflict",
    "marketplace_account",
    "double_sale",
    "orders",
)
CLOCK_MS = 5 * 60 * 1000
STATUS_LABEL = "Reading sync status"


class SyncController(QObject):
    summary_changed = Signal(object)  # SyncSummary, of every account together
    standing_changed = Signal(object)  # Standing
    syncing_changed = Signal(bool)
    cycle_finished = Signal(object)  # CycleReport, or None when not connected
    cycle_failed = Signal(str)
    _job_event = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.scheduler = services.scheduler
        self.syncing = False
        self.standing = Standing()
        self.current = self.standing.summary
        self.now: Callable[[], datetime] = utc_now  # what sign-in warnings count from
        self.scheduler.add_listener(
            self._from_scheduler_thread, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        self._job_event.connect(self._on_job_event)
        sync_soon(self.scheduler)  # catch up with what happened while the app was closed
        services.hub.changed.connect(self._on_changes)
        self._watch_network()
        # A burst of sync commits costs two reads, not one each (see LiveRead).
        self.reads = LiveRead(
            services,
            STATUS_LABEL,
            self._reader,
            self._set_standing,
            lambda changes: changes.touches(*STATUS_TABLES),
            self._read_failed,
            self,
        )
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_MS)
        self.clock.timeout.connect(self.refresh)
        self.clock.start()
        self.refresh()

    def _watch_network(self) -> None:
        if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance():
            QNetworkInformation.instance().reachabilityChanged.connect(self._on_reachability)

    def sync_now(self) -> None:
        sync_soon(self.scheduler)

    def refresh(self) -> None:
        self.reads.refresh()

    def _reader(self) -> Callable[[Session], Standing]:
        now = self.now()
        return lambda session: read_standing(session, now)

    def _set_standing(self, standing: Standing) -> None:
        self.standing = standing
        self.current = standing.summary
        self.summary_changed.emit(self.current)
        self.standing_changed.emit(standing)

    def _read_failed(self, error: BaseException) -> None:
        # As any background read that failed: the window says so (MainWindow's handler).
        if self.services.runner.error_handler:
            self.services.runner.error_handler(STATUS_LABEL, error)

    def _on_changes(self, changes: Changes) -> None:
        if changes.queued:
            sync_soon(self.scheduler, EDIT_SETTLE_S)

    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online:
            self.sync_now()

    def _from_scheduler_thread(self, event: JobEvent) -> None:
        if event.job_id == SYNC_JOB:
            self._job_event.emit(event)

    def _on_job_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_SUBMITTED:
            self.syncing = True
            self.syncing_changed.emit(True)
            return
        self.syncing = False
        self.syncing_changed.emit(False)
        if isinstance(event, JobExecutionEvent) and event.exception is not None:
            self.cycle_failed.emit(f"{type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, JobExecutionEvent):
            self.cycle_finished.emit(event.retval)
        self.refresh()
