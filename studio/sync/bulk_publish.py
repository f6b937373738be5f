"""Publishing many listings at once (a first sync): their photos, each sent once by content,
then batch creates, with up to the marketplace's `max_in_flight` requests going at once.

Network only: what each listing's outcome means for the outbox is push.py's business. A
listing's create is never sent before all its photos are there, and once the marketplace
has asked to wait, is down or has signed out, nothing more is sent.
"""

from collections.abc import Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Protocol

from studio.sync.port import (
    AuthFailed,
    BulkPublishing,
    Marketplace,
    MarketplaceError,
    NewListing,
    PhotoUpload,
    RateLimited,
    Refused,
    RemoteListing,
    Unreachable,
)

# What became of one listing; None: it was not sent (something stopped the push first).
Outcome = RemoteListing | MarketplaceError | None
# Errors after which nothing more goes to the marketplace in this push.
STOPPING = (RateLimited, Unreachable, AuthFailed)


class PhotoSource(Protocol):
    def __call__(self, sha256: str) -> tuple[bytes, str]:
        """The photo's bytes and content type."""
        ...


def photos_of(listing: NewListing) -> list[str]:
    return list(listing.fields.get("photos") or [])


class BulkPublisher:
    """Publishes listings to one marketplace that offers BulkPublishing; remembers which
    photos the marketplace holds, so each is asked about and sent at most once."""

    def __init__(self, market: Marketplace, bulk: BulkPublishing, photos: PhotoSource) -> None:
        self.market = market
        self.bulk = bulk
        self.photos = photos
        self.held: set[str] = set()

    def publish(self, listings: Sequence[NewListing]) -> list[Outcome]:
        lanes = max(1, self.market.max_in_flight)
        with ThreadPoolExecutor(lanes, thread_name_prefix=f"publish-{self.market.name}") as pool:
            failed = self._send_photos(pool, listings)
            outcomes: list[Outcome] = [None] * len(listings)
            ready = []
            for index, listing in enumerate(listings):
                problem = next((failed[h] for h in photos_of(listing) if h in failed), None)
                if problem is not None:
                    outcomes[index] = problem
                else:
                    ready.append(index)
            if any(isinstance(error, STOPPING) for error in failed.values()):
                return outcomes  # the rest wait, unsent, for the next push
            limit = self.bulk.listing_batch_limit
            chunks = [ready[start : start + limit] for start in range(0, len(ready), limit)]
            batches = [
                (chunk, pool.submit(self.bulk.create_listings, [listings[i] for i in chunk]))
                for chunk in chunks
            ]
            alone: list[int] = []
            for chunk, batch in batches:
                try:
                    results: list[Outcome] = list(batch.result())
                except Refused:
                    # Refused as a whole: some listing breaks the API's rules. Each goes
                    # again on its own (same keys), so only the one at fault is refused.
                    alone.extend(chunk)
                    continue
                except MarketplaceError as error:
                    results = [error] * len(chunk)
                for index, outcome in zip(chunk, results, strict=True):
                    outcomes[index] = outcome
            singles = [(i, pool.submit(self._create, listings[i])) for i in alone]
            for index, single in singles:
                try:
                    outcomes[index] = single.result()
                except MarketplaceError as error:
                    outcomes[index] = error
        return outcomes

    def _send_photos(
        self, pool: ThreadPoolExecutor, listings: Sequence[NewListing]
    ) -> dict[str, MarketplaceError]:
        """Uploads the photos the marketplace lacks; returns those that failed, with why."""
        wanted = list(dict.fromkeys(h for listing in listings for h in photos_of(listing)))
        unknown = [sha256 for sha256 in wanted if sha256 not in self.held]
        if not unknown:
            return {}
        try:
            self.held |= self.bulk.photos_held(unknown)
        except MarketplaceError as error:
            return dict.fromkeys(unknown, error)
        missing = [sha256 for sha256 in unknown if sha256 not in self.held]
        limit = self.bulk.photo_batch_limit
        chunks = [missing[start : start + limit] for start in range(0, len(missing), limit)]
        uploads = {pool.submit(self._upload, chunk): chunk for chunk in chunks}
        failed: dict[str, MarketplaceError] = {}
        pending: set[Future[dict[str, MarketplaceError]]] = set(uploads)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                chunk, raised = uploads[future], future.exception()
                if raised is None:
                    refused = future.result()
                    failed |= refused
                    self.held |= {sha256 for sha256 in chunk if sha256 not in refused}
                elif isinstance(raised, MarketplaceError):
                    failed |= dict.fromkeys(chunk, raised)
                else:
                    raise raised
            if any(isinstance(error, STOPPING) for error in failed.values()):
                for future in pending:
                    future.cancel()  # not started: it waits for the next push
                break
        return failed

    def _create(self, listing: NewListing) -> RemoteListing:
        return self.market.create_listing(listing.fields, listing.idempotency_key)

    def _upload(self, hashes: list[str]) -> dict[str, MarketplaceError]:
        """Up to a batch of photos, in as few requests as their size allows; those refused."""
        refused: dict[str, MarketplaceError] = {}
        group: list[PhotoUpload] = []
        for sha256 in hashes:
            photo = PhotoUpload(sha256, *self.photos(sha256))
            size = sum(len(p.content) for p in group) + len(photo.content)
            if group and size > self.bulk.photo_batch_bytes:
                refused |= self.bulk.upload_photos(group)
                group = []
            group.append(photo)
        return refused | self.bulk.upload_photos(group)
