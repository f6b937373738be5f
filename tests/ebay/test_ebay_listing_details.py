"""The item editor's helpers: a category for the title, its item specifics and conditions,
and which required specifics an item still lacks."""

from fake_ebay import COATS

from studio.marketplaces.ebay import Aspect, missing_aspects
from studio.marketplaces.ebay.listing_setup import choose


def test_a_category_is_suggested_from_the_title(client):
    [suggestion] = client.details.category_suggestions("vintage wool coat")
    assert suggestion.category_id == COATS
    assert suggestion.label == (
        "Clothing, Shoes & Accessories > Men's Clothing > Coats, Jackets & Vests"
    )


def test_a_categorys_aspects_say_which_are_required_and_which_recommended(client):
    aspects = {a.name: a for a in client.details.item_aspects(COATS)}
    assert aspects["Brand"].required and aspects["Size"].required
    assert aspects["Color"].recommended and not aspects["Color"].required
    assert not aspects["Material"].recommended
    assert aspects["Brand"].values == ("Levi's", "Barbour")


def test_condition_policies_per_category(client):
    [policy] = client.details.condition_policies([COATS])
    assert policy.required
    assert [c.condition_id for c in policy.conditions] == ["1000", "3000"]


def test_missing_aspects_maps_the_studios_fields_to_ebays_names():
    aspects = [
        Aspect("Brand", True, False),
        Aspect("Size", True, False),
        Aspect("Department", True, False),
        Aspect("Size Type", True, False),
        Aspect("Color", False, True),
    ]
    item = {"brand": "Barbour", "size": "", "department": "Men", "color": ""}
    assert missing_aspects(item, aspects) == ["Size", "Size Type"]
    assert (
        missing_aspects({**item, "size": "M", "aspects": {"Size Type": "Regular"}}, aspects) == []
    )


def test_policies_and_location_are_chosen_by_name_or_as_the_only_one(client):
    choices = client.listing_setup_choices()
    setup = choose(
        "EBAY_US",
        choices["payment"],
        choices["return"],
        choices["fulfillment"],
        choices["location"],
        {"fulfillment": "Free shipping"},
    )
    assert setup.fulfillment_policy_id == "6196949001"
    assert setup.payment_policy_id == "6196947000"
    assert setup.merchant_location_key == "home-studio"
    try:
        choose(
            "EBAY_US",
            choices["payment"],
            choices["return"],
            choices["fulfillment"],
            choices["location"],
        )
    except ValueError as error:
        assert "several fulfillment policies ('USPS Priority', 'Free shipping'); name one" in str(
            error
        )
    else:
        raise AssertionError("two fulfillment policies and none named must be refused")
