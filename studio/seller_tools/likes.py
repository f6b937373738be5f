"""What buyers want: listings ranked by likes and by recent like activity, with who liked
them and when."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from studio.inventory.tables import Item, ItemStatus
from studio.orders.service import as_utc
from studio.sync.tables import Like

RECENT_DAYS = 7


@dataclass(frozen=True)
class Liker:
    name: str
    buyer_id: str
    at: datetime


@dataclass(frozen=True)
class LikedListing:
    item_id: int
    sku: str
    title: str
    price_cents: int | None
    floor_cents: int | None
    status: str
    likes: int  # current likers
    recent: int  # likes added in the last RECENT_DAYS days (and still there)
    last_like_at: datetime | None
    likers: tuple[Liker, ...]  # newest first


def ranked_listings(
    session: Session, now: datetime, by: str = "likes", include_sold: bool = False
) -> list[LikedListing]:
    """Liked items, most liked (by="likes") or most recently active (by="recent") first."""
    query = select(Like, Item).join(Item, col(Item.id) == Like.item_id)
    query = query.where(col(Like.active).is_(True))
    if not include_sold:
        query = query.where(Item.status == ItemStatus.LISTED.value)
    rows = session.exec(query.order_by(col(Like.changed_at).desc())).all()
    since = now - timedelta(days=RECENT_DAYS)
    likers: dict[int, list[Liker]] = {}
    items: dict[int, Item] = {}
    for like, item in rows:
        assert item.id is not None
        items[item.id] = item
        likers.setdefault(item.id, []).append(
            Liker(like.buyer_name, like.buyer_id, as_utc(like.changed_at))
        )
    listings = [
        LikedListing(
            item_id=item_id,
            sku=items[item_id].sku,
            title=items[item_id].title,
            price_cents=items[item_id].list_price_cents,
            floor_cents=items[item_id].floor_price_cents,
            status=items[item_id].status,
            likes=len(people),
            recent=sum(1 for person in people if person.at >= since),
            last_like_at=people[0].at,
            likers=tuple(people),
        )
        for item_id, people in likers.items()
    ]
    if by == "recent":
        listings.sort(key=lambda x: (x.recent, x.last_like_at or since), reverse=True)
    else:
        listings.sort(key=lambda x: (x.likes, x.last_like_at or since), reverse=True)
    return listings
