"""Bringing a closet in from a real Seller API server over HTTP on 127.0.0.1: listings with
photos, likes and offers become items once however often the import runs, a kill or a lost
network mid-import resumes without duplicates, and listings are matched to items the seller
already has (by SKU, then by title, price and cover photo) before anything is created.

For a benchmark: `marketplace.closet_seed.seed_closet(market.state, seller, count, ...)`
fills a closet in a second or two, and `import_closet` below runs the import as a test does.
"""

import hashlib
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from fault_injection import drop_before, rate_limited
from sqlalchemy import func
from sqlmodel import select

from marketplace.closet_seed import noise_jpeg, seed_closet
from studio.cli import main as studio_cli
from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.storage.paths import database_file, photos_dir
from studio.sync import closet_import
from studio.sync.closet_import import Action, ImportReport, ImportStopped, run_import
from studio.sync.connection import build_client
from studio.sync.listing_fields import loads
from studio.sync.port import Marketplace
from studio.sync.tables import Like, ListingLink, Offer, OutboxOp

PHOTOS = 2


def client_of(studio) -> Marketplace:
    client = build_client(studio.database, studio.credentials, transport=studio.faults)
    client._sleep = lambda _seconds: None  # quick retries need no real waiting here
    return client


def import_closet(studio, **options) -> ImportReport:
    client = client_of(studio)
    try:
        return run_import(studio.database, studio.data_dir, client, **options)
    finally:
        client.close()


def seller_of(studio) -> str:
    return studio.api("GET", "/v1/me").json()["name"]


def count(studio, table) -> int:
    with studio.database.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def photos_by_item(studio) -> dict[int, list[str]]:
    with studio.database.session() as session:
        rows = session.exec(select(Photo).order_by(Photo.item_id, Photo.position)).all()
    found: dict[int, list[str]] = {}
    for photo in rows:
        found.setdefault(photo.item_id, []).append(photo.file_hash)
    return found


def links(studio) -> dict[str, ListingLink]:
    with studio.database.session() as session:
        return {link.remote_id: link for link in session.exec(select(ListingLink))}


def assert_imported_once(studio, seeded) -> None:
    """One item per listing, linked to it, with all its photos in order: nothing doubled,
    nothing half-written."""
    linked = links(studio)
    assert sorted(Counter(link.remote_id for link in linked.values()).values()) == [1] * len(seeded)
    assert set(linked) == {str(listing.id) for listing in seeded}
    assert count(studio, Item) == len(seeded)
    photos = photos_by_item(studio)
    for listing in seeded:
        assert photos[linked[str(listing.id)].item_id] == listing.photos


def test_500_listings_with_photos_run_twice_make_500_items_once(studio):
    seeded = seed_closet(
        studio.market.state,
        seller_of(studio),
        500,
        photos_per_listing=PHOTOS,
        statuses=("active", "active", "sold", "delisted"),
        likes_per_listing=1,
        offers_per_listing=1,
    )
    first = import_closet(studio)
    assert (first.created, first.linked, first.cancelled) == (500, 0, False)
    assert first.photos_downloaded == 500 * PHOTOS and first.problems == []
    second = import_closet(studio)
    assert (second.created, second.linked, second.plan.already_linked) == (0, 0, 500)
    assert studio.faults.seen.count("GET /v1/listings") == 2  # 500 a page: one read per run

    assert_imported_once(studio, seeded)
    store = PhotoStore(photos_dir(studio.data_dir))
    assert all(store.contains(sha) for listing in seeded for sha in listing.photos)
    # Fields mapped back, statuses mirrored, and the listing's state kept as the agreed base.
    with studio.database.session() as session:
        by_sku = {item.sku: item for item in session.exec(select(Item))}
    linked = links(studio)
    for listing, status in zip(seeded[:4], ("listed", "listed", "sold", "ready"), strict=True):
        item = by_sku[listing.sku]
        assert (item.title, item.list_price_cents, item.status) == (
            listing.title,
            listing.price_cents,
            status,
        )
        assert (item.brand, item.size, item.condition) == ("Acme", "M", "good")
        number = listing.title.split()[-1]
        assert item.description == f"A coat from the closet, number {number}."
        link = linked[str(listing.id)]
        assert (link.item_id, link.remote_version, link.remote_status) == (
            item.id,
            1,
            listing.status,
        )
        assert loads(link.base)["photos"] == listing.photos
    # Likes and offers came along with their items; nothing was echoed back as an edit.
    assert (first.likes, first.offers) == (500, 250)
    with studio.database.session() as session:
        like_owners = set(session.exec(select(Like.item_id)))
        offer_owners = set(session.exec(select(Offer.item_id)))
    assert None not in like_owners and len(like_owners) == 500
    assert None not in offer_owners and len(offer_owners) == 250
    assert count(studio, OutboxOp) == 0


