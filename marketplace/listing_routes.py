"""The seller's listing endpoints: create (idempotent), read, update (versioned), status."""

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session, col, select

from marketplace.auth import SellerContext, SellerDep, StateDep
from marketplace.ids import IdPath
from marketplace.listings import (
    bump,
    check_version,
    notify_price_drop,
    owned_listing,
    parse_if_match,
    record_listing,
    set_photos,
)
from marketplace.models import IdempotencyRecord, Like, Listing
from marketplace.offers import close_pending_offers
from marketplace.problems import ProblemError
from marketplace.representations import buyer_ref, listing_out
from marketplace.schemas import (
    BATCH_LIMIT,
    Likes,
    ListingBatch,
    ListingBatchOut,
    ListingCreate,
    ListingOut,
    ListingPage,
    ListingUpdate,
)

router = APIRouter(prefix="/v1/listings", tags=["listings"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retries with the same key return the first result instead of creating again.",
    ),
]
IfMatch = Annotated[str | None, Header(alias="If-Match", description='The version, e.g. "3".')]
BATCH_PATH = "/v1/listings:batch"
NOT_NULL_FIELDS = {"title", "price_cents", "description", "shipping_cents"}


def _etag(response: Response, listing: Listing) -> None:
    response.headers["ETag"] = f'"{listing.version}"'


def _request_hash(body: ListingCreate) -> str:
    return hashlib.sha256(body.model_dump_json().encode()).hexdigest()


def _replayed(record: IdempotencyRecord, request_hash: str) -> dict[str, Any]:
    if record.request_hash != request_hash:
        raise ProblemError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was already used with a different request body.",
        )
    return record.response


def _create(
    session: Session, seller: SellerContext, body: ListingCreate, key: str | None
) -> tuple[dict[str, Any], bool]:
    """The new listing as the API shows it, and whether it is the replay of an earlier
    create with the same key (the same rules for a single create and a batch entry)."""
    request_hash = _request_hash(body)
    if key is not None:
        record = session.get(IdempotencyRecord, (seller.id, key))
        if record is not None:
            return _replayed(record, request_hash), True
    listing = Listing(
        seller_id=seller.id, currency=seller.currency, **body.model_dump(exclude={"photos"})
    )
    session.add(listing)
    session.flush()
    assert listing.id is not None
    if body.photos:
        set_photos(session, seller.id, listing.id, body.photos)
    out = record_listing(session, listing, "listing.created")
    if key is not None:
        session.add(
            IdempotencyRecord(
                seller_id=seller.id,
                key=key,
                request_hash=request_hash,
                status_code=201,
                response=out,
            )
        )
        session.flush()
    return out, False


def _created(out: dict[str, Any], replayed: bool) -> JSONResponse:
    headers = {"ETag": f'"{out["version"]}"'}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(out, status_code=201, headers=headers)


