"""The studio's listing fields as eBay's inventory item and offer, and back.

An eBay listing is two records: the inventory item (the thing: title, description, condition,
item specifics, photo URLs), keyed by the SKU, and the offer (selling it: price, category,
policies, location, best-offer terms). eBay replaces each whole on every write, so both are
always built from every field. eBay keeps no versions: a listing's version here is the time
the adapter last saw it, in milliseconds, which only ever grows.
"""

import time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from studio.marketplaces.ebay.listing_setup import ListingSetup
from studio.sync.port import ListingState, Refused, RemoteListing

TITLE_MAX = 80
PHOTOS_MAX = 24
# Studio item field -> eBay item specific (aspect). The editor's helper (listing_details)
# uses the same table to say which required aspects an item still lacks.
ASPECT_OF_FIELD = {
    "brand": "Brand",
    "size": "Size",
    "color": "Color",
    "material": "Material",
    "style": "Style",
    "department": "Department",
}
# What sellers of clothes write as the condition -> eBay's ConditionEnum. Apparel uses the
# "pre-owned" grades: Excellent (2990), Good (3000, USED_EXCELLENT in the enum), Fair (3010).
CONDITIONS = {
    "new": "NEW",
    "new with tags": "NEW",
    "nwt": "NEW",
    "new with box": "NEW",
    "new without tags": "NEW_OTHER",
    "nwot": "NEW_OTHER",
    "new other": "NEW_OTHER",
    "new without box": "NEW_OTHER",
    "new with defects": "NEW_WITH_DEFECTS",
    "like new": "PRE_OWNED_EXCELLENT",
    "excellent": "PRE_OWNED_EXCELLENT",
    "pre-owned excellent": "PRE_OWNED_EXCELLENT",
    "very good": "USED_EXCELLENT",
    "good": "USED_EXCELLENT",
    "used": "USED_EXCELLENT",
    "pre-owned good": "USED_EXCELLENT",
    "fair": "PRE_OWNED_FAIR",
    "pre-owned fair": "PRE_OWNED_FAIR",
    "for parts": "FOR_PARTS_OR_NOT_WORKING",
}
# The Metadata API names a category's conditions by id; the Inventory API takes the enum.
# eBay's table: developer.ebay.com/api-docs/sell/static/metadata/condition-id-values.html
# (the refurbished grades are left out: resellers of clothes have no word for them here).
CONDITION_OF_ID = {
    "1000": "NEW",
    "1500": "NEW_OTHER",
    "1750": "NEW_WITH_DEFECTS",
    "2750": "LIKE_NEW",
    "2990": "PRE_OWNED_EXCELLENT",
    "3000": "USED_EXCELLENT",
    "3010": "PRE_OWNED_FAIR",
    "4000": "USED_VERY_GOOD",
    "5000": "USED_GOOD",
    "6000": "USED_ACCEPTABLE",
    "7000": "FOR_PARTS_OR_NOT_WORKING",
}
# eBay's condition read back, in the studio's words.
CONDITION_WORDS = {
    "NEW": "New with tags",
    "NEW_OTHER": "New without tags",
    "NEW_WITH_DEFECTS": "New with defects",
    "LIKE_NEW": "Like new",
    "PRE_OWNED_EXCELLENT": "Like new",
    "USED_EXCELLENT": "Good",
    "USED_VERY_GOOD": "Good",
    "USED_GOOD": "Good",
    "PRE_OWNED_FAIR": "Fair",
    "USED_ACCEPTABLE": "Fair",
    "FOR_PARTS_OR_NOT_WORKING": "For parts",
}


def version_now() -> int:
    return time.time_ns() // 1_000_000


def money(cents: int, currency: str) -> dict[str, str]:
    return {"value": f"{Decimal(cents) / 100:.2f}", "currency": currency}


