from datetime import UTC, datetime

import pytest

from studio.shows import service as shows
from studio.sync.tables import ListingLink, MarketplaceAccount, OpKind, OutboxOp

STARTS = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)


@pytest.fixture
def rack(database, add_item):
    """Five items for sale, their bins out of walking order; the jacket is live on two
    marketplaces, the jeans' listing is still being created on one."""
    specs = [
        dict(
            title="Levi's 501 jeans",
            category="Bottoms",
            brand="Levi's",
            size="30",
            waist="15",
            inseam="30",
            bin_location="B10",
            list_price_cents="48",
            floor_price_cents="30",
            condition="Good",
        ),
        dict(
            title="Denim trucker jacket",
            category="Outerwear",
            brand="Levi's",
            size="M",
            pit_to_pit="21.5",
            length="24",
            bin_location="A2",
            list_price_cents="65",
            floor_price_cents="45",
        ),
        dict(
            title="White linen shirt",
            category="Tops",
            brand="Everlane",
            size="M",
            bin_location="B2",
            list_price_cents="30",
        ),
        dict(
            title="Chelsea boots",
            category="Shoes",
            brand="Blundstone",
            size="8",
            insole="10.5",
            bin_location="C1",
            list_price_cents="90",
            floor_price_cents="70",
        ),
        dict(
            title="Silk scarf",
            category="Accessories",
            brand="",
            bin_location="",
            list_price_cents="22",
        ),
    ]
    items = [add_item(status="listed", **spec) for spec in specs]
    jeans, jacket = items[0], items[1]
    with database.transaction() as session:
        for name in ("seller-api", "thrift-hub"):
            session.add(MarketplaceAccount(name=name, base_url="http://127.0.0.1:9"))
        session.flush()
        for name in ("seller-api", "thrift-hub"):
            session.add(
                ListingLink(
                    item_id=jacket.id,
                    marketplace=name,
                    remote_id=f"{name}-j",
                    remote_status="active",
                )
            )
        session.add(ListingLink(item_id=jeans.id, marketplace="seller-api"))
        session.add(
            OutboxOp(
                op_id="create-jeans",
                marketplace="seller-api",
                entity=f"item:{jeans.id}",
                item_id=jeans.id,
                kind=OpKind.CREATE_LISTING.value,
            )
        )
    return items


@pytest.fixture
def planned(database, rack):
    """A show with the five items in the rack's order."""
    with database.transaction() as session:
        show = shows.create_show(session, "Sunday denim", STARTS)
        shows.add_items(session, show.id, [item.id for item in rack])
        return show.id
