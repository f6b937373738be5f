"""Fill a seller's closet fast, straight into the server's database, for tests and benchmarks
of a closet import: thousands of listings through the API would make the seeding, not the
import, the slow part.

What it writes is what the API would have written: listings with their photos (stored by
content hash like uploads), likes and buyer offers, each recorded in the seller's feed.

    with run_embedded(tmp_path) as market:
        market.create_seller("big-closet")
        seeded = seed_closet(market.state, "big-closet", 5000, photos_per_listing=4)
"""

import hashlib
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlmodel import Session, col, select

from marketplace.models import (
    Buyer,
    Event,
    Like,
    Listing,
    ListingPhoto,
    Offer,
    Photo,
    Seller,
    utcnow,
)
from marketplace.models import SellerPhoto as OwnedPhoto
from marketplace.photo_routes import photo_path
from marketplace.representations import offer_out, photo_url
from marketplace.schemas import ListingOut, PhotoOut
from marketplace.state import ServerState

SEED_CHUNK = 200  # listings flushed together: their ids come back in one insert
BUYER_ADDRESS = {"line1": "7 Harbour Row", "city": "Galway", "postal_code": "H91", "country": "IE"}


@dataclass(frozen=True)
class SeededListing:
    id: int
    sku: str | None
    title: str
    price_cents: int
    status: str
    photos: list[str]  # sha256 of each, the cover first


def _photo(rng: random.Random, side: int, template: bytes | None, mark: str) -> bytes:
    if template is None:
        return noise_jpeg(rng, side)
    # Bytes after a JPEG's end marker are ignored by decoders: a distinct file, at no cost
    # of encoding thousands of large photos.
    return template + f"closet-seed {mark}".encode()


def noise_jpeg(rng: random.Random, side: int) -> bytes:
    """A small JPEG of noise: every one its own content hash."""
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def seed_closet(
    state: ServerState,
    seller: str,
    count: int,
    *,
    photos_per_listing: int = 3,
    first_number: int = 1,
    sku_prefix: str | None = "CLOSET",
    statuses: Sequence[str] = ("active",),
    likes_per_listing: int = 0,
    offers_per_listing: int = 0,
    shared_cover: bytes | None = None,
    photo_side: int = 48,
    photo_template: bytes | None = None,
    seed: int = 1,
) -> list[SeededListing]:
    """Adds `count` listings numbered from `first_number` (listing 42: title "Closet coat
    42", price 20.42, SKU "<prefix>-00042", none if `sku_prefix` is None), each status taken
    in turn from `statuses`, the active ones with `offers_per_listing` pending buyer offers.

    Photos are noise JPEGs `photo_side` pixels wide, or, with `photo_template` (a real JPEG,
    for realistic sizes), that photo made distinct per listing and position.
    `shared_cover`, when given, is every listing's first photo."""
    rng = random.Random(seed)
    seeded: list[SeededListing] = []
    with state.db.write() as session:
        owner = session.exec(select(Seller).where(Seller.name == seller)).one()
        assert owner.id is not None
        buyers = _buyers(session, max(likes_per_listing, offers_per_listing), seed)
        feed = _Feed(session, owner)
        for start in range(0, count, SEED_CHUNK):
            numbers = range(first_number + start, first_number + min(count, start + SEED_CHUNK))
            # A chunk's photos at a time: thousands of full-size photos would not fit in memory.
            photos = [
                [
                    _photo(rng, photo_side, photo_template, f"{seed}-{number}-{position}")
                    for position in range(photos_per_listing)
                ]
                for number in numbers
            ]
            if shared_cover is not None:
                photos = [[shared_cover, *mine[1:]] for mine in photos]
            hashes = _store_photos(session, state, owner.id, photos)
            listings = [
                Listing(
                    seller_id=owner.id,
                    sku=f"{sku_prefix}-{number:05d}" if sku_prefix else None,
                    title=f"Closet coat {number}",
                    description=f"A coat from the closet, number {number}.",
                    brand="Acme",
                    size="M",
                    condition="good",
                    price_cents=2000 + number,
                    currency=owner.currency,
                    status=statuses[(number - first_number) % len(statuses)],
                    likes_count=likes_per_listing,
                )
                for number in numbers
            ]
            session.add_all(listings)
            session.flush()
            for listing, mine in zip(listings, hashes, strict=True):
                seeded.append(_seed_one(session, feed, listing, mine, buyers, likes_per_listing))
                for buyer in buyers[:offers_per_listing] if listing.status == "active" else []:
                    _offer(session, feed, listing, buyer, state.settings.offer_ttl_s)
        feed.close()
    return seeded


