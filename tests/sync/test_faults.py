"""The faults of docs/sync-faults.md, injected between the studio and the real server."""

import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from fault_injection import (
    delay_past_timeout,
    drop_after,
    drop_before,
    duplicate,
    rate_limited,
    reset_mid_body,
    server_error,
)
from sample_photos import SAMPLE_PHOTOS
from sqlmodel import select

from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.storage.paths import photos_dir
from studio.sync import outbox
from studio.sync.push import MAX_ATTEMPTS
from studio.sync.tables import ListingLink, MarketplaceAccount, OpState, OutboxOp

QUICK_TRIES = 3  # the client's own attempts before it reports the marketplace unreachable


def only_op(studio) -> OutboxOp:
    with studio.database.session() as session:
        return session.exec(select(OutboxOp)).one()


def remote_id_of(studio, item_id: int) -> str | None:
    with studio.database.session() as session:
        return (
            session.exec(select(ListingLink).where(ListingLink.item_id == item_id)).one().remote_id
        )


def test_a_lost_create_response_is_retried_with_the_same_key(studio):
    item = studio.add_item()
    studio.faults.add("POST /v1/listings", drop_after)
    studio.engine().cycle()
    assert [listing["sku"] for listing in studio.remote_listings()] == [item.sku]
    assert only_op(studio).state == OpState.ACKED.value


def test_killed_after_the_server_committed_the_create(studio):
    item = studio.add_item()
    for _ in range(QUICK_TRIES):
        studio.faults.add("POST /v1/listings", drop_after)
    report = studio.engine().cycle()
    assert report.push.stopped == "offline"
    assert only_op(studio).state == OpState.UNKNOWN.value
    assert len(studio.remote_listings()) == 1  # the server has it; we do not know yet

    restarted = studio.engine()  # a new process: nothing in memory survives
    restarted.cycle()
    [listing] = studio.remote_listings()
    assert remote_id_of(studio, item.id) == str(listing["id"])
    assert only_op(studio).state == OpState.ACKED.value


def test_killed_after_marking_in_flight_before_sending(studio):
    item = studio.add_item()
    with studio.database.transaction() as session:
        op = session.exec(select(OutboxOp)).one()
        op.state, op.attempts = OpState.IN_FLIGHT.value, 1
    studio.engine().cycle()
    assert [listing["sku"] for listing in studio.remote_listings()] == [item.sku]
    assert studio.faults.seen.count("POST /v1/listings") == 1


def test_a_duplicated_request_makes_one_listing(studio):
    studio.add_item()
    studio.faults.add("POST /v1/listings", duplicate)
    studio.engine().cycle()
    assert len(studio.remote_listings()) == 1
    assert studio.faults.seen.count("POST /v1/listings") == 1


def test_retry_after_in_seconds_and_as_a_date_is_obeyed(studio):
    studio.add_item()
    clock = [datetime.now(UTC)]
    engine = studio.engine(now=lambda: clock[0])
    studio.faults.add("GET /v1/events", rate_limited("120"))
    assert engine.cycle().push.stopped == "rate limited"
    with studio.database.session() as session:
        blocked = session.get(MarketplaceAccount, "seller-api").blocked_until
    assert timedelta(seconds=110) < blocked - clock[0] <= timedelta(seconds=121)

    sent = len(studio.faults.seen)
    clock[0] += timedelta(seconds=119)
    assert "wait" in engine.cycle().accounts["seller-api"].skipped
    assert len(studio.faults.seen) == sent  # not one request before the time is up

    clock[0] += timedelta(seconds=2)
    until = clock[0] + timedelta(minutes=5)
    studio.faults.add("POST /v1/listings", rate_limited(format_datetime(until, usegmt=True)))
    engine.cycle()
    clock[0] += timedelta(minutes=4)
    assert "wait" in engine.cycle().accounts["seller-api"].skipped
    clock[0] += timedelta(minutes=1, seconds=1)
    engine.cycle()
    assert len(studio.remote_listings()) == 1
    assert only_op(studio).state == OpState.ACKED.value


