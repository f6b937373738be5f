"""The Seller API client: the Marketplace port over HTTP with httpx.

Every call has a timeout and reuses keep-alive connections from a small pool (the engine
keeps up to `max_in_flight` requests going at once: photo uploads, batch creates). Brief
blips (connection errors, 5xx) are retried a couple of times with jittered back-off; longer
outages are the engine's business. Every request here is safe to repeat: creates carry an
Idempotency-Key, updates an If-Match, status changes are no-ops when repeated. What the
answers hold is read by parse.py.
"""

import random
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

from studio import __version__
from studio.marketplaces.seller_api import parse
from studio.marketplaces.seller_api.tokens import TokenSource
from studio.seller_tools.fees import FeeSchedule
from studio.sync.port import (
    AuthFailed,
    BadAnswer,
    Counters,
    FeedPage,
    LikePage,
    ListingAction,
    ListingPage,
    ListingState,
    ListingVideo,
    MarketplaceError,
    MessageKind,
    NewListing,
    NotFound,
    OfferAnswer,
    OfferPage,
    PhotoUpload,
    RateLimited,
    Refused,
    RemoteListing,
    RemoteMessage,
    RemoteOffer,
    Unreachable,
    VersionConflict,
)

T = TypeVar("T")
QUICK_RETRIES = 2
IN_FLIGHT = 4  # requests at once: enough to hide a round trip, few enough to be polite
PHOTO_LOOKUP = 100  # hashes one `GET /v1/photos` may ask about
RETRY_BASE_S = 0.25
# The API's paths for the port's listing actions.
ACTION_PATHS = {
    ListingAction.DELIST: "delist",
    ListingAction.RELIST: "relist",
    ListingAction.MARK_SOLD: "mark-sold",
}


def _http_date(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value).astimezone(UTC) if value else None
    except (TypeError, ValueError):
        return None


def retry_after(value: str | None, now: datetime, server_now: str | None = None) -> datetime:
    """Retry-After as seconds or as an HTTP date, in this laptop's clock.

    A date is measured against the response's own Date header when there is one, so a
    laptop clock that is off does not shorten or stretch the wait. A minute when unreadable.
    """
    if value and value.strip().isdigit():
        return now + timedelta(seconds=int(value))
    until, server_time = _http_date(value), _http_date(server_now)
    if until is not None:
        return now + (until - server_time) if server_time is not None else until
    return now + timedelta(minutes=1)