def cents_of(amount: Any) -> int | None:
    """eBay's {"value": "12.34"} (or a bare "12.34") in cents."""
    value = amount.get("value") if isinstance(amount, dict) else amount
    try:
        return int((Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, TypeError, ValueError):
        return None


def condition_enum(text: str | None) -> str | None:
    if not text:
        return None
    key = " ".join(text.lower().replace("–", "-").split())
    if key in CONDITIONS:
        return CONDITIONS[key]
    if key.upper() in CONDITION_WORDS:  # already eBay's word
        return key.upper()
    known = ", ".join(sorted({word.capitalize() for word in CONDITIONS if len(word) > 4}))
    raise Refused(
        0,
        "ebay_condition",
        f"eBay has no condition called {text!r}: use one of {known}.",
    )


def check(fields: dict[str, Any]) -> None:
    """What eBay would refuse anyway, said before any request is made."""
    title = str(fields.get("title") or "")
    if not title.strip():
        raise Refused(0, "ebay_title", "eBay needs a title.")
    if len(title) > TITLE_MAX:
        raise Refused(
            0,
            "ebay_title",
            f"eBay takes titles of up to {TITLE_MAX} characters; this one has {len(title)}.",
        )
    photos = fields.get("photos") or []
    if len(photos) > PHOTOS_MAX:
        raise Refused(
            0, "ebay_photos", f"eBay takes up to {PHOTOS_MAX} photos; this item has {len(photos)}."
        )
    if fields.get("price_cents") is None:
        raise Refused(0, "ebay_price", "eBay needs a price.")
    condition_enum(fields.get("condition"))


def aspects_of(fields: dict[str, Any]) -> dict[str, list[str]]:
    aspects = {
        aspect: [str(fields[name])]
        for name, aspect in ASPECT_OF_FIELD.items()
        if fields.get(name) not in (None, "")
    }
    extra = fields.get("aspects")  # item specifics the editor set by eBay's own names
    if isinstance(extra, dict):
        for name, values in extra.items():
            listed = values if isinstance(values, list) else [values]
            aspects[str(name)] = [str(value) for value in listed if value not in (None, "")]
    return {name: values for name, values in aspects.items() if values}


def inventory_item(fields: dict[str, Any], image_urls: list[str]) -> dict[str, Any]:
    title = str(fields["title"])
    product: dict[str, Any] = {
        "title": title,
        # eBay refuses a listing without a description; the title stands in for none.
        "description": str(fields.get("description") or title),
        "aspects": aspects_of(fields),
        "imageUrls": image_urls,
    }
    item: dict[str, Any] = {
        "availability": {"shipToLocationAvailability": {"quantity": 1}},
        "product": product,
    }
    condition = condition_enum(fields.get("condition"))
    if condition is not None:
        item["condition"] = condition
    return item


def best_offer_terms(fields: dict[str, Any], currency: str) -> dict[str, Any]:
    """Best offers on, with the floor price as eBay's automatic decline price."""
    terms: dict[str, Any] = {"bestOfferEnabled": True}
    floor, price = fields.get("floor_price_cents"), fields.get("price_cents")
    if floor and price and 0 < floor < price:
        terms["autoDeclinePrice"] = money(int(floor), currency)
    return terms


def offer(
    fields: dict[str, Any], sku: str, setup: ListingSetup, category_id: str
) -> dict[str, Any]:
    currency = setup.site.currency
    return {
        "sku": sku,
        "marketplaceId": setup.marketplace_id,
        "format": "FIXED_PRICE",
        "availableQuantity": 1,
        "categoryId": category_id,
        "listingPolicies": {
            "paymentPolicyId": setup.payment_policy_id,
            "returnPolicyId": setup.return_policy_id,
            "fulfillmentPolicyId": setup.fulfillment_policy_id,
            "bestOfferTerms": best_offer_terms(fields, currency),
        },
        "merchantLocationKey": setup.merchant_location_key,
        "pricingSummary": {"price": money(int(fields["price_cents"]), currency)},
    }


# An offer is keyed by SKU, site and format when made; a rewrite (updateOffer) must leave
# those out, as its schema has no place for them.
OFFER_KEYS = ("sku", "marketplaceId", "format")


def offer_update(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name not in OFFER_KEYS}


def fields_of(
    item: dict[str, Any], offer_data: dict[str, Any], photos: list[str] | None
) -> dict[str, Any]:
    """The synced fields as eBay holds them. Photos only when every URL's hash is known:
    a listing read without them says nothing about its photos rather than something wrong."""
    product = item.get("product") or {}
    given = product.get("aspects")
    aspects: dict[str, Any] = given if isinstance(given, dict) else {}
    terms = (offer_data.get("listingPolicies") or {}).get("bestOfferTerms") or {}

    def aspect(name: str) -> str | None:
        values = aspects.get(name) or []
        return str(values[0]) if values else None

    fields: dict[str, Any] = {
        "title": product.get("title", ""),
        "description": product.get("description", ""),
        "brand": aspect("Brand"),
        "size": aspect("Size"),
        "condition": CONDITION_WORDS.get(str(item.get("condition")), item.get("condition")),
        "price_cents": cents_of((offer_data.get("pricingSummary") or {}).get("price")),
        "floor_price_cents": cents_of(terms.get("autoDeclinePrice")),
        "sku": offer_data.get("sku") or item.get("sku"),
    }
    if photos is not None:
        fields["photos"] = photos
    return fields


def status_of(offer_data: dict[str, Any]) -> ListingState:
    listing = offer_data.get("listing") or {}
    if int(listing.get("soldQuantity") or 0) > 0:
        return ListingState.SOLD
    published = offer_data.get("status") == "PUBLISHED"
    if published and listing.get("listingStatus", "ACTIVE") == "ACTIVE":
        return ListingState.ACTIVE
    return ListingState.DELISTED


def remote_listing(
    sku: str, fields: dict[str, Any], status: ListingState, likes: int = 0
) -> RemoteListing:
    """The SKU is the listing's id here: eBay keys items and offers by it, and it outlives a
    withdraw and relist, which gives the listing a new eBay item number."""
    return RemoteListing(
        id=sku, version=version_now(), status=status, fields=fields, likes_count=likes
    )
