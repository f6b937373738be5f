"""One sync cycle: pull the feed, push the outbox, then fetch new shipping labels.

One runner at a time per data dir (a file lock, so the window and the command line never
push the same op together).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from studio.imaging.store import PhotoStore
from studio.inventory.tables import utc_now
from studio.orders.labels import store_label
from studio.orders.service import OrderError
from studio.orders.tables import Order, OrderStatus
from studio.seller_tools import automation
from studio.storage.database import Database
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import photos_dir
from studio.sync.port import Marketplace, MarketplaceError, RateLimited, Refused, Unreachable
from studio.sync.pull import PullReport, pull
from studio.sync.push import Pusher, PushReport, recover_in_flight
from studio.sync.tables import MarketplaceAccount

CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
CONTENT_TYPES[".webp"] = "image/webp"
log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    push: PushReport = field(default_factory=PushReport)
    pull: PullReport | None = None
    labels: int = 0
    skipped: str = ""  # why nothing was done: blocked, already running

    def summary(self) -> str:
        if self.skipped:
            return f"Sync skipped: {self.skipped}."
        parts = [f"sent {self.push.acked} change(s)"]
        if self.push.parked:
            parts.append(f"{self.push.parked} need(s) your attention")
        if self.pull is not None:
            parts.append(f"received {self.pull.events} event(s), {self.pull.orders} new order(s)")
        conflicts = self.push.conflicts + (self.pull.conflicts if self.pull else 0)
        if conflicts:
            parts.append(f"{conflicts} conflict(s) to resolve")
        if self.push.stopped:
            parts.append(f"stopped early: {self.push.stopped}")
        return "Sync: " + ", ".join(parts) + "."


class StorePhotos:
    """Listing photos come from the photo store, by the hash that names them."""

    def __init__(self, data_dir: Path) -> None:
        self.store = PhotoStore(photos_dir(data_dir))

    def __call__(self, sha256: str) -> tuple[bytes, str]:
        path = self.store.original(sha256)
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            raise Refused(0, "unsupported_photo", f"{path.suffix} photos must be exported as JPEG")
        return path.read_bytes(), content_type


class SyncEngine:
    def __init__(
        self,
        database: Database,
        data_dir: Path,
        market: Marketplace,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.data_dir = data_dir
        self.market = market
        self.now = now
        self.pusher = Pusher(database, market, StorePhotos(data_dir), now)

    def cycle(self) -> CycleReport:
        lock = InstanceLock(self.data_dir, "sync.lock", "another sync is running")
        try:
            lock.acquire()
        except LockedByAnotherCopy as busy:
            return CycleReport(skipped=str(busy))
        try:
            return self._cycle()
        finally:
            lock.release()

    def _cycle(self) -> CycleReport:
        with self.database.transaction() as session:
            # We hold the lock, so anything still in flight was left by a runner that died.
            recover_in_flight(session)
            account = session.get(MarketplaceAccount, self.market.name)
            blocked = account.blocked_until if account else None
        if blocked is not None and blocked > self.now():
            return CycleReport(skipped=f"the marketplace asked us to wait until {blocked:%H:%M:%S}")
        # Pull first: a sale that happened meanwhile must be known before local edits go
        # out, so a price drop on an item that has sold is cancelled, never sent.
        report = CycleReport()
        try:
            report.pull = pull(self.database, self.market)
        except MarketplaceError as error:
            report.push.stopped = self._note_failure(error)
            return report
        # The seller's standing rules answer what the pull brought, in time for this push.
        automation.after_pull(self.database, self.now())
        report.push = self.pusher.push()
        if report.push.stopped:
            return report
        try:
            report.labels = self._fetch_labels()
        except MarketplaceError as error:
            report.push.stopped = self._note_failure(error)
            return report
        with self.database.transaction() as session:
            account = session.get(MarketplaceAccount, self.market.name)
            if account is not None:
                account.last_sync_at = self.now()
                account.failures = 0
                account.blocked_until = None
                account.last_error = ""
                session.add(account)
        return report

    def _note_failure(self, error: MarketplaceError) -> str:
        with self.database.transaction() as session:
            account = session.get(MarketplaceAccount, self.market.name)
            if account is not None:
                if isinstance(error, RateLimited):
                    account.blocked_until = error.until
                elif isinstance(error, Unreachable):
                    account.failures += 1
                account.last_error = str(error)
                session.add(account)
        if isinstance(error, RateLimited):
            return "rate limited"
        return "offline" if isinstance(error, Unreachable) else f"failed: {error}"

    def _fetch_labels(self) -> int:
        with self.database.session() as session:
            missing = session.exec(
                select(Order).where(
                    Order.marketplace == self.market.name,
                    Order.label_hash == "",
                    col(Order.status) == OrderStatus.TO_SHIP.value,
                )
            ).all()
        stored = 0
        for order in missing:
            assert order.id is not None
            pdf = self.market.order_label(order.remote_id)
            try:
                with self.database.transaction() as session:
                    store_label(session, self.data_dir, order.id, pdf)
            except OrderError as error:
                # Asked for again next cycle; the order prints without a label meanwhile.
                log.warning("The label of order %s was refused: %s", order.number, error)
                continue
            stored += 1
        return stored