def test_the_feed_brings_the_same_likes_and_offers_again_and_keeps_one_row_each(studio):
    seeded = seed_closet(
        studio.market.state, seller_of(studio), 30, likes_per_listing=2, offers_per_listing=1
    )
    # The pull ran before the import: it kept likes and offers of listings not yet ours.
    studio.engine().cycle()
    assert count(studio, Like) == 60
    with studio.database.session() as session:
        assert set(session.exec(select(Like.item_id))) == {None}

    import_closet(studio)
    studio.engine().cycle()  # and again after it: nothing doubles, nothing is sent
    assert_imported_once(studio, seeded)
    assert (count(studio, Like), count(studio, Offer)) == (60, 30)
    with studio.database.session() as session:
        assert None not in set(session.exec(select(Like.item_id)))
        assert None not in set(session.exec(select(Offer.item_id)))
    assert count(studio, OutboxOp) == 0


def test_cancel_mid_import_keeps_whole_batches_and_the_next_run_carries_on(studio):
    seeded = seed_closet(studio.market.state, seller_of(studio), 160, photos_per_listing=PHOTOS)
    cancel = threading.Event()

    def progress(done: int, _total: int, _text: str) -> bool:
        if done >= 2 * closet_import.BATCH:
            cancel.set()  # the person presses Cancel
        return True

    stopped = import_closet(studio, progress=progress, cancel=cancel)
    assert stopped.cancelled and stopped.created == 2 * closet_import.BATCH
    assert count(studio, Item) == stopped.created
    assert "run the import again" in stopped.summary()

    rest = import_closet(studio)
    assert (rest.created, rest.plan.already_linked) == (60, 100)
    assert_imported_once(studio, seeded)


def test_a_network_fault_mid_import_stops_it_and_the_next_run_resumes(studio):
    seeded = seed_closet(studio.market.state, seller_of(studio), 150, photos_per_listing=PHOTOS)

    def progress(done: int, _total: int, _text: str) -> bool:
        if done >= closet_import.BATCH and not studio.faults.plan:
            # From here on the network is down: every photo request fails before it is sent.
            for _ in range(10_000):
                studio.faults.add("GET /v1/photos/", drop_before)
        return True

    with pytest.raises(ImportStopped) as stopped:
        import_closet(studio, progress=progress)
    report = stopped.value.report
    assert report is not None and 0 < report.done < 150
    assert "Lost the connection" in str(stopped.value)
    assert "run the import again to carry on" in str(stopped.value)
    assert count(studio, Item) == report.done  # whole batches only
    assert all(len(hashes) == PHOTOS for hashes in photos_by_item(studio).values())

    studio.faults.plan.clear()  # the network is back
    resumed = import_closet(studio)
    assert resumed.created == 150 - report.done
    assert_imported_once(studio, seeded)


def test_a_rate_limit_mid_import_is_waited_out(studio):
    seeded = seed_closet(studio.market.state, seller_of(studio), 5, offers_per_listing=1)
    studio.faults.add("GET /v1/offers", rate_limited("1"))
    started = time.monotonic()
    report = import_closet(studio)
    assert report.created == 5 and report.offers == 5
    assert time.monotonic() - started >= 0.9  # it waited as asked, then read the offers again
    assert studio.faults.seen.count("GET /v1/offers") == 2
    assert_imported_once(studio, seeded)


