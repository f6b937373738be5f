"""Seller tools end to end against the real Seller API server on 127.0.0.1: offer rules after
a pull, offers to likers (by hand and scheduled) and price-drop plans through the stored
scheduler job, messages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from fault_injection import drop_after
from market_buyers import new_buyer
from sqlmodel import select
from waiting import wait_for

from studio.inventory.tables import Item, utc_now
from studio.jobs.scheduler import SELLER_TOOLS_JOB, install_jobs, make_scheduler
from studio.printing.settings import ShopProfile, save_shop_profile
from studio.seller_tools import (
    likers_offers,
    messages,
    offer_rules,
    offers,
    price_drops,
    scheduled_offers,
)
from studio.seller_tools.tables import (
    AutomaticAction,
    LikersOffer,
    PriceDropPlan,
    ScheduledOffer,
    SentMessage,
)
from studio.storage.database import open_database
from studio.sync.tables import ListingLink, Offer, OpState, OutboxOp


def listed(studio, **raw: str) -> tuple[Item, str]:
    item = studio.add_item(**raw)
    studio.engine().cycle()
    with studio.database.session() as session:
        link = session.exec(select(ListingLink).where(ListingLink.item_id == item.id)).one()
    return item, str(link.remote_id)


def seller_name(studio) -> str:
    return studio.api("GET", "/v1/me").json()["name"]


def remote_offers(studio, listing_id: str) -> list[dict]:
    return studio.api("GET", "/v1/offers", params={"listing_id": listing_id}).json()["offers"]


def test_the_rule_counters_an_incoming_offer_in_the_same_cycle(studio):
    _item, listing = listed(studio, list_price_cents="100", floor_price_cents="60")
    with studio.database.transaction() as session:
        offer_rules.save_rule(session, None, offer_rules.RuleTerms(counter_percent=90))
    buyer = new_buyer(studio.market.base_url, "Mirela Vasquez-Oduya")
    buyer.offer(listing, 7000)

    studio.engine().cycle()

    [original, counter] = sorted(remote_offers(studio, listing), key=lambda o: o["id"])
    assert original["status"] == "countered"
    assert (counter["kind"], counter["amount_cents"]) == ("counter", 9000)
    with studio.database.session() as session:
        [action] = session.exec(select(AutomaticAction)).all()
    assert action.kind == "counter" and action.buyer_name == "Mirela Vasquez-Oduya"
    assert "countered at $90.00" in action.detail


def test_accepting_by_hand_makes_an_order_and_a_retry_after_a_lost_answer_is_harmless(studio):
    item, listing = listed(studio, list_price_cents="80", floor_price_cents="50")
    buyer = new_buyer(studio.market.base_url, "Tobiah Wrenfield")
    buyer.offer(listing, 6500)
    engine = studio.engine()
    engine.cycle()
    with studio.database.transaction() as session:
        offer = session.exec(select(Offer)).one()
        op = offers.answer_offer(session, offer.id, "accept")
    # The accept goes through but its answer is lost on the way back.
    studio.faults.add(f"POST /v1/offers/{offer.remote_id}/accept", drop_after)
    engine.cycle()
    later = studio.engine(now=lambda: utc_now() + timedelta(minutes=15))  # past the back-off
    later.cycle()

    with studio.database.session() as session:
        stored = session.exec(select(OutboxOp).where(OutboxOp.op_id == op.op_id)).one()
        assert stored.state == OpState.ACKED.value, stored.last_error
        assert session.get(Item, item.id).status == "sold"
    assert len(studio.api("GET", "/v1/orders").json()["orders"]) == 1


def test_offer_to_likers_reaches_every_liker_and_never_goes_below_the_floor(studio):
    item, listing = listed(studio, list_price_cents="50", floor_price_cents="35")
    names = ["Anouk Delacroix-Berg", "Sefa Okonkwo", "Ilse Marchetti"]
    for name in names:
        new_buyer(studio.market.base_url, name).like(listing)
    studio.engine().cycle()

    with studio.database.transaction() as session:
        [quote] = likers_offers.quote(session, [item.id], percent_off=Decimal(20))
        assert (quote.amount_cents, quote.fee_cents, quote.net_cents) == (4000, 800, 3200)
        assert quote.likers == 3 and quote.sendable
        with pytest.raises(offers.OfferError, match=r"below its floor price \$35.00"):
            likers_offers.send_to_likers(session, [item.id], amount_cents=3400)
    with studio.database.transaction() as session:
        likers_offers.send_to_likers(
            session, [item.id], percent_off=Decimal(20), expires_in_hours=48
        )
    studio.engine().cycle()

    sent = [o for o in remote_offers(studio, listing) if o["kind"] == "to_likers"]
    assert sorted(o["buyer"]["name"] for o in sent) == sorted(names)
    assert {o["amount_cents"] for o in sent} == {4000}


def test_a_below_floor_offer_queued_behind_a_floor_raise_is_parked_not_sent(studio):
    item, listing = listed(studio, list_price_cents="50", floor_price_cents="30")
    new_buyer(studio.market.base_url, "Dorotea Quillfeather").like(listing)
    studio.engine().cycle()
    with studio.database.transaction() as session:
        likers_offers.send_to_likers(session, [item.id], amount_cents=3500)
    studio.edit(item.id, floor_price_cents="40")  # raised after the offer was queued

    studio.engine().cycle()

    assert [o for o in remote_offers(studio, listing) if o["kind"] == "to_likers"] == []
    with studio.database.session() as session:
        op = session.exec(select(OutboxOp).where(OutboxOp.kind == "offer_to_likers")).one()
    assert op.state == OpState.PARKED.value and "below the floor" in op.last_error


def test_a_price_drop_plan_runs_on_the_stored_job_after_a_restart_down_to_the_floor(studio):
    item, listing = listed(studio, list_price_cents="100", floor_price_cents="75")
    new_buyer(studio.market.base_url, "Radomir Esterházy-Lind").like(listing)
    start = utc_now() - timedelta(days=15)  # two steps are already due
    with studio.database.transaction() as session:
        plan = price_drops.create_plan(session, item.id, percent=10, every_days=7, now=start)
        plan_id = plan.id
    assert price_drops.plan_prices(10000, 10, 7500) == [9000, 8100, 7500]

    run_stored_job_after_restart(studio, lambda: price_of(studio, item.id) == 8100)
    database = studio.database
    with database.session() as session:
        states = [s.state for s in price_drops.timelines(session)[0].steps]
    assert states == ["skipped", "done", "planned"]  # one drop for the whole pause

    studio.engine().cycle()
    assert studio.api("GET", f"/v1/listings/{listing}").json()["price_cents"] == 8100

    with database.transaction() as session:
        price_drops.run_due_steps(session, now=utc_now() + timedelta(days=30))
        assert session.get(PriceDropPlan, plan_id).status == "finished"
        assert session.get(Item, item.id).list_price_cents == 7500  # the floor, never below
        assert price_drops.run_due_steps(session, now=utc_now() + timedelta(days=90)) == []


def run_stored_job_after_restart(studio, done) -> None:
    """Installs the jobs, closes everything, reopens the data dir and runs the seller-tools
    job from the scheduler's store until done() holds."""
    scheduler = make_scheduler(studio.database)
    scheduler.start(paused=True)
    install_jobs(scheduler, studio.data_dir)
    scheduler.shutdown(wait=True)
    studio.database.close()

    studio.database = open_database(studio.data_dir)  # the "restart"
    restarted = make_scheduler(studio.database)
    restarted.start()
    try:
        assert restarted.get_job(SELLER_TOOLS_JOB) is not None
        restarted.modify_job(SELLER_TOOLS_JOB, next_run_time=utc_now())
        assert wait_for(done)
    finally:
        restarted.shutdown(wait=True)


