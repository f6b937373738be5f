"""Live shows over real HTTP: a seller schedules a line-up, starts it, buyers buy on air at
the show price (an order like any other, and a `show.sale` in the feed), the seller ends it;
and simulated buyers who watch shows take part."""

from marketplace.simulator import Simulator


def test_a_show_scheduled_sold_on_air_and_ended(seller, buyer, kit):
    coat = kit.create_listing(seller, title="Wool coat", price_cents=6000)
    scarf = kit.create_listing(seller, title="Silk scarf", price_cents=2000)
    body = {
        "title": "Sunday live",
        "starts_at": "2026-12-06T19:00:00Z",
        "lineup": [{"listing_id": coat["id"], "price_cents": 5000}, {"listing_id": scarf["id"]}],
    }
    created = seller.post("/v1/shows", json=body)
    assert created.status_code == 201, created.text
    show = created.json()
    assert show["status"] == "scheduled"
    assert [(s["position"], s["price_cents"]) for s in show["lineup"]] == [(1, 5000), (2, 2000)]
    buy = f"/v1/market/shows/{show['id']}/buy"
    early = buyer.post(buy, json={"listing_id": coat["id"]})
    assert early.status_code == 409 and early.json()["code"] == "show_not_live"

    cut = seller.put(f"/v1/shows/{show['id']}/lineup/{coat['id']}", json={"price_cents": 4500})
    assert cut.status_code == 200 and cut.json()["lineup"][0]["price_cents"] == 4500
    missing = seller.put(f"/v1/shows/{show['id']}/lineup/999999", json={"price_cents": 100})
    assert missing.status_code == 404
    after = kit.all_events(seller)[-1]["cursor"]
    assert seller.post(f"/v1/shows/{show['id']}/start").json()["status"] == "live"
    name = seller.headers["X-Test-Seller"]
    public = buyer.get(f"/v1/market/sellers/{name}/shows").json()["shows"]
    assert [s["id"] for s in public] == [show["id"]]
    order = buyer.post(buy, json={"listing_id": coat["id"]})
    assert order.status_code == 201, order.text
    assert order.json()["subtotal_cents"] == 4500  # the show price, not the listing's 60.00
    again = buyer.post(buy, json={"listing_id": coat["id"]})
    assert again.status_code == 409 and again.json()["code"] == "listing_not_available"

    events = kit.all_events(seller, after)
    types = [event["type"] for event in events]
    assert types == ["show.started", "order.created", "listing.sold", "show.sale"]
    sale = events[-1]["data"]
    assert (sale["show_id"], sale["listing_id"], sale["price_cents"]) == (
        show["id"], coat["id"], 4500,
    )  # fmt: skip
    assert sale["order_id"] == order.json()["id"] and sale["buyer"]["name"]

    ended = seller.post(f"/v1/shows/{show['id']}/end").json()
    assert ended["status"] == "ended"
    assert [s["status"] for s in ended["lineup"]] == ["sold", "active"]  # unsold stay listed
    assert buyer.post(buy, json={"listing_id": scarf["id"]}).json()["code"] == "show_not_live"
    assert seller.post(f"/v1/shows/{show['id']}/start").status_code == 409
    assert buyer.get(f"/v1/market/sellers/{name}/shows").json()["shows"] == []


def test_a_line_up_of_someone_elses_or_sold_listing_is_refused(new_seller, buyer, kit):
    mine, theirs = new_seller(), new_seller()
    other = kit.create_listing(theirs)
    body = {
        "title": "Live",
        "starts_at": "2026-12-06T19:00:00Z",
        "lineup": [{"listing_id": other["id"]}],
    }
    assert mine.post("/v1/shows", json=body).status_code == 404
    assert mine.post("/v1/shows", json={**body, "lineup": []}).status_code == 422
    assert theirs.get("/v1/shows/999999").status_code == 404


def test_simulated_buyers_who_watch_buy_on_air(market, seller, kit):
    ids = [kit.create_listing(seller, title=f"Dress {n}", price_cents=3000)["id"] for n in range(3)]
    lineup = [{"listing_id": listing_id, "price_cents": 2000} for listing_id in ids]
    body = {"title": "Quick show", "starts_at": "2026-12-06T19:00:00Z", "lineup": lineup}
    show = seller.post("/v1/shows", json=body).json()
    seller.post(f"/v1/shows/{show['id']}/start")
    name = seller.headers["X-Test-Seller"]
    outcomes = Simulator(market.base_url, name, seed=3, speed=0, buyers=3, watch_shows=True).run(
        actions=40
    )
    assert outcomes["watch:ok"] > 0
    sales = [e for e in kit.all_events(seller) if e["type"] == "show.sale"]
    assert sales and {sale["data"]["price_cents"] for sale in sales} == {2000}
    assert {sale["data"]["listing_id"] for sale in sales} <= set(ids)
