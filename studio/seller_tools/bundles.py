"""Bundle suggestions ("goes with"): up to five items from the seller's own stock that go with
what a buyer bought or liked, each with its reasons.

Reasons, strongest first: a complementary category (a top with bottoms, a dress with shoes or
jewellery), the buyer's size, colours that harmonise (the cover photo's subject, else the
item's colour), the same brand, shared style words. A candidate needs a complementary
category, or the same brand in another category with another reason.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, ItemStatus, Photo
from studio.seller_tools.colours import RGB, harmony, hex_of, parse_colour, subject_colour
from studio.seller_tools.tables import CoverColour

LIMIT = 5
CANDIDATE_POOL = 3000
COMPLEMENTS: dict[str, set[str]] = {
    "tops": {"bottoms", "leggings", "outerwear", "jewellery", "accessories", "bags"},
    "bottoms": {"tops", "outerwear", "shoes"},
    "leggings": {"tops", "outerwear", "shoes"},
    "dresses": {"shoes", "jewellery", "accessories", "bags", "outerwear"},
    "outerwear": {"tops", "bottoms", "dresses", "leggings"},
    "shoes": {"dresses", "bottoms", "leggings"},
    "jewellery": {"dresses", "tops"},
    "accessories": {"dresses", "tops"},
    "bags": {"dresses", "tops", "outerwear"},
}
# Sizes only compare within clothes sized alike; shoes and one-size items have their own.
SIZED_ALIKE = {"tops", "dresses", "outerwear"}
STOP_WORDS = {"and", "the", "with", "for", "a", "of", "in", "size", "new", "blend"}


@dataclass(frozen=True)
class Suggestion:
    item_id: int
    sku: str
    title: str
    price_cents: int | None
    score: float
    reasons: tuple[str, ...]


def _category(item: Item) -> str:
    words = f"{item.category} {item.title} {item.tags}".lower()
    if re.search(r"\b(necklace|earrings?|bracelet|ring|jewell?ery)\b", words):
        return "jewellery"
    return item.category.strip().lower()


def _words(item: Item) -> set[str]:
    text = f"{item.title} {item.tags}".lower()
    words = set(re.findall(r"[a-z0-9]+", text)) - STOP_WORDS
    colour_words = {w for w in words if parse_colour(w)}
    return {w for w in words if len(w) > 2} - colour_words - {item.brand.lower()}


class ColourSource:
    """Each item's colour: its cover's subject (cached by photo hash), else its colour field."""

    def __init__(self, session: Session, photos_root: Path | None) -> None:
        self.session = session
        self.store = PhotoStore(photos_root) if photos_root else None

    def of(self, item: Item) -> tuple[RGB | None, str]:
        cover = self.session.exec(
            select(Photo.file_hash).where(Photo.item_id == item.id).order_by(col(Photo.position))
        ).first()
        if cover and self.store is not None:
            rgb = self._cover(cover)
            if rgb is not None:
                return rgb, "cover photo"
        return parse_colour(item.color) or parse_colour(item.title), "listing"

    def _cover(self, file_hash: str) -> RGB | None:
        cached = self.session.get(CoverColour, file_hash)
        if cached is not None:
            return parse_colour(cached.rgb)
        assert self.store is not None
        if not self.store.contains(file_hash):
            return None
        try:
            rgb = subject_colour(self.store.original(file_hash))
        except OSError:
            return None
        self.session.add(CoverColour(file_hash=file_hash, rgb=hex_of(rgb)))
        return rgb


def score_pair(
    source: Item, candidate: Item, colours: tuple[RGB | None, RGB | None]
) -> tuple[float, list[str]]:
    reasons: list[str] = []
    score = 0.0
    mine, theirs = _category(source), _category(candidate)
    complementary = theirs in COMPLEMENTS.get(mine, set())
    if complementary:
        score += 3
        reasons.append(f"{candidate.category.lower() or theirs} go with {source.category.lower()}")
    if (
        mine in SIZED_ALIKE
        and theirs in SIZED_ALIKE
        and source.size
        and source.size.strip().lower() == candidate.size.strip().lower()
    ):
        score += 2
        reasons.append(f"in the buyer's size ({candidate.size})")
    if colours[0] is not None and colours[1] is not None:
        why = harmony(colours[0], colours[1])
        if why:
            score += 1.5
            reasons.append(why)
    same_brand = bool(source.brand) and source.brand.lower() == candidate.brand.lower()
    if same_brand:
        score += 1
        reasons.append(f"also {candidate.brand}")
    shared = sorted(_words(source) & _words(candidate))
    if shared:
        score += min(len(shared), 2) * 0.5
        reasons.append(f"same style: {', '.join(shared[:3])}")
    # Another of the same kind is an alternative, not something that goes with it.
    if not complementary and not (same_brand and theirs != mine and len(reasons) > 1):
        return 0.0, []
    return score, reasons


def suggest(
    session: Session,
    item_ids: Sequence[int],
    photos_root: Path | None = None,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """Listed items that go with the given ones (what a buyer bought or liked), best first."""
    sources = list(session.exec(select(Item).where(col(Item.id).in_(list(item_ids)))).all())
    if not sources:
        return []
    candidates = session.exec(
        select(Item)
        .where(Item.status == ItemStatus.LISTED.value, col(Item.id).not_in(list(item_ids)))
        .order_by(col(Item.id))
        .limit(CANDIDATE_POOL)
    ).all()
    colours = ColourSource(session, photos_root)
    source_colours = [colours.of(item)[0] for item in sources]
    best: list[Suggestion] = []
    for candidate in candidates:
        colour = colours.of(candidate)[0]
        top = max(
            (
                score_pair(source, candidate, (mine, colour))
                for source, mine in zip(sources, source_colours, strict=True)
            ),
            key=lambda pair: pair[0],
        )
        if top[0] > 0:
            best.append(
                Suggestion(
                    candidate.id or 0,
                    candidate.sku,
                    candidate.title,
                    candidate.list_price_cents,
                    top[0],
                    tuple(top[1]),
                )
            )
    best.sort(key=lambda s: (-s.score, s.item_id))
    return best[:limit]
