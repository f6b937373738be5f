"""What every eBay listing of an account needs besides the item: the site it lists on, its
business policies (payment, return, fulfillment) and the merchant location it ships from.

They are chosen once, when the account is connected (`choose` over what the Account API
lists), and kept with the sign-in; a listing made without them is refused by eBay.
"""

from dataclasses import asdict, dataclass
from typing import Any

from studio.sync.port import NotConnected


@dataclass(frozen=True)
class Site:
    marketplace_id: str  # X-EBAY-C-MARKETPLACE-ID and the offer's marketplaceId
    currency: str
    language: str  # Content-Language of item and offer calls
    trading_site_id: str  # X-EBAY-API-SITEID of Trading calls


SITES = {
    site.marketplace_id: site
    for site in (
        Site("EBAY_US", "USD", "en-US", "0"),
        Site("EBAY_CA", "CAD", "en-CA", "2"),
        Site("EBAY_GB", "GBP", "en-GB", "3"),
        Site("EBAY_AU", "AUD", "en-AU", "15"),
        Site("EBAY_DE", "EUR", "de-DE", "77"),
    )
}


@dataclass(frozen=True)
class ListingSetup:
    marketplace_id: str
    payment_policy_id: str
    return_policy_id: str
    fulfillment_policy_id: str
    merchant_location_key: str

    @property
    def site(self) -> Site:
        return SITES[self.marketplace_id]

    def as_secret(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_secret(cls, data: Any) -> "ListingSetup":
        if not isinstance(data, dict):
            raise NotConnected(
                "This eBay account has no business policies or location chosen yet: connect "
                "it again to choose them."
            )
        return cls(**{name: str(data.get(name, "")) for name in cls.__dataclass_fields__})


def site_named(marketplace_id: str) -> Site:
    try:
        return SITES[marketplace_id]
    except KeyError:
        known = ", ".join(SITES)
        raise ValueError(f"{marketplace_id!r} is not a supported eBay site: use {known}.") from None


def choose(
    marketplace_id: str,
    payment: list[dict[str, Any]],
    returns: list[dict[str, Any]],
    fulfillment: list[dict[str, Any]],
    locations: list[dict[str, Any]],
    wanted: dict[str, str] | None = None,
) -> ListingSetup:
    """The policies and location to list with: the ones named in `wanted` (by id or name),
    else the account's only one. Several and none named, or none at all, is a clear error."""
    wanted = wanted or {}

    def pick(kind: str, rows: list[dict[str, Any]], id_key: str) -> str:
        named = wanted.get(kind)
        matches = [r for r in rows if named in (r.get(id_key), r.get("name"))] if named else rows
        if len(matches) == 1:
            return str(matches[0][id_key])
        names = ", ".join(repr(r.get("name") or r.get(id_key)) for r in rows) or "none"
        if not rows:
            problem = f"The eBay account has no {kind} policy for {marketplace_id}"
        elif named:
            problem = f"No {kind} policy is called {named!r} (there are {names})"
        else:
            problem = f"The eBay account has several {kind} policies ({names}); name one"
        raise ValueError(f"{problem}. Business policies are set up in eBay's Seller Hub.")

    usable = [loc for loc in locations if loc.get("merchantLocationStatus", "ENABLED") == "ENABLED"]
    return ListingSetup(
        marketplace_id=marketplace_id,
        payment_policy_id=pick("payment", payment, "paymentPolicyId"),
        return_policy_id=pick("return", returns, "returnPolicyId"),
        fulfillment_policy_id=pick("fulfillment", fulfillment, "fulfillmentPolicyId"),
        merchant_location_key=_location(usable, wanted.get("location")),
    )


def _location(locations: list[dict[str, Any]], named: str | None) -> str:
    keys = [str(loc["merchantLocationKey"]) for loc in locations if loc.get("merchantLocationKey")]
    if named and named in keys:
        return named
    if len(keys) == 1 and not named:
        return keys[0]
    listed = ", ".join(keys) or "none"
    raise ValueError(
        f"Choose the inventory location listings ship from (the account has: {listed}); "
        "a location is added in Seller Hub or with the Inventory API's createInventoryLocation."
    )
