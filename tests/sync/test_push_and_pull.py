"""Sync against the real Seller API server over HTTP on 127.0.0.1."""

import shutil

from sample_photos import SAMPLE_PHOTOS
from sqlmodel import select

from studio.imaging.store import PhotoStore
from studio.inventory.tables import Item, Photo
from studio.orders.labels import labels_dir
from studio.orders.tables import Order, OrderLine
from studio.storage.paths import photos_dir
from studio.sync.pull import pull
from studio.sync.tables import Conflict, Like, ListingLink, OpState, OutboxOp, SyncCursor


def ops(studio) -> list[OutboxOp]:
    with studio.database.session() as session:
        return list(session.exec(select(OutboxOp).order_by(OutboxOp.id)).all())


def link_of(studio, item_id: int) -> ListingLink:
    with studio.database.session() as session:
        return session.exec(select(ListingLink).where(ListingLink.item_id == item_id)).one()


def test_publish_lists_the_item_with_its_photos(studio, tmp_path):
    item = studio.add_item(publish=False, title="Coach tote", brand="Coach", category="Bags")
    store = PhotoStore(photos_dir(studio.data_dir))
    photo_file = tmp_path / "product.jpg"
    shutil.copy(SAMPLE_PHOTOS / "product.jpg", photo_file)
    stored = store.import_file(photo_file)
    with studio.database.transaction() as session:
        session.add(Photo(item_id=item.id, position=0, file_hash=stored.file_hash))
        from studio.sync import outbox

        outbox.publish(session, session.get(Item, item.id), "seller-api")

    report = studio.engine().cycle()

    assert report.push.acked == 1 and not report.push.stopped
    [listing] = studio.remote_listings()
    assert (listing["sku"], listing["title"], listing["brand"], listing["price_cents"]) == (
        item.sku,
        "Coach tote",
        "Coach",
        4500,
    )
    assert [p["sha256"] for p in listing["photos"]] == [stored.file_hash]
    link = link_of(studio, item.id)
    assert (link.remote_id, link.remote_version, link.remote_status) == (
        str(listing["id"]),
        listing["version"],
        "active",
    )
    with studio.database.session() as session:
        assert session.get(Item, item.id).status == "listed"


def test_offline_edits_coalesce_and_a_quiet_cycle_costs_one_request(studio):
    item = studio.add_item()
    engine = studio.engine()
    engine.cycle()
    studio.edit(item.id, title="Wool coat, camel")
    studio.edit(item.id, list_price_cents="39")
    studio.edit(item.id, brand="Acme")
    assert [op.kind for op in ops(studio) if op.state == "pending"] == ["update_listing"]

    before = engine.markets[0].counters.requests
    engine.cycle()
    patches = engine.markets[0].counters.by_path.get(
        f"PATCH /v1/listings/{link_of(studio, item.id).remote_id}"
    )
    assert patches == 1
    [listing] = studio.remote_listings()
    assert (listing["title"], listing["price_cents"], listing["brand"]) == (
        "Wool coat, camel",
        3900,
        "Acme",
    )
    assert engine.markets[0].counters.requests - before == 2  # one PATCH, one feed read

    before = engine.markets[0].counters.requests
    engine.cycle()
    assert engine.markets[0].counters.requests - before == 1  # nothing changed: the feed only


