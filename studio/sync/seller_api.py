"""The Seller API client: the Marketplace port over HTTP with httpx.

Every call has a timeout and reuses one keep-alive connection. Brief blips (connection
errors, 5xx) are retried a couple of times with jittered back-off; longer outages are the
engine's business. Every request here is safe to repeat: creates carry an Idempotency-Key,
updates an If-Match, status changes are no-ops when repeated.
"""

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx

from studio import __version__
from studio.sync.port import (
    AuthFailed,
    Counters,
    FeedEvent,
    FeedPage,
    NotFound,
    RateLimited,
    Refused,
    RemoteListing,
    RemoteMessage,
    RemoteOffer,
    Unreachable,
    VersionConflict,
)

SYNCED_FIELDS = (
    "title",
    "description",
    "brand",
    "size",
    "condition",
    "price_cents",
    "floor_price_cents",
    "sku",
    "photos",
)
QUICK_RETRIES = 2
RETRY_BASE_S = 0.25


class TokenSource(Protocol):
    def access_token(self) -> str: ...

    def refresh(self) -> bool:
        """Gets a new access token; False when that is impossible (reconnect needed)."""
        ...


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


def listing_from_json(data: dict[str, Any]) -> RemoteListing:
    fields = {name: data.get(name) for name in SYNCED_FIELDS}
    fields["photos"] = [photo["sha256"] for photo in data.get("photos", [])]
    return RemoteListing(
        id=str(data["id"]),
        version=int(data["version"]),
        status=data["status"],
        fields=fields,
        likes_count=int(data.get("likes_count", 0)),
        sold_via=data.get("sold_via"),
    )


def offer_from_json(data: dict[str, Any]) -> RemoteOffer:
    return RemoteOffer(
        id=str(data["id"]),
        listing_id=str(data["listing_id"]),
        buyer_id=str(data["buyer"]["id"]),
        kind=data["kind"],
        amount_cents=int(data["amount_cents"]),
        status=data["status"],
        created_at=datetime.fromisoformat(data["created_at"]),
    )


def message_from_json(data: dict[str, Any]) -> RemoteMessage:
    return RemoteMessage(
        id=str(data["id"]),
        buyer_id=str(data["buyer"]["id"]),
        kind=data["kind"],
        body=data["body"],
        created_at=datetime.fromisoformat(data["created_at"]),
    )


