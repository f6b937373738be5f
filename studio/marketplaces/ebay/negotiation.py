"""Offers on eBay: best offers through the Trading API (eBay's Negotiation API cannot list
or answer them) and offers to watchers ("interested buyers") through the Negotiation API.

The client hands these to `Negotiation`; it shares the client's HTTP session, setup and
ledger, and asks the client for a SKU's offer (the listing side of eBay's offer word).
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from studio.marketplaces.ebay import listing_json, trading
from studio.marketplaces.ebay.errors import NO_INTERESTED_BUYERS
from studio.marketplaces.ebay.ledger import Ledger
from studio.marketplaces.ebay.listing_setup import ListingSetup
from studio.marketplaces.ebay.rest import PAGE, EbayHttp
from studio.sync.port import (
    Buyer,
    NotFound,
    OfferAnswer,
    OfferKind,
    OfferPage,
    OfferState,
    Refused,
    RemoteOffer,
)

MIN_WATCHER_DISCOUNT = 0.05  # eBay's floor for an offer to interested buyers
WATCHER_OFFER_DAYS = 2  # eBay fixes the duration of offers to interested buyers

OfferLookup = Callable[[str], dict[str, Any] | None]


class Negotiation:
    def __init__(
        self,
        http: EbayHttp,
        base: str,
        setup: ListingSetup,
        ledger: Ledger,
        offer_for: OfferLookup,
        live_offer: Callable[[str], dict[str, Any]],
        now: Callable[[], datetime],
    ) -> None:
        self.http = http
        self.base = base
        self.setup = setup
        self.ledger = ledger
        self.offer_for = offer_for
        self.live_offer = live_offer
        self.now = now

    def best_offers(
        self, item_id: str | None = None, offer_id: str | None = None
    ) -> tuple[list[trading.BestOffer], datetime]:
        found: list[trading.BestOffer] = []
        page, pages, at = 1, 1, self.now()
        while page <= pages:
            call = trading.get_best_offers(page, item_id, offer_id)
            root = self.http.trading("GetBestOffers", call)
            offers, pages = trading.best_offers(root)
            found.extend(offers)
            at = trading.answered_at(root)
            page += 1
        return found, at

    def _item_number(self, sku: str) -> str:
        offer = self.offer_for(sku)
        listing_id = ((offer or {}).get("listing") or {}).get("listingId")
        if not listing_id:
            raise Refused(409, "listing_not_available", f"SKU {sku} is not on sale on eBay")
        return str(listing_id)

    def _sku_of(self, item_id: str) -> str:
        return str(self.ledger.read().get("items", {}).get(item_id, item_id))

    def get_offer(self, remote_id: str) -> RemoteOffer:
        item_id, offer_id = trading.split_key(remote_id)
        found, at = self.best_offers(item_id, offer_id)
        for offer in found:
            if offer.offer_id == offer_id:
                return trading.remote_offer(offer, self._sku_of(item_id), at)
        raise NotFound(f"eBay has no best offer {offer_id} on item {item_id}")

    def listing_offers(self, listing_id: str) -> list[RemoteOffer]:
        found, at = self.best_offers(self._item_number(listing_id))
        offers = [trading.remote_offer(offer, listing_id, at) for offer in found]
        return offers + self._watcher_offers(listing_id)

    def _watcher_offers(self, sku: str) -> list[RemoteOffer]:
        # The Negotiation API cannot list what was sent: the adapter remembers it.
        sent = self.ledger.read().get("watcher_offers", {}).get(sku, [])
        return [
            RemoteOffer(
                id=f"{sku}-watchers-{index}",
                listing_id=sku,
                buyer=Buyer(id="ebay-watchers", name="eBay watchers"),
                kind=OfferKind.TO_LIKERS,
                amount_cents=int(row["amount_cents"]),
                status=OfferState.PENDING,
                created_at=datetime.fromisoformat(row["at"]),
                updated_at=datetime.fromisoformat(row["at"]),
                expires_at=datetime.fromisoformat(row["at"]) + timedelta(days=WATCHER_OFFER_DAYS),
            )
            for index, row in enumerate(sent)
        ]

    def _respond(self, remote_id: str, action: str, counter_cents: int | None = None) -> None:
        item_id, offer_id = trading.split_key(remote_id)
        call = trading.respond_to_best_offer(
            item_id, offer_id, action, counter_cents, self.setup.site.currency
        )
        try:
            root = self.http.trading("RespondToBestOffer", call, quick_retries=0)
        except Refused as refused:
            # The offer was answered, retracted or lapsed meanwhile: the moment has passed.
            raise Refused(refused.status, "offer_not_open", refused.message) from refused
        if trading.response_failures(root):
            raise Refused(409, "offer_not_open", f"eBay could not {action.lower()} that offer")

    def answer_offer(self, remote_id: str, answer: OfferAnswer) -> RemoteOffer:
        self._respond(remote_id, "Accept" if answer is OfferAnswer.ACCEPT else "Decline")
        return self.get_offer(remote_id)

    def counter_offer(self, remote_id: str, amount_cents: int) -> RemoteOffer:
        """The seller's counter. eBay answers it as a state of the buyer's offer, so the
        counter returned here is made from what was sent."""
        self._respond(remote_id, "Counter", amount_cents)
        answered = self.get_offer(remote_id)
        now = answered.updated_at
        return RemoteOffer(
            id=f"{remote_id}-counter",
            listing_id=answered.listing_id,
            buyer=answered.buyer,
            kind=OfferKind.COUNTER,
            amount_cents=amount_cents,
            status=OfferState.PENDING,
            created_at=now,
            updated_at=now,
            expires_at=now + trading.BEST_OFFER_LIFETIME,
            parent_id=remote_id,
        )

    def offer_to_likers(
        self,
        listing_id: str,
        amount_cents: int,
        shipping_discount_cents: int,
        expires_in_hours: int,
    ) -> int:
        """An offer to everyone watching the listing (eBay's interested buyers). eBay's rules:
        at least 5% off, no shipping discount, and a fixed two-day duration (which replaces
        `expires_in_hours`)."""
        sku = listing_id
        if shipping_discount_cents:
            raise Refused(
                0,
                "ebay_shipping_discount",
                "eBay's offers to watchers discount the price only, not shipping: send it "
                "without the shipping discount (or lower the price by as much).",
            )
        offer = self.live_offer(sku)
        price = listing_json.cents_of((offer.get("pricingSummary") or {}).get("price")) or 0
        if amount_cents > price * (1 - MIN_WATCHER_DISCOUNT):
            most = int(price * (1 - MIN_WATCHER_DISCOUNT))
            raise Refused(
                0,
                "ebay_min_discount",
                f"eBay's offers to watchers must be at least 5% below the price: "
                f"{amount_cents / 100:.2f} is too close to {price / 100:.2f} "
                f"(offer {most / 100:.2f} or less).",
            )
        item_id = str((offer.get("listing") or {}).get("listingId") or "")
        if not item_id or item_id not in self._eligible_items():
            return 0  # nobody watches it (yet): eBay has no one to send it to
        body = {
            "allowCounterOffer": False,
            "offerDuration": {"unit": "DAY", "value": WATCHER_OFFER_DAYS},
            "offeredItems": [
                {
                    "listingId": item_id,
                    "price": listing_json.money(amount_cents, self.setup.site.currency),
                    "quantity": 1,
                }
            ],
        }
        try:
            answer = self.http.rest(
                "POST",
                f"{self.base}/send_offer_to_interested_buyers",
                json=body,
                headers={"X-EBAY-C-MARKETPLACE-ID": self.setup.marketplace_id},
                quick_retries=0,
            ).json()
        except Refused as refused:
            if refused.code == str(NO_INTERESTED_BUYERS):
                return 0
            raise
        with self.ledger.change() as state:
            sent = state.setdefault("watcher_offers", {}).setdefault(sku, [])
            sent.append({"amount_cents": amount_cents, "at": self.now().isoformat()})
        return len(answer.get("offers") or [])

    def _eligible_items(self) -> set[str]:
        eligible: set[str] = set()
        offset = 0
        while True:
            page = self.http.rest(
                "GET",
                f"{self.base}/find_eligible_items",
                params={"limit": str(PAGE), "offset": str(offset)},
                headers={"X-EBAY-C-MARKETPLACE-ID": self.setup.marketplace_id},
            )
            if page.status_code == 204 or not page.content:
                return eligible
            answer = page.json()
            rows = answer.get("eligibleItems") or []
            eligible.update(str(row.get("listingId")) for row in rows)
            offset += len(rows)
            if not rows or not answer.get("next"):
                return eligible

    def offers(self, after: str | None, limit: int) -> OfferPage:
        found, at = self.best_offers()
        every = [trading.remote_offer(o, self._sku_of(o.item_id), at) for o in found]
        start = int(after or 0)
        chunk = every[start : start + limit]
        end = start + len(chunk)
        return OfferPage(chunk, str(end) if end < len(every) else None)