class _Feed:
    """Events numbered in memory: this one write transaction holds the seller's feed, so the
    numbers are taken in one update at the end instead of one per event."""

    def __init__(self, session: Session, owner: Seller) -> None:
        self.session = session
        self.owner = owner
        self.seq = owner.event_seq

    def record(self, event_type: str, data: dict[str, Any]) -> None:
        assert self.owner.id is not None
        self.seq += 1
        self.session.add(Event(seller_id=self.owner.id, seq=self.seq, type=event_type, data=data))

    def close(self) -> None:
        self.owner.event_seq = self.seq
        self.session.add(self.owner)


def _seed_one(
    session: Session,
    feed: _Feed,
    listing: Listing,
    hashes: list[str],
    buyers: list[Buyer],
    likes: int,
) -> SeededListing:
    assert listing.id is not None
    session.add_all(
        ListingPhoto(listing_id=listing.id, position=position, sha256=sha)
        for position, sha in enumerate(hashes)
    )
    snapshot = ListingOut.model_validate(
        {
            **listing.model_dump(exclude={"seller_id"}),
            "likes_count": 0,
            "photos": [PhotoOut(sha256=sha, url=photo_url(sha)) for sha in hashes],
        }
    )
    feed.record("listing.created", {"listing": snapshot.model_dump(mode="json")})
    for count, buyer in enumerate(buyers[:likes], start=1):
        assert buyer.id is not None
        session.add(Like(buyer_id=buyer.id, listing_id=listing.id))
        liker = {"id": buyer.id, "name": buyer.name}
        feed.record("like.added", {"listing_id": listing.id, "buyer": liker, "likes_count": count})
    return SeededListing(
        id=listing.id,
        sku=listing.sku,
        title=listing.title,
        price_cents=listing.price_cents,
        status=listing.status,
        photos=hashes,
    )


def _buyers(session: Session, count: int, seed: int) -> list[Buyer]:
    buyers = [
        Buyer(name=f"Seed buyer {seed}-{n}", address={"name": f"Seed buyer {n}", **BUYER_ADDRESS})
        for n in range(count)
    ]
    session.add_all(buyers)
    session.flush()
    return buyers


def _store_photos(
    session: Session, state: ServerState, seller_id: int, photos: list[list[bytes]]
) -> list[list[str]]:
    """Stores each photo once, as an upload would; returns every listing's hashes."""
    hashes = [[hashlib.sha256(data).hexdigest() for data in mine] for mine in photos]
    distinct = {
        sha: data
        for mine, shas in zip(photos, hashes, strict=True)
        for sha, data in zip(shas, mine, strict=True)
    }
    known = set(session.exec(select(Photo.sha256).where(col(Photo.sha256).in_(distinct))))
    owned = set(
        session.exec(
            select(OwnedPhoto.sha256).where(
                OwnedPhoto.seller_id == seller_id, col(OwnedPhoto.sha256).in_(distinct)
            )
        )
    )
    for sha, data in distinct.items():
        target = photo_path(state.settings.photo_dir, sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if sha not in known:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
            session.add(
                Photo(
                    sha256=sha,
                    size_bytes=len(data),
                    content_type="image/jpeg",
                    width=width,
                    height=height,
                )
            )
        if sha not in owned:
            session.add(OwnedPhoto(seller_id=seller_id, sha256=sha))
    session.flush()
    return hashes


def _offer(session: Session, feed: _Feed, listing: Listing, buyer: Buyer, ttl_s: int) -> None:
    assert buyer.id is not None and listing.id is not None
    offer = Offer(
        seller_id=listing.seller_id,
        listing_id=listing.id,
        buyer_id=buyer.id,
        kind="buyer",
        amount_cents=max(1, listing.price_cents - 100 * (1 + buyer.id % 5)),
        expires_at=utcnow() + timedelta(seconds=ttl_s),
    )
    session.add(offer)
    session.flush()
    snapshot = offer_out(session, offer, listing.currency).model_dump(mode="json")
    feed.record("offer.received", {"offer": snapshot})