def price_of(studio, item_id: int) -> int | None:
    with studio.database.session() as session:
        return session.get(Item, item_id).list_price_cents


def test_a_sale_cancels_the_plan_and_its_waiting_drop(studio):
    item, listing = listed(studio, list_price_cents="60", floor_price_cents="30")
    with studio.database.transaction() as session:
        plan = price_drops.create_plan(session, item.id, 10, 7, now=utc_now() - timedelta(days=8))
        price_drops.run_due_steps(session)  # a drop waits in the outbox
    new_buyer(studio.market.base_url, "Khadija Fairweather").buy(listing)

    studio.engine().cycle()

    with studio.database.transaction() as session:
        assert session.get(Item, item.id).status == "sold"
        price_drops.run_due_steps(session, now=utc_now() + timedelta(days=8))
        stored = session.get(PriceDropPlan, plan.id)
        assert (stored.status, stored.note) == ("cancelled", "the item sold")
        drop = session.exec(select(OutboxOp).where(OutboxOp.kind == "update_listing")).one()
        assert drop.state == OpState.CANCELLED.value
    assert studio.api("GET", f"/v1/listings/{listing}").json()["price_cents"] == 6000


def test_automatic_greetings_keep_their_daily_cap_across_a_restart(studio):
    with studio.database.transaction() as session:
        save_shop_profile(session, ShopProfile(shop_name="Thistle & Thread"))
        messages.save_template(
            session, "greeting", "Hello {buyer_first_name}, welcome to {shop_name}!", True, 2
        )
    name = seller_name(studio)
    people = ["Oksana Brightwell", "Thierry Nakamura", "Lucía Vantongeren"]
    for person in people:
        new_buyer(studio.market.base_url, person).follow(name)

    studio.engine().cycle()
    studio.database.close()
    studio.database = open_database(studio.data_dir)
    studio.engine().cycle()  # after the restart, the cap still counts today's two

    with studio.database.session() as session:
        sent = session.exec(select(SentMessage).order_by(SentMessage.id)).all()
    assert [m.buyer_name for m in sent] == people[:2]
    assert sent[0].body == "Hello Oksana, welcome to Thistle & Thread!"
    remote = studio.api("GET", "/v1/messages").json()["messages"]
    assert sorted(m["body"] for m in remote) == sorted(m.body for m in sent)


