"""The inbox end to end against the real Seller API server on 127.0.0.1: a buyer's questions
come in with a sync cycle, the seller's reply goes out with the next, once, even when its
answer is lost on the way back."""

from datetime import timedelta

from fault_injection import drop_after
from market_buyers import new_buyer
from sqlmodel import select

from studio.inventory.tables import utc_now
from studio.seller_tools import inbox
from studio.sync.pull import EventApplier, PullReport
from studio.sync.tables import BuyerMessage, ListingLink, OpState, OutboxOp


def listed(studio, title: str) -> tuple[int, str]:
    item = studio.add_item(title=title, list_price_cents="100")
    studio.engine().cycle()
    with studio.database.session() as session:
        link = session.exec(select(ListingLink).where(ListingLink.item_id == item.id)).one()
    assert item.id is not None and link.remote_id is not None
    return item.id, link.remote_id


def seller_name(studio) -> str:
    return studio.api("GET", "/v1/me").json()["name"]


def test_a_question_comes_in_and_the_reply_goes_out_once(studio):
    _item_id, listing = listed(studio, "Camel coat")
    buyer = new_buyer(studio.market.base_url, "Maya Brooks")
    buyer.write(seller_name(studio), "Pit to pit, please?", listing)
    buyer.write(seller_name(studio), "Do you ship to Lyon?")

    studio.engine().cycle()

    with studio.database.session() as session:
        [talk] = inbox.conversations(session)
        lines = inbox.thread(session, talk.buyer)
    assert (talk.buyer.buyer_id, talk.buyer_name, talk.unread) == (str(buyer.id), "Maya Brooks", 2)
    assert [(line.body, line.about) for line in lines] == [
        ("Pit to pit, please?", "Camel coat"),
        ("Do you ship to Lyon?", ""),
    ]

    with studio.database.transaction() as session:
        sent = inbox.reply(session, talk.buyer, "56 cm pit to pit; yes, to Lyon for 8 €.")
    # The reply reaches the server, but its answer is lost: the retry must not send it again.
    studio.faults.add("POST /v1/messages", drop_after)
    studio.engine().cycle()
    studio.engine(now=lambda: utc_now() + timedelta(minutes=15)).cycle()  # past the back-off

    with studio.database.session() as session:
        op = session.exec(select(OutboxOp).where(OutboxOp.op_id == sent.op_id)).one()
        [talk] = inbox.conversations(session)
    assert (op.state, op.attempts) == (OpState.ACKED.value, 2), op.last_error
    assert talk.unread == 0
    [answer] = buyer.call("GET", "/messages").json()["messages"]
    assert (answer["seller"], answer["kind"], answer["body"]) == (
        seller_name(studio),
        "reply",
        "56 cm pit to pit; yes, to Lyon for 8 €.",
    )


def test_a_page_applied_twice_keeps_each_message_once(studio):
    item_id, listing = listed(studio, "Wool scarf")
    new_buyer(studio.market.base_url, "Théo Girard").write(seller_name(studio), "Length?", listing)
    client = studio.engine().markets[0]
    page = client.events(0, 500)
    client.close()

    for _ in range(2):
        with studio.database.transaction() as session:
            EventApplier(session, "seller-api", PullReport()).apply_page(page.events)

    with studio.database.session() as session:
        [stored] = session.exec(select(BuyerMessage)).all()
    assert (stored.buyer_name, stored.body, stored.item_id) == ("Théo Girard", "Length?", item_id)
    assert (stored.remote_listing_id, stored.read) == (listing, False)
