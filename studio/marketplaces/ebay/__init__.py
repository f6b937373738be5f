"""The eBay adapter: the Marketplace port over eBay's Sell APIs (REST) and Trading API (XML).

eBay has no change feed, no listing versions and no idempotency keys, so this package makes
up for each: a feed synthesized from polled orders, watch counts and best offers (feed.py,
kept in a small ledger file, ledger.py), the SKU as the listing's stable id, and creates
that look before they make. The listing-details helpers the item editor will use (category
suggestions, a category's aspects, its conditions, which aspects an item still lacks) are
exported here for that wiring.
"""

from studio.marketplaces.ebay.listing_details import (
    Aspect,
    CategorySuggestion,
    ConditionPolicy,
    ListingDetails,
    missing_aspects,
)

__all__ = [
    "Aspect",
    "CategorySuggestion",
    "ConditionPolicy",
    "ListingDetails",
    "missing_aspects",
]
