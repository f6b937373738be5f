"""Runs sync in the background and tells the window how it stands.

Cycles run as the stored APScheduler job (so the timer survives restarts), brought forward by
"Sync now", by local edits, and by the network coming back. Scheduler events arrive on its
own thread and are passed to the UI thread through a queued signal.
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

from studio.sync.connection import SELLER_API
from studio.sync.schedule import (
    SYNC_JOB,
    install_standard_jobs,
    make_scheduler,
    sync_soon,
)
from studio.sync.status import Overall, SyncSummary, summary
from studio.ui.hub import ItemsChanged
from studio.ui.services import Services
from studio.ui.tasks import TaskContext

EDIT_SETTLE_S = 3.0  # a burst of edits goes out as one sync


class SyncController(QObject):
    summary_changed = Signal(object)  # SyncSummary
    syncing_changed = Signal(bool)
    cycle_finished = Signal(object)  # CycleReport, or None when not connected
    cycle_failed = Signal(str)
    _job_event = Signal(object)

    def __init__(
        self,
        services: Services,
        sync_minutes: float,
        parent: QObject | None = None,
        background: bool = True,
    ):
        super().__init__(parent)
        self.services = services
        self.syncing = False
        self.current = SyncSummary(Overall.NOT_CONNECTED)
        self.scheduler = make_scheduler(services.database)
        self.scheduler.add_listener(
            self._from_scheduler_thread, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )
        self._job_event.connect(self._on_job_event)
        install_standard_jobs(self.scheduler, services.data_dir, sync_minutes)
        # Without background work (a screenshot, say) the jobs are stored but never run here.
        self.scheduler.start(paused=not background)
        sync_soon(self.scheduler)  # catch up with what happened while the app was closed
        services.hub.items_changed.connect(self._on_local_change)
        self._watch_network()
        self.refresh()

    def _watch_network(self) -> None:
        if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance():
            QNetworkInformation.instance().reachabilityChanged.connect(self._on_reachability)

    def sync_now(self) -> None:
        sync_soon(self.scheduler)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def refresh(self) -> None:
        database = self.services.database

        def work(_context: TaskContext) -> SyncSummary:
            with database.session() as session:
                return summary(session, SELLER_API)

        self.services.runner.run("Reading sync status", work, on_done=self._set_summary)

    def _set_summary(self, current: SyncSummary) -> None:
        self.current = current
        self.summary_changed.emit(current)

    def _on_local_change(self, change: ItemsChanged) -> None:
        if not change.from_marketplace:
            sync_soon(self.scheduler, EDIT_SETTLE_S)
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
            report = event.retval
            self.cycle_finished.emit(report)
            if report is not None and (report.push.acked or (report.pull and report.pull.events)):
                # Sales, likes and remote edits may have changed what the screens show.
                self.services.hub.announce_items(set(), rows_changed=True, from_marketplace=True)
        self.refresh()