class SellerApiClient:
    kind = "seller-api"
    provides_labels = True  # prepaid labels, downloaded with each order
    max_in_flight = IN_FLIGHT
    listing_batch_limit = 25  # the API's `POST /v1/listings:batch` limit
    photo_batch_limit = 20  # the API's `POST /v1/photos:batch` limit
    photo_batch_bytes = 8 * 1024 * 1024  # under the server's upload size, with room to spare

    def __init__(
        self,
        base_url: str,
        tokens: TokenSource,
        name: str = kind,  # the account's name, which the local rows carry
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.tokens = tokens
        self.counters = Counters()
        self._counting = threading.Lock()
        self._refreshing = threading.Lock()
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            limits=httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT),
            transport=transport,
            headers={"User-Agent": f"SellerStudio/{__version__}"},
        )

    def close(self) -> None:
        self._http.close()

    def signin_expires_at(self) -> datetime | None:
        return self.tokens.expires_at()

    # The one way requests are made
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        refreshed = False
        attempt = 0
        extra = kwargs.pop("headers", None) or {}
        # Requests without an idempotency key must not be resent blindly: the outbox checks
        # what a lost attempt did before it tries again.
        quick_retries = kwargs.pop("quick_retries", QUICK_RETRIES)
        while True:
            token = self.tokens.access_token()
            headers = {"Authorization": f"Bearer {token}", **extra}
            try:
                self._count(f"{method} {path.split('?')[0]}")
                response = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as error:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"{type(error).__name__}: {error}") from error
            status = response.status_code
            if status == 401 and not refreshed and self._refresh(token):
                refreshed = True
                continue
            if status in (429, 503) and (status == 429 or "retry-after" in response.headers):
                reply = response.headers
                raise RateLimited(retry_after(reply.get("retry-after"), _now(), reply.get("date")))
            if status >= 500:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"the marketplace answered {status}")
            if status >= 400:
                raise _error_for(response)
            return response

    def _count(self, key: str) -> None:
        with self._counting:  # requests run on several threads at once
            self.counters.requests += 1
            self.counters.by_path[key] = self.counters.by_path.get(key, 0) + 1

    def _refresh(self, stale: str) -> bool:
        """One refresh for all the requests a lapsed token failed: refresh tokens rotate, so
        a second refresh with the old one would sign the seller out."""
        with self._refreshing:
            return self.tokens.access_token() != stale or self.tokens.refresh()

    def _pause(self, attempt: int) -> None:
        # Full jitter: spreads retries of many clients instead of synchronising them.
        self._sleep(random.uniform(0, RETRY_BASE_S * 2**attempt))

    # The port
    def seller_name(self) -> str:
        return _read(parse.seller_name, self._request("GET", "/v1/me"))

    def fee_schedule(self) -> FeeSchedule | None:
        return _read(parse.fee_schedule, self._request("GET", "/v1/me"))

    def create_listing(self, fields: dict[str, Any], idempotency_key: str) -> RemoteListing:
        response = self._request(
            "POST", "/v1/listings", json=fields, headers={"Idempotency-Key": idempotency_key}
        )
        return _read(parse.listing, response)

    def create_listings(
        self, listings: Sequence[NewListing]
    ) -> list[RemoteListing | MarketplaceError]:
        entries = [{"idempotency_key": n.idempotency_key, "listing": n.fields} for n in listings]
        response = self._request("POST", "/v1/listings:batch", json={"listings": entries})
        results = _read(parse.batch_results, response)
        if [r.idempotency_key for r in results] != [n.idempotency_key for n in listings]:
            raise BadAnswer("the batch create answered for other listings than were sent")
        return [
            r.outcome if isinstance(r.outcome, RemoteListing) else _error(r.status, r.outcome)
            for r in results
        ]

    def upload_photos(self, photos: Sequence[PhotoUpload]) -> dict[str, MarketplaceError]:
        files = [("photo", (p.sha256, p.content, p.content_type)) for p in photos]
        results = _read(
            parse.photo_batch_results, self._request("POST", "/v1/photos:batch", files=files)
        )
        if [sha256 for sha256, _status, _problem in results] != [p.sha256 for p in photos]:
            raise BadAnswer("the batch upload answered for other photos than were sent")
        return {
            sha256: _error(status, problem)
            for sha256, status, problem in results
            if problem is not None
        }

    def photos_held(self, hashes: Sequence[str]) -> set[str]:
        held: set[str] = set()
        for start in range(0, len(hashes), PHOTO_LOOKUP):
            chunk = list(hashes[start : start + PHOTO_LOOKUP])
            response = self._request("GET", "/v1/photos", params={"sha256": chunk})
            held |= _read(parse.photo_hashes, response)
        return held

    def find_listing_by_sku(self, sku: str) -> RemoteListing | None:
        """The SKU's listing still on sale or delisted, else one that sold (a closet brought
        in may hold a SKU's old sold listings beside its current one)."""
        page = self._request("GET", "/v1/listings", params={"sku": sku, "limit": 50})
        found = _read(parse.listings, page)
        unsold = [listing for listing in found if listing.status is not ListingState.SOLD]
        return next(iter(unsold or found), None)

    def get_listing(self, remote_id: str) -> RemoteListing:
        return _read(parse.listing, self._request("GET", f"/v1/listings/{remote_id}"))

    def update_listing(
        self, remote_id: str, changes: dict[str, Any], base_version: int
    ) -> RemoteListing:
        response = self._request(
            "PATCH",
            f"/v1/listings/{remote_id}",
            json=changes,
            headers={"If-Match": f'"{base_version}"'},
        )
        return _read(parse.listing, response)

    def change_listing_status(self, remote_id: str, action: ListingAction) -> RemoteListing:
        path = f"/v1/listings/{remote_id}/{ACTION_PATHS[action]}"
        return _read(parse.listing, self._request("POST", path))

    def upload_photo(self, sha256: str, data: bytes, content_type: str) -> None:
        self._request(
            "PUT", f"/v1/photos/{sha256}", content=data, headers={"Content-Type": content_type}
        )

    def put_listing_video(self, remote_id: str, video: ListingVideo) -> None:
        self._put_video(f"/v1/listings/{remote_id}/video", video)

    def put_seller_video(self, video: ListingVideo) -> None:
        self._put_video("/v1/me/video", video)

    def _put_video(self, attach_path: str, video: ListingVideo) -> None:
        """Within the limits the marketplace declares: the poster, the video, then attach."""
        limits = _read(parse.video_limits, self._request("GET", "/v1/video-limits"))
        problem = limits.problem_with(video)
        if problem:
            raise Refused(0, "video_limits", problem)
        self.upload_photo(video.poster_sha256, video.poster, "image/jpeg")
        self._upload_video(video, limits.chunk_bytes)
        body = {"sha256": video.sha256, "poster_sha256": video.poster_sha256}
        self._request("PUT", attach_path, json=body)

    def _upload_video(self, video: ListingVideo, chunk_bytes: int) -> None:
        """In pieces, from where the marketplace has got to: an upload cut off by a lost
        connection or a quit carries on there next time, and a finished one is not resent."""
        path = f"/v1/videos/{video.sha256}"
        received, complete = _read(parse.upload_state, self._request("GET", f"{path}/upload"))
        with video.path.open("rb") as handle:
            while not complete:
                handle.seek(received)
                piece = handle.read(chunk_bytes)
                last = received + len(piece) - 1
                headers = {
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"bytes {received}-{last}/{video.size_bytes}",
                }
                try:
                    # Not resent blindly: a piece whose answer was lost may have landed.
                    answer = self._request(
                        "PUT", path, content=piece, headers=headers, quick_retries=0
                    )
                except Refused as refused:
                    if refused.code != "upload_offset":
                        raise
                    answer = self._request("GET", f"{path}/upload")
                received, complete = _read(parse.upload_state, answer)

    def events(self, after: int, limit: int) -> FeedPage:
        page = self._request("GET", "/v1/events", params={"after": after, "limit": limit})
        return _read(parse.feed_page, page)

    def ship_order(self, remote_id: str, tracking_number: str = "") -> None:
        # The marketplace made the label, so it knows the tracking number already.
        self._request("POST", f"/v1/orders/{remote_id}/ship")

    def cancel_order(self, remote_id: str) -> None:
        self._request("POST", f"/v1/orders/{remote_id}/cancel")

    # Live shows (studio/shows/hosting.py)
    def schedule_show(
        self, title: str, starts_at: datetime, lineup: list[tuple[str, int | None]]
    ) -> str:
        slots = [
            {"listing_id": int(listing_id), **({"price_cents": price} if price else {})}
            for listing_id, price in lineup
        ]
        body = {"title": title, "starts_at": starts_at.isoformat(), "lineup": slots}
        # No Idempotency-Key here: a lost answer is not resent (a second show would be made).
        answer = self._request("POST", "/v1/shows", json=body, quick_retries=0)
        return str(_read(lambda data: data["id"], answer))

    def price_on_air(self, remote_id: str, listing_id: str, price_cents: int) -> None:
        body = {"price_cents": price_cents}
        self._request("PUT", f"/v1/shows/{remote_id}/lineup/{listing_id}", json=body)

    def start_show(self, remote_id: str) -> None:
        self._request("POST", f"/v1/shows/{remote_id}/start")

    def end_show(self, remote_id: str) -> None:
        self._request("POST", f"/v1/shows/{remote_id}/end")

    def order_label(self, remote_id: str) -> bytes:
        return self._request("GET", f"/v1/orders/{remote_id}/label.pdf").content

    # Offers and messages. The API takes no Idempotency-Key here: the outbox checks what a
    # lost answer did before it sends again (studio/sync/buyer_ops.py).
    def get_offer(self, remote_id: str) -> RemoteOffer:
        return _read(parse.offer, self._request("GET", f"/v1/offers/{remote_id}"))

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]:
        page = self._request("GET", "/v1/offers", params={"listing_id": listing_id, "limit": 500})
        return _read(parse.offers, page)

    def answer_offer(self, remote_id: str, answer: OfferAnswer) -> RemoteOffer:
        path = f"/v1/offers/{remote_id}/{answer.value}"
        return _read(parse.offer, self._request("POST", path, quick_retries=0))

    def counter_offer(self, remote_id: str, amount_cents: int) -> RemoteOffer:
        response = self._request(
            "POST",
            f"/v1/offers/{remote_id}/counter",
            json={"amount_cents": amount_cents},
            quick_retries=0,
        )
        return _read(parse.offer, response)

    def offer_to_likers(
        self,
        listing_id: str,
        amount_cents: int,
        shipping_discount_cents: int,
        expires_in_hours: int,
    ) -> int:
        body = {
            "amount_cents": amount_cents,
            "shipping_discount_cents": shipping_discount_cents,
            "expires_in_hours": expires_in_hours,
        }
        response = self._request(
            "POST", f"/v1/listings/{listing_id}/offer-to-likers", json=body, quick_retries=0
        )
        return _read(parse.likers_reached, response)

    def send_message(
        self, buyer_id: str, kind: MessageKind, body: str, listing_ids: list[str]
    ) -> RemoteMessage:
        payload = {
            "buyer_id": int(buyer_id),
            "kind": kind.value,
            "body": body,
            "listing_ids": [int(listing) for listing in listing_ids],
        }
        response = self._request("POST", "/v1/messages", json=payload, quick_retries=0)
        return _read(parse.message, response)

    def messages(self) -> list[RemoteMessage]:
        page = self._request("GET", "/v1/messages", params={"limit": 500})
        return _read(parse.messages, page)

    # A whole closet, for an import
    def listings(self, status: ListingState | None, after: str | None, limit: int) -> ListingPage:
        params: dict[str, Any] = {"limit": limit}
        if status is not None:
            params["status"] = status.value
        if after is not None:
            params["after_id"] = after
        return _read(parse.listing_page, self._request("GET", "/v1/listings", params=params))

    def likes(self, after: str | None, limit: int) -> LikePage:
        params: dict[str, Any] = {"limit": limit}
        if after is not None:
            params["after"] = after
        return _read(parse.like_page, self._request("GET", "/v1/likes", params=params))

    def offers(self, after: str | None, limit: int) -> OfferPage:
        params: dict[str, Any] = {"limit": limit}
        if after is not None:
            params["before_id"] = after
        return _read(parse.offer_page, self._request("GET", "/v1/offers", params=params))

    def download_photo(self, sha256: str) -> bytes:
        return self._request("GET", f"/v1/photos/{sha256}").content


def _read(parser: Callable[[Any], T], response: httpx.Response) -> T:
    """The answer's JSON read by `parser`; an answer that is not JSON, or not shaped as the
    API promises, is a BadAnswer naming what came back rather than a crash in the engine."""
    try:
        return parser(response.json())
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        kind = response.headers.get("content-type", "no content type").split(";")[0]
        raise BadAnswer(
            f"the marketplace answered with {kind}, not the Seller API's JSON "
            f"({type(error).__name__}); check its address, or try again later if it is being "
            "updated"
        ) from error


def _now() -> datetime:
    return datetime.now(UTC)


def _error_for(response: httpx.Response) -> MarketplaceError:
    try:
        body = response.json()
    except ValueError:
        body = None
    status = response.status_code
    return _error(status, parse.problem(body, status, response.reason_phrase))


def _error(status: int, problem: parse.Problem) -> MarketplaceError:
    if status == 401:
        return AuthFailed(f"{problem.message} ({problem.code}); connect the marketplace again")
    if status == 404:
        return NotFound(problem.message)
    if status == 412 and problem.current is not None:
        return VersionConflict(problem.current)
    return Refused(status, problem.code, problem.message)
