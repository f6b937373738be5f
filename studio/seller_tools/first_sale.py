"""First sale and milestones. A seller with no sale yet gets a checklist that walks them to
it; after the first sale, milestones (sales and revenue) mark the way."""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from sqlalchemy import and_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from studio.imaging.recipe import Recipe, RecipeError
from studio.inventory.tables import Item, ItemStatus, Photo
from studio.money import format_money
from studio.orders.tables import Order, OrderLine, OrderStatus
from studio.seller_tools.tables import LikersOffer
from studio.sync.tables import Like

LISTED_GOAL = 10
SALE_MILESTONES = (1, 10, 100, 1000)
REVENUE_MILESTONES_CENTS = (10_000, 100_000, 1_000_000, 10_000_000)
PRICE_TOLERANCE = 0.25  # within 25% of what comparables sold for


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str


@dataclass(frozen=True)
class Milestone:
    title: str
    reached: bool
    progress: str


@dataclass(frozen=True)
class Progress:
    sales: int
    revenue_cents: int
    checklist: tuple[Step, ...]  # empty once the first sale is made
    milestones: tuple[Milestone, ...]


def progress(session: Session) -> Progress:
    sold_lines = select(OrderLine).join(Order, col(Order.id) == OrderLine.order_id)
    sold_lines = sold_lines.where(Order.status != OrderStatus.CANCELLED.value)
    lines = session.exec(sold_lines).all()
    count, revenue = len(lines), sum(line.price_cents for line in lines)
    checklist = () if count else tuple(_checklist(session))
    milestones = tuple(
        Milestone(
            f"{goal:,} sale{'s' if goal > 1 else ''}", count >= goal, f"{min(count, goal)}/{goal}"
        )
        for goal in SALE_MILESTONES
    ) + tuple(
        Milestone(
            f"{format_money(goal)} in sales",
            revenue >= goal,
            f"{format_money(min(revenue, goal))} of {format_money(goal)}",
        )
        for goal in REVENUE_MILESTONES_CENTS
    )
    return Progress(count, revenue, checklist, milestones)


@dataclass(frozen=True)
class _Listed:
    """A listed item as the checklist reads it: plain values, one row each, so a closet of
    tens of thousands costs one query and no objects."""

    title: str
    brand: str
    category: str
    list_price_cents: int | None
    cover_recipe: str | None


def _listed(session: Session) -> list[_Listed]:
    cover = and_(col(Photo.item_id) == Item.id, col(Photo.position) == 0)
    rows = session.execute(
        select_columns(
            col(Item.title),
            col(Item.brand),
            col(Item.category),
            col(Item.list_price_cents),
            col(Photo.recipe),
        )
        .select_from(Item)
        .join(Photo, cover, isouter=True)
        .where(col(Item.status) == ItemStatus.LISTED.value)
    ).all()
    return [_Listed(*row) for row in rows]


def _checklist(session: Session) -> list[Step]:
    listed = _listed(session)
    steps = [
        Step(
            f"List at least {LISTED_GOAL} items",
            len(listed) >= LISTED_GOAL,
            f"{len(listed)} listed; more listings mean more buyers find you.",
        )
    ]
    unclean = [item.title for item in listed if not _clean_cover(item.cover_recipe)]
    steps.append(
        Step(
            "Give every listing a clean cover photo",
            bool(listed) and not unclean,
            "All covers have a clean background."
            if not unclean
            else f"{len(unclean)} need one (Photo Studio → remove background), e.g. {unclean[0]}.",
        )
    )
    steps.append(_price_step(session, listed))
    liked = set(
        session.exec(
            select(Like.item_id).where(col(Like.active).is_(True), col(Like.item_id).is_not(None))
        ).all()
    )
    offered = set(session.exec(select(LikersOffer.item_id)).all())
    waiting = liked - offered
    steps.append(
        Step(
            "Send an offer to the likers of each liked item",
            bool(liked) and not waiting,
            f"{len(waiting)} liked item(s) have had no offer yet (Likes & Offers)."
            if waiting
            else ("Every liked item has had an offer." if liked else "No likes yet."),
        )
    )
    return steps


def _clean_cover(cover_recipe: str | None) -> bool:
    if not cover_recipe:
        return False
    try:
        recipe = Recipe.from_json(cover_recipe)
    except RecipeError:
        return False
    return any(step.kind == "remove_background" for step in recipe.steps)


def _price_step(session: Session, listed: Sequence[_Listed]) -> Step:
    """Prices against what the same brand and category sold for in the seller's history."""
    sold = session.exec(
        select(Item.brand, Item.category, OrderLine.price_cents)
        .join(OrderLine, col(OrderLine.item_id) == Item.id)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(Order.status != OrderStatus.CANCELLED.value)
    ).all()
    comparables: dict[tuple[str, str], list[int]] = {}
    for brand, category, price in sold:
        comparables.setdefault((brand.lower(), category.lower()), []).append(price)
    off = []
    for item in listed:
        prices = comparables.get((item.brand.lower(), item.category.lower()))
        if prices and item.list_price_cents:
            typical = median(prices)
            if abs(item.list_price_cents - typical) > PRICE_TOLERANCE * typical:
                off.append(
                    f"{item.title} ({format_money(item.list_price_cents)} vs "
                    f"{format_money(int(typical))})"
                )
    unpriced = [item.title for item in listed if not item.list_price_cents]
    if not comparables:
        detail = "No sold comparables in your history yet; check similar sold listings."
    elif off:
        detail = "Far from what the same brand and category sold for: " + "; ".join(off[:3])
    else:
        detail = "Prices are in line with your sold comparables."
    done = not off and not unpriced and bool(listed)
    return Step("Price against sold comparables", done, detail)