def test_a_bundle_suggestion_message_names_the_listings(studio):
    dress, _ = listed(studio, title="Silk slip dress", category="Dresses", list_price_cents="70")
    shoes, shoes_listing = listed(
        studio, title="Strappy heels", category="Shoes", list_price_cents="40"
    )
    buyer = new_buyer(studio.market.base_url, "Parveen Holloway")
    buyer.buy(_remote_id(studio, dress.id))
    studio.engine().cycle()
    with studio.database.transaction() as session:
        to = messages.Recipient("seller-api", str(buyer.id), buyer.name)
        messages.queue_message(session, to, "bundle_suggestion", "These go with it", [shoes.id])
    studio.engine().cycle()

    [message] = studio.api("GET", "/v1/messages").json()["messages"]
    assert message["kind"] == "bundle_suggestion"
    assert message["listing_ids"] == [int(shoes_listing)]


def _remote_id(studio, item_id: int) -> str:
    with studio.database.session() as session:
        link = session.exec(select(ListingLink).where(ListingLink.item_id == item_id)).one()
    return str(link.remote_id)


def test_likers_offer_is_recorded_with_its_net(studio):
    item, listing = listed(studio, list_price_cents="12", floor_price_cents="8")
    new_buyer(studio.market.base_url, "Gwendolyn Adeyemi").like(listing)
    studio.engine().cycle()
    with studio.database.transaction() as session:
        [record] = likers_offers.send_to_likers(session, [item.id], amount_cents=1000)
    with studio.database.session() as session:
        stored = session.get(LikersOffer, record.id)
    assert (stored.net_cents, stored.likers) == (1000 - 295, 1)  # the flat fee below $15


def test_automatic_bundle_suggestions_go_once_per_order_within_the_daily_cap(studio):
    with studio.database.transaction() as session:
        messages.save_template(
            session,
            "bundle_suggestion",
            "Hi {buyer_first_name}, {item_titles} go with your {item_title}.",
            True,
            1,
        )
    dresses = [
        listed(studio, title=f"{colour} slip dress", category="Dresses", list_price_cents="70")
        for colour in ("Black", "Green")
    ]
    _heels, heels_listing = listed(
        studio, title="Strappy heels", category="Shoes", list_price_cents="40"
    )
    listed(studio, title="Linen shirt", category="Tops", list_price_cents="30")  # goes with none
    buyers = [new_buyer(studio.market.base_url, name) for name in ("Ysolde Marr", "Cato Prewitt")]
    for buyer, (_dress, listing) in zip(buyers, dresses, strict=True):
        buyer.buy(listing)

    studio.engine().cycle()
    studio.engine().cycle()  # nothing new: the cap already holds for today

    [message] = studio.api("GET", "/v1/messages").json()["messages"]
    assert message["kind"] == "bundle_suggestion"
    assert message["body"] == "Hi Ysolde, Strappy heels go with your Black slip dress."
    assert message["listing_ids"] == [int(heels_listing)]

    studio.engine(now=lambda: utc_now() + timedelta(days=1)).cycle()  # a new day, a new cap

    with studio.database.session() as session:
        sent = session.exec(select(SentMessage).order_by(SentMessage.id)).all()
    assert [(m.buyer_name, m.automatic) for m in sent] == [
        ("Ysolde Marr", True),
        ("Cato Prewitt", True),
    ]
    assert len({m.order_id for m in sent}) == 2  # the first order was not suggested twice
    assert len(studio.api("GET", "/v1/messages").json()["messages"]) == 2


