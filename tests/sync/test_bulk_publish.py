"""A first sync of many items: creates in batches, photos sent once each, several requests at
once, and still exactly one listing per item whatever the network does to a batch."""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from fault_injection import drop_after, rate_limited, reset_mid_body
from PIL import Image
from sqlmodel import select

from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.marketplaces.seller_api.client import SellerApiClient
from studio.storage.paths import photos_dir
from studio.sync import outbox
from studio.sync.tables import OpState, OutboxOp

ITEMS = 30  # more than one batch of 25
BATCH = "POST /v1/listings:batch"
PHOTO_BATCH = "POST /v1/photos:batch"


@pytest.fixture
def sent_photos(monkeypatch) -> list[list[str]]:
    """The hashes of each batch upload, as the real client sends them (a spy that passes
    every call on)."""
    sent: list[list[str]] = []
    real = SellerApiClient.upload_photos

    def upload_photos(client, photos):
        sent.append([photo.sha256 for photo in photos])
        return real(client, photos)

    monkeypatch.setattr(SellerApiClient, "upload_photos", upload_photos)
    return sent


def stock(studio, tmp_path, count: int, first: int = 0) -> list[str]:
    """`count` published items, each with its own photo and the shared one (the studio's
    backdrop shot, say); returns the photos' hashes, the shared one first."""
    store = PhotoStore(photos_dir(studio.data_dir))

    def photo(n: int) -> str:
        path = tmp_path / f"photo-{n}.jpg"
        noise = random.Random(n).randbytes(16 * 16 * 3)  # every photo its own bytes
        Image.frombytes("RGB", (16, 16), noise).save(path, "JPEG")
        return store.import_file(path).file_hash

    shared = photo(9999)
    own = [photo(first + n) for n in range(count)]
    items = [studio.add_item(publish=False, title=f"Tweed coat {first + n}") for n in range(count)]
    with studio.database.transaction() as session:
        for item, sha in zip(items, own, strict=True):
            session.add(Photo(item_id=item.id, position=0, file_hash=shared))
            session.add(Photo(item_id=item.id, position=1, file_hash=sha))
        session.flush()
        for item in items:
            outbox.publish(session, session.get(Item, item.id), "seller-api")
    return [shared, *own]


def states(studio) -> Counter:
    with studio.database.session() as session:
        return Counter(session.exec(select(OutboxOp.state)).all())


def one_listing_per_item(studio) -> bool:
    skus = Counter(listing["sku"] for listing in studio.remote_listings())
    with studio.database.session() as session:
        mine = {item.sku for item in session.exec(select(Item))}
    return set(skus) == mine and set(skus.values()) == {1}


def test_a_first_sync_sends_batches_and_each_photo_once(studio, tmp_path, sent_photos):
    hashes = stock(studio, tmp_path, ITEMS)

    report = studio.engine().cycle()

    seen = Counter(studio.faults.seen)
    assert report.push.acked == ITEMS and states(studio) == {OpState.ACKED.value: ITEMS}
    assert one_listing_per_item(studio)
    assert seen[BATCH] == 2 and seen["POST /v1/listings"] == 0
    # 31 photos in batches of at most 20: two requests, each photo in one of them.
    assert seen[PHOTO_BATCH] == 2 and not any(w.startswith("PUT /v1/photos/") for w in seen)
    assert sorted(sha for batch in sent_photos for sha in batch) == sorted(hashes)
    assert max(len(batch) for batch in sent_photos) == 20
    [listing] = [x for x in studio.remote_listings() if x["title"] == "Tweed coat 7"]
    assert [p["sha256"] for p in listing["photos"]] == [hashes[0], hashes[8]]

    # A restarted studio knows nothing in memory: it asks which photos are there and
    # sends only the new one.
    studio.faults.seen.clear()
    sent_photos.clear()
    new = stock(studio, tmp_path, 2, first=ITEMS)[1:]
    studio.engine().cycle()
    assert sent_photos == [new]
    assert "GET /v1/photos" in studio.faults.seen
    assert one_listing_per_item(studio)


@pytest.mark.parametrize("fault", [reset_mid_body, drop_after], ids=["reset", "lost-answer"])
def test_a_batch_cut_after_the_server_committed_makes_no_duplicate(studio, tmp_path, fault):
    stock(studio, tmp_path, ITEMS)
    for _ in range(6):  # beyond the client's quick retries of both batches
        studio.faults.add(BATCH, fault)
    clock = [datetime.now(UTC)]
    engine = studio.engine(now=lambda: clock[0])

    first = engine.cycle()
    assert first.push.stopped == "offline"
    assert states(studio)[OpState.UNKNOWN.value] > 0  # sent, but what became of it is unknown
    for _ in range(3):
        clock[0] += timedelta(minutes=15)
        engine.cycle()

    assert states(studio) == {OpState.ACKED.value: ITEMS}
    assert one_listing_per_item(studio)
    created = [
        event
        for event in studio.api("GET", "/v1/events", params={"limit": 500}).json()["events"]
        if event["type"] == "listing.created"
    ]
    assert len(created) == ITEMS  # the server made each listing once and replayed the rest


def test_one_invalid_item_in_a_batch_is_parked_alone(studio, tmp_path):
    stock(studio, tmp_path, 4)
    bad = studio.add_item(title="Free sample", list_price_cents="0")  # the API needs >= 0.01

    report = studio.engine().cycle()

    assert (report.push.acked, report.push.parked) == (4, 1)
    with studio.database.session() as session:
        parked = session.exec(select(OutboxOp).where(OutboxOp.state == "parked")).one()
    assert parked.item_id == bad.id and "validation" in parked.last_error
    assert one_listing_per_item(studio) is False  # the free sample is not listed
    assert len(studio.remote_listings()) == 4


def test_a_rate_limited_photo_stops_the_push_before_any_create(studio, tmp_path):
    stock(studio, tmp_path, 6)
    studio.faults.add(PHOTO_BATCH, rate_limited("60"))

    report = studio.engine().cycle()

    assert report.push.stopped == "rate limited"
    assert BATCH not in studio.faults.seen and studio.remote_listings() == []
    # Nothing was lost or counted against the ops: they wait, as they were, for the host.
    assert states(studio) == {OpState.PENDING.value: 6}
    with studio.database.session() as session:
        assert {op.attempts for op in session.exec(select(OutboxOp))} == {0}
