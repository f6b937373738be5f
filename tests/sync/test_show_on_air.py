"""A show hosted on the real server: the studio schedules and starts its line-up there, a
buyer buys on air, and the next sync brings the order and marks the line-up item sold to
that buyer at the show price; ending the show ends it there too."""

import httpx
from sqlmodel import select

from studio.inventory.tables import Item
from studio.orders.tables import Order
from studio.shows import hosting
from studio.shows import service as shows
from studio.sync.connection import SELLER_API

from .conftest import Studio


def test_a_sale_on_air_comes_back_as_an_order_and_marks_the_line_up(studio: Studio):
    coat = studio.add_item(title="Wool coat", list_price_cents="60", sku="COAT-1")
    scarf = studio.add_item(title="Silk scarf", list_price_cents="20", sku="SCARF-1")
    local_only = studio.add_item(publish=False, title="Belt", list_price_cents="15", sku="BELT-1")
    studio.engine().cycle()
    with studio.database.transaction() as session:
        show = shows.create_show(session, "Sunday live", shows.utc_now(), SELLER_API)
        shows.add_items(session, show.id, [coat.id, scarf.id, local_only.id])
        first = shows.lineup(session, show.id).rows[0]
        shows.set_price(session, first.id, 4500)  # the coat at 45.00 on air
        show_id = show.id

    said = hosting.go_live(studio.database, studio.credentials, show_id)
    assert said.startswith("Live on seller-api") and "BELT-1" in said
    with studio.database.transaction() as session:
        shows.set_price(session, first.id, 4000)  # cut on air, as show mode does
    assert hosting.price_there(studio.database, studio.credentials, first.id).startswith("Buyers")
    seller = studio.api("GET", "/v1/me").json()["name"]
    buyer = httpx.post(
        f"{studio.market.base_url}/v1/market/buyers",
        json={"name": "Mia Kovač", "address": {"name": "Mia Kovač", "line1": "Ilica 1",
              "city": "Zagreb", "postal_code": "10000", "country": "HR"}},
    ).json()  # fmt: skip
    on_air = httpx.get(f"{studio.market.base_url}/v1/market/sellers/{seller}/shows").json()
    (remote_show,) = on_air["shows"]
    assert [slot["title"] for slot in remote_show["lineup"]] == ["Wool coat", "Silk scarf"]
    coat_listing = remote_show["lineup"][0]["listing_id"]
    bought = httpx.post(
        f"{studio.market.base_url}/v1/market/shows/{remote_show['id']}/buy",
        json={"listing_id": coat_listing},
        headers={"Authorization": f"Bearer {buyer['token']}"},
    )
    assert bought.status_code == 201, bought.text

    studio.engine().cycle()
    with studio.database.session() as session:
        row = shows.lineup(session, show_id).rows[0]
        order = session.exec(select(Order).where(Order.marketplace == SELLER_API)).one()
        assert session.get(Item, coat.id).status == "sold"
        assert session.get(Item, scarf.id).status == "listed"
    assert (row.sold_to, row.sold_cents, row.order_id) == ("Mia Kovač", 4000, order.id)
    assert order.total_cents == 4000

    assert hosting.end_there(studio.database, studio.credentials, show_id).startswith("The show")
    assert httpx.get(f"{studio.market.base_url}/v1/market/sellers/{seller}/shows").json() == {
        "shows": []
    }
