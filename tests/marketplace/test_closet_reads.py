"""The reads a client needs to bring a whole closet in: every like in pages, every offer in
pages, and the seeding helper that fills a closet straight into the database."""

from marketplace.closet_seed import seed_closet


def walk_likes(client, limit: int) -> list[dict]:
    likes, after = [], None
    while True:
        params = {"limit": limit, **({"after": after} if after else {})}
        page = client.get("/v1/likes", params=params).json()
        likes += page["likes"]
        after = page["next_after"]
        if after is None:
            return likes


def walk_offers(client, limit: int) -> list[dict]:
    offers, before = [], None
    while True:
        params = {"limit": limit, **({"before_id": before} if before else {})}
        page = client.get("/v1/offers", params=params).json()
        offers += page["offers"]
        before = page["next_before_id"]
        if before is None:
            return offers


def test_every_like_of_the_sellers_listings_comes_once_in_pages(market, seller, new_seller, kit):
    mine = [kit.create_listing(seller, title=f"Coat {n}")["id"] for n in range(3)]
    theirs = kit.create_listing(new_seller(), title="Not mine")["id"]
    buyers = [kit.make_buyer(market, name) for name in ("Lena Novak", "Omar Haddad")]
    for buyer in buyers:
        for listing_id in (*mine, theirs):
            assert buyer.put(f"/v1/market/listings/{listing_id}/like").is_success
    buyers[0].delete(f"/v1/market/listings/{mine[1]}/like")  # taken back: not a like now

    likes = walk_likes(seller, limit=2)
    pairs = [(like["listing_id"], like["buyer"]["name"]) for like in likes]
    assert pairs == [
        (mine[0], "Lena Novak"),
        (mine[0], "Omar Haddad"),
        (mine[1], "Omar Haddad"),
        (mine[2], "Lena Novak"),
        (mine[2], "Omar Haddad"),
    ]
    assert all(like["created_at"].endswith("Z") for like in likes)
    assert walk_likes(seller, limit=1000) == likes
    for buyer in buyers:
        buyer.close()


def test_the_sellers_offers_page_newest_first(market, seller, kit):
    listing = kit.create_listing(seller, price_cents=5000)
    buyer = kit.make_buyer(market)
    made = [
        buyer.post(
            f"/v1/market/listings/{listing['id']}/offers", json={"amount_cents": cents}
        ).json()["id"]
        for cents in (4000, 4100, 4200, 4300, 4400)
    ]
    buyer.close()
    assert [offer["id"] for offer in walk_offers(seller, limit=2)] == made[::-1]
    first = seller.get("/v1/offers", params={"limit": 5}).json()
    assert first["next_before_id"] is None and len(first["offers"]) == 5


def test_a_seeded_closet_reads_like_one_made_through_the_api(market, new_seller, kit):
    client = new_seller()
    name = client.headers["X-Test-Seller"]
    seeded = seed_closet(
        market.state, name, 5, photos_per_listing=2, likes_per_listing=2, offers_per_listing=1
    )
    listings = client.get("/v1/listings", params={"limit": 10}).json()["listings"]
    assert [listing["id"] for listing in listings] == [one.id for one in seeded]
    assert [[p["sha256"] for p in listing["photos"]] for listing in listings] == [
        one.photos for one in seeded
    ]
    assert all(listing["likes_count"] == 2 for listing in listings)
    assert len(walk_likes(client, 3)) == 10 and len(walk_offers(client, 3)) == 5
    photo = client.get(f"/v1/photos/{seeded[0].photos[0]}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    # The feed tells the same story, cursor after cursor.
    events = kit.all_events(client)
    assert [event["cursor"] for event in events] == list(range(1, len(events) + 1))
    kinds = [event["type"] for event in events]
    assert (kinds.count("listing.created"), kinds.count("like.added")) == (5, 10)
    assert kinds.count("offer.received") == 5