@router.post("", status_code=201, response_model=ListingOut)
def create_listing(
    body: ListingCreate, seller: SellerDep, state: StateDep, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    # Writers are serialised (db.py), so a key is looked up and stored by one request at a time.
    with state.db.write() as session:
        out, replayed = _create(session, seller, body, idempotency_key)
    return _created(out, replayed)


@router.post(":batch", response_model=ListingBatchOut, summary="Create up to 25 listings")
def create_listings(body: ListingBatch, seller: SellerDep, state: StateDep) -> JSONResponse:
    """Each entry is created, or replayed, exactly as `POST /v1/listings` with its own
    Idempotency-Key would be; one entry's problem leaves the others alone."""
    entries = body.listings
    if len(entries) > BATCH_LIMIT:
        raise ProblemError(
            422,
            "batch_too_large",
            f"A batch holds at most {BATCH_LIMIT} listings, not {len(entries)}; send the rest "
            "in another request.",
            max_listings=BATCH_LIMIT,
        )
    keys = [entry.idempotency_key for entry in entries]
    if len(set(keys)) != len(keys):
        raise ProblemError(
            422,
            "duplicate_idempotency_key",
            "Two entries of the batch share an idempotency key; give each listing its own.",
        )
    results: list[dict[str, Any]] = []
    with state.db.write() as session:
        for entry in entries:
            key = entry.idempotency_key
            result: dict[str, Any] = {"idempotency_key": key, "replayed": False}
            try:
                with session.begin_nested():  # a problem undoes this entry only
                    out, replayed = _create(session, seller, entry.listing, key)
                result |= {"status": 201, "replayed": replayed, "listing": out, "problem": None}
            except ProblemError as problem:
                problem_out = problem.body(BATCH_PATH)
                result |= {"status": problem.status, "listing": None, "problem": problem_out}
            results.append(result)
    return JSONResponse({"results": results})


@router.get("", response_model=ListingPage)
def list_listings(
    seller: SellerDep,
    state: StateDep,
    status: Annotated[str | None, Query(pattern="^(active|delisted|sold)$")] = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    after_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ListingPage:
    query = select(Listing).where(Listing.seller_id == seller.id, col(Listing.id) > after_id)
    if status is not None:
        query = query.where(Listing.status == status)
    if sku is not None:
        query = query.where(Listing.sku == sku)
    with state.db.read() as session:
        rows = list(session.exec(query.order_by(col(Listing.id)).limit(limit + 1)))
        page = [listing_out(session, row) for row in rows[:limit]]
    return ListingPage(listings=page, next_after_id=page[-1].id if len(rows) > limit else None)


@router.get("/{listing_id}", response_model=ListingOut)
def get_listing(
    listing_id: IdPath, seller: SellerDep, state: StateDep, response: Response
) -> ListingOut:
    with state.db.read() as session:
        listing = owned_listing(session, seller.id, listing_id)
        _etag(response, listing)
        return listing_out(session, listing)


def _apply_update(session: Session, listing: Listing, body: ListingUpdate) -> bool:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    for name, value in changes.items():
        if value is None and name in NOT_NULL_FIELDS | {"photos"}:
            raise ProblemError(422, "validation_failed", f"`{name}` cannot be null.")
    changed = False
    photos = changes.pop("photos", None)
    if photos is not None:
        assert listing.id is not None
        current = [p.sha256 for p in listing_out(session, listing).photos]
        if photos != current:
            set_photos(session, listing.seller_id, listing.id, photos)
            changed = True
    for name, value in changes.items():
        if getattr(listing, name) != value:
            setattr(listing, name, value)
            changed = True
    return changed


@router.patch("/{listing_id}", response_model=ListingOut)
def update_listing(
    listing_id: IdPath,
    body: ListingUpdate,
    seller: SellerDep,
    state: StateDep,
    response: Response,
    if_match: IfMatch = None,
) -> ListingOut:
    expected = parse_if_match(if_match, required=True)
    with state.db.write() as session:
        listing = owned_listing(session, seller.id, listing_id)
        check_version(session, listing, expected)
        if listing.status == "sold":
            raise ProblemError(409, "listing_sold", "A sold listing cannot be edited.")
        old_price = listing.price_cents
        if _apply_update(session, listing, body):
            bump(listing)
            session.add(listing)
            drop = notify_price_drop(session, listing, old_price)
            record_listing(session, listing, "listing.updated", price_drop=drop)
        _etag(response, listing)
        return listing_out(session, listing)


def _change_status(
    state: StateDep, seller_id: int, listing_id: int, if_match: str | None, target: str
) -> ListingOut:
    expected = parse_if_match(if_match, required=False)
    with state.db.write() as session:
        listing = owned_listing(session, seller_id, listing_id)
        check_version(session, listing, expected)
        if listing.status == target:
            return listing_out(session, listing)
        if listing.status == "sold":
            raise ProblemError(409, "listing_sold", "The listing is already sold.")
        if target == "active" and listing.status != "delisted":
            raise ProblemError(409, "invalid_transition", "Only a delisted listing can relist.")
        listing.status = target
        listing.sold_via = "elsewhere" if target == "sold" else None
        bump(listing)
        session.add(listing)
        if target == "sold":
            record_listing(session, listing, "listing.sold", order_id=None)
            close_pending_offers(session, listing, "listing_sold")
        elif target == "delisted":
            record_listing(session, listing, "listing.delisted")
        else:
            record_listing(session, listing, "listing.updated", price_drop=None)
        return listing_out(session, listing)


def _status_route(action: str, target: str, summary: str) -> None:
    def change_status(
        listing_id: IdPath, seller: SellerDep, state: StateDep, if_match: IfMatch = None
    ) -> ListingOut:
        return _change_status(state, seller.id, listing_id, if_match, target)

    router.add_api_route(
        f"/{{listing_id}}/{action}",
        change_status,
        methods=["POST"],
        response_model=ListingOut,
        summary=summary,
        operation_id=f"{action.replace('-', '_')}_listing",
    )


_status_route("delist", "delisted", "Take a listing off sale")
_status_route("relist", "active", "Put a delisted listing back on sale")
_status_route("mark-sold", "sold", "Mark a listing sold elsewhere")


@router.get("/{listing_id}/likes", response_model=Likes)
def listing_likes(listing_id: IdPath, seller: SellerDep, state: StateDep) -> Likes:
    with state.db.read() as session:
        listing = owned_listing(session, seller.id, listing_id)
        buyer_ids = session.exec(
            select(Like.buyer_id)
            .where(Like.listing_id == listing_id)
            .order_by(col(Like.created_at))
        )
        likers = [buyer_ref(session, buyer_id) for buyer_id in buyer_ids]
    return Likes(listing_id=listing_id, likes_count=listing.likes_count, likers=likers)
