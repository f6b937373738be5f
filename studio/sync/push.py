"""Push: send the outbox, oldest op of each listing first.

An op is marked in flight and committed before its request goes out, so a crash at any point
leaves a record of what may have been sent. A create whose outcome is unknown is only ever
sent again with the same Idempotency-Key, which the marketplace answers with the first
result: never a second listing. Ops go one at a time, except creates to a marketplace that
takes them in batches (bulk_publish.py): those go many at once, each with its own key.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from studio.storage.database import Database
from studio.sync import buyer_ops, local_apply
from studio.sync.bulk_publish import BulkPublisher, PhotoSource
from studio.sync.listing_fields import loads
from studio.sync.merge import merge
from studio.sync.port import (
    AuthFailed,
    BulkPublishing,
    ListingAction,
    ListingState,
    ListingVideo,
    Marketplace,
    MarketplaceError,
    NewListing,
    NotFound,
    RateLimited,
    Refused,
    RemoteListing,
    Unreachable,
    Unsupported,
    VersionConflict,
)
from studio.sync.tables import (
    OPEN_STATES,
    ListingLink,
    MarketplaceAccount,
    OpKind,
    OpState,
    OutboxOp,
)

MAX_ATTEMPTS = 8
KEY_REUSED = "idempotency_key_reused"  # the key came with another body before
GIVE_UP_AFTER = timedelta(hours=24)
MERGE_ROUNDS = 3
STATUS_ACTIONS = {
    OpKind.DELIST: ListingAction.DELIST,
    OpKind.RELIST: ListingAction.RELIST,
    OpKind.MARK_SOLD: ListingAction.MARK_SOLD,
}


class VideoSource(Protocol):
    def __call__(self, sha256: str) -> ListingVideo | None:
        """The listing video with that content hash; None when it is no longer wanted."""
        ...


@dataclass
class PushReport:
    sent: int = 0
    acked: int = 0
    parked: int = 0
    conflicts: int = 0
    stopped: str = ""  # why the push stopped early: offline, rate limited, reconnect


def backoff(attempts: int, now: datetime, fraction: float) -> datetime:
    """Full jitter from about 2 s, doubling, capped at 10 minutes."""
    ceiling = min(600.0, 2.0 * 2 ** max(attempts - 1, 0))
    return now + timedelta(seconds=ceiling * fraction)


def runnable(
    session: Session, marketplace: str, now: datetime, limit: int = 1, kind: OpKind | None = None
) -> list[OutboxOp]:
    """The oldest open ops whose listing has no older open op, and whose time has come (of
    `kind` only, if given); a delist before anything else, since an item that sold
    elsewhere must not sell twice.

    One statement: the heads of each entity's queue are found inside SQLite, so a first sync
    of thousands of ops does not load every waiting op for each one it sends."""
    open_here = (OutboxOp.marketplace == marketplace, col(OutboxOp.state).in_(OPEN_STATES))
    heads = select(func.min(OutboxOp.id)).where(*open_here).group_by(col(OutboxOp.entity))
    query = select(OutboxOp).where(col(OutboxOp.id).in_(heads), OutboxOp.next_attempt_at <= now)
    if kind is not None:
        query = query.where(OutboxOp.kind == kind.value)
    order = (case((col(OutboxOp.kind) == OpKind.DELIST.value, 0), else_=1), col(OutboxOp.id))
    return list(session.exec(query.order_by(*order).limit(limit)).all())


def create_key(op: OutboxOp, fields: dict[str, Any]) -> str:
    """The Idempotency-Key of a listing's create: the same for every studio of the seller
    that publishes the SKU, and for every retry of one."""
    sku = fields.get("sku")
    return f"create-sku:{sku}" if sku else op.op_id


def recover_in_flight(session: Session) -> int:
    """After a crash: what was in flight may or may not have reached the marketplace."""
    ops = session.exec(select(OutboxOp).where(OutboxOp.state == OpState.IN_FLIGHT.value)).all()
    for op in ops:
        op.state = OpState.UNKNOWN.value
        session.add(op)
    return len(ops)


class Pusher:
    def __init__(
        self,
        database: Database,
        market: Marketplace,
        photos: PhotoSource,
        now: Callable[[], datetime],
        rng: random.Random | None = None,
        videos: VideoSource | None = None,
    ) -> None:
        self.database = database
        self.market = market
        self.photos = photos
        self.now = now
        self.rng = rng or random.Random()
        self.videos = videos
        bulk = market if isinstance(market, BulkPublishing) else None
        self.bulk = BulkPublisher(market, bulk, photos) if bulk is not None else None

    def push(self) -> PushReport:
        report = PushReport()
        while True:
            with self.database.transaction() as session:
                ops = self._next(session)
                if not ops:
                    return report
                was = {op.id: op.state for op in ops}
                for op in ops:
                    op.state = OpState.IN_FLIGHT.value
                    op.attempts += 1
                    session.add(op)
            report.sent += len(ops)
            if len(ops) == 1:
                stop = self._attempt(ops[0], report)
            else:
                stop = self._publish(ops, was, report)
            if stop:
                report.stopped = stop
                return report

    def _next(self, session: Session) -> list[OutboxOp]:
        """The next op; or, when it is a create and the marketplace takes creates in
        batches, as many runnable creates as its batches and lanes hold."""
        name, now = self.market.name, self.now()
        ops = runnable(session, name, now)
        if self.bulk is None or not ops or ops[0].kind != OpKind.CREATE_LISTING.value:
            return ops
        many = self.bulk.bulk.listing_batch_limit * max(1, self.market.max_in_flight)
        return runnable(session, name, now, many, OpKind.CREATE_LISTING)

    def _attempt(self, op: OutboxOp, report: PushReport) -> str:
        try:
            self._send(op, report)
        except MarketplaceError as error:
            return self._failed(op, error, report)
        report.acked += 1
        return ""

    def _failed(self, op: OutboxOp, error: MarketplaceError, report: PushReport) -> str:
        """Records why `op` did not go through; returns why the push must stop, if it must."""
        if isinstance(error, RateLimited):
            self._retry_later(op, error.until, "the marketplace asked to slow down")
            return "rate limited"
        if isinstance(error, Unreachable):
            self._retry_later(op, None, str(error))
            return "offline"
        if isinstance(error, AuthFailed):
            self._retry_later(op, self.now(), str(error))
            return "reconnect"
        if isinstance(error, (Refused, NotFound)):
            self._finish(op, OpState.PARKED, str(error) or "the listing no longer exists")
            report.parked += 1
            return ""
        if isinstance(error, Unsupported):  # this marketplace does not do it: skipped, with why
            self._finish(op, OpState.CANCELLED, str(error))
            return ""
        raise error

    def _publish(self, ops: list[OutboxOp], was: dict[int | None, str], report: PushReport) -> str:
        """Creates many listings at once; each op's outcome is recorded as a single create's
        would be, and those the push stopped before are put back as they were."""
        assert self.bulk is not None
        with self.database.session() as session:
            adopted = [op for op in ops if (link := _link(session, op)) and link.remote_id]
        for op in adopted:
            self._finish(op, OpState.ACKED, "already listed (adopted from the feed)")
        fresh = [op for op in ops if op not in adopted]
        listings = []
        for op in fresh:
            fields = loads(op.payload)
            listings.append(NewListing(fields, create_key(op, fields)))
        outcomes = self.bulk.publish(listings)
        created = [
            (op, outcome)
            for op, outcome in zip(fresh, outcomes, strict=True)
            if isinstance(outcome, RemoteListing) and outcome.status is not ListingState.SOLD
        ]
        self._acknowledge_all(created)
        report.acked += len(adopted) + len(created)
        stops = []
        for op, outcome in zip(fresh, outcomes, strict=True):
            if outcome is None:
                self._put_back(op, was[op.id])
                report.sent -= 1
            elif _needs_a_look(outcome):
                # Another studio made the SKU's listing, or it is an old one that sold: the
                # single create works out which (find by SKU and adopt, or a listing of its own).
                stops.append(self._attempt(op, report))
            elif isinstance(outcome, MarketplaceError):
                stops.append(self._failed(op, outcome, report))
        return next((stop for stop in stops if stop), "")

    def _put_back(self, op: OutboxOp, state: str) -> None:
        with self.database.transaction() as session:
            stored = session.get(OutboxOp, op.id)
            assert stored is not None
            stored.state = state
            stored.attempts -= 1
            session.add(stored)

    # Outcomes
    def _finish(self, op: OutboxOp, state: OpState, message: str = "") -> None:
        with self.database.transaction() as session:
            stored = session.get(OutboxOp, op.id)
            assert stored is not None
            stored.state = state.value
            stored.last_error = message
            stored.updated_at = self.now()
            session.add(stored)

    def _retry_later(self, op: OutboxOp, until: datetime | None, message: str) -> None:
        now = self.now()
        with self.database.transaction() as session:
            stored = session.get(OutboxOp, op.id)
            account = session.get(MarketplaceAccount, op.marketplace)
            assert stored is not None
            creating = stored.kind == OpKind.CREATE_LISTING.value
            stored.state = (OpState.UNKNOWN if creating else OpState.PENDING).value
            if until is not None:  # the marketplace did not act on it
                stored.state = OpState.PENDING.value if stored.attempts <= 1 else stored.state
                stored.attempts -= 1
                stored.next_attempt_at = until
            else:
                stored.next_attempt_at = backoff(stored.attempts, now, self.rng.random())
            stored.last_error = message
            stored.updated_at = now
            if stored.attempts >= MAX_ATTEMPTS or now - stored.created_at > GIVE_UP_AFTER:
                stored.state = OpState.PARKED.value
                stored.last_error = f"gave up after {stored.attempts} attempts: {message}"
            session.add(stored)
            if account is not None:
                if until is not None:
                    account.blocked_until = until
                else:
                    account.failures += 1
                account.last_error = message
                session.add(account)

    # Sending, per kind
    def _send(self, op: OutboxOp, report: PushReport) -> None:
        with self.database.session() as session:
            link = _link(session, op)
        kind = OpKind(op.kind)
        if kind in buyer_ops.BUYER_KINDS:
            self._send_to_buyers(op, link)
        elif kind is OpKind.SHIP_ORDER:
            payload = loads(op.payload)
            tracking = str(payload.get("tracking_number") or "")
            self.market.ship_order(str(payload["remote_id"]), tracking)
            self._finish(op, OpState.ACKED)
        elif kind is OpKind.CANCEL_ORDER:
            self.market.cancel_order(str(loads(op.payload)["remote_id"]))
            self._finish(op, OpState.ACKED)
        elif kind is OpKind.CREATE_LISTING:
            self._create(op, link)
        elif kind is OpKind.PUT_SELLER_VIDEO:
            self._put_video(op, None)
        elif link is None or link.remote_id is None:
            raise Refused(0, "not_listed", "the listing was never created; publish it again")
        elif kind is OpKind.UPDATE_LISTING:
            self._update(op, link, report)
        elif kind is OpKind.DELIST:
            self._delist(op, link.remote_id)
        elif kind is OpKind.PUT_VIDEO:
            self._put_video(op, link.remote_id)
        elif kind in STATUS_ACTIONS:
            remote = self.market.change_listing_status(link.remote_id, STATUS_ACTIONS[kind])
            self._acknowledge(op, remote)

    def _delist(self, op: OutboxOp, remote_id: str) -> None:
        try:
            remote = self.market.change_listing_status(remote_id, ListingAction.DELIST)
        except NotFound:
            self._finish(op, OpState.ACKED, "the listing was already gone")
            return
        except Refused as refused:
            if refused.code != "listing_sold":
                raise
            # Sold here too: the pull brings that order, and the double sale is flagged.
            self._finish(op, OpState.ACKED, "the listing had already sold")
            return
        self._acknowledge(op, remote)

    def _put_video(self, op: OutboxOp, remote_id: str | None) -> None:
        """The listing's video, or (no listing) the seller's own."""
        video = self.videos(loads(op.payload)["sha256"]) if self.videos is not None else None
        if video is None:
            self._finish(op, OpState.CANCELLED, "that video is no longer wanted")
            return
        if remote_id is None:
            self.market.put_seller_video(video)
        else:
            self.market.put_listing_video(remote_id, video)
        self._finish(op, OpState.ACKED)

    def _send_to_buyers(self, op: OutboxOp, link: ListingLink | None) -> None:
        with self.database.session() as session:
            outgoing = buyer_ops.prepare(session, op, link)
        try:
            note = buyer_ops.send(self.market, outgoing)
        except buyer_ops.MomentPassed as passed:
            self._finish(op, OpState.CANCELLED, str(passed))
            return
        self._finish(op, OpState.ACKED, note)

    def _create(self, op: OutboxOp, link: ListingLink | None) -> None:
        """One listing per SKU, however many studios publish the item: the create's key is
        the SKU's, so the marketplace answers a second studio's identical create with the
        listing the first one made; a different body under that key finds it by SKU."""
        if link is not None and link.remote_id is not None:
            self._finish(op, OpState.ACKED, "already listed (adopted from the feed)")
            return
        fields = loads(op.payload)
        self._upload_photos(fields.get("photos", []), self.bulk.held if self.bulk else set())
        try:
            remote = self.market.create_listing(fields, create_key(op, fields))
        except Refused as refused:
            found = None
            if refused.code == KEY_REUSED:
                found = self.market.find_listing_by_sku(str(fields["sku"]))
            if found is None:
                raise
            remote = found
        if remote.status is ListingState.SOLD:
            # The SKU's earlier listing, sold before this item was made (had ours sold, the
            # pull before this push would have adopted it): this item gets its own listing.
            remote = self.market.create_listing(fields, op.op_id)
        self._adopt(op, remote, fields)

    def _upload_photos(self, hashes: list[str], there: set[str]) -> None:
        """Photos first, by content: a repeat stores nothing new, and a listing never shows
        a photo before it is there. Those the marketplace already has are not sent again."""
        for sha256 in hashes:
            if sha256 not in there:
                data, content_type = self.photos(sha256)
                self.market.upload_photo(sha256, data, content_type)
                there.add(sha256)

    def _update(self, op: OutboxOp, link: ListingLink, report: PushReport) -> None:
        assert link.remote_id is not None
        changes: dict[str, Any] | None = loads(op.payload)
        assert changes is not None
        if "photos" in changes:
            self._upload_photos(changes["photos"], set(loads(link.base).get("photos", [])))
        version = link.remote_version
        for _round in range(MERGE_ROUNDS):
            assert changes is not None
            try:
                remote = self.market.update_listing(link.remote_id, changes, version)
            except VersionConflict as conflict:
                changes = self._merge(op, link, conflict.current, changes, report)
                if changes is None:
                    return
                version = conflict.current.version
                continue
            except Refused as refused:
                if refused.code == "listing_sold":
                    self._sold_meanwhile(op, self.market.get_listing(link.remote_id))
                    return
                raise
            self._acknowledge(op, remote)
            return
        raise Unreachable("the listing kept changing remotely; will try again")

    def _merge(
        self,
        op: OutboxOp,
        link: ListingLink,
        current: RemoteListing,
        changes: dict[str, Any],
        report: PushReport,
    ) -> dict[str, Any] | None:
        """Merges against the remote state; None when nothing is left to send."""
        if current.status is ListingState.SOLD:
            self._sold_meanwhile(op, current)
            return None
        result = merge(loads(link.base), changes, current.fields)
        with self.database.transaction() as session:
            stored_link = session.get(ListingLink, link.id)
            assert stored_link is not None and op.item_id is not None
            local_apply.take_remote_fields(session, op.item_id, result.take, op.marketplace)
            local_apply.record_conflicts(session, op.item_id, op.marketplace, result.conflicts)
            local_apply.remember_remote(stored_link, current)
            session.add(stored_link)
        local_apply.remember_remote(link, current)  # the next round merges against this base
        report.conflicts += len(result.conflicts)
        if not result.push:
            self._finish(op, OpState.ACKED, "nothing left to send after merging")
            return None
        return result.push

    def _sold_meanwhile(self, op: OutboxOp, current: RemoteListing) -> None:
        with self.database.transaction() as session:
            link = _link(session, op)
            if link is not None:
                local_apply.remember_remote(link, current)
                session.add(link)
            if op.item_id is not None:
                local_apply.mark_sold(session, op.item_id, op.marketplace)
            stored = session.get(OutboxOp, op.id)
            assert stored is not None
            stored.state = OpState.CANCELLED.value
            stored.last_error = "the item sold on the marketplace; a sale beats local edits"
            session.add(stored)

    def _adopt(self, op: OutboxOp, remote: RemoteListing, claimed: dict[str, Any]) -> None:
        """Our create's answer, or the listing another studio made for the SKU: where it
        holds other values than ours, both are shown as conflicts, never overwritten."""
        with self.database.transaction() as session:
            if op.item_id is not None:
                local_apply.record_adoption_conflicts(
                    session, op.item_id, op.marketplace, claimed, remote
                )
        self._acknowledge(op, remote)

    def _acknowledge(self, op: OutboxOp, remote: RemoteListing) -> None:
        self._acknowledge_all([(op, remote)])

    def _acknowledge_all(self, done: list[tuple[OutboxOp, RemoteListing]]) -> None:
        """Stores what the marketplace answered for each op, in one transaction."""
        if not done:
            return
        with self.database.transaction() as session:
            for op, remote in done:
                link = _link(session, op)
                if link is not None:
                    local_apply.remember_remote(link, remote)
                    session.add(link)
                stored = session.get(OutboxOp, op.id)
                assert stored is not None
                stored.state = OpState.ACKED.value
                stored.last_error = ""
                stored.updated_at = self.now()
                session.add(stored)
            account = session.get(MarketplaceAccount, self.market.name)
            if account is not None:
                account.failures = 0
                session.add(account)


def _needs_a_look(outcome: RemoteListing | MarketplaceError) -> bool:
    if isinstance(outcome, RemoteListing):
        return outcome.status is ListingState.SOLD
    return isinstance(outcome, Refused) and outcome.code == KEY_REUSED


def _link(session: Session, op: OutboxOp) -> ListingLink | None:
    if op.item_id is None:
        return None
    return session.exec(
        select(ListingLink).where(
            ListingLink.item_id == op.item_id, ListingLink.marketplace == op.marketplace
        )
    ).first()
