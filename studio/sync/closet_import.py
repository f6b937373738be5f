"""Bringing a closet in: the listings a seller already has on a marketplace become items.

Every remote listing no local item is linked to is first matched against the inventory
(studio/sync/closet_plan.py); nothing is written until that plan exists, so it can be shown
(a dry run shows only it). A listing that matches one item is linked to it; one that matches
none becomes a new item with its fields, photos, likes and offers; one that cannot be
matched safely is left alone, with the reason.

The import writes a batch of listings per transaction: each new item together with its
photos and its listing link. A run stopped anywhere (a crash, Cancel, a lost network) keeps
the batches it committed, and the next run skips every listing already linked, so it carries
on without a duplicate; the listing link's unique (marketplace, remote_id) backs that.
Photos are downloaded before their batch's transaction into the content-addressed photo
store, where a photo another marketplace (or an earlier run) brought is already kept once.

It runs under the sync lock: a pull between our read of a listing and the link that makes it
ours would pass over that listing's newer change for good.
"""

import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from studio.imaging.store import PhotoStore, StoredPhoto
from studio.inventory import sku as skus
from studio.inventory.tables import Item, ItemStatus, Photo, utc_now
from studio.storage import changes
from studio.storage.database import Database
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy
from studio.storage.paths import photos_dir
from studio.sync import local_apply
from studio.sync.closet_photos import PHOTO_THREADS, PhotoFetcher
from studio.sync.closet_plan import Action, Decision, ImportPlan, plan_import
from studio.sync.closet_rows import OWN_ROWS, UPSERT_LIKE, UPSERT_OFFER
from studio.sync.listing_fields import LISTING_TO_ITEM, item_value
from studio.sync.port import (
    AuthFailed,
    CurrentLike,
    ListingState,
    Marketplace,
    MarketplaceError,
    RateLimited,
    RemoteListing,
    RemoteOffer,
    Unreachable,
)
from studio.sync.tables import ListingLink

LISTINGS_PAGE = 500  # the Seller API's largest page
ACTIVITY_PAGE = 500
BATCH = 50  # listings per transaction: what a crash can cost, against a commit per listing
SYNC_LOCK = "sync.lock"  # the sync engine's lock (studio/sync/engine.py)
LOCK_WAIT_S = 60.0  # a sync cycle that is running usually ends well within this
RATE_LIMIT_WAIT_S = 120.0  # longer asked-for waits stop the import (run it again later)
# An imported item's status, from its listing's. A delisted listing is not on sale: its item
# is ready to list again (publishing it relists the listing, studio/sync/outbox.py).
ITEM_STATUS = {
    ListingState.ACTIVE: ItemStatus.LISTED,
    ListingState.SOLD: ItemStatus.SOLD,
    ListingState.DELISTED: ItemStatus.READY,
}

T = TypeVar("T")
# Reports (done, total, what is happening); False asks the import to stop.
Progress = Callable[[int, int, str], bool]


@dataclass
class ImportReport:
    plan: ImportPlan
    dry_run: bool = False
    linked: int = 0
    created: int = 0
    skipped: int = 0  # linked meanwhile (by the pull, another run): nothing left to do
    photos_downloaded: int = 0
    photos_reused: int = 0  # already in the photo store: not downloaded again
    likes: int = 0
    offers: int = 0
    problems: list[str] = field(default_factory=list)  # photos that could not come in
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return self.linked + self.created + self.skipped

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        if self.dry_run:
            return f"Dry run: nothing was changed. {self.plan.summary()}"
        stopped = (
            f" Stopped after {self.done:,} of {len(self.plan.work):,}; run the import again "
            "to carry on."
            if self.cancelled
            else ""
        )
        return (
            f"Imported from {self.plan.marketplace}: {self.created:,} item(s) created, "
            f"{self.linked:,} linked, {len(self.plan.left_alone):,} left alone; "
            f"{self.photos_downloaded:,} photo(s) downloaded, {self.likes:,} like(s) and "
            f"{self.offers:,} offer(s) carried along.{stopped}"
        )