def test_a_stale_version_is_merged_field_by_field(studio):
    item = studio.add_item(title="Silk blouse", description="Washed silk")
    engine = studio.engine()
    engine.cycle()
    remote_id = link_of(studio, item.id).remote_id
    # Someone edits on the marketplace: the description, and the title.
    changed = studio.api(
        "PATCH",
        f"/v1/listings/{remote_id}",
        json={"description": "Washed silk, size S", "title": "Silk blouse (theirs)"},
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200
    # Meanwhile, offline: a new price, and a different title.
    studio.edit(item.id, list_price_cents="30", title="Silk blouse (mine)")

    report = engine.cycle()

    [listing] = studio.remote_listings()
    assert listing["price_cents"] == 3000  # only changed locally: pushed
    assert listing["description"] == "Washed silk, size S"  # only remotely: kept
    assert listing["title"] == "Silk blouse (theirs)"  # a clash is never silently overwritten
    with studio.database.session() as session:
        local = session.get(Item, item.id)
        conflicts = session.exec(select(Conflict)).all()
    assert local.description == "Washed silk, size S"
    assert local.title == "Silk blouse (mine)"
    assert [(c.field, c.local_value, c.remote_value) for c in conflicts] == [
        ("title", '{"value": "Silk blouse (mine)"}', '{"value": "Silk blouse (theirs)"}')
    ]
    assert report.push.conflicts + (report.pull.conflicts if report.pull else 0) == 1


def buyer(studio, name: str) -> str:
    response = studio.api(
        "POST",
        "/v1/market/buyers",
        json={
            "name": name,
            "address": {
                "name": name,
                "line1": "12 Harbour Road",
                "city": "Portland",
                "region": "OR",
                "postal_code": "97201",
                "country": "US",
            },
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


def as_buyer(studio, token: str, method: str, path: str, **kwargs):
    return studio.api(
        method, f"/v1/market{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs
    )


def test_a_sale_while_a_price_drop_waits_offline(studio):
    item = studio.add_item(title="Denim jacket", list_price_cents="60")
    engine = studio.engine()
    engine.cycle()
    remote_id = link_of(studio, item.id).remote_id
    shopper = buyer(studio, "Mira Okafor-Lind")
    assert as_buyer(studio, shopper, "PUT", f"/listings/{remote_id}/like").status_code == 200
    bought = as_buyer(studio, shopper, "POST", "/orders", json={"listing_ids": [int(remote_id)]})
    assert bought.status_code == 201, bought.text
    studio.edit(item.id, list_price_cents="48")  # the price drop, queued offline

    report = engine.cycle()

    with studio.database.session() as session:
        assert session.get(Item, item.id).status == "sold"
        orders = session.exec(select(Order)).all()
        lines = session.exec(select(OrderLine)).all()
        likes = session.exec(select(Like)).all()
    assert [op.state for op in ops(studio) if op.kind == "update_listing"] == ["cancelled"]
    assert engine.markets[0].counters.by_path.get(f"PATCH /v1/listings/{remote_id}") is None
    [listing] = studio.remote_listings()
    assert (listing["status"], listing["price_cents"]) == ("sold", 6000)
    assert [(o.buyer_name, o.city, o.status) for o in orders] == [
        ("Mira Okafor-Lind", "Portland", "to_ship")
    ]
    assert [(line.item_id, line.price_cents) for line in lines] == [(item.id, 6000)]
    assert [(like.item_id, like.active) for like in likes] == [(item.id, True)]
    assert report.labels == 1
    label = labels_dir(studio.data_dir) / f"{orders[0].label_hash}.pdf"
    assert label.read_bytes().startswith(b"%PDF")

    # Reading the whole feed again changes nothing: no duplicate order, line or like.
    with studio.database.transaction() as session:
        session.get(SyncCursor, "seller-api").cursor = 0
    pull(studio.database, engine.markets[0])
    with studio.database.session() as session:
        assert len(session.exec(select(Order)).all()) == 1
        assert len(session.exec(select(OrderLine)).all()) == 1
        assert len(session.exec(select(Like)).all()) == 1


def test_one_refused_listing_is_parked_and_the_rest_go_on(studio):
    bad = studio.add_item(title="Free sample", list_price_cents="0")  # the API needs >= 0.01
    good = studio.add_item(title="Linen trousers")
    report = studio.engine().cycle()
    assert (report.push.acked, report.push.parked) == (1, 1)
    states = {op.item_id: (op.state, op.last_error) for op in ops(studio)}
    assert states[good.id][0] == OpState.ACKED.value
    assert states[bad.id][0] == OpState.PARKED.value and "validation" in states[bad.id][1]
    assert [listing["title"] for listing in studio.remote_listings()] == ["Linen trousers"]


def test_fixing_a_refused_item_and_retrying_lists_it(studio):
    from studio.sync.conflicts import retry_parked
    from studio.sync.status import ItemSync, Overall, item_states, summary

    item = studio.add_item(title="Free sample", list_price_cents="0")
    engine = studio.engine()
    engine.cycle()
    with studio.database.session() as session:
        assert item_states(session, [item.id]) == {item.id: ItemSync.ERROR}
        assert summary(session, "seller-api").state is Overall.ERROR
    studio.edit(item.id, list_price_cents="5")
    with studio.database.transaction() as session:
        parked = session.exec(select(OutboxOp).where(OutboxOp.state == "parked")).one()
        retry_parked(session, parked.id)
    engine.cycle()
    [listing] = studio.remote_listings()
    assert listing["price_cents"] == 500
    with studio.database.session() as session:
        assert item_states(session, [item.id]) == {item.id: ItemSync.LIVE}
        assert summary(session, "seller-api").state is Overall.UP_TO_DATE


def test_resolving_a_conflict_either_way(studio):
    from studio.sync.conflicts import open_conflicts, resolve

    first = studio.add_item(title="Knit vest")
    second = studio.add_item(title="Knit scarf")
    engine = studio.engine()
    engine.cycle()
    for item, theirs in ((first, "Knit vest (theirs)"), (second, "Knit scarf (theirs)")):
        remote_id = link_of(studio, item.id).remote_id
        studio.api(
            "PATCH",
            f"/v1/listings/{remote_id}",
            json={"title": theirs},
            headers={"If-Match": '"1"'},
        )
        studio.edit(item.id, title=theirs.replace("theirs", "mine"))
    engine.cycle()
    with studio.database.transaction() as session:
        conflicts = {c.item_id: c.id for c in open_conflicts(session)}
        resolve(session, conflicts[first.id], keep_mine=True)
        resolve(session, conflicts[second.id], keep_mine=False)
    engine.cycle()
    titles = {listing["sku"]: listing["title"] for listing in studio.remote_listings()}
    assert titles == {first.sku: "Knit vest (mine)", second.sku: "Knit scarf (theirs)"}
    with studio.database.session() as session:
        assert session.get(Item, second.id).title == "Knit scarf (theirs)"
        assert open_conflicts(session) == []


def test_marking_an_order_shipped_reaches_the_marketplace(studio):
    from studio.orders.service import mark_shipped

    item = studio.add_item(title="Cord skirt")
    engine = studio.engine()
    engine.cycle()
    remote_id = link_of(studio, item.id).remote_id
    shopper = buyer(studio, "Tomas Lindqvist-Ruiz")
    bought = as_buyer(studio, shopper, "POST", "/orders", json={"listing_ids": [int(remote_id)]})
    assert bought.status_code == 201
    engine.cycle()
    with studio.database.transaction() as session:
        order = session.exec(select(Order)).one()
        mark_shipped(session, order.id, order.tracking_number or "9400TEST")
    engine.cycle()
    remote_order = studio.api("GET", f"/v1/orders/{order.remote_id}").json()
    assert remote_order["status"] == "shipped"
    with studio.database.session() as session:
        assert session.get(Item, item.id).status == "shipped"

    # The feed's order.shipped is the marketplace's own news, and shipping again is no change:
    # neither queues a second shipment.
    engine.cycle()
    with studio.database.transaction() as session:
        mark_shipped(session, order.id, "9400AGAIN")
    engine.cycle()
    shipments = [op for op in ops(studio) if op.kind == "ship_order"]
    assert [(op.entity, op.state) for op in shipments] == [(f"order:{order.id}", "acked")]
