"""One sync cycle: pull every marketplace's feed, push their outboxes, fetch new labels.

One runner at a time per data dir (a file lock, so the window and the command line never
push the same op together).
"""

import logging
from collections.abc import Callable, Sequence
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
from studio.seller_tools.messages import day_start
from studio.storage.database import Database
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import photos_dir
from studio.sync.port import (
    AuthFailed,
    Marketplace,
    MarketplaceError,
    RateLimited,
    Refused,
    Unreachable,
)
from studio.sync.pull import PullReport, pull
from studio.sync.push import Pusher, PushReport, recover_in_flight
from studio.sync.tables import MarketplaceAccount, SigninState
from studio.sync.video_source import StoreVideos

CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
CONTENT_TYPES[".webp"] = "image/webp"
log = logging.getLogger(__name__)


@dataclass
class AccountReport:
    """One marketplace's part of a cycle."""

    push: PushReport = field(default_factory=PushReport)
    pull: PullReport | None = None
    labels: int = 0
    skipped: str = ""  # why this marketplace was left out: asked us to wait, sign-in lapsed

    def summary(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
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
        return ", ".join(parts)


@dataclass
class CycleReport:
    accounts: dict[str, AccountReport] = field(default_factory=dict)
    skipped: str = ""  # why nothing was done: another sync is running

    @property
    def push(self) -> PushReport:
        """Every marketplace's push together; `stopped` names each that stopped early."""
        reports = list(self.accounts.values())
        stops = [(name, r.push.stopped) for name, r in self.accounts.items() if r.push.stopped]
        return PushReport(
            sent=sum(r.push.sent for r in reports),
            acked=sum(r.push.acked for r in reports),
            parked=sum(r.push.parked for r in reports),
            conflicts=sum(r.push.conflicts for r in reports),
            stopped=(
                stops[0][1]
                if len(self.accounts) == 1 and stops
                else "; ".join(f"{name}: {stop}" for name, stop in stops)
            ),
        )

    @property
    def labels(self) -> int:
        return sum(r.labels for r in self.accounts.values())

    @property
    def pull(self) -> PullReport | None:
        pulls = [r.pull for r in self.accounts.values() if r.pull is not None]
        if not pulls:
            return None
        return PullReport(
            events=sum(p.events for p in pulls),
            pages=sum(p.pages for p in pulls),
            orders=sum(p.orders for p in pulls),
            conflicts=sum(p.conflicts for p in pulls),
        )

    def summary(self) -> str:
        if self.skipped:
            return f"Sync skipped: {self.skipped}."
        if len(self.accounts) == 1:
            [only] = self.accounts.values()
            return f"Sync: {only.summary()}."
        return "Sync:\n" + "\n".join(
            f"  {name}: {report.summary()}." for name, report in self.accounts.items()
        )


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
    """A cycle over every connected marketplace: every pull first, then every push.

    So a sale pulled from one marketplace has queued its delists on the others before any
    of them is pushed, and those delists go out first (push.runnable), in the same cycle.
    One marketplace that is down, rate limited or signed out is skipped; the others sync.
    """

    def __init__(
        self,
        database: Database,
        data_dir: Path,
        markets: Sequence[Marketplace],
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.data_dir = data_dir
        self.markets = list(markets)
        self.now = now
        photos, videos = StorePhotos(data_dir), StoreVideos(database, data_dir)
        self.pushers = {
            m.name: Pusher(database, m, photos, now, videos=videos) for m in self.markets
        }

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
            synced = [account.last_sync_at for account in session.exec(select(MarketplaceAccount))]
        report = CycleReport({market.name: AccountReport() for market in self.markets})
        # Pull first: a sale that happened meanwhile must be known before local edits go
        # out, so a price drop on an item that has sold is cancelled, never sent.
        pulled = [market for market in self.markets if self._pull(market, report)]
        # The seller's standing rules answer what the pulls brought, in time for this push.
        # A quiet cycle has nothing to answer, unless it is the day's first: what a daily
        # limit held back yesterday goes then.
        news = any(r.pull is not None and r.pull.events for r in report.accounts.values())
        today = day_start(self.now())
        if news or any(last is None or last < today for last in synced):
            automation.after_pull(self.database, self.now())
        for market in pulled:
            self._push(market, report.accounts[market.name])
        return report

    def _pull(self, market: Marketplace, report: CycleReport) -> bool:
        account_report = report.accounts[market.name]
        with self.database.session() as session:
            account = session.get(MarketplaceAccount, market.name)
        if account is None:
            account_report.skipped = "no longer connected"
            return False
        if account.signin_state == SigninState.EXPIRED:
            account_report.skipped = "the sign-in has lapsed; connect it again"
            return False
        if account.blocked_until is not None and account.blocked_until > self.now():
            until = account.blocked_until
            account_report.skipped = f"the marketplace asked us to wait until {until:%H:%M:%S}"
            return False
        try:
            account_report.pull = pull(self.database, market)
        except MarketplaceError as error:
            account_report.push.stopped = self._note_failure(market, error)
            return False
        return True

    def _push(self, market: Marketplace, report: AccountReport) -> None:
        report.push = self.pushers[market.name].push()
        if report.push.stopped:
            if report.push.stopped == "reconnect":
                self._note_failure(market, AuthFailed("the marketplace refused the sign-in"))
            return
        try:
            report.labels = self._fetch_labels(market)
        except MarketplaceError as error:
            report.push.stopped = self._note_failure(market, error)
            return
        with self.database.transaction() as session:
            account = session.get(MarketplaceAccount, market.name)
            if account is not None:
                account.last_sync_at = self.now()
                account.failures = 0
                account.blocked_until = None
                account.last_error = ""
                expires = market.signin_expires_at()
                if expires is not None:
                    account.signin_expires_at = expires
                session.add(account)

    def _note_failure(self, market: Marketplace, error: MarketplaceError) -> str:
        with self.database.transaction() as session:
            account = session.get(MarketplaceAccount, market.name)
            if account is not None:
                if isinstance(error, RateLimited):
                    account.blocked_until = error.until
                elif isinstance(error, Unreachable):
                    account.failures += 1
                elif isinstance(error, AuthFailed):
                    # Loud and persistent until the seller signs in again; queued edits wait.
                    account.signin_state = SigninState.EXPIRED.value
                account.last_error = str(error)
                session.add(account)
        if isinstance(error, RateLimited):
            return "rate limited"
        if isinstance(error, AuthFailed):
            return f"signed out: {error}"
        return "offline" if isinstance(error, Unreachable) else f"failed: {error}"

    def _fetch_labels(self, market: Marketplace) -> int:
        if not market.provides_labels:
            return 0  # the seller buys postage elsewhere (eBay): nothing to download
        with self.database.session() as session:
            missing = session.exec(
                select(Order).where(
                    Order.marketplace == market.name,
                    Order.label_hash == "",
                    col(Order.status) == OrderStatus.TO_SHIP.value,
                )
            ).all()
        stored = 0
        for order in missing:
            assert order.id is not None
            pdf = market.order_label(order.remote_id)
            try:
                with self.database.transaction() as session:
                    store_label(session, self.data_dir, order.id, pdf)
            except OrderError as error:
                # Asked for again next cycle; the order prints without a label meanwhile.
                log.warning("The label of order %s was refused: %s", order.number, error)
                continue
            stored += 1
        return stored