def test_an_hour_of_outage_backs_off_and_keeps_the_queue_in_order(studio):
    items = [studio.add_item(title=f"Coat {n}") for n in range(3)]
    studio.edit(items[0].id, list_price_cents="40")
    clock = [datetime.now(UTC)]
    engine = studio.engine(now=lambda: clock[0])
    waits = []
    end = clock[0] + timedelta(hours=1)
    while clock[0] < end:
        for _ in range(QUICK_TRIES):
            studio.faults.add("GET /v1/events", server_error)
        engine.cycle()
        with studio.database.session() as session:
            first = session.exec(select(OutboxOp).order_by(OutboxOp.id)).first()
        waits.append((first.next_attempt_at - clock[0]).total_seconds())
        clock[0] += timedelta(seconds=30)
    assert max(waits) <= 600  # capped at ten minutes
    # The outage hit the feed, so no op was even tried: nothing is lost, nothing parked.
    with studio.database.session() as session:
        states = [
            (op.item_id, op.kind, op.state)
            for op in session.exec(select(OutboxOp).order_by(OutboxOp.id))
        ]
    assert states == [
        (items[0].id, "create_listing", "pending"),
        (items[1].id, "create_listing", "pending"),
        (items[2].id, "create_listing", "pending"),
    ]  # the price edit merged into the waiting create
    engine.cycle()
    titles = sorted(listing["title"] for listing in studio.remote_listings())
    assert titles == ["Coat 0", "Coat 1", "Coat 2"]
    assert {
        listing["price_cents"]
        for listing in studio.remote_listings()
        if listing["title"] == "Coat 0"
    } == {4000}


def test_failed_sends_back_off_with_jitter_and_park_after_the_limit(studio):
    studio.add_item()
    clock = [datetime.now(UTC)]
    engine = studio.engine(now=lambda: clock[0])
    delays = []
    for _ in range(MAX_ATTEMPTS):
        for _ in range(QUICK_TRIES):
            studio.faults.add("POST /v1/listings", server_error)
        engine.cycle()
        op = only_op(studio)
        if op.state == OpState.PARKED.value:
            break
        delays.append((op.next_attempt_at - clock[0]).total_seconds())
        clock[0] = op.next_attempt_at
    assert op.state == OpState.PARKED.value and "gave up after" in op.last_error
    assert all(0 <= d <= 600 for d in delays) and len(set(delays)) > 1
    assert studio.remote_listings() == []  # 500s: nothing was created


def test_a_cut_photo_upload_resumes_and_attaches_one_copy(studio, tmp_path):
    item = studio.add_item(publish=False)
    photo = tmp_path / "car.jpg"
    shutil.copy(SAMPLE_PHOTOS / "car.jpg", photo)
    stored = PhotoStore(photos_dir(studio.data_dir)).import_file(photo)
    with studio.database.transaction() as session:
        session.add(Photo(item_id=item.id, position=0, file_hash=stored.file_hash))
        outbox.publish(session, session.get(Item, item.id), "seller-api")
    for _ in range(QUICK_TRIES):
        studio.faults.add("PUT /v1/photos", drop_before)
    studio.engine().cycle()
    assert studio.remote_listings() == []  # never published before its photos
    assert "POST /v1/listings" not in studio.faults.seen

    later = only_op(studio).next_attempt_at + timedelta(seconds=1)
    studio.engine(now=lambda: later).cycle()
    [listing] = studio.remote_listings()
    assert [p["sha256"] for p in listing["photos"]] == [stored.file_hash]


@pytest.mark.parametrize(
    "fault",
    [drop_before, drop_after, reset_mid_body, delay_past_timeout(0.2), duplicate, server_error],
    ids=["drop-before", "drop-after", "reset-mid-body", "delay", "duplicate", "500"],
)
def test_every_fault_on_a_create_ends_in_exactly_one_listing(studio, fault):
    item = studio.add_item()
    for _ in range(QUICK_TRIES):  # enough to defeat the client's own quick retries
        studio.faults.add("POST /v1/listings", fault)
    clock = [datetime.now(UTC)]
    engine = studio.engine(now=lambda: clock[0])
    for _ in range(4):
        engine.cycle()
        clock[0] += timedelta(minutes=15)
    assert [listing["sku"] for listing in studio.remote_listings()] == [item.sku]
    assert only_op(studio).state == OpState.ACKED.value


def test_a_laptop_clock_an_hour_off_does_not_change_the_wait(studio):
    studio.add_item()
    local_now = datetime.now(UTC)
    server_now = local_now + timedelta(hours=1)  # the laptop is an hour behind
    studio.faults.add(
        "GET /v1/events",
        rate_limited(
            format_datetime(server_now + timedelta(minutes=5), usegmt=True),
            format_datetime(server_now, usegmt=True),
        ),
    )
    studio.engine(now=lambda: local_now).cycle()
    with studio.database.session() as session:
        blocked = session.get(MarketplaceAccount, "seller-api").blocked_until
    assert timedelta(minutes=4) < blocked - local_now < timedelta(minutes=6)