class SellerApiClient:
    name = "seller-api"

    def __init__(
        self,
        base_url: str,
        tokens: TokenSource,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tokens = tokens
        self.counters = Counters()
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            transport=transport,
            headers={"User-Agent": f"SellerStudio/{__version__}"},
        )

    def close(self) -> None:
        self._http.close()

    # The one way requests are made
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        refreshed = False
        attempt = 0
        extra = kwargs.pop("headers", None) or {}
        # Requests without an idempotency key must not be resent blindly: the outbox checks
        # what a lost attempt did before it tries again.
        quick_retries = kwargs.pop("quick_retries", QUICK_RETRIES)
        while True:
            headers = {"Authorization": f"Bearer {self.tokens.access_token()}", **extra}
            try:
                self.counters.requests += 1
                key = f"{method} {path.split('?')[0]}"
                self.counters.by_path[key] = self.counters.by_path.get(key, 0) + 1
                response = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as error:
                if attempt < quick_retries:
                    attempt += 1
                    self._pause(attempt)
                    continue
                raise Unreachable(f"{type(error).__name__}: {error}") from error
            status = response.status_code
            if status == 401 and not refreshed and self.tokens.refresh():
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

    def _pause(self, attempt: int) -> None:
        # Full jitter: spreads retries of many clients instead of synchronising them.
        self._sleep(random.uniform(0, RETRY_BASE_S * 2**attempt))

    # The port
    def create_listing(self, fields: dict[str, Any], idempotency_key: str) -> RemoteListing:
        response = self._request(
            "POST", "/v1/listings", json=fields, headers={"Idempotency-Key": idempotency_key}
        )
        return listing_from_json(response.json())

    def find_listing_by_sku(self, sku: str) -> RemoteListing | None:
        page = self._request("GET", "/v1/listings", params={"sku": sku, "limit": 1}).json()
        return listing_from_json(page["listings"][0]) if page["listings"] else None

    def get_listing(self, remote_id: str) -> RemoteListing:
        return listing_from_json(self._request("GET", f"/v1/listings/{remote_id}").json())

    def update_listing(
        self, remote_id: str, changes: dict[str, Any], base_version: int
    ) -> RemoteListing:
        response = self._request(
            "PATCH",
            f"/v1/listings/{remote_id}",
            json=changes,
            headers={"If-Match": f'"{base_version}"'},
        )
        return listing_from_json(response.json())

    def change_listing_status(self, remote_id: str, action: str) -> RemoteListing:
        if action not in ("delist", "relist", "mark-sold"):
            raise ValueError(f"unknown listing action {action!r}")
        return listing_from_json(self._request("POST", f"/v1/listings/{remote_id}/{action}").json())

    def upload_photo(self, sha256: str, data: bytes, content_type: str) -> None:
        self._request(
            "PUT", f"/v1/photos/{sha256}", content=data, headers={"Content-Type": content_type}
        )

    def events(self, after: int, limit: int) -> FeedPage:
        page = self._request("GET", "/v1/events", params={"after": after, "limit": limit}).json()
        events = [
            FeedEvent(
                cursor=int(event["cursor"]),
                type=event["type"],
                created_at=datetime.fromisoformat(event["created_at"]),
                data=event["data"],
            )
            for event in page["events"]
        ]
        return FeedPage(events, int(page["next_cursor"]), bool(page["has_more"]))

    def ship_order(self, remote_id: str) -> None:
        self._request("POST", f"/v1/orders/{remote_id}/ship")

    def order_label(self, remote_id: str) -> bytes:
        return self._request("GET", f"/v1/orders/{remote_id}/label.pdf").content

    # Offers and messages. The API takes no Idempotency-Key here: the outbox checks what a
    # lost answer did before it sends again (studio/sync/buyer_ops.py).
    def get_offer(self, remote_id: str) -> RemoteOffer:
        return offer_from_json(self._request("GET", f"/v1/offers/{remote_id}").json())

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]:
        page = self._request(
            "GET", "/v1/offers", params={"listing_id": listing_id, "limit": 500}
        ).json()
        return [offer_from_json(offer) for offer in page["offers"]]

    def answer_offer(self, remote_id: str, action: str) -> RemoteOffer:
        if action not in ("accept", "decline"):
            raise ValueError(f"unknown offer action {action!r}")
        path = f"/v1/offers/{remote_id}/{action}"
        return offer_from_json(self._request("POST", path, quick_retries=0).json())

    def counter_offer(self, remote_id: str, amount_cents: int) -> RemoteOffer:
        response = self._request(
            "POST",
            f"/v1/offers/{remote_id}/counter",
            json={"amount_cents": amount_cents},
            quick_retries=0,
        )
        return offer_from_json(response.json())

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
        return int(response.json()["likers_reached"])

    def send_message(
        self, buyer_id: str, kind: str, body: str, listing_ids: list[str]
    ) -> RemoteMessage:
        payload = {
            "buyer_id": int(buyer_id),
            "kind": kind,
            "body": body,
            "listing_ids": [int(listing) for listing in listing_ids],
        }
        response = self._request("POST", "/v1/messages", json=payload, quick_retries=0)
        return message_from_json(response.json())

    def messages(self) -> list[RemoteMessage]:
        page = self._request("GET", "/v1/messages", params={"limit": 500}).json()
        return [message_from_json(message) for message in page["messages"]]


def _now() -> datetime:
    return datetime.now(UTC)


def _error_for(response: httpx.Response) -> Exception:
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    code = str(problem.get("code", "")) or f"http_{response.status_code}"
    message = str(problem.get("detail") or problem.get("title") or response.reason_phrase)
    status = response.status_code
    if status == 401:
        return AuthFailed(f"{message} ({code}); connect the marketplace again")
    if status == 404:
        return NotFound(message)
    if status == 412 and isinstance(problem.get("current"), dict):
        return VersionConflict(listing_from_json(problem["current"]))
    return Refused(status, code, message)
