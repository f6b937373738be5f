"""The eBay adapter's listings against a fake eBay that checks every request and answer with
eBay's definitions: publish, revise, price changes, withdraw and relist, and refusals."""

import pytest
from ebay_setup import PHOTO, coat, publish
from fake_ebay import COATS

from studio.sync.port import ListingAction, ListingState, NotFound, Refused


def test_publishing_uploads_the_photos_then_makes_the_item_and_its_offer(client, fake):
    listing = publish(client, coat())

    assert listing.id == "COAT-0007"  # the SKU: it outlives a withdraw and relist
    assert listing.status is ListingState.ACTIVE
    item = fake.items["COAT-0007"]
    assert item["product"]["aspects"] == {"Brand": ["Barbour"], "Size": ["M"]}
    assert item["condition"] == "PRE_OWNED_EXCELLENT"
    assert item["product"]["imageUrls"] == [img["imageUrl"] for img in fake.images.values()]
    offer = fake.offer_of("COAT-0007")
    assert offer["status"] == "PUBLISHED" and offer["categoryId"] == COATS
    assert offer["pricingSummary"]["price"] == {"value": "48.00", "currency": "USD"}
    assert offer["listingPolicies"]["bestOfferTerms"]["autoDeclinePrice"]["value"] == "35.00"
    assert offer["merchantLocationKey"] == "home-studio"
    assert fake.contract.operations["publishOffer"] == 1
    assert fake.contract.operations["createImageFromFile"] == 1


def test_a_create_sent_again_after_a_lost_answer_makes_no_second_listing(client, fake):
    fields = coat()
    first = publish(client, fields)
    again = client.create_listing(fields, "op-1")

    assert again.id == first.id
    assert len(fake.offers) == 1
    assert fake.contract.operations["createOffer"] == 1
    assert fake.contract.operations["publishOffer"] == 1  # a published offer is not published again


def test_a_photo_already_on_ebay_is_not_uploaded_again(client, fake):
    fields = coat()
    publish(client, fields)
    client.upload_photo(fields["photos"][0], PHOTO, "image/jpeg")
    assert fake.contract.operations["createImageFromFile"] == 1


def test_a_missing_item_specific_is_refused_in_ebays_words_naming_the_field(client, fake):
    with pytest.raises(Refused) as refused:
        publish(client, coat(brand=None))

    assert refused.value.code == "25002"
    assert refused.value.message.startswith("eBay needs Brand for this category")
    assert "The item specific Brand is missing" in refused.value.message


def test_what_ebay_would_refuse_anyway_is_refused_before_any_request(client, fake):
    with pytest.raises(Refused, match="up to 80 characters; this one has 81"):
        client.create_listing(coat(title="x" * 81), "op")
    with pytest.raises(Refused, match="up to 24 photos"):
        client.create_listing(coat(photos=[f"{n:064x}" for n in range(25)]), "op")
    with pytest.raises(Refused, match="no condition called 'Gently loved'"):
        client.create_listing(coat(condition="Gently loved"), "op")
    assert fake.calls == []


def test_a_price_alone_goes_through_bulk_update_price_quantity(client, fake):
    publish(client, coat())
    puts_before = fake.contract.operations["createOrReplaceInventoryItem"]

    listing = client.update_listing("COAT-0007", {"price_cents": 4200}, 1)

    assert fake.contract.operations["bulkUpdatePriceQuantity"] == 1
    assert fake.contract.operations["createOrReplaceInventoryItem"] == puts_before
    assert fake.offer_of("COAT-0007")["pricingSummary"]["price"]["value"] == "42.00"
    assert listing.fields["price_cents"] == 4200
    assert listing.fields["title"] == "Vintage wool coat, camel, M"


def test_an_edit_replaces_the_whole_item_keeping_what_ebay_holds_besides(client, fake):
    publish(client, coat())
    # An item specific set on eBay's site, which the studio has no field for.
    fake.items["COAT-0007"]["product"]["aspects"]["Size Type"] = ["Regular"]

    listing = client.update_listing("COAT-0007", {"title": "Camel wool coat, M", "size": "L"}, 1)

    product = fake.items["COAT-0007"]["product"]
    assert product["title"] == "Camel wool coat, M"
    assert product["description"] == "Warm and heavy; a small mark on the left cuff."
    assert product["aspects"] == {"Brand": ["Barbour"], "Size": ["L"], "Size Type": ["Regular"]}
    assert len(product["imageUrls"]) == 1
    assert listing.fields["size"] == "L"
    assert listing.fields["photos"] == coat()["photos"]  # the hashes, known from the upload


def test_a_floor_price_change_rewrites_the_offer(client, fake):
    publish(client, coat())
    client.update_listing("COAT-0007", {"floor_price_cents": 3000}, 1)
    terms = fake.offer_of("COAT-0007")["listingPolicies"]["bestOfferTerms"]
    assert terms["autoDeclinePrice"]["value"] == "30.00"
    assert fake.contract.operations["updateOffer"] == 1


def test_the_sku_cannot_change_on_ebay(client, fake):
    publish(client, coat())
    with pytest.raises(Refused, match="cannot change it from COAT-0007 to COAT-9"):
        client.update_listing("COAT-0007", {"sku": "COAT-9"}, 1)


def test_delist_withdraws_and_relist_publishes_again_under_a_new_item_number(client, fake):
    publish(client, coat())
    first_number = fake.item_number("COAT-0007")

    delisted = client.change_listing_status("COAT-0007", ListingAction.DELIST)
    assert delisted.status is ListingState.DELISTED
    assert fake.offer_of("COAT-0007")["status"] == "UNPUBLISHED"
    assert client.change_listing_status("COAT-0007", ListingAction.DELIST).status is (
        ListingState.DELISTED
    )  # repeating it is a no-op
    assert fake.contract.operations["withdrawOffer"] == 1

    relisted = client.change_listing_status("COAT-0007", ListingAction.RELIST)
    assert relisted.status is ListingState.ACTIVE
    assert relisted.id == "COAT-0007"
    assert fake.item_number("COAT-0007") != first_number


def test_sold_elsewhere_ends_the_listing_and_a_sold_listing_is_said_sold(client, fake):
    publish(client, coat())
    publish(client, coat("SCARF-0001", title="Silk scarf", size=None))
    assert client.change_listing_status("COAT-0007", ListingAction.MARK_SOLD).status is (
        ListingState.SOLD
    )
    assert fake.offer_of("COAT-0007")["status"] == "UNPUBLISHED"

    fake.sell("SCARF-0001")
    with pytest.raises(Refused) as refused:
        client.change_listing_status("SCARF-0001", ListingAction.DELIST)
    assert refused.value.code == "listing_sold"  # the engine counts such a delist as done
    assert client.get_listing("SCARF-0001").status is ListingState.SOLD


def test_a_listing_read_back_has_the_fields_the_studio_sent(client, fake):
    sent = coat(condition="Good")
    publish(client, sent)
    read = client.find_listing_by_sku("COAT-0007")
    assert read is not None
    assert {k: read.fields[k] for k in sent} == sent
    assert client.find_listing_by_sku("NOPE-1") is None
    with pytest.raises(NotFound):
        client.get_listing("NOPE-1")
