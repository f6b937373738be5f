"""Realistic fake inventory for trying the app and for benchmarks."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from studio.inventory import sku as skus
from studio.inventory.tables import Item, ItemStatus
from studio.storage import changes

BRANDS = (
    "Lululemon", "Patagonia", "Levi's", "Madewell", "Free People", "Anthropologie", "J.Crew",
    "Coach", "Kate Spade", "Michael Kors", "Nike", "Adidas", "Zara", "Reformation", "Aritzia",
    "Eileen Fisher", "Everlane", "The North Face", "Ralph Lauren", "Tory Burch", "Dr. Martens",
    "Birkenstock", "Vince", "Banana Republic", "Gap", "Uniqlo", "Columbia", "Carhartt",
    "Pendleton", "Ann Taylor", "Talbots", "L.L.Bean", "Converse", "Vans", "Longchamp",
)  # fmt: skip
CATEGORIES = {
    "Tops": (("blouse", "tee", "tank", "sweater", "cardigan", "button-down"), "XS S M L XL"),
    "Bottoms": (("jeans", "trousers", "shorts", "skirt", "chinos"), "24 25 26 27 28 29 30 32"),
    "Dresses": (("midi dress", "maxi dress", "slip dress", "wrap dress"), "XS S M L XL"),
    "Outerwear": (("jacket", "parka", "fleece", "trench coat", "vest"), "XS S M L XL XXL"),
    "Leggings": (("leggings", "joggers", "bike shorts"), "2 4 6 8 10 12"),
    "Shoes": (("boots", "sneakers", "sandals", "loafers", "clogs"), "6 6.5 7 7.5 8 8.5 9 10"),
    "Bags": (("tote", "crossbody", "shoulder bag", "backpack", "clutch"), "OS"),
    "Accessories": (("scarf", "belt", "beanie", "sunglasses", "wallet"), "OS"),
}
COLORS = (
    "black", "white", "navy", "olive", "burgundy", "camel", "cream", "denim blue", "sage",
    "rust", "grey", "pink", "emerald", "mustard", "lavender", "brown", "red",
)  # fmt: skip
DETAILS = (
    "vintage", "y2k", "oversized", "cropped", "high rise", "wool", "linen", "leather",
    "cotton", "cashmere blend", "embroidered", "striped", "floral", "quilted", "organic",
)  # fmt: skip
CONDITIONS = ("New with tags", "Like new", "Excellent", "Good", "Fair")
SOURCES = ("Goodwill", "estate sale", "garage sale", "thrift store", "consignment", "closet")
STATUS_WEIGHTS = {
    ItemStatus.LISTED: 55,
    ItemStatus.READY: 12,
    ItemStatus.DRAFT: 10,
    ItemStatus.SOLD: 8,
    ItemStatus.SHIPPED: 10,
    ItemStatus.ARCHIVED: 5,
}


def _item(rng: random.Random, sku: str, category: str, now: datetime) -> dict:
    nouns, sizes = CATEGORIES[category]
    brand, color, detail = rng.choice(BRANDS), rng.choice(COLORS), rng.choice(DETAILS)
    noun = rng.choice(nouns)
    cost = rng.choice((100, 200, 300, 400, 500, 700, 1000, 1500, 2500))
    price = max(cost * rng.randint(3, 8), 1200) // 100 * 100
    created = now - timedelta(days=rng.randint(0, 720), minutes=rng.randint(0, 1440))
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    updated = min(created + timedelta(days=rng.randint(0, 30)), now)
    return {
        "sku": sku,
        "title": f"{brand} {detail} {color} {noun}",
        "description": f"{detail.capitalize()} {noun} by {brand} in {color}. "
        f"Measurements on request; from a smoke-free home.",
        "brand": brand,
        "category": category,
        "size": rng.choice(sizes.split()),
        "color": color,
        "condition": rng.choice(CONDITIONS),
        "tags": ", ".join(sorted({detail, color, category.lower()})),
        "cost_cents": cost,
        "purchase_date": (created - timedelta(days=rng.randint(0, 30))).date(),
        "purchase_source": rng.choice(SOURCES),
        "list_price_cents": price,
        "floor_price_cents": price * rng.choice((60, 70, 75, 80)) // 100,
        "status": status.value,
        "bin_location": f"{rng.choice('ABCDEFGH')}{rng.randint(1, 12)}-{rng.randint(1, 30):02d}",
        "notes": "",
        "created_at": created,
        "updated_at": updated,
        "sold_at": updated if status in (ItemStatus.SOLD, ItemStatus.SHIPPED) else None,
        "weight": rng.randint(40, 320),  # 4 to 32 oz
    }


def add_demo_items(
    session: Session,
    count: int,
    seed: int = 42,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Adds `count` items with SKUs continuing each category's numbering."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    prefixes = {category: skus.prefix_for(session, category) for category in CATEGORIES}
    batch: list[dict] = []
    for done in range(1, count + 1):
        category = rng.choice(list(CATEGORIES))
        row = prefixes[category]
        sku = f"{row.prefix}-{row.next_number:04d}"
        row.next_number += 1
        batch.append(_item(rng, sku, category, now))
        if len(batch) == 5000 or done == count:
            # Core bulk insert: the ORM's add_all is ~10x slower at this size. The ORM does
            # not see it, so say what it wrote: new items, ids not known here.
            session.execute(insert(Item), batch)
            changes.note(session, changes.of_tables("item", rows_moved=True))
            batch.clear()
            if progress:
                progress(done, count)
    session.flush()
    return count