class ImportStopped(Exception):
    """The import could not go on (the marketplace, the sync lock); what it committed stays.
    The message says what happened and what to do."""

    def __init__(self, message: str, report: ImportReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class _Cancelled(Exception):
    pass


# Reading the closet
class _Reader:
    """The marketplace's calls, with the waits a rate limit asks for and Cancel honoured."""

    def __init__(self, market: Marketplace, cancel: threading.Event) -> None:
        self.market = market
        self.cancel = cancel  # the caller's Cancel
        self.halted = threading.Event()  # the import ended: photo threads still queued stop

    def call(self, function: Callable[..., T], *args: Any) -> T:
        waited = 0.0
        while True:
            if self.cancel.is_set() or self.halted.is_set():
                raise _Cancelled()
            try:
                return function(*args)
            except RateLimited as limited:
                pause = max(0.0, (limited.until - utc_now()).total_seconds())
                if waited + pause > RATE_LIMIT_WAIT_S:
                    raise
                waited += pause
                self._wait(pause)

    def _wait(self, seconds: float) -> None:
        """Sleeps, but wakes for Cancel or the end of the import within a quarter second."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.cancel.wait(min(left, 0.25)) or self.halted.is_set():
                raise _Cancelled()

    def listings(self, progress: Progress) -> list[RemoteListing]:
        found: list[RemoteListing] = []
        after: str | None = None
        while True:
            page = self.call(self.market.listings, None, after, LISTINGS_PAGE)
            found += page.listings
            if not progress(0, 1, f"reading listings ({len(found):,} so far)"):
                raise _Cancelled()
            if page.next_after is None:
                return found
            after = page.next_after

    def likes(self, wanted: set[str]) -> dict[str, list[CurrentLike]]:
        found: dict[str, list[CurrentLike]] = {}
        after: str | None = None
        while True:
            page = self.call(self.market.likes, after, ACTIVITY_PAGE)
            for like in page.likes:
                if like.listing_id in wanted:
                    found.setdefault(like.listing_id, []).append(like)
            if page.next_after is None:
                return found
            after = page.next_after

    def offers(self, wanted: set[str]) -> dict[str, list[RemoteOffer]]:
        found: dict[str, list[RemoteOffer]] = {}
        after: str | None = None
        while True:
            page = self.call(self.market.offers, after, ACTIVITY_PAGE)
            for offer in page.offers:
                if offer.listing_id in wanted:
                    found.setdefault(offer.listing_id, []).append(offer)
            if page.next_after is None:
                return found
            after = page.next_after


# Running it
def preview(
    database: Database,
    market: Marketplace,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportPlan:
    """Reads the closet and plans its import (a dry run): writes and downloads nothing."""
    return _read_and_plan(
        database, _Reader(market, cancel or threading.Event()), progress or _quiet
    )


def _read_and_plan(database: Database, reader: _Reader, progress: Progress) -> ImportPlan:
    name = reader.market.name
    try:
        listings = reader.listings(progress)
    except _Cancelled:
        raise ImportStopped("Cancelled while reading the listings; nothing was changed.") from None
    except MarketplaceError as error:
        raise ImportStopped(_fault_words(name, error, None)) from None
    with database.session() as session:
        return plan_import(session, name, listings)


def run_import(
    database: Database,
    data_dir: Path,
    market: Marketplace,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    dry_run: bool = False,
    on_plan: Callable[[ImportPlan], None] | None = None,
) -> ImportReport:
    """Imports every listing of `market` no item is linked to, as planned by plan_import;
    `on_plan` is shown the plan before anything is written.

    Stops early, keeping what it committed, when `cancel` is set or `progress` returns False
    (the report says `cancelled`); a fault of the marketplace raises ImportStopped, whose
    report says how far it got. Either way, running it again carries on.
    """
    started = time.monotonic()
    if dry_run:
        return ImportReport(preview(database, market, progress, cancel), dry_run=True)
    stop = cancel or threading.Event()
    report_progress = progress or _quiet
    reader = _Reader(market, stop)
    with _sync_lock(data_dir, stop):
        plan = _read_and_plan(database, reader, report_progress)
        if on_plan is not None:
            on_plan(plan)
        report = ImportReport(plan)
        try:
            _import(
                database, PhotoStore(photos_dir(data_dir)), reader, plan, report, report_progress
            )
        except _Cancelled:
            report.cancelled = True
        except MarketplaceError as error:
            report.seconds = time.monotonic() - started
            raise ImportStopped(_fault_words(market.name, error, report), report) from None
        except OSError as error:  # the photo store's disk: full, gone, read-only
            report.seconds = time.monotonic() - started
            raise ImportStopped(
                f"Could not store a photo ({error.strerror or error}); free some disk space "
                f"or check {photos_dir(data_dir)}, then run the import again to carry on. "
                f"{report.done:,} listing(s) were imported and are kept.",
                report,
            ) from None
    report.seconds = time.monotonic() - started
    return report


def _quiet(_done: int, _total: int, _text: str) -> bool:
    return True


@contextmanager
def _sync_lock(data_dir: Path, cancel: threading.Event) -> Iterator[None]:
    lock = InstanceLock(data_dir, SYNC_LOCK, "a sync is running")
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            lock.acquire()
            break
        except LockedByAnotherCopy:
            if time.monotonic() > deadline:
                raise ImportStopped(
                    "A sync of this inventory has been running for over a minute; run the "
                    "import again once it has finished."
                ) from None
            if cancel.wait(0.25):
                raise ImportStopped("Cancelled before anything was changed.") from None
    try:
        yield
    finally:
        lock.release()


def _fault_words(name: str, error: MarketplaceError, report: ImportReport | None) -> str:
    if isinstance(error, AuthFailed):
        what = f"{name} refused the sign-in ({error}); connect it again"
    elif isinstance(error, RateLimited):
        what = f"{name} asked for a pause until {error.until.astimezone():%H:%M}; wait until then"
    elif isinstance(error, Unreachable):
        what = f"Lost the connection to {name} ({error}); check the network"
    else:
        what = f"{name} answered: {error}"
    if report is None or not report.done:
        return f"{what}, then run the import again. Nothing was imported."
    return (
        f"{what}, then run the import again to carry on. {report.done:,} of "
        f"{len(report.plan.work):,} listing(s) were imported and are kept."
    )


def _batches(decisions: list[Decision]) -> Iterator[list[Decision]]:
    for start in range(0, len(decisions), BATCH):
        yield decisions[start : start + BATCH]


def _import(
    database: Database,
    store: PhotoStore,
    reader: _Reader,
    plan: ImportPlan,
    report: ImportReport,
    progress: Progress,
) -> None:
    work = plan.work
    if not work:
        return
    wanted = {decision.listing.id for decision in work}
    liked = any(decision.listing.likes_count for decision in work)
    if not progress(0, len(work), "reading likes and offers"):
        raise _Cancelled()
    likes = reader.likes(wanted) if liked else {}
    offers = reader.offers(wanted)
    with tempfile.TemporaryDirectory(prefix="studio-import-") as scratch:
        pool = ThreadPoolExecutor(PHOTO_THREADS, thread_name_prefix="closet-photos")
        try:
            photos = PhotoFetcher(store, reader, pool, Path(scratch), report)
            batches = list(_batches(work))
            coming = photos.start(batches[0])
            for number, batch in enumerate(batches):
                if not progress(report.done, len(work), _progress_words(report)):
                    raise _Cancelled()
                stored = photos.collect(coming)
                # The next batch's photos come in while this one is written.
                coming = photos.start(batches[number + 1]) if number + 1 < len(batches) else {}
                with database.transaction() as session:
                    _Writer(session, plan.marketplace, report).write(batch, stored, likes, offers)
            progress(report.done, len(work), _progress_words(report))
        finally:
            # Stopped early: photos not yet started are dropped and running ones stop at
            # their next request, before their scratch folder goes.
            reader.halted.set()
            pool.shutdown(wait=True, cancel_futures=True)


def _progress_words(report: ImportReport) -> str:
    return f"{report.created:,} created, {report.linked:,} linked"


class _Writer:
    """One batch in one transaction: its items, photos and links, then its buyers' activity."""

    def __init__(self, session: Session, marketplace: str, report: ImportReport) -> None:
        self.session = session
        self.marketplace = marketplace
        self.report = report

    def write(
        self,
        batch: list[Decision],
        stored: dict[str, StoredPhoto],
        likes: dict[str, list[CurrentLike]],
        offers: dict[str, list[RemoteOffer]],
    ) -> None:
        session = self.session
        fresh = self._still_unlinked(batch)
        sold_links: list[int] = []
        with local_apply.applying_remote(session):
            links = [d for d in fresh if d.action is Action.LINK]
            existing = self._linkable(links)
            owners: dict[str, int] = {}
            for decision in links:
                assert decision.item_id is not None
                item = existing.get(decision.item_id)
                if item is None:
                    self.report.skipped += 1  # deleted or linked since the plan was made
                    continue
                self._link(item.id, decision.listing)
                if decision.listing.status is ListingState.ACTIVE and item.status in (
                    ItemStatus.DRAFT.value,
                    ItemStatus.READY.value,
                ):
                    item.status = ItemStatus.LISTED.value
                    session.add(item)
                if decision.listing.status is ListingState.SOLD:
                    sold_links.append(decision.item_id)
                owners[decision.listing.id] = decision.item_id
                self.report.linked += 1
            owners |= self._create([d for d in fresh if d.action is Action.CREATE], stored)
        for item_id in sold_links:
            # Sold there: cancel what waits for it and take it down elsewhere, like a sale the
            # pull hears of (outside our block: mark_sold queues those delists on purpose).
            local_apply.mark_sold(session, item_id, self.marketplace)
        self._carry_activity(owners, likes, offers)

    def _still_unlinked(self, batch: list[Decision]) -> list[Decision]:
        ids = [decision.listing.id for decision in batch]
        taken = set(
            self.session.exec(
                select(ListingLink.remote_id).where(
                    ListingLink.marketplace == self.marketplace,
                    col(ListingLink.remote_id).in_(ids),
                )
            )
        )
        self.report.skipped += len(taken)
        return [decision for decision in batch if decision.listing.id not in taken]

    def _linkable(self, links: list[Decision]) -> dict[int, Item]:
        ids = [decision.item_id for decision in links]
        if not ids:
            return {}
        busy = set(
            self.session.exec(
                select(ListingLink.item_id).where(
                    ListingLink.marketplace == self.marketplace, col(ListingLink.item_id).in_(ids)
                )
            )
        )
        items = self.session.exec(select(Item).where(col(Item.id).in_(ids))).all()
        return {item.id: item for item in items if item.id is not None and item.id not in busy}

    def _link(self, item_id: int | None, listing: RemoteListing) -> None:
        assert item_id is not None
        link = ListingLink(item_id=item_id, marketplace=self.marketplace)
        local_apply.remember_remote(link, listing)
        self.session.add(link)

    def _create(self, creates: list[Decision], stored: dict[str, StoredPhoto]) -> dict[str, int]:
        if not creates:
            return {}
        session = self.session
        wanted = [decision.sku for decision in creates if decision.sku]
        taken = set(session.exec(select(Item.sku).where(col(Item.sku).in_(wanted))))
        items = []
        for decision in creates:
            # An item made since the plan may have taken the SKU: the new one gets its own.
            sku = decision.sku if decision.sku and decision.sku not in taken else ""
            items.append(_new_item(decision.listing, sku or skus.next_sku(session, "")))
        session.add_all(items)
        session.flush()  # the items' ids, in one insert
        owners: dict[str, int] = {}
        rows: list[Photo | ListingLink] = []
        for decision, item in zip(creates, items, strict=True):
            assert item.id is not None
            owners[decision.listing.id] = item.id
            hashes = [h for h in decision.listing.fields.get("photos") or [] if h in stored]
            rows += [
                Photo(
                    item_id=item.id,
                    position=position,
                    file_hash=file_hash,
                    filename=stored[file_hash].filename,
                    width=stored[file_hash].width,
                    height=stored[file_hash].height,
                )
                for position, file_hash in enumerate(dict.fromkeys(hashes))
            ]
            link = ListingLink(item_id=item.id, marketplace=self.marketplace)
            local_apply.remember_remote(link, decision.listing)
            rows.append(link)
        session.add_all(rows)
        self.report.created += len(items)
        return owners

    def _carry_activity(
        self,
        owners: dict[str, int],
        likes: dict[str, list[CurrentLike]],
        offers: dict[str, list[RemoteOffer]],
    ) -> None:
        if not owners:
            return
        self.session.flush()
        connection = self.session.connection()
        market = self.marketplace
        like_rows = [
            {
                "marketplace": market,
                "remote_listing_id": like.listing_id,
                "item_id": owners[listing_id],
                "buyer_id": like.buyer.id,
                "buyer_name": like.buyer.name,
                "active": True,
                "changed_at": like.liked_at,
            }
            for listing_id in owners
            for like in likes.get(listing_id, [])
        ]
        offer_rows = [
            {
                "marketplace": market,
                "remote_id": offer.id,
                "item_id": owners[listing_id],
                **_offer_values(offer),
            }
            for listing_id in owners
            for offer in offers.get(listing_id, [])
        ]
        if like_rows:
            connection.execute(UPSERT_LIKE, like_rows)
        if offer_rows:
            connection.execute(UPSERT_OFFER, offer_rows)
        owned = [
            {"market": market, "remote": remote, "item": item} for remote, item in owners.items()
        ]
        for statement in OWN_ROWS:
            connection.execute(statement, owned)
        self.report.likes += len(like_rows)
        self.report.offers += len(offer_rows)
        changes.note(
            self.session,
            changes.of_tables(
                "like", "offer", "buyer_message", rows_moved=True, items=owners.values()
            ),
        )


def _offer_values(offer: RemoteOffer) -> dict[str, Any]:
    return {
        "remote_listing_id": offer.listing_id,
        "parent_remote_id": offer.parent_id,
        "kind": offer.kind.value,
        "buyer_id": offer.buyer.id,
        "buyer_name": offer.buyer.name,
        "amount_cents": offer.amount_cents,
        "shipping_discount_cents": offer.shipping_discount_cents,
        "status": offer.status.value,
        "reason": offer.reason,
        "expires_at": offer.expires_at,
        "created_at": offer.created_at,
        "updated_at": offer.updated_at,
    }


def _new_item(listing: RemoteListing, sku: str) -> Item:
    values = {
        LISTING_TO_ITEM[name]: item_value(name, value)
        for name, value in listing.fields.items()
        if name in LISTING_TO_ITEM and name != "sku"
    }
    values["title"] = values.get("title") or f"Listing {listing.id}"
    return Item(sku=sku, status=ITEM_STATUS[listing.status].value, **values)
