"""The Trading API calls the REST APIs lack, as XML built and read here: whose account it is
(GetUser), watch counts (GetMyeBaySelling), best offers received (GetBestOffers) and the
seller's answer to one (RespondToBestOffer). Shapes follow eBay's documented samples.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from studio.marketplaces.ebay.listing_json import cents_of
from studio.marketplaces.ebay.orders import when
from studio.marketplaces.ebay.rest import TRADING_NS, tag
from studio.sync.port import Buyer, OfferKind, OfferState, RemoteOffer

ENTRIES_PER_PAGE = 200
# A best offer is open for 48 hours; eBay gives only when it lapses, so it began 48h before.
BEST_OFFER_LIFETIME = timedelta(hours=48)
OFFER_STATES = {
    "Pending": OfferState.PENDING,
    "Active": OfferState.PENDING,
    "Accepted": OfferState.ACCEPTED,
    "Declined": OfferState.DECLINED,
    "Countered": OfferState.COUNTERED,
    "Expired": OfferState.EXPIRED,
    "Retracted": OfferState.EXPIRED,
    "AdminEnded": OfferState.EXPIRED,
}
CLOSED_REASONS = {"Retracted": "retracted", "AdminEnded": "listing_ended"}


def request(call: str) -> ET.Element:
    ET.register_namespace("", TRADING_NS)
    return ET.Element(tag(f"{call}Request"))


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    node = ET.SubElement(parent, tag(name))
    if text is not None:
        node.text = text
    return node


def _text(node: ET.Element | None, path: str, default: str = "") -> str:
    if node is None:
        return default
    found = node.find("/".join(tag(part) for part in path.split("/")))
    return (found.text or default) if found is not None else default


def answered_at(root: ET.Element) -> datetime:
    """The answer's Timestamp: eBay's clock, never this laptop's."""
    return when(_text(root, "Timestamp"))


# GetUser
def get_user() -> ET.Element:
    return request("GetUser")


def user_id(root: ET.Element) -> str:
    return _text(root, "User/UserID")


# GetMyeBaySelling: the active listings with their watch counts
@dataclass(frozen=True)
class ActiveItem:
    item_id: str  # eBay's item number (the listingId)
    sku: str
    watch_count: int


def get_my_ebay_selling(page: int) -> ET.Element:
    root = request("GetMyeBaySelling")
    active = _add(root, "ActiveList")
    _add(active, "Include", "true")
    pagination = _add(active, "Pagination")
    _add(pagination, "EntriesPerPage", str(ENTRIES_PER_PAGE))
    _add(pagination, "PageNumber", str(page))
    return root


def active_items(root: ET.Element) -> tuple[list[ActiveItem], int]:
    """The page's items, and how many pages there are."""
    active = root.find(tag("ActiveList"))
    items = [
        ActiveItem(
            item_id=_text(item, "ItemID"),
            sku=_text(item, "SKU"),
            watch_count=int(_text(item, "WatchCount", "0") or 0),
        )
        for item in (active.iterfind(f"{tag('ItemArray')}/{tag('Item')}") if active else [])
    ]
    pages = int(_text(active, "PaginationResult/TotalNumberOfPages", "1") or 1)
    return items, pages


# GetBestOffers and RespondToBestOffer
@dataclass(frozen=True)
class BestOffer:
    item_id: str
    offer_id: str
    buyer_id: str
    amount_cents: int
    status: str  # eBay's BestOfferStatusCodeType
    code_type: str  # BuyerBestOffer, BuyerCounterOffer, SellerCounterOffer
    expires_at: datetime

    @property
    def key(self) -> str:
        """The offer's id here: RespondToBestOffer needs eBay's item number with it."""
        return offer_key(self.item_id, self.offer_id)


def offer_key(item_id: str, offer_id: str) -> str:
    return f"{item_id}-{offer_id}"


def split_key(key: str) -> tuple[str, str]:
    item_id, _, offer_id = key.partition("-")
    if not item_id or not offer_id:
        raise ValueError(f"{key!r} is not an eBay best offer id")
    return item_id, offer_id


def get_best_offers(
    page: int, item_id: str | None = None, offer_id: str | None = None
) -> ET.Element:
    root = request("GetBestOffers")
    if offer_id is not None:
        _add(root, "BestOfferID", offer_id)
    _add(root, "BestOfferStatus", "All")
    _add(root, "DetailLevel", "ReturnAll")
    if item_id is not None:
        _add(root, "ItemID", item_id)
    _add(_add(root, "Pagination"), "PageNumber", str(page))
    return root


def best_offers(root: ET.Element) -> tuple[list[BestOffer], int]:
    """The page's best offers (one item's, or every item's), and how many pages there are."""
    groups: list[tuple[str, ET.Element]] = []
    for group in root.iterfind(f"{tag('ItemBestOffersArray')}/{tag('ItemBestOffers')}"):
        groups.append((_text(group, "Item/ItemID"), group))
    if root.find(tag("BestOfferArray")) is not None:  # the answer for one ItemID
        groups.append((_text(root, "Item/ItemID"), root))
    found = []
    for item_id, group in groups:
        for node in group.iterfind(f"{tag('BestOfferArray')}/{tag('BestOffer')}"):
            found.append(
                BestOffer(
                    item_id=item_id,
                    offer_id=_text(node, "BestOfferID"),
                    buyer_id=_text(node, "Buyer/UserID"),
                    amount_cents=cents_of(_text(node, "Price", "0")) or 0,
                    status=_text(node, "Status", "Pending"),
                    code_type=_text(node, "BestOfferCodeType", "BuyerBestOffer"),
                    expires_at=when(_text(node, "ExpirationTime")),
                )
            )
    pages = int(_text(root, "PaginationResult/TotalNumberOfPages", "1") or 1)
    return found, pages


def remote_offer(offer: BestOffer, listing_id: str, seen_at: datetime) -> RemoteOffer:
    state = OFFER_STATES.get(offer.status, OfferState.PENDING)
    kind = OfferKind.COUNTER if offer.code_type == "SellerCounterOffer" else OfferKind.BUYER
    return RemoteOffer(
        id=offer.key,
        listing_id=listing_id,
        buyer=Buyer(id=offer.buyer_id, name=offer.buyer_id),
        kind=kind,
        amount_cents=offer.amount_cents,
        status=state,
        created_at=offer.expires_at - BEST_OFFER_LIFETIME,
        updated_at=seen_at,
        expires_at=offer.expires_at,
        reason=CLOSED_REASONS.get(offer.status, ""),
    )


def respond_to_best_offer(
    item_id: str,
    offer_id: str,
    action: str,
    counter_cents: int | None = None,
    currency: str = "USD",
) -> ET.Element:
    """`action` is eBay's: Accept, Decline or Counter (with the counter's price)."""
    root = request("RespondToBestOffer")
    _add(root, "Action", action)
    _add(root, "BestOfferID", offer_id)
    if counter_cents is not None:
        price = _add(root, "CounterOfferPrice", f"{Decimal(counter_cents) / 100:.2f}")
        price.set("currencyID", currency)
        _add(root, "CounterOfferQuantity", "1")
    _add(root, "ItemID", item_id)
    return root


def response_failures(root: ET.Element) -> list[str]:
    """Per-offer failures of a RespondToBestOffer that succeeded as a call."""
    return [
        _text(node, "BestOfferID")
        for node in root.iterfind(f"{tag('RespondToBestOffer')}/{tag('BestOffer')}")
        if _text(node, "CallStatus", "Success") != "Success"
    ]
