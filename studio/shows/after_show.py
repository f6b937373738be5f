"""After the show, one action for what did not sell: an offer to each item's likers, or a
schedule of price drops. Items that cannot take it are named, not silently skipped."""

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from studio.seller_tools import likers_offers, price_drops
from studio.shows.service import lineup


@dataclass(frozen=True)
class Outcome:
    done: int  # offers sent (one per marketplace where the item is liked) or plans made
    skipped: tuple[str, ...]  # "SKU: why", for each unsold item left alone

    @property
    def words(self) -> str:
        text = f"{self.done} done"
        return text + (f"; left alone: {'; '.join(self.skipped)}" if self.skipped else "")


def offer_unsold_to_likers(
    session: Session, show_id: int, percent_off: Decimal, expires_in_hours: int = 24
) -> Outcome:
    """Each unsold item's likers get `percent_off` off, where the offer can go (someone likes
    it, the offer stays above its floor)."""
    unsold = {row.item_id: row.sku for row in lineup(session, show_id).unsold}
    quotes = likers_offers.quote(session, list(unsold), percent_off=percent_off)
    blocked = {q.item_id: q.problem for q in quotes if q.problem}
    sendable = [item_id for item_id in unsold if item_id not in blocked]
    sent = (
        likers_offers.send_to_likers(
            session, sendable, percent_off=percent_off, expires_in_hours=expires_in_hours
        )
        if sendable
        else []
    )
    return Outcome(len(sent), tuple(f"{unsold[i]}: {why}" for i, why in blocked.items()))


def schedule_price_drops(session: Session, show_id: int, percent: int, every_days: int) -> Outcome:
    """A price-drop plan for each unsold item, down to its floor."""
    made, skipped = 0, []
    for row in lineup(session, show_id).unsold:
        try:
            price_drops.create_plan(session, row.item_id, percent, every_days)
        except price_drops.PlanError as error:
            skipped.append(f"{row.sku}: {error}")
        else:
            made += 1
    return Outcome(made, tuple(skipped))
