"""Matching a marketplace's listings with the inventory, before an import writes anything.

Each listing no item is linked to gets a decision: linked to the item it already is (the
same SKU; failing that, the same title, price and cover photo as exactly one item), created
as a new item, or left alone with the reason: when a match would be a guess (several
lookalikes), when the item is linked to another listing there already, or when two listings
share a new SKU. studio/sync/closet_import.py carries the plan out.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from studio.inventory import sku as skus
from studio.inventory.tables import Item, Photo
from studio.sync.port import RemoteListing
from studio.sync.tables import ListingLink


class Action(enum.StrEnum):
    LINK = "link"  # to the local item it already is
    CREATE = "create"  # a new item
    LEAVE = "leave"  # left alone: no safe match


@dataclass(frozen=True)
class Decision:
    listing: RemoteListing
    action: Action
    item_id: int | None = None  # LINK: the local item
    sku: str = ""  # LINK: the item's SKU; CREATE: the SKU it gets ("" for a new one)
    reason: str = ""  # how it matched, or why it is left alone

    @property
    def title(self) -> str:
        return str(self.listing.fields.get("title") or "")

    def words(self) -> str:
        """One line of the report, e.g. 'listing 17 "Wool coat" -> COAT-0042 (same SKU)'."""
        what = f'listing {self.listing.id} "{self.title}"'
        if self.action is Action.LINK:
            return f"{what} -> {self.sku} ({self.reason})"
        if self.action is Action.CREATE:
            return f"{what} -> new item {self.sku or '(new SKU)'}" + (
                f" ({self.reason})" if self.reason else ""
            )
        return f"{what}: {self.reason}"


@dataclass(frozen=True)
class ImportPlan:
    marketplace: str
    decisions: list[Decision]
    already_linked: int  # listings an item is linked to already: nothing to do

    def of(self, action: Action) -> list[Decision]:
        return [decision for decision in self.decisions if decision.action is action]

    @property
    def to_link(self) -> list[Decision]:
        return self.of(Action.LINK)

    @property
    def to_create(self) -> list[Decision]:
        return self.of(Action.CREATE)

    @property
    def left_alone(self) -> list[Decision]:
        return self.of(Action.LEAVE)

    @property
    def work(self) -> list[Decision]:
        return [decision for decision in self.decisions if decision.action is not Action.LEAVE]

    def summary(self) -> str:
        total = len(self.decisions) + self.already_linked
        return (
            f"{total:,} listing(s) on {self.marketplace}: {len(self.to_link):,} to link to "
            f"items you have, {len(self.to_create):,} to create, {len(self.left_alone):,} "
            f"left alone, {self.already_linked:,} already linked."
        )

    def lines(self, most_created: int = 20) -> list[str]:
        """The summary, then each link and each listing left alone, and the first creates."""
        lines = [self.summary()]
        for heading, decisions, most in (
            ("To link", self.to_link, None),
            ("To create", self.to_create, most_created),
            ("Left alone", self.left_alone, None),
        ):
            if not decisions:
                continue
            lines.append(f"{heading}:")
            shown = decisions if most is None else decisions[:most]
            lines += [f"  {decision.words()}" for decision in shown]
            if len(shown) < len(decisions):
                lines.append(f"  … and {len(decisions) - len(shown):,} more")
        return lines


def _look(title: Any, price: Any) -> tuple[str, Any]:
    """Titles match whatever their case and spacing."""
    return " ".join(str(title or "").split()).casefold(), price


def _clean_sku(value: Any) -> str:
    return str(value or "").strip().upper()


def plan_import(
    session: Session, marketplace: str, listings: Sequence[RemoteListing]
) -> ImportPlan:
    """What an import of `listings` would do; reads the inventory, writes nothing."""
    links = session.exec(
        select(ListingLink.item_id, ListingLink.remote_id).where(
            ListingLink.marketplace == marketplace
        )
    ).all()
    linked_remote = {remote_id for _item, remote_id in links if remote_id is not None}
    linked_items: dict[int, str | None] = {item_id: remote_id for item_id, remote_id in links}
    fresh = [listing for listing in listings if listing.id not in linked_remote]

    by_sku: dict[str, tuple[int, str]] = {}
    by_look: dict[tuple[str, Any], list[int]] = {}
    sku_of: dict[int, str] = {}
    for item_id, sku, title, price in session.exec(
        select(Item.id, Item.sku, Item.title, Item.list_price_cents)
    ):
        assert item_id is not None
        by_sku[sku.upper()] = (item_id, sku)
        by_look.setdefault(_look(title, price), []).append(item_id)
        sku_of[item_id] = sku
    lookalikes = {
        item_id
        for listing in fresh
        for item_id in by_look.get(_look(listing.fields.get("title"), _price(listing)), [])
    }
    covers = _covers(session, lookalikes)

    matcher = _Matcher(by_sku, by_look, covers, linked_items, sku_of)
    decisions = [matcher.decide(listing) for listing in fresh]
    return ImportPlan(marketplace, decisions, len(listings) - len(fresh))


def _price(listing: RemoteListing) -> Any:
    return listing.fields.get("price_cents")


def _covers(session: Session, item_ids: set[int]) -> dict[int, str]:
    """Each item's cover photo hash (its photo at the lowest position)."""
    covers: dict[int, tuple[int, str]] = {}
    ids = list(item_ids)
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        rows = session.exec(
            select(Photo.item_id, Photo.position, Photo.file_hash).where(
                col(Photo.item_id).in_(ids[start : start + 900])
            )
        )
        for item_id, position, file_hash in rows:
            if item_id not in covers or position < covers[item_id][0]:
                covers[item_id] = (position, file_hash)
    return {item_id: file_hash for item_id, (_position, file_hash) in covers.items()}


