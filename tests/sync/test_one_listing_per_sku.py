"""One listing per SKU when several studios sign in to one seller (issue 15): the cases the
five-studio test meets only by chance of timing, each set up on purpose here."""

from dataclasses import replace

from sqlmodel import select

from studio.inventory.tables import Item
from studio.storage.credentials import PrivateFileStore
from studio.storage.database import open_database
from studio.sync import conflicts
from studio.sync.connection import connect_with_token
from studio.sync.tables import ListingLink, OpState, OutboxOp


def laptop(studio, tmp_path):
    """A second studio (its own data dir) signed in to the same seller as `studio`."""
    data_dir = tmp_path / "other-laptop"
    database = open_database(data_dir)
    credentials = PrivateFileStore(data_dir)
    connect_with_token(database, credentials, studio.market.base_url, studio.token)
    return replace(studio, data_dir=data_dir, database=database, credentials=credentials)


def push_only(studio) -> None:
    """Sends the outbox without reading the feed first, as when two studios push at the
    same moment, each before it could see the other's listing."""
    [pusher] = studio.engine().pushers.values()
    assert not pusher.push().stopped


def link_of(studio, item_id: int) -> ListingLink:
    with studio.database.session() as session:
        return session.exec(select(ListingLink).where(ListingLink.item_id == item_id)).one()


def creates(studio) -> list[OutboxOp]:
    with studio.database.session() as session:
        return list(session.exec(select(OutboxOp).where(OutboxOp.kind == "create_listing")))


def test_the_same_item_published_on_two_laptops_is_one_listing(studio, tmp_path):
    other = laptop(studio, tmp_path)
    mine = studio.add_item(sku="COAT-1", title="Wool coat")
    theirs = other.add_item(sku="COAT-1", title="Wool coat")
    push_only(studio)
    push_only(other)
    [listing] = studio.remote_listings()
    assert link_of(other, theirs.id).remote_id == link_of(studio, mine.id).remote_id
    assert link_of(other, theirs.id).remote_id == str(listing["id"])
    assert [op.state for op in creates(other)] == [OpState.ACKED.value]
    with other.database.session() as session:
        assert conflicts.open_conflicts(session) == []
    other.database.close()


def test_different_values_for_one_sku_are_one_listing_and_a_conflict(studio, tmp_path):
    other = laptop(studio, tmp_path)
    studio.add_item(sku="COAT-2", title="Wool coat, navy")
    theirs = other.add_item(sku="COAT-2", title="Wool coat, dark blue")
    push_only(studio)
    push_only(other)
    [listing] = studio.remote_listings()
    assert link_of(other, theirs.id).remote_id == str(listing["id"])
    with other.database.session() as session:
        [clash] = conflicts.open_conflicts(session)
        # Nothing was overwritten on either side: the person decides.
        assert session.get(Item, theirs.id).title == "Wool coat, dark blue"
    assert (clash.field, conflicts.value_of(clash.local_value)) == ("title", "Wool coat, dark blue")
    assert conflicts.value_of(clash.remote_value) == listing["title"] == "Wool coat, navy"
    other.database.close()


def test_an_item_listed_on_another_laptop_is_adopted_from_the_feed(studio, tmp_path):
    other = laptop(studio, tmp_path)
    studio.add_item(sku="COAT-3", title="Wool coat, long", description="Measured: 40 in.")
    unlisted = other.add_item(publish=False, sku="COAT-3", title="Wool coat")
    studio.engine().cycle()
    report = other.engine().cycle()
    [listing] = studio.remote_listings()
    assert report.push.sent == 0  # nothing to send: the item takes the listing's values
    with other.database.session() as session:
        item = session.get(Item, unlisted.id)
        assert (item.title, item.description, item.status) == (
            "Wool coat, long",
            "Measured: 40 in.",
            "listed",
        )
        assert conflicts.open_conflicts(session) == []
    assert link_of(other, unlisted.id).remote_id == str(listing["id"])
    # From then on it is the same listing on both laptops: an edit here reaches the other.
    other.edit(unlisted.id, size="L")
    other.engine().cycle()
    studio.engine().cycle()
    with studio.database.session() as session:
        assert session.exec(select(Item).where(Item.sku == "COAT-3")).one().size == "L"
    other.database.close()


def test_a_sku_whose_earlier_listing_sold_gets_a_listing_of_its_own(studio, tmp_path):
    # A listing of this SKU, made under the key a studio's create uses, that has sold since
    # (an item since deleted, whose SKU was typed again for a new one).
    body = {"title": "Silk scarf, red", "price_cents": 1800, "sku": "SCARF-1"}
    made = studio.api(
        "POST", "/v1/listings", json=body, headers={"Idempotency-Key": "create-sku:SCARF-1"}
    )
    assert made.status_code == 201
    assert studio.api("POST", f"/v1/listings/{made.json()['id']}/mark-sold").status_code == 200

    item = studio.add_item(sku="SCARF-1", title="Silk scarf", list_price_cents="18")
    studio.engine().cycle()
    listings = {listing["id"]: listing for listing in studio.remote_listings()}
    assert len(listings) == 2
    link = link_of(studio, item.id)
    assert link.remote_id != str(made.json()["id"])
    assert listings[int(link.remote_id)]["status"] == "active"
    with studio.database.session() as session:
        assert session.get(Item, item.id).status == "listed"
    # A laptop that joins later reads the whole feed, the old sale first: its item takes
    # the listing on sale, not the one that sold.
    other = laptop(studio, tmp_path)
    joining = other.add_item(publish=False, sku="SCARF-1", title="Silk scarf")
    other.engine().cycle()
    assert link_of(other, joining.id).remote_id == link.remote_id
    with other.database.session() as session:
        assert session.get(Item, joining.id).status == "listed"
    other.database.close()
