"""The eBay client: the Marketplace port over eBay's Sell APIs and Trading API.

A listing is an inventory item and an offer, both keyed by the SKU, which is the listing's
id here (it outlives a withdraw and relist; eBay's item number does not). eBay takes no
idempotency keys, so a create looks before it makes: the item is a full replacement by SKU,
an offer already made for the SKU is updated rather than made twice, and a published one is
not published again. The change feed is synthesized by feed.py; the few things eBay cannot
do (cancel an order here, discount shipping in an offer to watchers, message buyers) are
refused with a message that says so.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from studio.marketplaces.ebay import errors, listing_json, orders, trading
from studio.marketplaces.ebay.environments import Environment, environment_named
from studio.marketplaces.ebay.errors import OFFER_NOT_AVAILABLE
from studio.marketplaces.ebay.feed import Feed, PollEvery, watcher
from studio.marketplaces.ebay.ledger import Ledger
from studio.marketplaces.ebay.listing_details import ListingDetails
from studio.marketplaces.ebay.listing_setup import ListingSetup
from studio.marketplaces.ebay.negotiation import Negotiation
from studio.marketplaces.ebay.oauth import KIND, EbayTokens
from studio.marketplaces.ebay.rest import PAGE, EbayHttp, TokenSource
from studio.seller_tools.fees import FeeSchedule
from studio.storage.credentials import CredentialStore
from studio.sync.port import (
    SYNCED_FIELDS,
    Counters,
    CurrentLike,
    FeedPage,
    LikePage,
    ListingAction,
    ListingPage,
    ListingState,
    ListingVideo,
    Marketplace,
    MessageKind,
    NotConnected,
    NotFound,
    OfferAnswer,
    OfferPage,
    OrderState,
    Refused,
    RemoteListing,
    RemoteMessage,
    RemoteOffer,
    Unsupported,
)

SOLD_MESSAGE = "the listing has sold on eBay"


def _now() -> datetime:
    return datetime.now(UTC)


class EbayClient:
    kind = KIND
    provides_labels = False  # eBay labels are bought in Seller Hub; these APIs offer none

    def __init__(
        self,
        tokens: TokenSource,
        env: Environment,
        setup: ListingSetup,
        ledger: Ledger,
        name: str = KIND,  # the account's name, which the local rows carry
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = _now,
        poll_every: PollEvery | None = None,
    ) -> None:
        self.name = name
        self.tokens = tokens
        self.env = env
        self.setup = setup
        self.ledger = ledger
        self.counters = Counters()
        self.now = now
        self.poll_every = poll_every or PollEvery()
        self.http = EbayHttp(tokens, env, setup.site, self.counters, transport, sleep, now)
        self.inventory = f"{env.api}/sell/inventory/v1"
        self.fulfillment = f"{env.api}/sell/fulfillment/v1"
        self.account = f"{env.api}/sell/account/v1"
        self.media = f"{env.apim}/commerce/media/v1_beta"
        self._details: ListingDetails | None = None
        self.negotiation = Negotiation(
            self.http,
            f"{env.api}/sell/negotiation/v1",
            setup,
            ledger,
            self._offer_for,
            self._live_offer,
            now,
        )

    @classmethod
    def for_account(
        cls,
        credentials: CredentialStore,
        name: str,
        ledger_path: Path | None,
        transport: httpx.BaseTransport | None = None,
    ) -> "EbayClient":
        """The client for a connected account: its sign-in and setup from the credential
        store, its ledger in the data dir."""
        secret = credentials.get(name)
        if not secret or secret.get("kind") != KIND:
            raise NotConnected(f"The eBay sign-in for {name} is missing; connect it again.")
        return cls(
            EbayTokens(credentials, name),
            environment_named(str(secret.get("environment", "production"))),
            ListingSetup.from_secret(secret.get("listing_setup")),
            Ledger(ledger_path),
            name=name,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def signin_expires_at(self) -> datetime | None:
        return self.tokens.expires_at()

    def seller_name(self) -> str:
        return trading.user_id(self.http.trading("GetUser", trading.get_user()))

    def fee_schedule(self) -> FeeSchedule | None:
        return None  # eBay's final value fee varies by category; it does not state one rate

    @property
    def details(self) -> ListingDetails:
        """Category suggestions, aspects and conditions, for the item editor."""
        if self._details is None:
            self._details = ListingDetails(self.http, self.setup.marketplace_id)
        return self._details

    # Headers
    def _language(self) -> dict[str, str]:
        # Required on item and offer writes: the language the listing is written in.
        return {"Content-Language": self.setup.site.language}

    # Account setup: the policies and locations a connection chooses from
    def listing_setup_choices(self) -> dict[str, list[dict[str, Any]]]:
        market = {"marketplace_id": self.setup.marketplace_id}
        get = self.http.rest
        return {
            "payment": get("GET", f"{self.account}/payment_policy", params=market)
            .json()
            .get("paymentPolicies", []),
            "return": get("GET", f"{self.account}/return_policy", params=market)
            .json()
            .get("returnPolicies", []),
            "fulfillment": get("GET", f"{self.account}/fulfillment_policy", params=market)
            .json()
            .get("fulfillmentPolicies", []),
            "location": get("GET", f"{self.inventory}/location", params={"limit": "100"})
            .json()
            .get("locations", []),
        }

    # Photos
    def upload_photo(self, sha256: str, data: bytes, content_type: str) -> None:
        """To eBay Picture Services through the Media API; kept by hash, so a photo already
        there (and not about to lapse: unused pictures are kept 30 days) is not sent again."""
        known = self.ledger.read().get("photos", {}).get(sha256)
        if known and datetime.fromisoformat(known["expires"]) > self.now() + timedelta(days=1):
            return
        suffix = content_type.split("/")[-1] or "jpg"
        response = self.http.rest(
            "POST",
            f"{self.media}/image/create_image_from_file",
            files={"image": (f"{sha256[:16]}.{suffix}", data, content_type)},
        )
        answer = response.json() if response.content else {}
        if not answer.get("imageUrl"):
            image_uri = response.headers.get("location", "")
            answer = self.http.rest("GET", image_uri).json()
        expires = answer.get("expirationDate") or (self.now() + timedelta(days=30)).isoformat()
        with self.ledger.change() as state:
            state.setdefault("photos", {})[sha256] = {
                "url": answer["imageUrl"],
                "expires": expires.replace("Z", "+00:00"),
            }

    def _image_urls(self, hashes: list[str]) -> list[str]:
        known = self.ledger.read().get("photos", {})
        missing = [sha for sha in hashes if sha not in known]
        if missing:
            raise Refused(
                0,
                "ebay_photo_missing",
                f"{len(missing)} photo(s) never reached eBay ({missing[0][:12]}...); publish "
                "the item again so its photos are uploaded first.",
            )
        return [known[sha]["url"] for sha in hashes]

    def _hashes_of(self, urls: list[str]) -> list[str] | None:
        by_url = {row["url"]: sha for sha, row in self.ledger.read().get("photos", {}).items()}
        hashes = [by_url.get(url) for url in urls]
        return None if None in hashes else [h for h in hashes if h]

    # Listings
    def _sku_path(self, sku: str) -> str:
        return f"{self.inventory}/inventory_item/{quote(sku, safe='')}"

    def _offer_for(self, sku: str) -> dict[str, Any] | None:
        params = {"sku": sku, "marketplace_id": self.setup.marketplace_id}
        try:
            found = self.http.rest("GET", f"{self.inventory}/offer", params=params).json()
        except NotFound:
            return None
        except Refused as refused:  # eBay answers 400 25713 for a SKU with no offer too
            if refused.code == str(OFFER_NOT_AVAILABLE):
                return None
            raise
        offers = found.get("offers") or []
        return offers[0] if offers else None

    def _item(self, sku: str) -> dict[str, Any]:
        return self.http.rest("GET", self._sku_path(sku)).json()

    def _category_for(self, fields: dict[str, Any]) -> str:
        chosen = fields.get("ebay_category_id")
        if chosen:
            return str(chosen)
        suggestions = self.details.category_suggestions(str(fields["title"]))
        if not suggestions:
            raise Refused(
                0,
                "ebay_category",
                f"eBay suggests no category for {fields['title']!r}; choose one in the editor.",
            )
        return suggestions[0].category_id

    def _remember_item_number(self, listing_id: str | None, sku: str) -> None:
        if listing_id:
            with self.ledger.change() as state:
                state.setdefault("items", {})[str(listing_id)] = sku

    def _likes(self, sku: str) -> int:
        return int(self.ledger.read().get("feed", {}).get("watch", {}).get(sku, 0))

    def _listing(self, sku: str, item: dict[str, Any], offer: dict[str, Any]) -> RemoteListing:
        urls = (item.get("product") or {}).get("imageUrls") or []
        fields = listing_json.fields_of(item, offer, self._hashes_of(urls))
        status = listing_json.status_of(offer)
        return listing_json.remote_listing(sku, fields, status, self._likes(sku))

    def create_listing(self, fields: dict[str, Any], idempotency_key: str) -> RemoteListing:
        # No idempotency key on eBay: every step below is safe to repeat instead.
        listing_json.check(fields)
        sku = str(fields["sku"])
        urls = self._image_urls(list(fields.get("photos") or []))
        category = self._category_for(fields)
        self.http.rest(
            "PUT",
            self._sku_path(sku),
            json=listing_json.inventory_item(fields, urls),
            headers=self._language(),
        )
        body = listing_json.offer(fields, sku, self.setup, category)
        existing = self._offer_for(sku)
        if existing is None:
            made = self.http.rest(
                "POST",
                f"{self.inventory}/offer",
                json=body,
                headers=self._language(),
                quick_retries=0,
            )
            offer_id = str(made.json()["offerId"])
        else:
            offer_id = str(existing["offerId"])
            self.http.rest(
                "PUT",
                f"{self.inventory}/offer/{offer_id}",
                json=listing_json.offer_update(body),
                headers=self._language(),
            )
        listing = (existing or {}).get("listing") or {}
        if (existing or {}).get("status") == "PUBLISHED" and listing.get("listingId"):
            listing_id = str(listing["listingId"])
        else:
            published = self.http.rest("POST", f"{self.inventory}/offer/{offer_id}/publish")
            listing_id = str(published.json()["listingId"])
        self._remember_item_number(listing_id, sku)
        sent = {name: fields.get(name) for name in SYNCED_FIELDS}
        return listing_json.remote_listing(sku, sent, ListingState.ACTIVE, self._likes(sku))

    def find_listing_by_sku(self, sku: str) -> RemoteListing | None:
        offer = self._offer_for(sku)
        return self._listing(sku, self._item(sku), offer) if offer is not None else None

    def get_listing(self, remote_id: str) -> RemoteListing:
        found = self.find_listing_by_sku(remote_id)
        if found is None:
            raise NotFound(f"eBay has no listing for SKU {remote_id}")
        return found

    def _live_offer(self, sku: str) -> dict[str, Any]:
        offer = self._offer_for(sku)
        if offer is None:
            raise NotFound(f"eBay has no listing for SKU {sku}")
        if listing_json.status_of(offer) is ListingState.SOLD:
            raise Refused(409, "listing_sold", SOLD_MESSAGE)
        return offer

    def update_listing(
        self, remote_id: str, changes: dict[str, Any], base_version: int
    ) -> RemoteListing:
        """A full replacement of what changed (eBay keeps no versions, so `base_version` has
        nothing to be checked against); a price alone goes through bulk_update_price_quantity,
        which revises the live listing without rewriting the item."""
        sku = remote_id
        if "sku" in changes and changes["sku"] != sku:
            raise Refused(
                0,
                "ebay_sku",
                f"eBay keys a listing by its SKU and cannot change it from {sku} to "
                f"{changes['sku']}: end this listing and publish the item again under the new "
                "SKU.",
            )
        changes = {name: value for name, value in changes.items() if name != "sku"}
        offer = self._live_offer(sku)
        item = self._item(sku)
        currency = self.setup.site.currency
        if changes and set(changes) <= {"price_cents"}:
            price = int(changes["price_cents"])
            request = {
                "requests": [
                    {
                        "sku": sku,
                        "offers": [
                            {
                                "offerId": str(offer["offerId"]),
                                "availableQuantity": 1,
                                "price": listing_json.money(price, currency),
                            }
                        ],
                    }
                ]
            }
            answer = self.http.rest(
                "POST", f"{self.inventory}/bulk_update_price_quantity", json=request
            ).json()
            _raise_bulk_errors(answer)
            offer = {**offer, "pricingSummary": {"price": listing_json.money(price, currency)}}
            return self._listing(sku, item, offer)
        current = self._listing(sku, item, offer).fields
        wanted = {**current, **changes}
        listing_json.check({**wanted, "photos": wanted.get("photos") or []})
        product = item.get("product") or {}
        urls = (
            self._image_urls(list(changes["photos"] or []))
            if "photos" in changes
            else list(product.get("imageUrls") or [])
        )
        new_item = listing_json.inventory_item(wanted, urls)
        # Item specifics eBay holds that the studio has no field for (Size Type, Department
        # set on eBay's site) are kept: the replacement must not drop them.
        held = product.get("aspects")
        kept: dict[str, Any] = held if isinstance(held, dict) else {}
        new_item["product"]["aspects"] = {**kept, **new_item["product"]["aspects"]}
        self.http.rest("PUT", self._sku_path(sku), json=new_item, headers=self._language())
        if {"price_cents", "floor_price_cents"} & set(changes):
            body = listing_json.offer(wanted, sku, self.setup, str(offer.get("categoryId", "")))
            self.http.rest(
                "PUT",
                f"{self.inventory}/offer/{offer['offerId']}",
                json=listing_json.offer_update(body),
                headers=self._language(),
            )
            offer = {**offer, **body}
        if "photos" in changes:
            wanted["photos"] = changes["photos"]
        fields = {name: wanted.get(name) for name in SYNCED_FIELDS if name in wanted}
        fields["sku"] = sku
        status = listing_json.status_of(offer)
        return listing_json.remote_listing(sku, fields, status, self._likes(sku))

    def change_listing_status(self, remote_id: str, action: ListingAction) -> RemoteListing:
        """Delist and sold-elsewhere end the listing (withdraw: the offer stays for a
        relist); relist publishes the offer again, which gives a new eBay item number."""
        sku = remote_id
        offer = self._live_offer(sku)
        state = listing_json.status_of(offer)
        if action is ListingAction.RELIST:
            if state is not ListingState.ACTIVE:
                published = self.http.rest(
                    "POST", f"{self.inventory}/offer/{offer['offerId']}/publish"
                )
                self._remember_item_number(published.json().get("listingId"), sku)
            final = ListingState.ACTIVE
        else:
            if state is ListingState.ACTIVE:
                self.http.rest("POST", f"{self.inventory}/offer/{offer['offerId']}/withdraw")
            # eBay has no "sold elsewhere": the listing ends, and the studio knows why.
            final = (
                ListingState.SOLD if action is ListingAction.MARK_SOLD else ListingState.DELISTED
            )
        item = self._item(sku)
        listing = self._listing(sku, item, offer)
        return listing_json.remote_listing(sku, listing.fields, final, listing.likes_count)

    # The feed
    def events(self, after: int, limit: int) -> FeedPage:
        with self.ledger.change() as state:
            feed = Feed(state, self.now, self.poll_every)
            feed.acknowledge(after)
            if not feed.backlog(after):
                feed.poll(self)
            return feed.page(after, limit)

    def orders_since(self, since: datetime) -> list[dict[str, Any]]:
        stamp = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            params = {
                "filter": f"lastmodifieddate:[{stamp}..]",
                "limit": str(PAGE),
                "offset": str(offset),
            }
            page = self.http.rest("GET", f"{self.fulfillment}/order", params=params).json()
            rows = page.get("orders") or []
            found.extend(rows)
            offset += len(rows)
            if not rows or not page.get("next") or offset >= int(page.get("total") or 0):
                return found

    def fulfillments(self, order_id: str) -> list[dict[str, Any]]:
        path = f"{self.fulfillment}/order/{quote(order_id, safe='')}/shipping_fulfillment"
        return list(self.http.rest("GET", path).json().get("fulfillments") or [])

    def active_items(self) -> tuple[list[trading.ActiveItem], datetime]:
        items: list[trading.ActiveItem] = []
        page, pages, at = 1, 1, self.now()
        while page <= pages:
            root = self.http.trading("GetMyeBaySelling", trading.get_my_ebay_selling(page))
            found, pages = trading.active_items(root)
            items.extend(found)
            at = trading.answered_at(root)
            page += 1
        return items, at

    def best_offers(self) -> tuple[list[trading.BestOffer], datetime]:
        return self.negotiation.best_offers()

    # Orders
    def ship_order(self, remote_id: str, tracking_number: str = "", carrier: str = "") -> None:
        """Marks the order shipped with its line items, and the tracking number when given
        (the carrier is told from its shape unless named). Repeating it is a no-op."""
        path = f"{self.fulfillment}/order/{quote(remote_id, safe='')}"
        order = self.http.rest("GET", path).json()
        state = orders.state_of(order)
        if state is OrderState.SHIPPED:
            return
        if state is OrderState.CANCELLED:
            raise Refused(409, "order_cancelled", "eBay has cancelled this order; do not ship it")
        body: dict[str, Any] = {"lineItems": orders.line_items(order)}
        number = orders.clean_tracking(tracking_number)
        if number:
            body["trackingNumber"] = number
            body["shippingCarrierCode"] = carrier or orders.carrier_for(number)
        self.http.rest("POST", f"{path}/shipping_fulfillment", json=body, quick_retries=0)

    def cancel_order(self, remote_id: str) -> None:
        raise Refused(
            0,
            "ebay_cancel",
            f"eBay orders are cancelled on eBay (Seller Hub > Orders > {remote_id} > Cancel "
            "order), where the buyer is refunded; the studio follows once eBay says so.",
        )

    def order_label(self, remote_id: str) -> bytes:
        # Never asked for (provides_labels is False); empty means "no label".
        return b""

    # Offers
    def get_offer(self, remote_id: str) -> RemoteOffer:
        return self.negotiation.get_offer(remote_id)

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]:
        return self.negotiation.listing_offers(listing_id)

    def answer_offer(self, remote_id: str, answer: OfferAnswer) -> RemoteOffer:
        return self.negotiation.answer_offer(remote_id, answer)

    def counter_offer(self, remote_id: str, amount_cents: int) -> RemoteOffer:
        return self.negotiation.counter_offer(remote_id, amount_cents)

    def offer_to_likers(
        self,
        listing_id: str,
        amount_cents: int,
        shipping_discount_cents: int,
        expires_in_hours: int,
    ) -> int:
        return self.negotiation.offer_to_likers(
            listing_id, amount_cents, shipping_discount_cents, expires_in_hours
        )

    def put_listing_video(self, remote_id: str, video: ListingVideo) -> None:
        raise Unsupported(
            "eBay takes listing videos through its Media API, which the studio does not use "
            "yet; add the video to the listing in Seller Hub."
        )

    def put_seller_video(self, video: ListingVideo) -> None:
        raise Unsupported("eBay has no “meet the seller” video.")

    # Messages: eBay's member messages are a Trading API of their own, not supported yet.
    def send_message(
        self, buyer_id: str, kind: MessageKind, body: str, listing_ids: list[str]
    ) -> RemoteMessage:
        raise Refused(
            0,
            "ebay_messages",
            "Messages to eBay buyers are sent from eBay (Seller Hub > Messages) for now.",
        )

    def messages(self) -> list[RemoteMessage]:
        return []

    # A whole closet, for an import
    def listings(self, status: ListingState | None, after: str | None, limit: int) -> ListingPage:
        offset = int(after or 0)
        params = {"limit": str(max(1, min(limit, PAGE))), "offset": str(offset)}
        page = self.http.rest("GET", f"{self.inventory}/inventory_item", params=params).json()
        rows = page.get("inventoryItems") or []
        found = []
        for item in rows:
            sku = str(item.get("sku", ""))
            offer = self._offer_for(sku)
            if offer is None:
                continue  # an item never offered for sale is not a listing
            listing = self._listing(sku, item, offer)
            if status is None or listing.status is status:
                found.append(listing)
        offset += len(rows)
        more = bool(rows) and offset < int(page.get("total") or 0)
        return ListingPage(found, str(offset) if more else None)

    def likes(self, after: str | None, limit: int) -> LikePage:
        """Watchers, anonymous as eBay keeps them, from the last watch counts seen."""
        feed = self.ledger.read().get("feed", {})
        since = feed.get("polled", {}).get("trading")
        seen = datetime.fromisoformat(since) if since else self.now()
        likes = [
            CurrentLike(sku, watcher(sku, number), seen)
            for sku, count in sorted(feed.get("watch", {}).items())
            for number in range(1, int(count) + 1)
        ]
        start = int(after or 0)
        chunk = likes[start : start + limit]
        end = start + len(chunk)
        return LikePage(chunk, str(end) if end < len(likes) else None)

    def offers(self, after: str | None, limit: int) -> OfferPage:
        return self.negotiation.offers(after, limit)

    def download_photo(self, sha256: str) -> bytes:
        known = self.ledger.read().get("photos", {}).get(sha256)
        if not known:
            raise NotFound(f"no eBay picture is known for photo {sha256[:12]}...")
        return self.http.download(str(known["url"]))


def _raise_bulk_errors(answer: dict[str, Any]) -> None:
    """bulk_update_price_quantity answers 200 or 207 with a status per SKU."""
    for row in answer.get("responses") or []:
        if int(row.get("statusCode") or 200) >= 400:
            problem = errors.refusal(
                int(row["statusCode"]), errors.rest_errors(row), "the price change was refused"
            )
            raise problem


def as_marketplace(client: EbayClient) -> Marketplace:
    """The client as the engine sees it; also where mypy checks that it keeps the port."""
    return client