class _Matcher:
    def __init__(
        self,
        by_sku: dict[str, tuple[int, str]],
        by_look: dict[tuple[str, Any], list[int]],
        covers: dict[int, str],
        linked_items: dict[int, str | None],
        sku_of: dict[int, str],
    ) -> None:
        self.by_sku = by_sku
        self.by_look = by_look
        self.covers = covers
        self.linked_items = linked_items
        self.sku_of = sku_of
        self.claimed: dict[int, str] = {}  # item id -> the listing this plan links it to
        self.created_skus: dict[str, str] = {}  # SKU -> the listing this plan creates with it

    def decide(self, listing: RemoteListing) -> Decision:
        sku = _clean_sku(listing.fields.get("sku"))
        if sku in self.by_sku:
            item_id, local_sku = self.by_sku[sku]
            return self._link(listing, item_id, local_sku, "same SKU")
        if sku in self.created_skus:
            first = self.created_skus[sku]
            return Decision(
                listing,
                Action.LEAVE,
                reason=f"has the same SKU as listing {first}, which this import creates; "
                "give one of them another SKU on the marketplace, then import again",
            )
        by_look = self._by_look(listing)
        if by_look is not None:
            return by_look
        note = ""
        if sku and not skus.SKU_PATTERN.match(sku):
            note = f"its SKU {sku!r} cannot be an SKU here, so it gets a new one"
            sku = ""
        if sku:
            self.created_skus[sku] = listing.id
        return Decision(listing, Action.CREATE, sku=sku, reason=note)

    def _link(self, listing: RemoteListing, item_id: int, sku: str, how: str) -> Decision:
        if item_id in self.linked_items:
            remote_id = self.linked_items[item_id]
            reason = (
                f"{sku} is already linked to listing {remote_id} there"
                if remote_id is not None
                else f"{sku} is waiting to be listed there; the next sync links them"
            )
            return Decision(listing, Action.LEAVE, item_id, sku, reason)
        if item_id in self.claimed:
            other = self.claimed[item_id]
            reason = f"{how} as {sku}, which listing {other} is linked to by this import"
            return Decision(listing, Action.LEAVE, item_id, sku, reason)
        self.claimed[item_id] = listing.id
        return Decision(listing, Action.LINK, item_id, sku, how)

    def _by_look(self, listing: RemoteListing) -> Decision | None:
        photos = listing.fields.get("photos") or []
        if not photos:
            return None  # a title and a price alone are too common to be sure
        look = _look(listing.fields.get("title"), _price(listing))
        same = [item for item in self.by_look.get(look, []) if self.covers.get(item) == photos[0]]
        if not same:
            return None
        free = [item for item in same if item not in self.linked_items and item not in self.claimed]
        how = "same title, price and cover photo"
        if len(free) == 1:
            return self._link(listing, free[0], self.sku_of[free[0]], how)
        if not free:
            return self._link(listing, same[0], self.sku_of[same[0]], how)
        names = ", ".join(sorted(self.sku_of[item] for item in free))
        return Decision(
            listing,
            Action.LEAVE,
            reason=f"has the title, price and cover photo of {len(free)} of your items "
            f"({names}); give the listing the SKU of the right one, then import again",
        )
