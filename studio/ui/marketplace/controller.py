"""Tells the window how sync stands, and brings the next cycle forward when it should.

Cycles run as the stored job of the scheduler the bootstrap owns (so the timer survives
restarts), brought forward by "Sync now", by work queued for a marketplace, and by the
network coming back. Scheduler events arrive on its own thread and are passed to the UI
thread through a queued signal; what a cycle wrote reaches the screens by itself, as every
committed write does.
"""

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
)
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from studio.jobs.scheduler import SYNC_JOB, sync_soon
from studio.storage.changes import Changes
from studio.sync.connection import SELLER_API
from studio.sync.status import Overall, SyncSummary, summary
from studio.ui.services import Services

EDIT_SETTLE_S = 3.0  # a burst of edits goes out as one sync
# What the status reads: the outbox, listings, conflicts and the account's errors.
STATUS_TABLES = ("outbox", "listing_link", "conflict", "marketplace_account")


class SyncController(QObject):
    summary_changed = Signal(object)  # SyncSummary
    syncing_changed = Signal(bool)
    cycle_finished = Signal(object)  # CycleReport, or None when not connected
    cycle_failed = Signal(str)
    _job_event = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.scheduler = services.scheduler
        self.syncing = False
        self.current = SyncSummary(Overall.NOT_CONNECTED)
        self.scheduler.add_listener(
            self._from_scheduler_thread, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        self._job_event.connect(self._on_job_event)
        sync_soon(self.scheduler)  # catch up with what happened while the app was closed
        services.hub.changed.connect(self._on_changes)
        self._watch_network()
        self.refresh()

    def _watch_network(self) -> None:
        if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance():
            QNetworkInformation.instance().reachabilityChanged.connect(self._on_reachability)

    def sync_now(self) -> None:
        sync_soon(self.scheduler)

    def refresh(self) -> None:
        self.services.runner.query(
            "Reading sync status",
            lambda session: summary(session, SELLER_API),
            on_done=self._set_summary,
        )

    def _set_summary(self, current: SyncSummary) -> None:
        self.current = current
        self.summary_changed.emit(current)

    def _on_changes(self, changes: Changes) -> None:
        if changes.queued:
            sync_soon(self.scheduler, EDIT_SETTLE_S)
        if changes.touches(*STATUS_TABLES):
            self.refresh()

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
