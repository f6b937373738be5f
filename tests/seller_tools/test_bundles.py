"""Bundle suggestions on a small labelled set where the right matches are known, with
precision at 5 reported; the cover photo's subject colour; and sending a suggestion to a
buyer by hand."""

import pytest
from PIL import Image

from studio.inventory.tables import Item
from studio.orders.tables import Order, OrderLine
from studio.seller_tools import bundle_messages, messages
from studio.seller_tools.bundles import suggest
from studio.seller_tools.colours import harmony, parse_colour, subject_colour
from studio.sync.tables import ListingLink, MarketplaceAccount

POOL = {
    # key: (title, category, size, colour, brand)
    "heels": ("Strappy black heels", "Shoes", "38", "black", "Orla"),
    "necklace": ("Gold pendant necklace", "Accessories", "OS", "", "Orla"),
    "trench": ("Cream trench coat", "Outerwear", "M", "cream", "Harlow"),
    "crossbody": ("Black leather crossbody", "Bags", "OS", "black", "Harlow"),
    "earrings": ("Pearl drop earrings", "Accessories", "OS", "white", "Orla"),
    "trousers": ("Beige linen trousers", "Bottoms", "30", "beige", "Fenwick"),
    "jeans": ("Straight denim jeans", "Bottoms", "29", "denim blue", "Fenwick"),
    "belt": ("Tan leather belt", "Accessories", "OS", "tan", "Harlow"),
    "red_dress": ("Red slip dress", "Dresses", "M", "red", "Rowan"),
    "orange_tee": ("Orange running tee", "Tops", "M", "orange", "Pacer"),
    "green_polo": ("Green striped polo", "Tops", "L", "green", "Pacer"),
    "wool_trousers": ("Grey wool trousers", "Bottoms", "32", "grey", "Harlow"),
    "rain_boots": ("Purple rubber rain boots", "Shoes", "39", "purple", "Pacer"),
}
SOURCES = {
    "black_dress": (
        ("Black silk slip dress", "Dresses", "M", "black", "Rowan"),
        {"heels", "necklace", "trench", "crossbody", "earrings", "belt"},
    ),
    "linen_shirt": (
        ("White linen shirt", "Tops", "M", "white", "Fenwick"),
        {"trench", "crossbody", "trousers", "jeans", "belt", "wool_trousers"},
    ),
    "navy_blazer": (
        ("Navy wool blazer", "Outerwear", "L", "navy", "Harlow"),
        {"wool_trousers", "jeans", "trousers", "green_polo", "orange_tee"},
    ),
}


def test_precision_at_5_on_the_labelled_set(database, add_item):
    ids = {}
    for key, (title, category, size, colour, brand) in {**POOL}.items():
        ids[key] = add_item(
            title=title, category=category, size=size, color=colour, brand=brand, status="listed"
        ).id
    sources = {}
    for key, ((title, category, size, colour, brand), _right) in SOURCES.items():
        sources[key] = add_item(
            title=title, category=category, size=size, color=colour, brand=brand, status="sold"
        ).id
    names = {item_id: key for key, item_id in ids.items()}

    precisions, misses = {}, {}
    with database.session() as session:
        for key, (_values, right) in SOURCES.items():
            found = suggest(session, [sources[key]])
            assert len(found) == 5 and all(s.reasons for s in found)
            picked = {names[s.item_id] for s in found}
            precisions[key] = len(picked & right) / 5
            misses[key] = picked - right
    mean = sum(precisions.values()) / len(precisions)
    print(f"bundle suggestions, precision at 5: {precisions}, mean {mean:.2f}, misses {misses}")
    # Known miss: pearl earrings rank for the linen shirt, labelled as not a match here.
    assert precisions["black_dress"] == 1.0
    assert min(precisions.values()) >= 0.8
    assert mean >= 0.8


def test_reasons_name_category_size_colour_and_brand(database, add_item):
    dress = add_item(
        title="Black silk slip dress",
        category="Dresses",
        size="M",
        color="black",
        brand="Harlow",
        status="sold",
    )
    coat = add_item(
        title="Cream trench coat",
        category="Outerwear",
        size="M",
        color="cream",
        brand="Harlow",
        status="listed",
    )
    with database.session() as session:
        [found] = suggest(session, [dress.id])
    assert found.item_id == coat.id
    assert found.reasons[0] == "outerwear go with dresses"
    assert "in the buyer's size (M)" in found.reasons
    assert any("neutral" in reason for reason in found.reasons)
    assert "also Harlow" in found.reasons


def test_the_cover_photo_subject_colour_ignores_the_background(tmp_path):
    photo = Image.new("RGB", (400, 400), (250, 250, 250))
    photo.paste((200, 30, 40), (120, 100, 280, 320))  # a red garment in the middle
    path = tmp_path / "cover.jpg"
    photo.save(path)
    r, g, b = subject_colour(path)
    assert r > 150 and g < 80 and b < 80
    assert harmony(parse_colour("red"), parse_colour("teal")) == (
        "red and teal are complementary colours"
    )
    assert harmony(parse_colour("red"), parse_colour("lavender")) == ""


def test_sending_by_hand_counts_against_the_cap_and_local_buyers_are_refused(database, add_item):
    with database.transaction() as session:
        session.add(MarketplaceAccount(name="seller-api", base_url="http://127.0.0.1:9"))
        messages.save_template(session, "bundle_suggestion", "Try {item_titles}", False, 1)
    heels = add_item(title="Strappy heels", category="Shoes", status="listed")
    orders = []
    with database.transaction() as session:
        session.add(ListingLink(item_id=heels.id, marketplace="seller-api", remote_id="5"))
        for number, marketplace in (("A-1", "seller-api"), ("A-2", "seller-api"), ("L-1", "local")):
            dress = Item(sku=f"DRS-{number}", title="Slip dress", category="Dresses")
            order = Order(
                marketplace=marketplace,
                remote_id=number,
                number=number,
                buyer_name="Wren Castellane",
                buyer_username="" if marketplace == "local" else number,
            )
            session.add_all([dress, order])
            session.flush()
            session.add(OrderLine(order_id=order.id, item_id=dress.id, title=dress.title))
            orders.append(order)

    with database.transaction() as session:
        sent = bundle_messages.send_for_order(session, orders[0], None)
        assert (sent.body, sent.automatic) == ("Try Strappy heels", False)
        with pytest.raises(bundle_messages.CannotSend, match="cap of 1 bundle suggestions"):
            bundle_messages.send_for_order(session, orders[1], None)
        with pytest.raises(bundle_messages.CannotSend, match="cannot be messaged"):
            bundle_messages.send_for_order(session, orders[2], None)