def liked(studio, names: list[str], **raw: str) -> tuple[Item, str]:
    item, listing = listed(studio, **raw)
    for name in names:
        new_buyer(studio.market.base_url, name).like(listing)
    studio.engine().cycle()
    return item, listing


def actions_of(studio, kind: str) -> list[AutomaticAction]:
    with studio.database.session() as session:
        return list(session.exec(select(AutomaticAction).where(AutomaticAction.kind == kind)))


def test_a_scheduled_offer_reaches_the_likers_through_the_stored_job_after_a_restart(studio):
    names = ["Verity Ashcombe-Nuñez", "Bram Oyelaran"]
    item, listing = liked(studio, names, list_price_cents="50", floor_price_cents="30")
    with studio.database.transaction() as session:
        [schedule] = scheduled_offers.schedule_offers(
            session, [item.id], percent_off=20, every_days=7, times=2, shipping_discount_cents=200
        )
        schedule_id = schedule.id

    run_stored_job_after_restart(studio, lambda: actions_of(studio, "offer_to_likers") != [])
    studio.engine().cycle()

    sent = [o for o in remote_offers(studio, listing) if o["kind"] == "to_likers"]
    assert sorted(o["buyer"]["name"] for o in sent) == sorted(names)
    assert {o["amount_cents"] for o in sent} == {4000}
    with studio.database.transaction() as session:
        stored = session.get(ScheduledOffer, schedule_id)
        assert (stored.runs, stored.status) == (1, "active")
        assert scheduled_offers.run_due_offers(session) == []  # the next one is a week away
        [second] = scheduled_offers.run_due_offers(session, now=utc_now() + timedelta(days=8))
        assert second.detail.startswith("Scheduled offer 2 of 2: $40.00")
        assert (stored.runs, stored.status) == (2, "finished")
        assert len(session.exec(select(LikersOffer)).all()) == 2


def test_a_scheduled_offer_below_the_floor_or_without_likers_is_skipped_and_logged(studio):
    coat, coat_listing = liked(
        studio, ["Lorcan Whitlow"], list_price_cents="50", floor_price_cents="45"
    )
    unloved, _ = listed(studio, title="Plain scarf", list_price_cents="20")
    with studio.database.transaction() as session:
        scheduled_offers.schedule_offers(session, [coat.id, unloved.id], 20, every_days=3, times=4)
        skipped = scheduled_offers.run_due_offers(session)
    studio.engine().cycle()

    assert [a.kind for a in skipped] == ["scheduled_offer_skipped"] * 2
    assert "below its floor price $45.00" in skipped[0].detail
    assert "nobody likes it yet" in skipped[1].detail
    assert [o for o in remote_offers(studio, coat_listing) if o["kind"] == "to_likers"] == []
    with studio.database.session() as session:
        assert session.exec(select(LikersOffer)).all() == []
        assert session.exec(select(OutboxOp).where(OutboxOp.kind == "offer_to_likers")).all() == []
        assert {s.runs for s in session.exec(select(ScheduledOffer))} == {1}


def test_a_sale_cancels_the_scheduled_offer(studio):
    item, listing = liked(
        studio, ["Saoirse Kettleby"], list_price_cents="60", floor_price_cents="30"
    )
    with studio.database.transaction() as session:
        [schedule] = scheduled_offers.schedule_offers(session, [item.id], 10, 7, 3)
    new_buyer(studio.market.base_url, "Emeric Tandoh").buy(listing)
    studio.engine().cycle()

    with studio.database.transaction() as session:
        assert scheduled_offers.run_due_offers(session) == []
        stored = session.get(ScheduledOffer, schedule.id)
        assert (stored.status, stored.note) == ("cancelled", "the item sold")
        assert session.exec(select(LikersOffer)).all() == []
