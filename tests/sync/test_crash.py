"""SIGKILL a syncing studio at random points, 50 times, and check nothing is lost or doubled."""

import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import httpx
from sqlmodel import select

from studio.inventory import service as inventory
from studio.inventory.tables import Item
from studio.orders.tables import Order
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import open_database
from studio.storage.paths import database_file
from studio.sync import outbox
from studio.sync.connection import connect_with_token
from studio.sync.tables import OPEN_STATES, OpState, OutboxOp

KILLS = 50
ITEMS = 12


def wait_for_in_flight(path, process: subprocess.Popen, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    with sqlite3.connect(path, timeout=1) as connection:
        while time.monotonic() < deadline and process.poll() is None:
            found = connection.execute(
                "SELECT 1 FROM outbox WHERE state = 'in_flight' LIMIT 1"
            ).fetchone()
            if found:
                return
            time.sleep(0.003)
    connection.close()


def test_killed_at_random_points_converges_to_one_listing_per_item(market, tmp_path):
    token = market.create_seller("crash-test")
    seller = {"Authorization": f"Bearer {token}"}
    data_dir = tmp_path / "studio"
    database = open_database(data_dir)
    # The `studio sync` processes pick this data dir's file store, which this connect creates.
    connect_with_token(database, PrivateFileStore(data_dir), market.base_url, token)
    rng = random.Random(20261126)
    with database.transaction() as session:
        for n in range(ITEMS):
            values = {"title": f"Crash coat {n}", "list_price_cents": str(40 + n)}
            outbox.publish(
                session,
                inventory.create_item(session, inventory.parse_values(values)),
                "seller-api",
            )
    shopper = httpx.post(
        f"{market.base_url}/v1/market/buyers",
        json={
            "name": "Ines Varga",
            "address": {
                "name": "Ines Varga",
                "line1": "3 Mill Lane",
                "city": "Leeds",
                "postal_code": "LS1 4AP",
                "country": "GB",
            },
        },
    ).json()["token"]

    sync = [sys.executable, "-m", "studio", "--data-dir", str(data_dir), "sync"]
    # Kills are timed around the moment a process starts working, however slow this machine.
    started = time.monotonic()
    subprocess.run([*sync, "--status"], capture_output=True, check=True)
    start_up = time.monotonic() - started
    interrupted = 0
    for round_number in range(KILLS):
        with database.transaction() as session:
            unsold = session.exec(select(Item).where(Item.status == "listed")).all()
            if unsold:
                item = rng.choice(unsold)
                inventory.update_item(
                    session,
                    item.id,
                    {
                        "list_price_cents": rng.randint(2000, 9000),
                        "title": f"{item.title.split(' #')[0]} #{round_number}",
                    },
                )
        if round_number % 7 == 3:
            active = httpx.get(
                f"{market.base_url}/v1/listings",
                headers=seller,
                params={"status": "active", "limit": 100},
            ).json()["listings"]
            if active:
                pick = rng.choice(active)["id"]
                httpx.post(
                    f"{market.base_url}/v1/market/orders",
                    json={"listing_ids": [pick]},
                    headers={"Authorization": f"Bearer {shopper}"},
                )
        process = subprocess.Popen(sync, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if round_number % 2:
            time.sleep(start_up * rng.uniform(0.6, 1.4))
        else:
            # Every other kill waits for a request to be in flight, so a loaded machine's
            # slow start cannot make every kill miss the moment that matters most.
            wait_for_in_flight(database_file(data_dir), process, start_up * 3)
        process.kill()
        process.wait()
        with database.session() as session:
            states = set(session.exec(select(OutboxOp.state)).all())
        interrupted += OpState.IN_FLIGHT.value in states

    for _ in range(3):  # let it finish undisturbed
        subprocess.run(sync, capture_output=True, timeout=120)

    remote = httpx.get(
        f"{market.base_url}/v1/listings", headers=seller, params={"limit": 200}
    ).json()["listings"]
    remote_orders = httpx.get(f"{market.base_url}/v1/orders", headers=seller).json()["orders"]
    with database.session() as session:
        items = {item.sku: item for item in session.exec(select(Item))}
        orders = session.exec(select(Order)).all()
        ops = session.exec(select(OutboxOp)).all()
        integrity = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()

    assert interrupted >= 3, "the kills never landed while an op was in flight"
    assert integrity == "ok"
    assert sorted(Counter(listing["sku"] for listing in remote).values()) == [1] * ITEMS
    assert set(items) == {listing["sku"] for listing in remote}
    for listing in remote:
        local = items[listing["sku"]]
        if listing["status"] == "sold":
            assert local.status == "sold"
        else:
            assert (listing["title"], listing["price_cents"]) == (
                local.title,
                local.list_price_cents,
            )
    assert sorted(o.remote_id for o in orders) == sorted(str(o["id"]) for o in remote_orders)
    assert [op for op in ops if op.state in OPEN_STATES or op.state == OpState.PARKED.value] == []