def test_killed_during_import_resumes_without_duplicates(studio):
    seeded = seed_closet(studio.market.state, seller_of(studio), 300, photos_per_listing=PHOTOS)
    command = [
        sys.executable,
        "-m",
        "studio",
        "--data-dir",
        str(studio.data_dir),
        "import-listings",
        "seller-api",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        imported = wait_for_items(database_file(studio.data_dir), process, limit_s=60)
    finally:
        process.kill()
        process.wait()
    assert 0 < imported < 300, "the kill did not land mid-import"

    resumed = import_closet(studio)
    assert resumed.plan.already_linked >= imported
    assert_imported_once(studio, seeded)


def wait_for_items(path: Path, process: subprocess.Popen, limit_s: float) -> int:
    """Returns once the import has committed some items (how many), or gave up (0)."""
    deadline = time.monotonic() + limit_s
    connection = sqlite3.connect(path, timeout=5)
    try:
        while time.monotonic() < deadline and process.poll() is None:
            (found,) = connection.execute("SELECT count(*) FROM item").fetchone()
            if found:
                return found
            time.sleep(0.005)
    finally:
        connection.close()
    return 0


def upload(studio, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    response = studio.api(
        "PUT", f"/v1/photos/{sha}", content=data, headers={"Content-Type": "image/jpeg"}
    )
    assert response.status_code in (200, 201), response.text
    return sha


def remote_listing(studio, title: str, price_cents: int, photos: list[str], sku=None) -> str:
    body = {"title": title, "price_cents": price_cents, "photos": photos}
    if sku:
        body["sku"] = sku
    response = studio.api("POST", "/v1/listings", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def local_item(studio, title: str, price: str, sku: str, cover: bytes | None = None) -> Item:
    item = studio.add_item(publish=False, title=title, list_price_cents=price, sku=sku)
    if cover is not None:
        path = studio.data_dir / f"{sku}.jpg"
        path.write_bytes(cover)
        stored = PhotoStore(photos_dir(studio.data_dir)).import_file(path)
        with studio.database.transaction() as session:
            session.add(Photo(item_id=item.id, position=0, file_hash=stored.file_hash))
    return item


def test_listings_are_matched_by_sku_then_title_price_and_cover_before_anything_is_made(studio):
    rng = random.Random(5)
    cover, twin_cover, other_cover = (noise_jpeg(rng, 40) for _ in range(3))
    by_sku = local_item(studio, "Wool coat", "45", "COAT-1")
    by_look = local_item(studio, "Blue  Denim jacket", "30", "JKT-7", cover)
    for twin in ("SCF-1", "SCF-2"):
        local_item(studio, "Silk scarf", "12", twin, twin_cover)
    elsewhere = local_item(studio, "Leather belt", "9", "BELT-1")
    with studio.database.transaction() as session:  # already listed there as listing 999999
        session.add(ListingLink(item_id=elsewhere.id, marketplace="seller-api", remote_id="999999"))

    photos = {"cover": cover, "twin": twin_cover, "other": other_cover}
    shas = {name: upload(studio, data) for name, data in photos.items()}
    sku_match = remote_listing(studio, "Wool coat, long", 4900, [], sku="coat-1")
    look_match = remote_listing(studio, "blue denim jacket", 3000, [shas["cover"]])
    ambiguous = remote_listing(studio, "Silk scarf", 1200, [shas["twin"]])
    taken = remote_listing(studio, "Leather belt", 900, [], sku="BELT-1")
    new_cover = remote_listing(studio, "Blue denim jacket", 3000, [shas["other"]])
    new_sku = remote_listing(studio, "Linen shirt", 2500, [shas["other"]], sku="SHIRT-9")
    same_sku = remote_listing(studio, "Linen shirt again", 2500, [], sku="SHIRT-9")

    dry = import_closet(studio, dry_run=True)
    plan = {decision.listing.id: decision for decision in dry.plan.decisions}
    assert (plan[sku_match].action, plan[sku_match].item_id) == (Action.LINK, by_sku.id)
    assert plan[sku_match].reason == "same SKU"
    assert (plan[look_match].action, plan[look_match].item_id) == (Action.LINK, by_look.id)
    assert plan[look_match].reason == "same title, price and cover photo"
    assert plan[ambiguous].action is Action.LEAVE
    assert "SCF-1, SCF-2" in plan[ambiguous].reason
    assert plan[taken].action is Action.LEAVE
    assert plan[taken].reason == "BELT-1 is already linked to listing 999999 there"
    assert (plan[new_cover].action, plan[new_sku].action) == (Action.CREATE, Action.CREATE)
    assert plan[new_sku].sku == "SHIRT-9"
    assert plan[same_sku].action is Action.LEAVE and new_sku in plan[same_sku].reason
    # The dry run wrote and downloaded nothing.
    assert (count(studio, Item), count(studio, ListingLink)) == (5, 1)
    assert not PhotoStore(photos_dir(studio.data_dir)).contains(shas["other"])
    assert not any(seen.startswith("GET /v1/photos/") for seen in studio.faults.seen)

    done = import_closet(studio)
    assert (done.linked, done.created, len(done.plan.left_alone)) == (2, 2, 3)
    linked = links(studio)
    assert linked[sku_match].item_id == by_sku.id and linked[look_match].item_id == by_look.id
    assert {ambiguous, taken, same_sku}.isdisjoint(linked)
    assert count(studio, Item) == 7
    with studio.database.session() as session:
        # Linking keeps the seller's own item as it is; the listing's state is the base.
        assert session.get(Item, by_sku.id).title == "Wool coat"
        assert session.exec(select(Item).where(Item.sku == "SHIRT-9")).one().title == (
            "Linen shirt"
        )
    assert count(studio, OutboxOp) == 0


def test_a_photo_another_marketplace_brought_is_stored_once_and_not_downloaded(studio):
    shared = noise_jpeg(random.Random(9), 40)
    sha = hashlib.sha256(shared).hexdigest()
    local_item(studio, "From the other marketplace", "5", "OTHER-1", shared)
    seed_closet(
        studio.market.state,
        seller_of(studio),
        3,
        photos_per_listing=2,
        shared_cover=shared,
        sku_prefix="SHARE",
    )
    report = import_closet(studio)
    assert report.created == 3 and report.photos_reused == 1
    assert report.photos_downloaded == 3  # the three listings' own second photos
    assert f"GET /v1/photos/{sha}" not in studio.faults.seen
    originals = list((photos_dir(studio.data_dir) / "originals" / sha[:2]).glob(f"{sha}.*"))
    assert len(originals) == 1
    covers = [hashes[0] for hashes in photos_by_item(studio).values()]
    assert covers.count(sha) == 4


def test_the_command_prints_the_plan_and_says_what_to_do_when_it_cannot(studio, capsys):
    seed_closet(studio.market.state, seller_of(studio), 3, photos_per_listing=1)
    data_dir = str(studio.data_dir)

    assert studio_cli(["--data-dir", data_dir, "import-listings", "seller-api", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 listing(s) on seller-api: 0 to link to items you have, 3 to create" in out
    assert "Dry run: nothing was changed." in out
    assert count(studio, Item) == 0

    assert studio_cli(["--data-dir", data_dir, "import-listings", "seller-api"]) == 0
    out = capsys.readouterr().out
    assert "To create:" in out and "3 item(s) created" in out
    assert count(studio, Item) == 3

    assert studio_cli(["--data-dir", data_dir, "import-listings", "poshmark"]) == 1
    captured = capsys.readouterr()
    assert "No marketplace is called 'poshmark'" in captured.err
    assert "Traceback" not in captured.err
