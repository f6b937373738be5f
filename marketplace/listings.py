"""Listing rules shared by the seller's and the buyers' endpoints."""

from typing import Any

from sqlmodel import Session, col, delete, select

from marketplace.feed import record_event
from marketplace.models import Like, Listing, ListingPhoto, Notification, SellerPhoto, utcnow
from marketplace.problems import ProblemError, not_found
from marketplace.representations import listing_out

# A cut of at least this fraction of the price tells every liker (like the marketplace does).
PRICE_DROP_NOTICE = 0.10


def owned_listing(session: Session, seller_id: int, listing_id: int) -> Listing:
    """The seller's listing; someone else's id is reported exactly like a missing one."""
    listing = session.get(Listing, listing_id)
    if listing is None or listing.seller_id != seller_id:
        raise not_found("listing")
    return listing


def parse_if_match(value: str | None, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise ProblemError(
                428, "precondition_required", "Send If-Match with the listing's version."
            )
        return None
    text = value.strip().removeprefix("W/").strip('"')
    # str.isdigit() and int() also take non-ASCII digits ("٣", "²" - and int("²") raises),
    # so accept only ASCII digits, and few enough of them to stay a 64-bit version.
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise ProblemError(400, "invalid_if_match", 'If-Match must be a version, e.g. "3".')
    return int(text)


def check_version(session: Session, listing: Listing, expected: int | None) -> None:
    if expected is not None and expected != listing.version:
        raise ProblemError(
            412,
            "version_mismatch",
            f"The listing is at version {listing.version}, not {expected}.",
            headers={"ETag": f'"{listing.version}"'},
            current=listing_out(session, listing).model_dump(mode="json"),
        )


def set_photos(session: Session, seller_id: int, listing_id: int, hashes: list[str]) -> None:
    if len(set(hashes)) != len(hashes):
        raise ProblemError(422, "duplicate_photo", "A photo appears twice in the list.")
    if hashes:
        owned = set(
            session.exec(
                select(SellerPhoto.sha256).where(
                    SellerPhoto.seller_id == seller_id, col(SellerPhoto.sha256).in_(hashes)
                )
            )
        )
        missing = [sha for sha in hashes if sha not in owned]
        if missing:
            raise ProblemError(
                422,
                "unknown_photo",
                "Upload each photo with PUT /v1/photos/{sha256} first.",
                missing=missing,
            )
    session.execute(delete(ListingPhoto).where(col(ListingPhoto.listing_id) == listing_id))
    session.add_all(
        ListingPhoto(listing_id=listing_id, position=i, sha256=sha) for i, sha in enumerate(hashes)
    )


def bump(listing: Listing) -> None:
    listing.version += 1
    listing.updated_at = utcnow()


def notify_price_drop(session: Session, listing: Listing, old_price: int) -> dict[str, int] | None:
    """Tell every liker about a big enough cut; returns what the feed records about it."""
    new_price = listing.price_cents
    if listing.status != "active" or new_price > old_price * (1 - PRICE_DROP_NOTICE):
        return None
    likers = list(session.exec(select(Like.buyer_id).where(Like.listing_id == listing.id)))
    assert listing.id is not None
    session.add_all(
        Notification(
            buyer_id=buyer_id,
            listing_id=listing.id,
            kind="price_drop",
            old_price_cents=old_price,
            new_price_cents=new_price,
        )
        for buyer_id in likers
    )
    return {
        "old_price_cents": old_price,
        "new_price_cents": new_price,
        "likers_notified": len(likers),
    }


def record_listing(
    session: Session, listing: Listing, event_type: str, **extra: object
) -> dict[str, Any]:
    """Record the event; returns the listing as it was put in the event."""
    session.flush()
    snapshot = listing_out(session, listing).model_dump(mode="json")
    record_event(session, listing.seller_id, event_type, {"listing": snapshot, **extra})
    return snapshot
