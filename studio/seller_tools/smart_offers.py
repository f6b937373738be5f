"""Smart offers: which listings to send an offer to likers today, at what price, and why.

Worth it: several current likers, still for sale, no offer sent in the last week. The
discount grows with the time the item has waited and is always kept above the floor.
A suggestion is worked out on the list price; its net is after the highest fee among the
marketplaces the item is on. The offer dialog then shows each marketplace's own price,
amount and net before anything is sent (studio/seller_tools/likers_offers.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from studio.inventory.tables import Item
from studio.money import format_money
from studio.orders.service import as_utc
from studio.seller_tools.fees import DEFAULT_FEES, percent_of
from studio.seller_tools.likers_offers import last_offer_times, listed_on
from studio.seller_tools.likes import ranked_listings

MIN_LIKES = 2
QUIET_DAYS = 7  # no second offer on a listing within a week
BASE_PERCENT = 10
PERCENT_PER_MONTH = 5
MAX_PERCENT = 25


@dataclass(frozen=True)
class SmartOffer:
    item_id: int
    title: str
    likes: int
    price_cents: int
    percent_off: int
    amount_cents: int
    net_cents: int
    reason: str


def suggest(session: Session, now: datetime, limit: int = 10) -> list[SmartOffer]:
    liked = [x for x in ranked_listings(session, now) if x.likes >= MIN_LIKES and x.price_cents]
    last_sent = last_offer_times(session, [x.item_id for x in liked])
    added = _added_dates(session, [x.item_id for x in liked])
    where = listed_on(session, [x.item_id for x in liked])
    suggestions = []
    for listing in liked:
        sent = last_sent.get(listing.item_id)
        if sent is not None and as_utc(sent) > now - timedelta(days=QUIET_DAYS):
            continue
        price = listing.price_cents or 0
        days = max((now - added[listing.item_id]).days, 0)
        percent = min(BASE_PERCENT + PERCENT_PER_MONTH * (days // 30), MAX_PERCENT)
        amount = price - percent_of(price, Decimal(percent))
        floor = listing.floor_cents or 0
        if amount < floor:
            amount, percent = floor, int(100 * (price - floor) / price) if price else 0
        if amount >= price or percent < 1:
            continue  # the floor leaves no room for an offer
        words = f"{listing.likes} likes"
        if listing.recent:
            words += f" ({listing.recent} this week)"
        words += f", waiting {days} days, "
        words += "no offer sent yet" if sent is None else f"last offer {as_utc(sent):%d %b}"
        nets = {market.name: market.fees.net_cents(amount) for market in where[listing.item_id]}
        dearest = min(nets, key=lambda name: nets[name], default="")
        net = nets.get(dearest, DEFAULT_FEES.net_cents(amount))
        words += f": {percent}% off keeps {format_money(net)} after fees"
        if len(nets) > 1:
            words += f" on {dearest}, where they are highest"
        if amount == floor:
            words += " (held at the floor)"
        suggestions.append(
            SmartOffer(
                listing.item_id,
                listing.title,
                listing.likes,
                price,
                percent,
                amount,
                net,
                words,
            )
        )
    suggestions.sort(key=lambda s: (s.likes, s.percent_off), reverse=True)
    return suggestions[:limit]


def _added_dates(session: Session, item_ids: list[int]) -> dict[int, datetime]:
    return {
        item_id: as_utc(item.created_at)
        for item_id in item_ids
        if (item := session.get(Item, item_id)) is not None
    }
