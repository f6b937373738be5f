"""Orders shipped, offers to watchers, best offers answered, and what eBay cannot do."""

import pytest
from ebay_setup import coat, publish

from studio.sync.port import (
    AuthFailed,
    OfferAnswer,
    OfferKind,
    OfferState,
    RateLimited,
    Refused,
    Unreachable,
)


def test_shipping_sends_the_line_items_with_the_tracking_number_and_its_carrier(client, fake):
    publish(client, coat())
    order_id = fake.sell("COAT-0007")

    client.ship_order(order_id, "1Z 999-AA1-01-2345-6784")
    client.ship_order(order_id, "1Z 999-AA1-01-2345-6784")  # repeated: a no-op

    [shipment] = fake.fulfillments[order_id]
    assert shipment["shipmentTrackingNumber"] == "1Z999AA10123456784"  # eBay takes alnum only
    assert shipment["shippingCarrierCode"] == "UPS"
    assert shipment["lineItems"] == [
        {"lineItemId": fake.orders[order_id]["lineItems"][0]["lineItemId"], "quantity": 1}
    ]
    assert fake.contract.operations["createShippingFulfillment"] == 1


def test_shipping_without_a_tracking_number_still_marks_it_shipped(client, fake):
    publish(client, coat())
    order_id = fake.sell("COAT-0007")
    client.ship_order(order_id)
    assert fake.orders[order_id]["orderFulfillmentStatus"] == "FULFILLED"
    assert (
        "trackingNumber" not in fake.fulfillments[order_id][0]
        or not (fake.fulfillments[order_id][0]["shipmentTrackingNumber"])
    )


def test_orders_are_cancelled_on_ebay_itself(client, fake):
    with pytest.raises(Refused, match="cancelled on eBay"):
        client.cancel_order("12-00001-00002")


def test_an_offer_to_watchers_goes_to_ebays_interested_buyers(client, fake):
    publish(client, coat())
    fake.watch("COAT-0007", 3)

    reached = client.offer_to_likers("COAT-0007", 4200, 0, 24)

    assert reached == 3
    [sent] = fake.watcher_offers
    assert sent["offeredItems"] == [
        {
            "listingId": fake.item_number("COAT-0007"),
            "price": {"value": "42.00", "currency": "USD"},
            "quantity": 1,
        }
    ]
    assert sent["offerDuration"] == {"unit": "DAY", "value": 2}  # eBay's fixed duration
    [remembered] = [o for o in client.listing_offers("COAT-0007") if o.kind is OfferKind.TO_LIKERS]
    assert remembered.amount_cents == 4200  # so a retry can tell it went through


def test_what_ebay_cannot_offer_watchers_is_refused_plainly(client, fake):
    publish(client, coat())
    fake.watch("COAT-0007", 3)
    with pytest.raises(Refused, match="at least 5% below the price") as refused:
        client.offer_to_likers("COAT-0007", 4600, 0, 24)
    assert "offer 45.60 or less" in refused.value.message
    with pytest.raises(Refused, match="not shipping"):
        client.offer_to_likers("COAT-0007", 4000, 300, 24)
    assert fake.watcher_offers == []


def test_nobody_watching_means_nobody_reached(client, fake):
    publish(client, coat())
    assert client.offer_to_likers("COAT-0007", 4000, 0, 24) == 0
    assert fake.watcher_offers == []


def test_best_offers_are_accepted_declined_and_countered_through_the_trading_api(client, fake):
    publish(client, coat())
    first = fake.place_best_offer("COAT-0007", "buyer_one", "40.0")
    second = fake.place_best_offer("COAT-0007", "buyer_two", "30.0")
    third = fake.place_best_offer("COAT-0007", "buyer_three", "38.0")
    item = fake.item_number("COAT-0007")

    accepted = client.answer_offer(f"{item}-{first}", OfferAnswer.ACCEPT)
    declined = client.answer_offer(f"{item}-{second}", OfferAnswer.DECLINE)
    counter = client.counter_offer(f"{item}-{third}", 4400)

    assert accepted.status is OfferState.ACCEPTED and declined.status is OfferState.DECLINED
    assert counter.kind is OfferKind.COUNTER and counter.amount_cents == 4400
    assert counter.parent_id == f"{item}-{third}"
    assert client.get_offer(f"{item}-{third}").status is OfferState.COUNTERED
    assert [(r["action"], r["counter"]) for r in fake.responses] == [
        ("Accept", None),
        ("Decline", None),
        ("Counter", "44.00"),
    ]


def test_an_offer_answered_meanwhile_is_a_moment_passed(client, fake, monkeypatch):
    publish(client, coat())
    offer_id = fake.place_best_offer("COAT-0007", "buyer_one", "40.0")
    item = fake.item_number("COAT-0007")

    def already(sent, root):
        root.find("{urn:ebay:apis:eBLBaseComponents}Ack").text = "Failure"
        errors = root.makeelement("{urn:ebay:apis:eBLBaseComponents}Errors", {})
        for name, text in (
            ("LongMessage", "The offer has already been acted on."),
            ("ErrorCode", "21916957"),
            ("SeverityCode", "Error"),
        ):
            child = errors.makeelement(f"{{urn:ebay:apis:eBLBaseComponents}}{name}", {})
            child.text = text
            errors.append(child)
        root.append(errors)

    monkeypatch.setattr(fake, "_trading_RespondToBestOffer", already)
    with pytest.raises(Refused) as refused:
        client.answer_offer(f"{item}-{offer_id}", OfferAnswer.ACCEPT)
    assert refused.value.code == "offer_not_open"  # buyer_ops treats it as the moment passed


def test_a_system_error_is_retried_then_reported_as_unreachable(client, fake):
    publish(client, coat())
    fake.fail_next(500, 25001, "A system error has occurred.", "/bulk_update_price_quantity")
    client.update_listing("COAT-0007", {"price_cents": 4100}, 1)  # retried once, then through
    for _ in range(3):
        fake.fail_next(500, 25001, "A system error has occurred.", "/bulk_update_price_quantity")
    with pytest.raises(Unreachable, match="25001"):
        client.update_listing("COAT-0007", {"price_cents": 4000}, 1)


def test_too_many_requests_is_rate_limited(client, fake):
    fake.fail_next(429, 2001, "Too many requests.", "/get_default_category_tree_id")
    with pytest.raises(RateLimited):
        client.details.category_tree_id()


def test_a_token_refused_after_a_failed_refresh_asks_for_a_new_sign_in(client, fake):
    fake.fail_next(401, 1001, "Invalid access token.", "/get_default_category_tree_id")
    with pytest.raises(AuthFailed, match="connect the account again"):
        client.details.category_tree_id()
    assert client.tokens.refreshes == 1


def test_whose_account_it_is_comes_from_the_trading_api(client, fake):
    assert client.seller_name() == "closet_of_jane"
